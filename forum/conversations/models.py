"""Private conversations (« messages privés ») and the group inboxes.

A conversation is kept apart from topics on purpose: no listing, search index, feed, digest,
participation count or page cache reads these tables, so nothing outside the conversation can
show it by forgetting a filter. Only ``forum/conversations/rules.py`` opens them.

- a *private* conversation is between its participants (two or more members);
- a *group* conversation is written to a group (the coordination, or the moderation of one
  comité): its author is its one participant, and every member of the group reads and answers
  it (who answered is shown on each message).
"""
from sqlalchemy import Column, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import relationship

from forum.clock import now
from forum.extensions import db

# Conversation.group
COORDINATION = "coordination"   # « Écrire à la coordination »
MODERATION = "moderation"       # « Écrire à la modération du comité … » (committee_id set)

# ConversationReport.state
REPORT_OPEN = "open"
REPORT_CLOSED = "closed"


class Conversation(db.Model):
    __page_cache__ = "private"   # no kept page shows a conversation
    id = Column(Integer, primary_key=True)
    title = Column(String(200), nullable=False)
    group = Column(String(20), nullable=True)       # None: a private conversation
    committee_id = Column(ForeignKey("space.id", ondelete="CASCADE"), nullable=True)
    author_id = Column(ForeignKey("member.id"), nullable=False)
    created_at = Column(DateTime, nullable=False, default=now)
    last_message_at = Column(DateTime, nullable=False, default=now)
    message_count = Column(Integer, nullable=False, default=0)

    committee = relationship("Space")
    author = relationship("Member", foreign_keys=[author_id])
    participants = relationship("ConversationParticipant", back_populates="conversation",
                                cascade="all, delete-orphan", order_by="ConversationParticipant.added_at")
    messages = relationship("ConversationMessage", back_populates="conversation", cascade="all, delete-orphan",
                            order_by="ConversationMessage.number")

    @property
    def is_group(self):
        return self.group is not None

    @property
    def member_ids(self):
        return {p.member_id for p in self.participants}


class ConversationParticipant(db.Model):
    __page_cache__ = "private"   # no kept page shows a conversation
    conversation_id = Column(ForeignKey("conversation.id", ondelete="CASCADE"), primary_key=True)
    member_id = Column(ForeignKey("member.id", ondelete="CASCADE"), primary_key=True, index=True)
    added_at = Column(DateTime, nullable=False, default=now)
    last_read_number = Column(Integer, nullable=False, default=0)

    conversation = relationship(Conversation, back_populates="participants")
    member = relationship("Member")


class ConversationMessage(db.Model):
    __page_cache__ = "private"   # no kept page shows a conversation
    __table_args__ = (UniqueConstraint("conversation_id", "number"),)

    id = Column(Integer, primary_key=True)
    conversation_id = Column(ForeignKey("conversation.id", ondelete="CASCADE"), nullable=False)
    number = Column(Integer, nullable=False)
    author_id = Column(ForeignKey("member.id"), nullable=False)
    source = Column(Text, nullable=False)
    html = Column(Text, nullable=False)
    created_at = Column(DateTime, nullable=False, default=now)

    conversation = relationship(Conversation, back_populates="messages")
    author = relationship("Member")


class GroupRead(db.Model):
    """How far a member of a group read a group conversation (they are not its participants)."""
    __page_cache__ = "private"
    conversation_id = Column(ForeignKey("conversation.id", ondelete="CASCADE"), primary_key=True)
    member_id = Column(ForeignKey("member.id", ondelete="CASCADE"), primary_key=True)
    last_read_number = Column(Integer, nullable=False, default=0)


class ConversationReport(db.Model):
    """A participant reports one message: the coordination may then read that message and its
    neighbours, nothing else of the conversation; each reading is logged (moderation journal)."""
    __page_cache__ = "private"
    __table_args__ = (Index("ix_conversation_report_state", "state"),)

    id = Column(Integer, primary_key=True)
    message_id = Column(ForeignKey("conversation_message.id", ondelete="CASCADE"), nullable=False)
    reporter_id = Column(ForeignKey("member.id", ondelete="CASCADE"), nullable=False)
    reason = Column(Text, nullable=False, default="")
    state = Column(String(10), nullable=False, default=REPORT_OPEN)
    created_at = Column(DateTime, nullable=False, default=now)

    message = relationship(ConversationMessage)
    reporter = relationship("Member")
