"""A decision as a reader sees it: plain data for the templates, every permission applied here
(through ``rules``), so that a template never queries and never decides what may be shown.
What is the same for every reader who sees it the same way (the results part) is in
``tally_view``."""
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from forum import permissions
from forum.extensions import db
from forum.topics.models import POST_VISIBLE, Post

from . import kinds, rules
from .models import REASON_NONE, REASON_REQUIRED, Ballot, Poll


@dataclass
class PollView:
    poll: Poll
    kind_name: str
    options: list                         # [(position, label)]
    refusal: tuple | None                 # (status, message) when the viewer may not vote
    voted: bool = False
    selected: dict = field(default_factory=dict)   # the ballot shown in the form: own, or as typed
    reason: str = ""
    reason_needed: bool = False
    reason_allowed: bool = True
    show_tally: bool = False
    with_choices: bool = False
    may_edit: bool = False
    may_close: bool = False
    errors: dict = field(default_factory=dict)     # {"choice"|"reason"|None: message}
    ranks: list = field(default_factory=list)      # 1..n, the ranked form's choices
    scores: list = field(default_factory=list)     # 0..max_score
    answers: tuple = kinds.MEETING_ANSWERS


def visible_poll(viewer, poll_id):
    """The decision if ``viewer`` may see it (its post), else None (the page says 404)."""
    poll = db.session.get(Poll, poll_id)
    return poll if poll is not None and rules.can_see_poll(viewer, poll) else None


def poll_view(viewer, poll, typed=None, reason=None, errors=None):
    """``poll`` for ``viewer`` (callers ask ``rules.can_see_poll`` first). ``typed`` and
    ``reason``: a refused ballot, shown again as it was typed, with ``errors``."""
    member = permissions.is_member(viewer)
    own = db.session.scalar(select(Ballot).where(Ballot.poll_id == poll.id, Ballot.member_id == viewer.id)) \
        if member else None
    # A ballot of one's own says one voted; only a closed anonymous decision's ballots name nobody.
    voted = own is not None or bool(member and poll.anonymous and poll.is_closed and rules.has_voted(viewer, poll))
    may_close = rules.can_close(viewer, poll)
    view = PollView(poll=poll, kind_name=str(kinds.KIND_NAMES.get(poll.kind, poll.kind)),
                    options=[(o.position, kinds.option_label(poll, o)) for o in poll.options],
                    refusal=rules.why_cannot_vote(viewer, poll), voted=voted,
                    selected=typed if typed is not None else (kinds.loaded(own.choice) if own else {}),
                    reason=reason if reason is not None else (own.reason if own else ""),
                    reason_needed=poll.reason_mode == REASON_REQUIRED, reason_allowed=poll.reason_mode != REASON_NONE,
                    errors=dict(errors or {}), may_edit=may_close, may_close=may_close,
                    ranks=list(range(1, len(poll.options) + 1)), scores=list(range(0, (poll.max_score or 0) + 1)))
    view.show_tally = rules.can_see_tally(viewer, poll, voted)
    view.with_choices = rules.can_see_how_each_voted(viewer, poll, voted)
    return view
























@dataclass
class Summary:
    """A decision in the topic's list at the top of its page."""
    poll: Poll
    kind_name: str
    closes_at: datetime
    closed: bool


def on_topic_page(viewer, topic, posts):
    """(the topic's decisions ``viewer`` may see, oldest first; {post id: PollView} of those
    opened by ``posts``): one query for both."""
    polls = [p for p in db.session.scalars(select(Poll).where(Poll.topic_id == topic.id)
                                           .order_by(Poll.created_at, Poll.id)).all()
             if rules.can_see_poll(viewer, p)]
    on_page = {p.id for p in posts}
    return ([Summary(p, str(kinds.KIND_NAMES.get(p.kind, p.kind)), p.closes_at, p.is_closed) for p in polls],
            {p.post_id: poll_view(viewer, p) for p in polls if p.post_id in on_page})


def open_deadlines(topic_ids):
    """{topic id: the nearest closing date of its open decisions}, in one query; only decisions
    whose post is published (a held post hides its decision)."""
    if not topic_ids:
        return {}
    return dict(db.session.execute(
        select(Poll.topic_id, func.min(Poll.closes_at)).join(Post, Post.id == Poll.post_id)
        .where(Poll.topic_id.in_(topic_ids), Poll.closed_at.is_(None), Post.state == POST_VISIBLE)
        .group_by(Poll.topic_id)).all())
