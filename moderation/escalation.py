"""Who hears of a report: the space's moderators at once, the coordination when it waits too long.

A post's first open report tells the moderators of its space (a notice: in-app, and by email
as each one chose in their preferences). A report still open ``escalate_after_hours`` after it
was made (a setting of each space, « délai avant de prévenir la coordination ») is sent on to
the coordination, once: ``escalate_waiting`` marks the post's open reports ``escalated_at`` in
the same UPDATE that claims them, so two runs at once (cron, the web process's thread) tell
nobody twice.
"""
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select, update

from forum.accounts.models import ROLE_ADMIN, ROLE_COORDINATOR, Member
from forum.clock import now
from forum.extensions import db
from forum.permissions import can_moderate, is_member
from forum.topics.models import Post

from . import deciding, journal, settings
from .models import REPORT_OPEN, Report


def _post_url(post):
    return deciding.path_for("moderation.post", post_id=post.id)


def _coordinators(space):
    members = db.session.scalars(select(Member).where(Member.role.in_((ROLE_COORDINATOR, ROLE_ADMIN)))
                                 .order_by(Member.id)).all()
    return [m for m in members if can_moderate(m, space)]


def _told(members, post, *left_out):
    """Who may act on ``post`` among ``members``: active, not its author, not ``left_out``."""
    skip = {post.author_id, *left_out}
    return [m for m in members if m.id not in skip and is_member(m) and can_moderate(m, post.topic.space)]


def alert_moderators(post, report):
    """Tell the moderators of ``post``'s space of its first open report (the caller commits).

    A space without moderators of its own is moderated by the coordination: it is told at once.
    Later reports of the same post, while it waits, add to the queue without a new notice.
    """
    others = db.session.scalar(select(Report.id).where(Report.post_id == post.id, Report.status == REPORT_OPEN,
                                                       Report.id != report.id).limit(1))
    if others is not None:
        return []
    space = post.topic.space
    members = _told(space.moderators, post, report.reporter_id) or \
        _told(_coordinators(space), post, report.reporter_id)
    for member in members:
        deciding.tell(member.id, lambda: _("Nouveau signalement à examiner dans « %(title)s » (%(space)s).",
                                           title=post.topic.title, space=space.name), _post_url(post))
    return members


def waiting_too_long(moment=None):
    """{post id: oldest open report not yet escalated} whose space's delay is over."""
    moment = moment or now()
    reports = db.session.scalars(select(Report).where(Report.status == REPORT_OPEN, Report.escalated_at.is_(None))
                                 .order_by(Report.created_at)).all()
    delays, due = {}, {}
    for report in reports:
        space = report.post.topic.space
        if space.id not in delays:
            delays[space.id] = timedelta(hours=settings.for_space(space).escalate_after_hours)
        if report.post_id not in due and report.created_at + delays[space.id] <= moment:
            due[report.post_id] = report
    return due


def escalate_waiting(moment=None):
    """Tell the coordination of every report waiting longer than its space allows; returns how
    many posts were sent on. Each post is claimed, told and committed on its own."""
    moment = moment or now()
    done = 0
    for post_id, oldest in waiting_too_long(moment).items():
        claimed = db.session.execute(
            update(Report).where(Report.post_id == post_id, Report.status == REPORT_OPEN,
                                 Report.escalated_at.is_(None))
            .values(escalated_at=moment).execution_options(synchronize_session=False)).rowcount
        if not claimed:       # another run took it meanwhile
            db.session.rollback()
            continue
        post = db.session.get(Post, post_id)
        space = post.topic.space
        hours = settings.for_space(space).escalate_after_hours
        for member in _told(_coordinators(space), post):
            deciding.tell(member.id, lambda: _(
                "Un signalement attend depuis plus de %(hours)s heures dans « %(title)s » (%(space)s) : "
                "la coordination est prévenue.", hours=hours, title=post.topic.title, space=space.name),
                _post_url(post))
        journal.audit(None, "report_escalated", "post", post.id, space_id=space.id,
                      after={"since": oldest.created_at.isoformat(timespec="seconds"), "hours": hours})
        db.session.commit()
        done += 1
    return done
