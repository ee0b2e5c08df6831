"""What moderation keeps: reports, decisions (citing articles), appeals, holds, settings, journal.

Nothing here holds post text (moderation changes states and records why, the text stays in
``post`` and ``post_revision``), except ``RedactedOriginal``: a withdrawn version, kept for the
coordination during the appeal period, then purged.
"""
from sqlalchemy import JSON, Boolean, Column, DateTime, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import relationship

from forum.accounts.models import Member
from forum.charter.models import CharterArticle
from forum.clock import now
from forum.extensions import db
from forum.topics.models import Post, PostRevision, Space, Topic

# Why a member reports a post (besides an article of the règlement).
REASON_ARTICLE = "article"
REASON_THIRD_PARTY = "third_party"     # données personnelles d'un tiers
REASON_OTHER = "other"                 # autre, with a text
REASON_WATCHED_WORD = "watched_word"   # raised by the forum itself (a "flag" watched word)

REPORT_OPEN = "open"
REPORT_DISMISSED = "dismissed"
REPORT_UPHELD = "upheld"

# Why a post is in state "hidden" (the placeholder says which).
HOLD_THRESHOLD = "threshold"           # enough members reported it: awaiting review
HOLD_DECISION = "decision"             # a moderator hid it, citing articles

WORD_BLOCK = "block"
WORD_APPROVE = "approve"
WORD_FLAG = "flag"
WORD_ACTIONS = (WORD_BLOCK, WORD_APPROVE, WORD_FLAG)

APPEAL_OPEN = "open"
APPEAL_CONFIRMED = "confirmed"
APPEAL_REVERSED = "reversed"


class Report(db.Model):
    """A signalement: one member (or the forum itself) says a post breaches the règlement."""

    # Public pages never show it: its effect on a page goes through the post or topic it concerns.
    __page_cache__ = "private"

    id = Column(Integer, primary_key=True)
    post_id = Column(ForeignKey("post.id", ondelete="CASCADE"), nullable=False)
    # None: a report raised by the forum (a watched word).
    reporter_id = Column(ForeignKey("member.id", ondelete="SET NULL"), nullable=True)
    reason = Column(String(20), nullable=False)
    # The article cited, as it was: id, number and version (articles are never rewritten).
    article_id = Column(ForeignKey("charter_article.id", ondelete="SET NULL"), nullable=True)
    article_number = Column(Integer, nullable=True)
    charter_version = Column(Integer, nullable=True)
    # "Autre": what the member wrote as the reason; watched words: the words found.
    detail = Column(String(300), nullable=False, default="")
    message = Column(Text, nullable=False, default="")
    status = Column(String(20), nullable=False, default=REPORT_OPEN)
    created_at = Column(DateTime, nullable=False, default=now)
    closed_at = Column(DateTime, nullable=True)
    decision_id = Column(ForeignKey("decision.id", ondelete="SET NULL"), nullable=True)
    # When the coordination was told that it waits too long (``escalation``): told once.
    escalated_at = Column(DateTime, nullable=True)

    post = relationship(Post, lazy="joined", innerjoin=True)
    reporter = relationship(Member, foreign_keys=[reporter_id], lazy="joined")
    article = relationship(CharterArticle, lazy="joined")

    __table_args__ = (
        # One open report per member per post (closed ones are history).
        Index("uq_report_open_per_member", "post_id", "reporter_id", unique=True,
              sqlite_where=text("status = 'open'"), postgresql_where=text("status = 'open'")),
        Index("ix_report_status_post", "status", "post_id"),
    )


