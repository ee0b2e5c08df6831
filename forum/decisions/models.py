"""A comité's decisions: polls opened in a topic, ballots, outcomes and their action items.

Called "decision" in the interface (« décision »); "poll" in the code, so that it is never
mistaken for moderation's decisions (moderation/models.py).
"""
from sqlalchemy import (JSON, Boolean, Column, Date, DateTime, ForeignKey, Index, Integer, String, Table, Text,
                        UniqueConstraint, select)
from sqlalchemy.orm import relationship

from forum.accounts.models import College, Member
from forum.clock import now
from forum.extensions import db
from forum.topics.models import Post, Space, Topic

# The kinds (forum/decisions/tally.py counts them).
CONSENT = "consent"         # d'accord / abstention / désaccord / objection (an objection says why)
SINGLE = "single"
MULTIPLE = "multiple"       # between min_choices and max_choices options
RANKED = "ranked"           # instant-runoff and Borda, both shown
SCORE = "score"             # 0..max_score per option
MEETING = "meeting"         # oui / peut-être / non per slot
SENSE = "sense"             # a quick sense check (avis)
KINDS = (CONSENT, SINGLE, MULTIPLE, RANKED, SCORE, MEETING, SENSE)

# The fixed options of consent and sense check, in this order (their labels: forum/decisions/kinds.py).
CONSENT_OPTIONS = ("agree", "abstain", "disagree", "object")
SENSE_OPTIONS = ("fine", "unsure", "concerned")

# When the tally may be seen while the decision is open.
RESULTS_SHOWN = "shown"
RESULTS_AFTER_VOTE = "after_vote"     # by who has voted
RESULTS_AFTER_CLOSING = "after_closing"
RESULTS_MODES = (RESULTS_SHOWN, RESULTS_AFTER_VOTE, RESULTS_AFTER_CLOSING)

REASON_OPTIONAL = "optional"
REASON_REQUIRED = "required"
REASON_NONE = "none"                  # anonymous decisions take no reason: it would be signed
REASON_MODES = (REASON_OPTIONAL, REASON_REQUIRED, REASON_NONE)

# Space.decisions_opened_by
OPENED_BY_WRITERS = "writers"
OPENED_BY_MODERATORS = "moderators"

ACTION_OPEN = "open"
ACTION_DONE = "done"
ACTION_DROPPED = "dropped"
ACTION_STATUSES = (ACTION_OPEN, ACTION_DONE, ACTION_DROPPED)

def _scopes_of_poll(poll_id, connection):
    """A decision shows in its topic (forum/web/page_cache.py): a ballot, an option, an outcome
    changes that topic's pages only."""
    topic_id = connection.execute(select(Poll.topic_id).where(Poll.id == poll_id)).scalar()
    return {f"topic-{topic_id}"} if topic_id is not None else set()


def _scopes_via_poll(row, connection):
    return _scopes_of_poll(row.poll_id, connection)


poll_committee = Table(
    "poll_committee",
    db.metadata,
    Column("poll_id", ForeignKey("poll.id", ondelete="CASCADE"), primary_key=True),
    Column("committee_id", ForeignKey("space.id", ondelete="CASCADE"), primary_key=True),
)

poll_college = Table(
    "poll_college",
    db.metadata,
    Column("poll_id", ForeignKey("poll.id", ondelete="CASCADE"), primary_key=True),
    Column("college_id", ForeignKey("college.id", ondelete="CASCADE"), primary_key=True),
)


