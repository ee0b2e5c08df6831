"""Notifications, watch levels, members' email choices, and the record of digests sent."""
from sqlalchemy import (Boolean, CheckConstraint, Column, DateTime, ForeignKey, Index, Integer,
                        String, Text, UniqueConstraint, false)
from sqlalchemy.orm import relationship

from forum.accounts.models import Member
from forum.clock import now
from forum.extensions import db
from forum.topics.models import Post, Space, Tag, Topic  # noqa: F401  (one metadata)

# Watch levels, ordered: a higher level notifies of more.
MUTED = 0        # « Silencieux » : rien
NORMAL = 1       # « Mentions seulement » : mentions et citations
TRACKING = 2     # « Réponses à mes messages » : + réponses à mes messages
WATCHING = 3     # « Tous les messages » : chaque nouveau message (et chaque nouveau sujet d'un espace)
LEVELS = (WATCHING, TRACKING, NORMAL, MUTED)

# Kinds of notification, from the most to the least personal: one post makes at most one
# notification per member, of the most personal kind that applies.
KIND_MENTION = "mention"
KIND_REPLY = "reply"
KIND_QUOTE = "quote"
KIND_TOPIC = "topic"          # a new topic in a watched space or tag
KIND_POST = "post"            # a new post in a watched topic
KIND_NOTICE = "notice"        # a moderation decision about me (MemberNotice)
KIND_COLLEGE = "college"      # my collège was confirmed
KIND_ANNOUNCEMENT = "announcement"   # the coordination announced a topic to every reader of its space
# Decisions (forum/decisions/reminders.py): tied to the post that opened the decision, so that
# whoever may no longer see it is no longer told; ``text`` holds the question or the action.
KIND_VOTE_REMINDER = "vote_reminder"     # 24 hours before closing, to who may vote and has not
KIND_OUTCOME_REVIEW = "outcome_review"   # an outcome's review date has come
KIND_ACTION_DUE = "action_due"           # an action item assigned to me is due
KIND_SYNTHESIS = "synthesis"   # a synthesis was published (forum/syntheses/announcing.py): text, url
KIND_SYNTHESIS_EDITOR = "synthesis_editor"   # I was invited to write a synthesis (forum/syntheses/writing.py)
KIND_MESSAGE = "message"       # a private message, or an answer in a group inbox (forum/conversations/): text, url
DECISION_KINDS = (KIND_VOTE_REMINDER, KIND_OUTCOME_REVIEW, KIND_ACTION_DUE)
# Emailed to "direct only" members too: an announcement is meant to reach every member.
DIRECT_KINDS = (KIND_MENTION, KIND_REPLY, KIND_QUOTE, KIND_NOTICE, KIND_COLLEGE, KIND_ANNOUNCEMENT,
                KIND_MESSAGE) + DECISION_KINDS

# Email choices.
EMAIL_ALL = "all"            # every notification, soon after it happens
EMAIL_DIRECT = "direct"      # only what concerns me directly: mentions, replies, decisions
EMAIL_NEVER = "never"
EMAIL_MODES = (EMAIL_ALL, EMAIL_DIRECT, EMAIL_NEVER)

# Email state of a notification (NULL: no email wanted).
MAIL_PENDING = "pending"
MAIL_CLAIMED = "claimed"     # a sender took it; retried if it stays claimed past the lease
MAIL_SENT = "sent"
MAIL_SKIPPED = "skipped"     # read, or the member was on the site, before it was due

# Digest deliveries.
DIGEST_CLAIMED = "claimed"   # being sent (or a crashed sender left it: retried past the lease)
DIGEST_SENT = "sent"
DIGEST_EMPTY = "empty"       # nothing new: recorded, not sent
DIGEST_FAILED = "failed"     # the mail server refused it: retried by the next run