class Decision(db.Model):
    """One act of moderation: who did what, to what and whom, citing which articles, and why."""

    id = Column(Integer, primary_key=True)
    action = Column(String(30), nullable=False)
    # None for decisions made by the forum itself (a post hidden after enough reports).
    moderator_id = Column(ForeignKey("member.id", ondelete="SET NULL"), nullable=True)
    # The person concerned: told about it, and the one who may appeal.
    member_id = Column(ForeignKey("member.id", ondelete="SET NULL"), nullable=True)
    space_id = Column(ForeignKey("space.id", ondelete="SET NULL"), nullable=True)
    topic_id = Column(ForeignKey("topic.id", ondelete="SET NULL"), nullable=True)
    post_id = Column(ForeignKey("post.id", ondelete="SET NULL"), nullable=True)
    # The topic's title when decided: the public log names the topic, never the hidden text.
    topic_title = Column(String(300), nullable=False, default="")
    justification = Column(Text, nullable=False, default="")
    # A sanction's end, a slow mode's interval.
    until = Column(DateTime, nullable=True)
    minutes = Column(Integer, nullable=True)
    # What is needed to undo it (a split's numbers, a move's origin).
    details = Column(JSON, nullable=False, default=dict)
    created_at = Column(DateTime, nullable=False, default=now)
    # The decision this one undoes, and the one that undid this one.
    reverses_id = Column(ForeignKey("decision.id", ondelete="SET NULL"), nullable=True)
    reversed_by_id = Column(ForeignKey("decision.id", ondelete="SET NULL"), nullable=True)

    moderator = relationship(Member, foreign_keys=[moderator_id], lazy="joined")
    member = relationship(Member, foreign_keys=[member_id], lazy="joined")
    space = relationship(Space, lazy="joined")
    topic = relationship(Topic, lazy="select")
    post = relationship(Post, lazy="select")
    articles = relationship("DecisionArticle", lazy="selectin", order_by="DecisionArticle.number",
                            cascade="all, delete-orphan")
    appeal = relationship("Appeal", lazy="selectin", uselist=False, back_populates="decision",
                          foreign_keys="Appeal.decision_id")

    __table_args__ = (
        Index("ix_decision_space_created", "space_id", "created_at"),
        Index("ix_decision_member_created", "member_id", "created_at"),
        Index("ix_decision_post", "post_id"),
    )


class DecisionArticle(db.Model):
    """An article a decision cites, as it was (number and version kept if the text changes)."""

    decision_id = Column(ForeignKey("decision.id", ondelete="CASCADE"), primary_key=True)
    article_id = Column(ForeignKey("charter_article.id", ondelete="RESTRICT"), primary_key=True)
    number = Column(Integer, nullable=False)
    charter_version = Column(Integer, nullable=False)
    title = Column(String(200), nullable=False)

    # The row of the version in force then: its stable key says where the rule is today.
    article = relationship(CharterArticle, lazy="joined")


class Appeal(db.Model):
    """A member contests a decision about them; another moderator confirms or reverses it."""

    # Public pages never show it: its effect on a page goes through the post or topic it concerns.
    __page_cache__ = "private"
    # A moderation record: erasing the member keeps it, under the member's opaque id.
    __erasure__ = "keep"

    id = Column(Integer, primary_key=True)
    decision_id = Column(ForeignKey("decision.id", ondelete="CASCADE"), nullable=False, unique=True)
    member_id = Column(ForeignKey("member.id", ondelete="CASCADE"), nullable=False)
    message = Column(Text, nullable=False)
    status = Column(String(20), nullable=False, default=APPEAL_OPEN)
    created_at = Column(DateTime, nullable=False, default=now)
    resolved_at = Column(DateTime, nullable=True)
    resolved_by_id = Column(ForeignKey("member.id", ondelete="SET NULL"), nullable=True)
    response = Column(Text, nullable=False, default="")
    # The decision that confirmed or reversed the contested one.
    outcome_id = Column(ForeignKey("decision.id", ondelete="SET NULL"), nullable=True)

    decision = relationship(Decision, foreign_keys=[decision_id], back_populates="appeal", lazy="joined")
    member = relationship(Member, foreign_keys=[member_id], lazy="joined")
    resolved_by = relationship(Member, foreign_keys=[resolved_by_id], lazy="joined")

    __table_args__ = (Index("ix_appeal_status", "status"),)


class PostHold(db.Model):
    """Why a post is hidden: awaiting review after reports, or a moderator's decision."""

    post_id = Column(ForeignKey("post.id", ondelete="CASCADE"), primary_key=True)
    reason = Column(String(20), nullable=False)
    decision_id = Column(ForeignKey("decision.id", ondelete="SET NULL"), nullable=True)
    created_at = Column(DateTime, nullable=False, default=now)


