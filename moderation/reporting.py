"""Reports (signalements): members say a post breaches the règlement; enough of them hide it."""
from flask_babel import gettext as _, lazy_gettext
from sqlalchemy import func, select

from forum.clock import now
from forum.errors import Conflict, Forbidden, Invalid
from forum.extensions import db
from forum.numbers import parse_int
from forum.topics import posting
from forum.topics.models import POST_HIDDEN, POST_VISIBLE, Post

from . import deciding, escalation, journal, settings
from .models import (HOLD_THRESHOLD, REASON_ARTICLE, REASON_OTHER, REASON_THIRD_PARTY,
                     REASON_WATCHED_WORD, REPORT_OPEN, PostHold, Report)
from .permissions import can_report_post

MESSAGE_MAX_CHARS = 2000
DETAIL_MAX_CHARS = 300

REASON_LABELS = {
    REASON_THIRD_PARTY: lazy_gettext("Données personnelles d'un tiers"),
    REASON_OTHER: lazy_gettext("Autre"),
    REASON_WATCHED_WORD: lazy_gettext("Mot surveillé"),
}


def reason_label(report):
    if report.reason == REASON_ARTICLE:
        return f"Article {report.article_number}" + (f" — {report.article.title}" if report.article else "")
    label = REASON_LABELS.get(report.reason, report.reason)
    return f"{label} : {report.detail}" if report.detail else label


def report_post(reporter, post, reason, detail="", message=""):
    """Record ``reporter``'s report; hide the post for review once enough members reported it.

    ``reason`` is the id (as text) of an article members may cite when reporting, or "other"
    (which needs ``detail``). "third_party" is still accepted from callers that used it before
    the form stopped offering it (the règlement's personal-data article says the same).
    """
    if not can_report_post(reporter, post):
        raise Forbidden(_("Vous ne pouvez pas signaler ce message."))
    detail = " ".join((detail or "").split())
    message = (message or "").replace("\r\n", "\n").strip()
    article = None
    if reason in (REASON_THIRD_PARTY, REASON_OTHER):
        kind = reason
    elif parse_int(reason, 1):
        kind = REASON_ARTICLE
        article = deciding.cite([reason])[0]
        if not article.reportable:
            raise Invalid({"reason": _("Cet article ne peut pas être cité pour signaler un message : "
                                       "choisissez l'article que ce message ne respecte pas, ou « Autre ».")})
    else:
        raise Invalid({"reason": _("Choisissez la raison du signalement.")})
    if kind == REASON_OTHER and len(detail) < 3:
        raise Invalid({"detail": _("Précisez en quelques mots ce qui ne va pas.")})
    if len(detail) > DETAIL_MAX_CHARS:
        raise Invalid({"detail": _("Trop long (%(n)s caractères au plus).", n=DETAIL_MAX_CHARS)})
    if len(message) > MESSAGE_MAX_CHARS:
        raise Invalid({"message": _("Le message est trop long (%(n)s caractères au plus).", n=MESSAGE_MAX_CHARS)})

    # Concurrent reports of one post must count (and hide) once: they wait on the post's lock.
    deciding.lock(Post, post.id)
    deciding.fresh(post)
    if _open_report_of(post, reporter) is not None:
        raise Conflict({None: _("Vous avez déjà signalé ce message ; la modération va l'examiner.")})
    report = Report(post_id=post.id, reporter_id=reporter.id, reason=kind,
                    article_id=article.id if article else None,
                    article_number=article.number if article else None,
                    charter_version=article.version.number if article else None,
                    detail=detail if kind != REASON_ARTICLE else "", message=message,
                    status=REPORT_OPEN, created_at=now())
    db.session.add(report)
    db.session.flush()
    journal.audit(reporter, "report", "post", post.id, space_id=post.topic.space_id,
                           after={"report_id": report.id, "reason": kind,
                                  "article": article.number if article else None})
    escalation.alert_moderators(post, report)
    _hold_if_threshold(post)
    db.session.commit()
    return report


def _open_report_of(post, reporter):
    return db.session.scalar(select(Report).where(Report.post_id == post.id, Report.reporter_id == reporter.id,
                                                  Report.status == REPORT_OPEN))


def open_reporters(post_id):
    return db.session.scalar(select(func.count(func.distinct(Report.reporter_id))).where(
        Report.post_id == post_id, Report.status == REPORT_OPEN, Report.reporter_id.is_not(None)))


def _hold_if_threshold(post):
    """Enough distinct members reported a visible post: hide it until a moderator reviews it."""
    if post.state != POST_VISIBLE:
        return None
    threshold = settings.for_space(post.topic.space).report_threshold
    count = open_reporters(post.id)
    if count < threshold:
        return None
    before = {"state": post.state}
    posting.set_post_state(post, POST_HIDDEN)
    decision = deciding.record(None, "hold", member=post.author, space=post.topic.space, topic=post.topic,
                               post=post, details={"reports": count, "threshold": threshold},
                               justification=f"{count} membres ont signalé ce message ; il reste masqué "
                                             f"jusqu'à l'examen d'un modérateur.",
                               before=before, after={"state": POST_HIDDEN})
    db.session.merge(PostHold(post_id=post.id, reason=HOLD_THRESHOLD, decision_id=decision.id,
                              created_at=now()))
    return decision


def flag(post, words):
    """A report raised by the forum itself (a "flag" watched word); one open at a time per post."""
    exists = db.session.scalar(select(Report.id).where(Report.post_id == post.id, Report.reporter_id.is_(None),
                                                       Report.status == REPORT_OPEN))
    if exists:
        return None
    report = Report(post_id=post.id, reporter_id=None, reason=REASON_WATCHED_WORD,
                    detail=", ".join(words)[:DETAIL_MAX_CHARS], status=REPORT_OPEN, created_at=now())
    db.session.add(report)
    db.session.flush()
    journal.audit(None, "flag", "post", post.id, space_id=post.topic.space_id,
                           after={"report_id": report.id, "words": list(words)})
    escalation.alert_moderators(post, report)
    return report


def open_reports(post_id):
    return db.session.scalars(select(Report).where(Report.post_id == post_id, Report.status == REPORT_OPEN)
                              .order_by(Report.created_at)).all()


def hold_of(post_id):
    return db.session.get(PostHold, post_id)
