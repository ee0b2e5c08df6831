"""Decisions on one post: dismiss its reports, hide, restore, edit with a note, approve, reject.

None of them removes text: hiding changes the post's state (its text and revisions stay), an
edit adds a revision whose note says who changed it and why.
"""
from flask_babel import gettext as _, lazy_gettext
from sqlalchemy import select

from forum import events
from forum.clock import now
from forum.errors import Conflict, Forbidden, Invalid
from forum.extensions import db
from forum.numbers import parse_ids
from forum.permissions import can_moderate
from forum.topics import posting
from forum.topics.models import (POST_DELETED, POST_HIDDEN, POST_PENDING, POST_VISIBLE, Post,
                                 PostRevision)

from . import deciding, reporting
from .deciding import cite, clean_justification, record, reversal
from .models import (HOLD_DECISION, HOLD_THRESHOLD, REPORT_DISMISSED, REPORT_OPEN, REPORT_UPHELD,
                     Decision, PostHold, Report)
from .permissions import can_moderate_post


def _begin(moderator, post):
    """Check, then lock the post and re-read it: from here on, no other decision interleaves."""
    for attempt in (1, 2):   # checked again after the lock: the topic may have moved meanwhile
        if not can_moderate_post(moderator, post):
            if can_moderate(moderator, post.topic.space):
                raise Forbidden(_("Un autre modérateur doit décider de vos propres messages."))
            raise Forbidden(_("Vous ne modérez pas l'espace de ce message."))
        if attempt == 1:
            deciding.lock(Post, post.id)
            deciding.fresh(post)
            deciding.fresh(post.topic)
    return post.topic.space


def _check_seen(post, seen):
    """The reports the moderator was shown must still be open: else someone decided meanwhile."""
    ids = parse_ids(seen)
    if not ids:
        return
    still_open = set(db.session.scalars(select(Report.id).where(Report.id.in_(ids), Report.post_id == post.id,
                                                               Report.status == REPORT_OPEN)))
    if still_open != ids:
        raise Conflict({None: _("Un autre modérateur vient de traiter ces signalements : "
                                "voici l'état actuel du message.")})


def _close_reports(post, status, decision, outcome):
    """Close every open report of ``post`` with ``decision``, and tell each reporter what came of it."""
    reports = db.session.scalars(select(Report).where(Report.post_id == post.id,
                                                      Report.status == REPORT_OPEN)).all()
    for report in reports:
        report.status, report.closed_at, report.decision_id = status, now(), decision.id
        if report.reporter_id is not None:
            deciding.tell(report.reporter_id,
                          lambda: _("Votre signalement d'un message dans « %(title)s » a été examiné : "
                                    "%(outcome)s. Merci de votre vigilance.", title=post.topic.title,
                                    outcome=outcome),
                          deciding.path_for("topics.post", post_id=post.id))
    return reports


def _state(post):
    hold = db.session.get(PostHold, post.id)
    return {"state": post.state, "hold": hold.reason if hold else None, "revision": post.revision_count}


def _set_hold(post, decision, reason=HOLD_DECISION):
    hold = db.session.get(PostHold, post.id)
    if hold is None:
        hold = PostHold(post_id=post.id)
        db.session.add(hold)
    hold.reason, hold.decision_id, hold.created_at = reason, decision.id, now()


def _clear_hold(post):
    hold = db.session.get(PostHold, post.id)
    if hold is not None:
        db.session.delete(hold)


def _publish(post):
    """Make ``post`` visible; an opening post that was never published also starts its topic."""
    if post.is_opening and not _was_ever_visible(post):
        topic = post.topic
        events.publish(events.TopicStarted(topic_id=topic.id, post_id=post.id, space_id=topic.space_id,
                                           author_id=post.author_id))
    posting.set_post_state(post, POST_VISIBLE)


def _was_ever_visible(post):
    """Hidden or pending posts come here; only those held from the start were never published."""
    if post.state == POST_PENDING:
        return False
    return db.session.scalar(select(Decision.id).where(
        Decision.post_id == post.id,
        Decision.action.in_(("hide", "hold", "approve", "restore", "dismiss"))).limit(1)) is not None


