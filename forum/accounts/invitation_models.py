"""Invitations: an address asked to join, with its comités and collège chosen in advance."""
from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, Table
from sqlalchemy.orm import relationship

from forum.clock import now
from forum.extensions import db
from forum.topics.models import Space

from .models import College, Member

invitation_committee = Table(
    "invitation_committee",
    db.metadata,
    Column("invitation_id", ForeignKey("invitation.id", ondelete="CASCADE"), primary_key=True),
    Column("space_id", ForeignKey("space.id", ondelete="CASCADE"), primary_key=True),
)

PENDING, ACCEPTED, EXPIRED, REVOKED = "pending", "accepted", "expired", "revoked"


class Invitation(db.Model):
    """One address invited by a coordinator or a comité moderator (``inviter`` None: the
    command line). Only a hash of the link's token is kept; resending replaces it, so the
    old link dies; accepting sets ``accepted_at`` once (a conditional UPDATE: two clicks at
    once create one account)."""
    __tablename__ = "invitation"
    __page_cache__ = "private"   # no public page shows it (forum/web/page_cache.py)

    id = Column(Integer, primary_key=True)
    email = Column(String(254), nullable=False, index=True)
    college_id = Column(ForeignKey("college.id", ondelete="SET NULL"), nullable=True)
    inviter_id = Column(ForeignKey("member.id", ondelete="SET NULL"), nullable=True)
    locale = Column(String(5), nullable=True)           # the email's language when no account says it
    token_hash = Column(String(64), nullable=True, unique=True)
    created_at = Column(DateTime, nullable=False, default=now)
    sent_at = Column(DateTime, nullable=True)           # None: the last email could not be sent
    expires_at = Column(DateTime, nullable=False)
    accepted_at = Column(DateTime, nullable=True)
    accepted_by_id = Column(ForeignKey("member.id", ondelete="SET NULL"), nullable=True)
    revoked_at = Column(DateTime, nullable=True)

    college = relationship(College, lazy="joined")
    inviter = relationship(Member, foreign_keys=[inviter_id], lazy="joined")
    accepted_by = relationship(Member, foreign_keys=[accepted_by_id])
    committees = relationship(Space, secondary=invitation_committee, order_by=Space.position)

    @property
    def state(self):
        if self.accepted_at is not None:
            return ACCEPTED
        if self.revoked_at is not None:
            return REVOKED
        if self.expires_at <= now():
            return EXPIRED
        return PENDING

    def __repr__(self):
        return f"<Invitation {self.id} {self.email}>"