class SpaceSettings(db.Model):
    """Moderation settings of one space (a space without a row uses the defaults)."""

    space_id = Column(ForeignKey("space.id", ondelete="CASCADE"), primary_key=True)
    # Reports from this many distinct members hide a post until a moderator reviews it.
    report_threshold = Column(Integer, nullable=False)
    # A member's first posts (this many, forum-wide) wait for approval here; 0: never.
    approve_first_posts = Column(Integer, nullable=False, default=0)
    # A report still open after this many hours is sent on to the coordination (« délai avant
    # de prévenir la coordination »).
    escalate_after_hours = Column(Integer, nullable=False, default=48, server_default="48")
    updated_at = Column(DateTime, nullable=False, default=now)
    updated_by_id = Column(ForeignKey("member.id", ondelete="SET NULL"), nullable=True)


class WatchedWord(db.Model):
    """A word or phrase checked when posting: block it, hold the post for approval, or flag it."""

    id = Column(Integer, primary_key=True)
    phrase = Column(String(100), nullable=False, unique=True)
    action = Column(String(20), nullable=False)
    created_at = Column(DateTime, nullable=False, default=now)
    created_by_id = Column(ForeignKey("member.id", ondelete="SET NULL"), nullable=True)


class TopicSlowMode(db.Model):
    """Slow mode: in this topic, one post per member every ``minutes``."""

    topic_id = Column(ForeignKey("topic.id", ondelete="CASCADE"), primary_key=True)
    minutes = Column(Integer, nullable=False)
    decision_id = Column(ForeignKey("decision.id", ondelete="SET NULL"), nullable=True)


class AuditEntry(db.Model):
    """The full journal, for coordinators: who changed what, when, with the state before and after."""

    # Public pages never show it: its effect on a page goes through the post or topic it concerns.
    __page_cache__ = "private"

    id = Column(Integer, primary_key=True)
    created_at = Column(DateTime, nullable=False, default=now)
    actor_id = Column(ForeignKey("member.id", ondelete="SET NULL"), nullable=True)
    action = Column(String(40), nullable=False)
    target_type = Column(String(20), nullable=False)
    target_id = Column(Integer, nullable=True)
    space_id = Column(ForeignKey("space.id", ondelete="SET NULL"), nullable=True)
    decision_id = Column(ForeignKey("decision.id", ondelete="SET NULL"), nullable=True)
    before = Column(JSON, nullable=True)
    after = Column(JSON, nullable=True)

    actor = relationship(Member, lazy="joined")
    space = relationship(Space, lazy="joined")

    __table_args__ = (Index("ix_audit_entry_created", "created_at"),)



class RedactedOriginal(db.Model):
    """The text of a withdrawn revision (personal data), readable by coordinators only, until
    ``flask moderation purge-redactions`` deletes it once the appeal period is over."""

    __page_cache__ = "private"   # public pages never show it (forum/web/page_cache.py)

    id = Column(Integer, primary_key=True)
    revision_id = Column(ForeignKey("post_revision.id", ondelete="CASCADE"), nullable=False, unique=True)
    post_id = Column(ForeignKey("post.id", ondelete="CASCADE"), nullable=False, index=True)
    source = Column(Text, nullable=False)
    # The topic title at that revision (opening post), when it differed from today's title.
    title = Column(String(300), nullable=True)
    reason = Column(String(20), nullable=False)
    redacted_by_id = Column(ForeignKey("member.id", ondelete="SET NULL"), nullable=True)
    by_author = Column(Boolean, nullable=False, default=False)
    # The moderator's decision (None when the author withdrew their own text).
    decision_id = Column(ForeignKey("decision.id", ondelete="SET NULL"), nullable=True)
    created_at = Column(DateTime, nullable=False, default=now, index=True)

    revision = relationship(PostRevision, lazy="joined")
    redacted_by = relationship(Member, lazy="joined")
