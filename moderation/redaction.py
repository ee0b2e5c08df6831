"""Withdrawing a version of a post (personal data): at once from every public path.

A moderator of the space (or the coordination) withdraws a revision citing the règlement and a
reason from a fixed list (no free text: a justification would risk repeating what is withdrawn);
the author withdraws a version of their own post without giving one. The revision keeps its
place in the history with an empty text and "Version retirée le … (données personnelles)"; its
text moves to ``RedactedOriginal``, read by coordinators only, until ``purge`` deletes it once
``FORUM_REDACTION_APPEAL_DAYS`` have passed.

**The current text.** Withdrawing the version the post shows today replaces the post's text by
a placeholder, as a new revision (``posting.apply_edit``), rather than requiring an edit first:
waiting for an edit would leave the data online meanwhile, and the edit announces itself like
any other (``PostEdited``: search reindexed, live readers refreshed, page cache bumped). A
moderator who wants to keep the rest of the message edits it first, then withdraws the older
version. The topic's current title is never withdrawn here: it is edited like any text.

**Every path.** Pages read ``post_revision`` and ``post`` (both changed in this transaction);
the search index, queued notification emails, weekly digests and the Socket.IO catch-up are
made from the post's current text when they are sent or fetched, never kept, so the placeholder
reaches them; the page cache's versions are bumped with the commit (``page_cache.touch``).
"""
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _, lazy_gettext
from sqlalchemy import delete, func, select, update

from forum import dates
from forum.clock import now
from forum.errors import Conflict, Forbidden, Invalid, NotFound, Refused
from forum.extensions import db
from forum.notifications.models import Notification
from forum.numbers import parse_int
from forum.topics import posting
from forum.topics.models import Post, PostRevision
from forum.web import page_cache

from . import deciding, journal
from .deciding import cite, record, reversal
from .models import Decision, RedactedOriginal
from .permissions import can_read_redacted_original, can_redact_revision

# What a moderator chooses from (the author's own withdrawal is "own_data").
REASONS = {
    "third_party": lazy_gettext("Données personnelles d'un tiers (nom, adresse, date de naissance…)"),
    "own_data": lazy_gettext("Données personnelles de l'auteur"),
    "secrecy": lazy_gettext("Information couverte par le secret professionnel"),
}
# In the decision's justification (French, as every decision's is written).
_JUSTIFICATIONS = {
    "third_party": "Version retirée : données personnelles d'un tiers.",
    "own_data": "Version retirée : données personnelles de l'auteur.",
    "secrecy": "Version retirée : information couverte par le secret professionnel.",
}
_PLACEHOLDER_LABELS = {"third_party": "données personnelles", "own_data": "données personnelles",
                       "secrecy": "secret professionnel"}
PURGE_BATCH = 200


def appeal_days():
    return int(current_app.config.get("REDACTION_APPEAL_DAYS", 30))


def kept_until(original):
    return original.created_at + timedelta(days=appeal_days())


def find_revision(post, number):
    """The revision numbered ``number`` (as typed in the address) of ``post``, or ``NotFound``."""
    number = parse_int(number, 1)
    revision = None if number is None else db.session.scalar(
        select(PostRevision).where(PostRevision.post_id == post.id, PostRevision.number == number))
    if revision is None:
        raise NotFound(_("Ce message n'a pas de version n° %(n)s.", n=number or "?"))
    return revision


def _check(actor, post):
    if not can_redact_revision(actor, post):
        raise Forbidden(_("Vous ne pouvez retirer une version que de vos propres messages "
                          "ou des messages des espaces que vous modérez."))


def redact(actor, post, number, reason=None, articles=()):
    """Withdraw revision ``number`` of ``post``; returns the ``RedactedOriginal`` (committed)."""
    _check(actor, post)
    by_author = actor.id == post.author_id
    if not by_author:
        if reason not in REASONS:
            raise Invalid({"reason": _("Choisissez pourquoi cette version est retirée.")})
        articles = cite(articles)
    reason = "own_data" if by_author else reason
    deciding.lock(Post, post.id)   # two withdrawals of one version: one wins, the other gets 409
    deciding.fresh(post)
    _check(actor, post)
    revision = find_revision(post, number)
    deciding.fresh(revision)
    if revision.redacted_at is not None:
        raise Conflict({None: _("Cette version a déjà été retirée.")})
    moment = now()
    title = revision.title if revision.title and revision.title != post.topic.title else None
    original = RedactedOriginal(revision_id=revision.id, post_id=post.id, source=revision.source, title=title,
                                reason=reason, redacted_by_id=actor.id, by_author=by_author, created_at=moment)
    db.session.add(original)
    revision.source, revision.redacted_at, revision.redaction_reason = "", moment, reason
    if title is not None:
        revision.title = None
        _scrub_title(post.topic, title)
    current = revision.number == post.revision_count
    space = post.topic.space
    state = {"revision": revision.number, "current": current}
    if by_author:
        journal.audit(actor, "redact_own", "post", post.id, space_id=space.id,
                      before=dict(state, redacted=False), after=dict(state, redacted=True))
    else:
        decision = record(actor, "redact", member=post.author, space=space, topic=post.topic, post=post,
                          articles=articles, justification=_JUSTIFICATIONS[reason],
                          details={"revision": revision.number, "placeholder": current},
                          before=dict(state, redacted=False), after=dict(state, redacted=True))
        original.decision_id = decision.id
    page_cache.touch(db.session, {f"topic-{post.topic_id}", f"space-{space.id}"})
    if current:
        # Stored text, in the forum's language (like the notes of moderators' edits).
        label = _PLACEHOLDER_LABELS[reason]
        posting.apply_edit(post, actor, f"*Texte retiré le {dates.format_date(moment, 'fr')} ({label}).*", None,
                           f"Version {revision.number} retirée ({label}).")
    db.session.commit()   # apply_edit commits, unless the placeholder was already the text
    return original