def dismiss(moderator, post, justification="", seen=()):
    """The reports were unfounded: close them; a post hidden by the threshold comes back."""
    justification = clean_justification(justification, required=False) or \
        "Signalements examinés : le message respecte le règlement."
    space = _begin(moderator, post)
    if not reporting.open_reports(post.id):
        raise Conflict({None: _("Ce message n'a plus de signalement ouvert : un autre modérateur l'a traité.")})
    _check_seen(post, seen)
    before = _state(post)
    hold = db.session.get(PostHold, post.id)
    restored = hold is not None and hold.reason == HOLD_THRESHOLD and post.state == POST_HIDDEN
    held_by = deciding.in_force(Decision.post_id == post.id, ("hold",)) if restored else None
    if restored:
        _clear_hold(post)
        _publish(post)
    decision = record(moderator, "dismiss", member=post.author, space=space, topic=post.topic, post=post,
                      justification=justification, before=before, after=_state(post), notify=restored,
                      reverses=held_by)
    _close_reports(post, REPORT_DISMISSED, decision, lazy_gettext("le message respecte le règlement, il reste en ligne"))
    db.session.commit()
    return decision


def hide(moderator, post, articles, justification, seen=(), reverses=None, warn=False):
    """Hide ``post`` citing ``articles``; with ``warn``, the same act warns its author too (one
    justification, the same articles, one notice): the moderator types nothing twice."""
    articles = cite(articles)
    justification = clean_justification(justification)
    space = _begin(moderator, post)   # who moderates the post's space may also warn its author (can_warn)
    hold = db.session.get(PostHold, post.id)
    if post.state == POST_DELETED:
        raise Conflict({None: _("Ce message a été supprimé par son auteur : il n'est plus affiché.")})
    if post.state == POST_PENDING:
        raise Invalid({None: _("Ce message attend une approbation : refusez-le plutôt.")})
    if post.state == POST_HIDDEN and (hold is None or hold.reason == HOLD_DECISION):
        raise Conflict({None: _("Ce message est déjà masqué par la modération.")})
    _check_seen(post, seen)
    before = _state(post)
    posting.set_post_state(post, POST_HIDDEN)
    decision = record(moderator, "hide", member=post.author, space=space, topic=post.topic, post=post,
                      articles=articles, justification=justification, before=before, reverses=reverses,
                      details={"with_warning": True} if warn else None,
                      after={"state": POST_HIDDEN, "hold": HOLD_DECISION, "revision": post.revision_count})
    if warn:
        # Its own decision (the member's record counts warnings; it can be withdrawn or appealed
        # alone), told in the hiding's notice.
        record(moderator, "warn", member=post.author, space=space, topic=post.topic, post=post, articles=articles,
               justification=justification, details={"with_decision": decision.id}, notify=False)
    _set_hold(post, decision)
    _close_reports(post, REPORT_UPHELD, decision, lazy_gettext("le message a été masqué"))
    db.session.commit()
    return decision


def restore(moderator, post, justification="", articles=(), reverses=None):
    articles = cite(articles, required=False)
    justification = clean_justification(justification, required=False) or "Message rétabli après examen."
    space = _begin(moderator, post)
    if post.state != POST_HIDDEN:
        raise Conflict({None: _("Ce message n'est pas masqué : rien à rétablir.")})
    before = _state(post)
    target = reverses or deciding.in_force(Decision.post_id == post.id, ("hide", "reject", "hold"))
    _clear_hold(post)
    _publish(post)
    decision = record(moderator, "restore", member=post.author, space=space, topic=post.topic, post=post,
                      articles=articles, justification=justification, reverses=target,
                      before=before, after=_state(post))
    _close_reports(post, REPORT_DISMISSED, decision, lazy_gettext("le message a été rétabli"))
    db.session.commit()
    return decision


