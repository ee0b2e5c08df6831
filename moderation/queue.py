"""What moderators review: reported and pending posts, open appeals, and the context of each."""
from dataclasses import dataclass, field

from sqlalchemy import func, select

from forum.extensions import db
from forum.permissions import can_moderate, is_coordinator, is_member
from forum.topics.models import POST_PENDING, Post, Space, Topic, space_moderator

from . import appeals
from .models import REPORT_OPEN, Decision, PostHold, Report
from .permissions import can_read_decision_reason, visible_decisions_filter

HISTORY_LIMIT = 30


def moderated_spaces(viewer):
    """The spaces ``viewer`` moderates: for the coordination, every space but those that keep
    staff out (``forum.permissions.can_moderate`` decides)."""
    if not is_member(viewer):
        return []
    query = select(Space).order_by(Space.position, Space.name)
    if not is_coordinator(viewer):
        query = query.join(space_moderator, space_moderator.c.space_id == Space.id).where(
            space_moderator.c.member_id == viewer.id)
    return [space for space in db.session.scalars(query).all() if can_moderate(viewer, space)]


@dataclass
class QueueItem:
    post: Post
    reports: list = field(default_factory=list)
    hold: PostHold | None = None

    @property
    def reporters(self):
        return len({r.reporter_id for r in self.reports if r.reporter_id is not None})

    @property
    def escalated(self):
        return any(r.escalated_at is not None for r in self.reports)

    @property
    def seen(self):
        """The ids of the reports shown: closing them from the queue closes these, or refuses."""
        return ",".join(str(r.id) for r in self.reports)


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
    where: str              # the space's name ("" for a site-wide decision)
    # False: the viewer learns only that the decision holds and its dates
    # (``can_read_decision_reason``).
    detailed: bool


def decisions(viewer, *conditions, limit=None):
    """The decisions matching ``conditions`` that ``viewer`` may see, latest first.

    Filtered in the query (``visible_decisions_filter``): what ``viewer`` may not see takes no
    place in the limit, so nothing, not even a count, hints at it."""
    query = (select(Decision).where(*conditions, visible_decisions_filter(viewer))
             .order_by(Decision.created_at.desc(), Decision.id.desc()))
    return db.session.scalars(query.limit(limit) if limit else query).all()


def history(viewer, member, limit=HISTORY_LIMIT):
    """Decisions about ``member``, as ``viewer`` may see them: none from spaces ``viewer`` cannot
    read, and site-wide sanctions without their reasons unless ``viewer`` may read them."""
    return [HistoryLine(decision, decision.space.name if decision.space else "",
                        can_read_decision_reason(viewer, decision))
            for decision in decisions(viewer, Decision.member_id == member.id, limit=limit)]


def post_context(viewer, post):
    """The thread around ``post`` (what it answers, what answers it), its reports and decisions."""
    parent = db.session.get(Post, post.parent_id) if post.parent_id else None
    replies = db.session.scalars(select(Post).where(Post.parent_id == post.id).order_by(Post.number).limit(20)).all()
    reports = db.session.scalars(select(Report).where(Report.post_id == post.id)
                                 .order_by(Report.status != REPORT_OPEN, Report.created_at)).all()
    return {"post": post, "parent": parent, "replies": replies, "reports": reports,
            "open_reports": [r for r in reports if r.status == REPORT_OPEN],
            "decisions": decisions(viewer, Decision.post_id == post.id),
            "hold": db.session.get(PostHold, post.id),
            "history": history(viewer, post.author),
            # The author of a reported post never learns who reported it, even as a moderator.
            "show_reporters": viewer.id != post.author_id}
