"""What an announcement leaves besides its topic's columns (``Topic.announced_at``, ``announced_until``):
the comités it is addressed to, and the members who dismissed it from their home page."""
from sqlalchemy import Column, DateTime, ForeignKey

from forum.clock import now
from forum.extensions import db


class AnnouncementCommittee(db.Model):
    """A comité an announcement is addressed to; an announcement with none is for every member.
    Its changes bump the site's version (the home page of everyone may change)."""
    __tablename__ = "announcement_committee"

    topic_id = Column(ForeignKey("topic.id", ondelete="CASCADE"), primary_key=True)
    committee_id = Column(ForeignKey("space.id", ondelete="CASCADE"), primary_key=True)


class AnnouncementDismissal(db.Model):
    """A member hid an announcement from their home page (« Masquer cette annonce »): theirs only,
    erased with them (a foreign key to the member, CASCADE), in their data archive."""
    __tablename__ = "announcement_dismissal"
    __page_cache__ = "private"     # only the member's own pages show it (bumps ``member-<id>``)

    topic_id = Column(ForeignKey("topic.id", ondelete="CASCADE"), primary_key=True)
    member_id = Column(ForeignKey("member.id", ondelete="CASCADE"), primary_key=True, index=True)
    dismissed_at = Column(DateTime, nullable=False, default=now)