class Poll(db.Model):
    """A decision, opened by a post of a topic (its text says what is decided and why)."""

    @staticmethod
    def __page_cache_scopes__(poll, connection):
        # Its topic's pages, and the lists of its space (a badge and the deadline).
        space_id = connection.execute(select(Topic.space_id).where(Topic.id == poll.topic_id)).scalar()
        return {f"topic-{poll.topic_id}", f"space-{space_id}"}

    id = Column(Integer, primary_key=True)
    topic_id = Column(ForeignKey("topic.id", ondelete="CASCADE"), nullable=False, index=True)
    post_id = Column(ForeignKey("post.id", ondelete="CASCADE"), nullable=False, unique=True)
    author_id = Column(ForeignKey("member.id"), nullable=False)
    kind = Column(String(20), nullable=False)
    question = Column(String(300), nullable=False)
    min_choices = Column(Integer, nullable=True)      # multiple
    max_choices = Column(Integer, nullable=True)      # multiple
    max_score = Column(Integer, nullable=True)        # score
    closes_at = Column(DateTime, nullable=False, index=True)
    results_mode = Column(String(20), nullable=False, default=RESULTS_SHOWN)
    anonymous = Column(Boolean, nullable=False, default=False)
    reason_mode = Column(String(20), nullable=False, default=REASON_OPTIONAL)
    quorum_voters = Column(Integer, nullable=False, default=0)
    quorum_colleges = Column(Integer, nullable=False, default=0)
    created_at = Column(DateTime, nullable=False, default=now)
    # Every ballot takes this row's lock (voting.cast_ballot) by writing it: a ballot and the
    # closing never cross, and the last vote's time is known.
    voted_at = Column(DateTime, nullable=True)
    voter_count = Column(Integer, nullable=False, default=0)
    closed_at = Column(DateTime, nullable=True, index=True)
    closed_by_id = Column(ForeignKey("member.id", ondelete="SET NULL"), nullable=True)
    # Computed once at closing on the final ballots (forum/decisions/results.py): the only
    # per-collège table ever shown.
    results = Column(JSON, nullable=True)
    quorum_reached = Column(Boolean, nullable=True)
    reminded_at = Column(DateTime, nullable=True)     # the 24-hour reminder went out

    topic = relationship(Topic)
    post = relationship(Post)
    author = relationship(Member, foreign_keys=[author_id], lazy="joined")
    closed_by = relationship(Member, foreign_keys=[closed_by_id])
    options = relationship("PollOption", order_by="PollOption.position", lazy="selectin",
                           cascade="all, delete-orphan", back_populates="poll")
    committees = relationship(Space, secondary=poll_committee, order_by=Space.position)
    colleges = relationship(College, secondary=poll_college, order_by=College.position)

    def __repr__(self):
        return f"<Poll {self.id} {self.kind}>"

    @property
    def is_closed(self):
        return self.closed_at is not None


class PollOption(db.Model):
    __page_cache_scopes__ = staticmethod(_scopes_via_poll)

    id = Column(Integer, primary_key=True)
    poll_id = Column(ForeignKey("poll.id", ondelete="CASCADE"), nullable=False)
    position = Column(Integer, nullable=False)
    # The label members typed; for consent and sense check, the fixed key (CONSENT_OPTIONS…).
    label = Column(String(200), nullable=False)

    poll = relationship(Poll, back_populates="options")

    __table_args__ = (UniqueConstraint("poll_id", "position", name="uq_poll_option_position"),)


class PollVoter(db.Model):
    """Who has voted (shown, anonymous decisions included); how is in ``Ballot``."""

    # Kept when its member is erased: the voter becomes "Ancien membre N", the count stays right.
    __erasure__ = "keep"
    __page_cache_scopes__ = staticmethod(_scopes_via_poll)

    poll_id = Column(ForeignKey("poll.id", ondelete="CASCADE"), primary_key=True)
    member_id = Column(ForeignKey("member.id", ondelete="CASCADE"), primary_key=True, index=True)
    voted_at = Column(DateTime, nullable=False, default=now)

    member = relationship(Member, lazy="joined")


