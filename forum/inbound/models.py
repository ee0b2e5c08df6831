"""``inbound_email``: each email received, once (by Message-ID), with what became of it.

The record makes a message delivered twice (a retrying mail server, a replay) post once; the
raw message is kept only when it was refused (quarantine, for the coordination and to answer
the member), and every row is deleted after ``FORUM_INBOUND_EMAIL_KEEP_DAYS`` (docs/privacy.md).
"""
from sqlalchemy import Column, DateTime, ForeignKey, Index, Integer, LargeBinary, String, Text

from forum.clock import now
from forum.extensions import db

# InboundEmail.outcome
POSTED = "posted"               # the reply is in its thread (or waiting for approval)
IGNORED = "ignored"             # an automatic message (out of office, bounce, our own): no answer
REFUSED = "refused"             # not posted: the sender was told why (when we know who they are)
FAILED = "failed"               # an unexpected error: kept in quarantine, nothing answered


class InboundEmail(db.Model):
    __tablename__ = "inbound_email"
    __page_cache__ = "private"   # no page shows it
    id = Column(Integer, primary_key=True)
    message_id = Column(String(255), nullable=False, unique=True)
    member_id = Column(ForeignKey("member.id", ondelete="CASCADE"), nullable=True, index=True)
    sender = Column(String(254), nullable=True)          # the From address, as written
    post_id = Column(ForeignKey("post.id", ondelete="SET NULL"), nullable=True)
    outcome = Column(String(20), nullable=False)
    reason = Column(String(40), nullable=True)           # the refusal's key (forum/inbound/refusals.py)
    detail = Column(Text, nullable=True)                 # the refusal as told to the member
    answered = Column(DateTime, nullable=True)           # when the sender was emailed about it
    size = Column(Integer, nullable=False, default=0)
    raw = Column(LargeBinary, nullable=True)             # quarantine: a refused message, as received
    received_at = Column(DateTime, nullable=False, default=now, index=True)

    __table_args__ = (Index("ix_inbound_email_sender_reason", "sender", "reason"),)
