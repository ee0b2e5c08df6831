"""What moderators review: reported and pending posts, open appeals, and the context of each."""
from dataclasses import dataclass, field

from sqlalchemy import func, select

from forum.extensions import db
from forum.topics.models import POST_PENDING, Post, Space, Topic, space_moderator
from forum.permissions import can_read_space, is_coordinator, is_member

from . import appeals
from .models import REPORT_OPEN, Decision, PostHold, Report

HISTORY_LIMIT = 30


def moderated_spaces(viewer):
    """The spaces ``viewer`` moderates: every space for the coordination."""
    if not is_member(viewer):
        return []
    query = select(Space).order_by(Space.position, Space.name)
    if not is_coordinator(viewer):
        query = query.join(space_moderator, space_moderator.c.space_id == Space.id).where(
            space_moderator.c.member_id == viewer.id)
    return db.session.scalars(query).all()


@dataclass
class QueueItem:
    post: Post
    reports: list = field(default_factory=list)
    hold: PostHold | None = None

    @property
    def reporters(self):
        return len({r.reporter_id for r in self.reports if r.reporter_id is not None})


def review_queue(viewer, space=None):
    """Reported posts (oldest report first), pending posts and appeals in ``viewer``'s spaces."""
    spaces = [space] if space is not None else moderated_spaces(viewer)
    ids = [s.id for s in spaces]
    reported = {}
    if ids:
        reports = db.session.scalars(
            select(Report).join(Post, Post.id == Report.post_id).join(Topic, Topic.id == Post.topic_id)
            .where(Report.status == REPORT_OPEN, Topic.space_id.in_(ids)).order_by(Report.created_at)).all()
        for report in reports:
            reported.setdefault(report.post_id, QueueItem(report.post)).reports.append(report)
        holds = db.session.scalars(select(PostHold).where(PostHold.post_id.in_(list(reported)))).all() \
            if reported else []
        for hold in holds:
            reported[hold.post_id].hold = hold
    pending = db.session.scalars(
        select(Post).join(Topic, Topic.id == Post.topic_id)
        .where(Post.state == POST_PENDING, Topic.space_id.in_(ids)).order_by(Post.created_at)).all() if ids else []
    open_appeals = [a for a in appeals.reviewable(viewer)
                    if space is None or a.decision.space_id == space.id]
    return {"reported": list(reported.values()), "pending": pending, "appeals": open_appeals, "spaces": spaces,
            "space": space}


def waiting_count(viewer):
    """How many items wait in ``viewer``'s queue (for the menu); one query per kind."""
    spaces = moderated_spaces(viewer)
    ids = [s.id for s in spaces]
    if not ids:
        return 0
    reported = db.session.scalar(
        select(func.count(func.distinct(Report.post_id))).join(Post, Post.id == Report.post_id)
        .join(Topic, Topic.id == Post.topic_id).where(Report.status == REPORT_OPEN, Topic.space_id.in_(ids)))
    pending = db.session.scalar(select(func.count(Post.id)).join(Topic, Topic.id == Post.topic_id)
                                .where(Post.state == POST_PENDING, Topic.space_id.in_(ids)))
    return reported + pending + len(appeals.reviewable(viewer))


@dataclass
class HistoryLine:
    decision: Decision
    # None when the decision was taken in a space the viewer may not read.
    where: str | None


def history(viewer, member, limit=HISTORY_LIMIT):
    """Decisions about ``member``, as ``viewer`` may see them (no titles from unreadable spaces)."""
    decisions = db.session.scalars(select(Decision).where(Decision.member_id == member.id)
                                   .order_by(Decision.created_at.desc(), Decision.id.desc()).limit(limit)).all()
    lines = []
    for decision in decisions:
        if decision.space is None:
            lines.append(HistoryLine(decision, ""))
        elif can_read_space(viewer, decision.space):
            lines.append(HistoryLine(decision, decision.space.name))
        else:
            lines.append(HistoryLine(decision, None))
    return lines


def post_context(viewer, post):
    """The thread around ``post`` (what it answers, what answers it), its reports and decisions."""
    parent = db.session.get(Post, post.parent_id) if post.parent_id else None
    replies = db.session.scalars(select(Post).where(Post.parent_id == post.id).order_by(Post.number).limit(20)).all()
    reports = db.session.scalars(select(Report).where(Report.post_id == post.id)
                                 .order_by(Report.status != REPORT_OPEN, Report.created_at)).all()
    decisions = db.session.scalars(select(Decision).where(Decision.post_id == post.id)
                                   .order_by(Decision.created_at.desc(), Decision.id.desc())).all()
    return {"post": post, "parent": parent, "replies": replies, "reports": reports,
            "open_reports": [r for r in reports if r.status == REPORT_OPEN],
            "decisions": decisions, "hold": db.session.get(PostHold, post.id),
            "history": history(viewer, post.author),
            # The author of a reported post never learns who reported it, even as a moderator.
            "show_reporters": viewer.id != post.author_id}