def edit(moderator, post, body, title, articles, justification, seen=()):
    """Change the text, with a visible note citing the articles; every earlier version stays."""
    articles = cite(articles)
    justification = clean_justification(justification)
    body = posting.clean_body(body)
    space = _begin(moderator, post)
    if post.state == POST_DELETED:
        raise Conflict({None: _("Ce message a été supprimé par son auteur.")})
    title = posting.clean_title(title) if post.is_opening and title is not None else None
    if body == post.source and (title is None or title == post.topic.title):
        raise Invalid({"body": _("Le texte n'a pas changé.")})
    _check_seen(post, seen)
    before = _state(post)
    # The note stays with the revision: it names the version, so a later renumbering cannot
    # make it point at another rule.
    numbers = ", ".join(str(a.number) for a in articles)
    note = (f"Modifié par la modération (article{'s' if len(articles) > 1 else ''} {numbers} de la version "
            f"{articles[0].version.number}) : {justification}")
    decision = record(moderator, "edit", member=post.author, space=space, topic=post.topic, post=post,
                      articles=articles, justification=justification,
                      details={"from_revision": post.revision_count, "to_revision": post.revision_count + 1},
                      before=before, after=dict(before, revision=post.revision_count + 1))
    _close_reports(post, REPORT_UPHELD, decision, lazy_gettext("le message a été modifié"))
    posting.apply_edit(post, moderator, body, title, note)   # commits, with the decision
    return decision


def approve(moderator, post, justification="", seen=()):
    justification = clean_justification(justification, required=False) or "Message conforme au règlement."
    space = _begin(moderator, post)
    if post.state != POST_PENDING:
        raise Conflict({None: _("Ce message n'attend plus d'approbation : un autre modérateur l'a traité.")})
    before = _state(post)
    _publish(post)
    decision = record(moderator, "approve", member=post.author, space=space, topic=post.topic, post=post,
                      justification=justification, before=before, after=_state(post))
    _close_reports(post, REPORT_DISMISSED, decision, lazy_gettext("le message a été approuvé"))
    db.session.commit()
    return decision


def reject(moderator, post, articles, justification, reverses=None):
    articles = cite(articles)
    justification = clean_justification(justification)
    space = _begin(moderator, post)
    if post.state != POST_PENDING:
        raise Conflict({None: _("Ce message n'attend plus d'approbation : un autre modérateur l'a traité.")})
    before = _state(post)
    posting.set_post_state(post, POST_HIDDEN)
    decision = record(moderator, "reject", member=post.author, space=space, topic=post.topic, post=post,
                      articles=articles, justification=justification, before=before, reverses=reverses,
                      after={"state": POST_HIDDEN, "hold": HOLD_DECISION, "revision": post.revision_count})
    _set_hold(post, decision)
    _close_reports(post, REPORT_UPHELD, decision, lazy_gettext("le message a été refusé"))
    db.session.commit()
    return decision


# --- reversals --------------------------------------------------------------------------

@reversal("hide", "reject", "hold")
def _undo_hiding(moderator, decision, justification, articles):
    return restore(moderator, decision.post, justification, articles, reverses=decision)


@reversal("restore", "approve", "dismiss")
def _undo_favour(moderator, decision, justification, articles):
    post = decision.post
    if post.state == POST_PENDING:
        return reject(moderator, post, articles, justification, reverses=decision)
    return hide(moderator, post, articles, justification, reverses=decision)


@reversal("edit")
def revert_edit(moderator, decision, justification, articles=()):
    """Put back the text the moderator's edit replaced (as a new revision: nothing is lost)."""
    post = decision.post
    justification = clean_justification(justification, required=False) or "Modification de la modération annulée."
    space = _begin(moderator, post)
    if post.revision_count != decision.details.get("to_revision"):
        raise Conflict({None: _("Le message a été modifié depuis cette décision : modifiez-le à nouveau "
                                "plutôt que d'annuler.")})
    previous = db.session.scalar(select(PostRevision).where(
        PostRevision.post_id == post.id, PostRevision.number == decision.details["from_revision"]))
    if previous.redacted_at is not None:
        raise Conflict({None: _("La version que cette modification remplaçait a été retirée : "
                                "elle ne peut pas être rétablie.")})
    before = _state(post)
    new = record(moderator, "revert_edit", member=post.author, space=space, topic=post.topic, post=post,
                 articles=cite(articles, required=False), justification=justification, reverses=decision,
                 details={"from_revision": post.revision_count, "restored_revision": previous.number},
                 before=before, after=dict(before, revision=post.revision_count + 1))
    title = None
    if post.is_opening:
        title = db.session.scalar(select(PostRevision.title).where(
            PostRevision.post_id == post.id, PostRevision.number <= previous.number,
            PostRevision.title.is_not(None)).order_by(PostRevision.number.desc()).limit(1))
    posting.apply_edit(post, moderator, previous.source, title,
                       f"Version {previous.number} rétablie par la modération : {justification}")
    return new
