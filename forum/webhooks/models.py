"""Webhooks and their deliveries (the outbox and its log).

A webhook's secret is kept in clear: the sender needs it to sign every body (HMAC-SHA256), and
the administrators see it on its page so that the receiver can verify. Both tables are the
administrators' alone: no member's page shows them (``__page_cache_member__ = False``).
"""
from sqlalchemy import Boolean, Column, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import relationship

from forum.accounts.models import Member
from forum.clock import now
from forum.extensions import db
from forum.topics.models import Space

# The events a webhook may choose (X-Discourse-Event), and their type (X-Discourse-Event-Type).
TOPIC_CREATED = "topic_created"
POST_CREATED = "post_created"
POST_HIDDEN = "post_hidden"
DECISION_CLOSED = "decision_closed"
SYNTHESIS_PUBLISHED = "synthesis_published"
MEMBER_JOINED = "user_created"
EVENTS = (TOPIC_CREATED, POST_CREATED, POST_HIDDEN, DECISION_CLOSED, SYNTHESIS_PUBLISHED, MEMBER_JOINED)
EVENT_TYPES = {TOPIC_CREATED: "topic", POST_CREATED: "post", POST_HIDDEN: "post", DECISION_CLOSED: "decision",
               SYNTHESIS_PUBLISHED: "synthesis", MEMBER_JOINED: "user"}

# WebhookDelivery.state
PENDING = "pending"          # waiting for its due time (first try, or a retry)
CLAIMED = "claimed"          # a sender is trying it
DELIVERED = "delivered"      # a 2xx answer
FAILED = "failed"            # no more tries (all failed, or the webhook was disabled)
SKIPPED = "skipped"          # no longer readable when its time came: not sent
FINISHED = (DELIVERED, FAILED, SKIPPED)

URL_MAX = 500
NAME_MAX = 120


class Webhook(db.Model):
    __page_cache__ = "private"
    __page_cache_member__ = False

    id = Column(Integer, primary_key=True)
    name = Column(String(NAME_MAX), nullable=False, default="")
    url = Column(String(URL_MAX), nullable=False)
    secret = Column(String(64), nullable=False)
    events = Column(String(300), nullable=False, default="")       # comma-separated, of EVENTS
    # Restricted content of this space only (None: what a visitor without an account reads).
    space_id = Column(ForeignKey("space.id", ondelete="CASCADE"), nullable=True)
    active = Column(Boolean, nullable=False, default=True)
    disabled_reason = Column(String(300), nullable=False, default="")
    disabled_at = Column(DateTime, nullable=True)
    failures = Column(Integer, nullable=False, default=0)          # consecutive failed attempts
    created_at = Column(DateTime, nullable=False, default=now)
    created_by_id = Column(ForeignKey("member.id", ondelete="SET NULL"), nullable=True)
    updated_at = Column(DateTime, nullable=True)
    updated_by_id = Column(ForeignKey("member.id", ondelete="SET NULL"), nullable=True)

    space = relationship(Space)
    created_by = relationship(Member, foreign_keys=[created_by_id])
    updated_by = relationship(Member, foreign_keys=[updated_by_id])

    @property
    def event_list(self):
        return [name for name in self.events.split(",") if name]

    def wants(self, event):
        return event in self.event_list


class WebhookDelivery(db.Model):
    """One event to send to one webhook: written in the transaction of the change (an outbox),
    sent by a background sender, kept as the webhook's log until pruned."""
    __page_cache__ = "private"
    __page_cache_member__ = False
    __table_args__ = (Index("ix_webhook_delivery_state_due", "state", "due_at"),
                      Index("ix_webhook_delivery_webhook_created", "webhook_id", "created_at"))

    id = Column(Integer, primary_key=True)
    webhook_id = Column(ForeignKey("webhook.id", ondelete="CASCADE"), nullable=False)
    event = Column(String(40), nullable=False)
    event_id = Column(String(36), nullable=False)        # X-Discourse-Event-Id (the same when sent again)
    # What the receiver checks, on a scoped webhook's delivery: the post or topic it is about.
    subject_type = Column(String(20), nullable=False, default="")
    subject_id = Column(Integer, nullable=True)
    payload = Column(Text, nullable=False)                # the exact body signed and sent
    state = Column(String(20), nullable=False, default=PENDING)
    attempts = Column(Integer, nullable=False, default=0)
    created_at = Column(DateTime, nullable=False, default=now)
    due_at = Column(DateTime, nullable=False, default=now)
    claimed_at = Column(DateTime, nullable=True)
    last_attempt_at = Column(DateTime, nullable=True)
    response_status = Column(Integer, nullable=True)
    error = Column(String(300), nullable=False, default="")
    duration_ms = Column(Integer, nullable=True)

    webhook = relationship(Webhook)