def _scrub_title(topic, withdrawn):
    """A withdrawn title is also in the decisions taken under it and the notices telling them:
    they name the topic by its title of today instead."""
    db.session.execute(update(Decision).where(Decision.topic_id == topic.id, Decision.topic_title == withdrawn)
                       .values(topic_title=topic.title).execution_options(synchronize_session=False))
    for notice in db.session.scalars(select(Notification).where(Notification.text.contains(withdrawn,
                                                                                           autoescape=True))):
        notice.text = notice.text.replace(withdrawn, topic.title)


def read_original(viewer, post, number):
    """The withdrawn text of revision ``number``, for the coordination, while it is kept."""
    if not can_read_redacted_original(viewer, post):
        raise Forbidden(_("Seule la coordination lit le texte d'une version retirée, "
                          "le temps d'un éventuel recours."))
    revision = find_revision(post, number)
    original = db.session.scalar(select(RedactedOriginal).where(RedactedOriginal.revision_id == revision.id))
    if original is None:
        raise NotFound(_("Cette version n'a pas été retirée, ou son texte a été effacé "
                         "à la fin de la période de recours."))
    if now() > kept_until(original):   # over, even before the purge has run
        raise Refused(_("La période de recours est finie : ce texte n'est plus lisible et sera "
                        "effacé pour de bon."), status=410)
    return original


def originals_of(post):
    """{revision id: RedactedOriginal} of ``post`` still kept (for the coordination's links)."""
    return {o.revision_id: o for o in db.session.scalars(
        select(RedactedOriginal).where(RedactedOriginal.post_id == post.id))}


def expired_count(moment=None):
    limit = (moment or now()) - timedelta(days=appeal_days())
    return db.session.scalar(select(func.count()).select_from(RedactedOriginal)
                             .where(RedactedOriginal.created_at <= limit))


def purge(moment=None, progress=None, batch=PURGE_BATCH):
    """Delete for good the originals whose appeal period is over; returns how many."""
    limit = (moment or now()) - timedelta(days=appeal_days())
    done = 0
    while True:
        ids = db.session.scalars(select(RedactedOriginal.id).where(RedactedOriginal.created_at <= limit)
                                 .order_by(RedactedOriginal.id).limit(batch)).all()
        if not ids:
            return done
        db.session.execute(delete(RedactedOriginal).where(RedactedOriginal.id.in_(ids))
                           .execution_options(synchronize_session=False))
        journal.audit(None, "purge_redactions", "post", None, after={"count": len(ids)})
        db.session.commit()
        done += len(ids)
        if progress is not None:
            progress(len(ids))


@reversal("redact")
def unredact(moderator, decision, justification, articles=()):
    """An appeal upheld: the withdrawn text comes back (its own version again, and the post's
    text when the withdrawal had replaced it), while it is still kept."""
    post = decision.post
    if post is None or not can_read_redacted_original(moderator, post):
        raise Forbidden(_("Seule la coordination rétablit une version retirée."))
    deciding.lock(Post, post.id)
    deciding.fresh(post)
    revision = find_revision(post, decision.details.get("revision"))
    original = db.session.scalar(select(RedactedOriginal).where(RedactedOriginal.revision_id == revision.id))
    if original is None:
        raise Conflict({None: _("Le texte retiré a été effacé à la fin de la période de recours : "
                                "il ne peut plus être rétabli.")})
    revision.source, revision.redacted_at, revision.redaction_reason = original.source, None, None
    if original.title is not None:
        revision.title = original.title
    source = original.source
    db.session.delete(original)
    state = {"revision": revision.number}
    new = record(moderator, "unredact", member=post.author, space=post.topic.space, topic=post.topic, post=post,
                 articles=cite(articles, required=False), reverses=decision,
                 justification=deciding.clean_justification(justification, required=False) or
                 "Version rétablie après recours.",
                 before=dict(state, redacted=True), after=dict(state, redacted=False))
    page_cache.touch(db.session, {f"topic-{post.topic_id}", f"space-{post.topic.space_id}"})
    if decision.details.get("placeholder") and post.revision_count == revision.number + 1:
        posting.apply_edit(post, moderator, source, None, f"Version {revision.number} rétablie après recours.")
    db.session.commit()
    return new