class Ballot(db.Model):
    """One member's current ballot. ``member_id`` is emptied when an anonymous decision closes:
    from then on nothing links a ballot to a voter (``PollVoter`` still says who voted)."""

    __page_cache_scopes__ = staticmethod(_scopes_via_poll)   # the tally and named ballots show

    id = Column(Integer, primary_key=True)
    poll_id = Column(ForeignKey("poll.id", ondelete="CASCADE"), nullable=False)
    member_id = Column(ForeignKey("member.id", ondelete="SET NULL"), nullable=True)
    # The voter's confirmed collège when they voted (None: not confirmed): results per collège.
    college_id = Column(ForeignKey("college.id", ondelete="SET NULL"), nullable=True)
    # {option position: value} (forum/decisions/tally.py says what each kind stores).
    choice = Column(JSON, nullable=False)
    reason = Column(Text, nullable=False, default="")
    # The reply that carries the reason in the thread, once published (reporting, hiding,
    # history: a reason is a contribution like any other).
    reason_post_id = Column(ForeignKey("post.id", ondelete="SET NULL"), nullable=True)
    updated_at = Column(DateTime, nullable=False, default=now)
    revision_count = Column(Integer, nullable=False, default=1)

    member = relationship(Member)
    reason_post = relationship(Post)

    __table_args__ = (UniqueConstraint("poll_id", "member_id", name="uq_ballot_poll_member"),)


class BallotRevision(db.Model):
    """A voter's earlier ballots (their own history); deleted when an anonymous decision closes."""

    __page_cache__ = "private"

    id = Column(Integer, primary_key=True)
    ballot_id = Column(ForeignKey("ballot.id", ondelete="CASCADE"), nullable=False, index=True)
    number = Column(Integer, nullable=False)
    choice = Column(JSON, nullable=False)
    reason = Column(Text, nullable=False, default="")
    created_at = Column(DateTime, nullable=False, default=now)


class Outcome(db.Model):
    __page_cache_scopes__ = staticmethod(_scopes_via_poll)

    """What the closer wrote: the decision taken (Markdown, same pipeline as posts)."""

    id = Column(Integer, primary_key=True)
    poll_id = Column(ForeignKey("poll.id", ondelete="CASCADE"), nullable=False, unique=True)
    author_id = Column(ForeignKey("member.id"), nullable=False)
    source = Column(Text, nullable=False)
    html = Column(Text, nullable=False)
    review_on = Column(Date, nullable=True)
    review_notified_at = Column(DateTime, nullable=True)
    created_at = Column(DateTime, nullable=False, default=now)
    edited_at = Column(DateTime, nullable=True)

    poll = relationship(Poll, backref=db.backref("outcome", uselist=False))
    author = relationship(Member, lazy="joined")
    actions = relationship("ActionItem", order_by="ActionItem.position", cascade="all, delete-orphan",
                           back_populates="outcome")


class ActionItem(db.Model):
    """What is to be done, by whom (a member or a named structure), by when."""

    @staticmethod
    def __page_cache_scopes__(item, connection):
        poll_id = connection.execute(select(Outcome.poll_id).where(Outcome.id == item.outcome_id)).scalar()
        return _scopes_of_poll(poll_id, connection) if poll_id is not None else set()

    id = Column(Integer, primary_key=True)
    outcome_id = Column(ForeignKey("outcome.id", ondelete="CASCADE"), nullable=False, index=True)
    position = Column(Integer, nullable=False)
    what = Column(String(300), nullable=False)
    assignee_id = Column(ForeignKey("member.id", ondelete="SET NULL"), nullable=True)
    assignee_name = Column(String(120), nullable=False, default="")
    due_on = Column(Date, nullable=True)
    status = Column(String(20), nullable=False, default=ACTION_OPEN)
    updated_at = Column(DateTime, nullable=False, default=now)
    reminded_at = Column(DateTime, nullable=True)

    outcome = relationship(Outcome, back_populates="actions")
    assignee = relationship(Member, lazy="joined")

    __table_args__ = (Index("ix_action_item_status_due", "status", "due_on"),)