class Notification(db.Model):
    __page_cache__ = "private"   # public pages never show it (forum/web/page_cache.py)
    # Nor a member's kept pages: the header's counter is rendered on every request.
    __page_cache_member__ = False

    id = Column(Integer, primary_key=True)
    member_id = Column(ForeignKey("member.id", ondelete="CASCADE"), nullable=False)
    kind = Column(String(20), nullable=False)
    actor_id = Column(ForeignKey("member.id", ondelete="SET NULL"), nullable=True)
    topic_id = Column(ForeignKey("topic.id", ondelete="CASCADE"), nullable=True)
    post_id = Column(ForeignKey("post.id", ondelete="CASCADE"), nullable=True)
    # For notices from other packages: their French text and where it leads.
    text = Column(Text, nullable=False, default="")
    url = Column(String(500), nullable=False, default="")
    created_at = Column(DateTime, nullable=False, default=now)
    read_at = Column(DateTime, nullable=True)
    mail_state = Column(String(10), nullable=True)
    mail_due_at = Column(DateTime, nullable=True)
    mail_claimed_at = Column(DateTime, nullable=True)

    # Loaded by each query as it needs (``inbox.LOAD``): joined by default, these chains made
    # SQLite materialise whole tables.
    actor = relationship(Member, foreign_keys=[actor_id])
    topic = relationship(Topic)
    post = relationship(Post)

    __table_args__ = (
        Index("ix_notification_member_read", "member_id", "read_at"),
        Index("ix_notification_member_created", "member_id", "created_at"),
        Index("ix_notification_mail", "mail_state", "mail_due_at"),
        Index("ix_notification_post", "post_id"),
    )

    def __repr__(self):
        return f"<Notification {self.id} {self.kind} for {self.member_id}>"

    @property
    def is_read(self):
        return self.read_at is not None


class Watch(db.Model):
    """A member's chosen level for one space, one tag or one topic (exactly one of them)."""

    __page_cache__ = "private"   # public pages never show it (forum/web/page_cache.py)

    id = Column(Integer, primary_key=True)
    member_id = Column(ForeignKey("member.id", ondelete="CASCADE"), nullable=False)
    space_id = Column(ForeignKey("space.id", ondelete="CASCADE"), nullable=True)
    tag_id = Column(ForeignKey("tag.id", ondelete="CASCADE"), nullable=True)
    topic_id = Column(ForeignKey("topic.id", ondelete="CASCADE"), nullable=True)
    level = Column(Integer, nullable=False)
    updated_at = Column(DateTime, nullable=False, default=now)

    __table_args__ = (
        # NULLs are distinct in unique constraints (SQLite and PostgreSQL): one row per target.
        UniqueConstraint("member_id", "space_id", name="uq_watch_member_space"),
        UniqueConstraint("member_id", "tag_id", name="uq_watch_member_tag"),
        UniqueConstraint("member_id", "topic_id", name="uq_watch_member_topic"),
        CheckConstraint("(CASE WHEN space_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN tag_id IS NULL "
                        "THEN 0 ELSE 1 END) + (CASE WHEN topic_id IS NULL THEN 0 ELSE 1 END) = 1",
                        name="one_target"),
        Index("ix_watch_space_level", "space_id", "level"),
        Index("ix_watch_tag_level", "tag_id", "level"),
        Index("ix_watch_topic_level", "topic_id", "level"),
    )


class MailPreference(db.Model):
    """A member's email choices; a member without a row has the defaults."""

    __page_cache__ = "private"   # public pages never show it (forum/web/page_cache.py)

    member_id = Column(ForeignKey("member.id", ondelete="CASCADE"), primary_key=True)
    email_mode = Column(String(10), nullable=False, default=EMAIL_DIRECT)
    digest = Column(Boolean, nullable=False, default=True)
    # « Les membres peuvent me mentionner avec @college-… »: chosen, never assumed (a collège
    # may be sensitive; forum/text/group_mentions.py).
    college_mentions = Column(Boolean, nullable=False, default=False, server_default=false())
    updated_at = Column(DateTime, nullable=False, default=now)


class DigestDelivery(db.Model):
    """One weekly digest of one member: claimed, then sent (or found empty).

    ``sequence`` numbers a member's digests; the unique (member, sequence) pair is the claim:
    two senders computing the same next digest cannot both insert it, so none is sent twice.
    Each period starts where the member's previous one ended.
    """

    __page_cache__ = "private"   # public pages never show it (forum/web/page_cache.py)
    __page_cache_member__ = False   # nor the member's kept pages

    id = Column(Integer, primary_key=True)
    member_id = Column(ForeignKey("member.id", ondelete="CASCADE"), nullable=False)
    sequence = Column(Integer, nullable=False)
    period_start = Column(DateTime, nullable=False)
    period_end = Column(DateTime, nullable=False)
    status = Column(String(10), nullable=False)
    claimed_at = Column(DateTime, nullable=False, default=now)
    sent_at = Column(DateTime, nullable=True)
    attempts = Column(Integer, nullable=False, default=0)
    message_id = Column(String(200), nullable=True)
    error = Column(Text, nullable=True)

    __table_args__ = (
        UniqueConstraint("member_id", "sequence", name="uq_digest_delivery_member_sequence"),
        Index("ix_digest_delivery_status", "status", "claimed_at"),
    )
