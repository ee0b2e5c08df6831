"""API keys (« clés d'API »): what a tool presents in the ``Api-Key`` header instead of a session.

A key is 64 hexadecimal characters (256 random bits), shown once; the table keeps only its
SHA-256, so a copy of the database opens nothing. A key acts as one member (``member_id``), or,
without one, is an administrator's global key: the ``Api-Username`` header then names the
member it acts as. ``scope`` is ``read`` (GET and HEAD only) or ``write``. A revoked key keeps
its row (its label and dates stay on the settings page) and opens nothing.
"""
from sqlalchemy import Column, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import relationship

from forum.accounts.models import Member
from forum.clock import now
from forum.extensions import db

READ = "read"
WRITE = "write"
SCOPES = (READ, WRITE)


class ApiKey(db.Model):
    # No page but the member's own settings shows a key, and its last use is written often.
    __page_cache__ = "private"
    __page_cache_member__ = False

    id = Column(Integer, primary_key=True)
    # None: an administrator's global key (made from the command line), acting as Api-Username.
    member_id = Column(ForeignKey("member.id", ondelete="CASCADE"), nullable=True, index=True)
    # Who made it: the member on their settings page; None from the command line.
    created_by_id = Column(ForeignKey("member.id", ondelete="SET NULL"), nullable=True)
    scope = Column(String(10), nullable=False, default=READ)
    label = Column(String(100), nullable=False, default="")
    key_hash = Column(String(64), nullable=False, unique=True)
    created_at = Column(DateTime, nullable=False, default=now)
    # Written at most once a minute (forum/api/keys.py), not on every request.
    last_used_at = Column(DateTime, nullable=True)
    revoked_at = Column(DateTime, nullable=True)

    member = relationship(Member, foreign_keys=[member_id])

    @property
    def is_global(self):
        return self.member_id is None

    @property
    def is_revoked(self):
        return self.revoked_at is not None

    @property
    def may_write(self):
        return self.scope == WRITE

    def __repr__(self):
        return f"<ApiKey {self.id} {self.scope}>"
