"""A member's private feed address (« flux privé »): its token is shown once, kept hashed (the
same pattern as the meetings' calendar feed, forum/meetings/models.py ``CalendarFeed``)."""
from sqlalchemy import Column, DateTime, ForeignKey, String

from forum.clock import now
from forum.extensions import db


class FeedToken(db.Model):
    """One per member: making a new token replaces (and so revokes) the old one."""
    __page_cache__ = "private"
    # No kept page shows it (« Mes flux » is never kept), and its last use is written while feeds
    # are read: it must not drop the member's kept pages.
    __page_cache_member__ = False

    member_id = Column(ForeignKey("member.id", ondelete="CASCADE"), primary_key=True)
    token_hash = Column(String(64), nullable=False, unique=True)
    created_at = Column(DateTime, nullable=False, default=now)
    last_used_at = Column(DateTime, nullable=True)
