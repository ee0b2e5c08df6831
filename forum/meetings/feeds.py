"""A member's private calendar subscription (« S'abonner à mon calendrier »).

The address holds a random token (256 bits) shown once; the table keeps only its SHA-256, so a
copy of the database opens no feed. One feed per member: a new token replaces (and so revokes)
the old one; deleting it revokes it. A feed answers only while its member may log in; it goes
with the member (the key cascades, and erasure deletes every row keyed to the member).
"""
import hashlib
import secrets
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import delete, select

from forum import permissions
from forum.accounts.models import Member
from forum.clock import now
from forum.errors import Forbidden
from forum.extensions import db

from .models import CalendarFeed

TOKEN_BYTES = 32
USE_PRECISION = timedelta(hours=1)   # last_used_at is written at most once an hour per feed


def token_hash(token):
    return hashlib.sha256((token or "").encode()).hexdigest()


def feed_of(member):
    """The member's feed row, or None."""
    return db.session.get(CalendarFeed, member.id)


def _require_member(member):
    if not permissions.is_member(member):
        raise Forbidden(_("Connectez-vous pour gérer votre abonnement de calendrier."))


def create(member):
    """A new token for ``member``'s feed (the previous one, if any, stops working). Commits;
    returns the token, which is never shown again."""
    _require_member(member)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    row = feed_of(member)
    if row is None:
        row = CalendarFeed(member_id=member.id)
        db.session.add(row)
    row.token_hash, row.created_at, row.last_used_at = token_hash(token), now(), None
    db.session.commit()
    return token


def remove(member):
    """Delete ``member``'s feed (its address answers 404 from now on). Commits."""
    _require_member(member)
    db.session.execute(delete(CalendarFeed).where(CalendarFeed.member_id == member.id))
    db.session.commit()


def member_of(token):
    """The member whose feed ``token`` opens, or None (unknown, revoked, or a member who may no
    longer log in). Notes when the feed was last read (at most once an hour: feeds are polled)."""
    if not token or len(token) > 100:
        return None
    row = db.session.scalar(select(CalendarFeed).where(CalendarFeed.token_hash == token_hash(token)))
    if row is None:
        return None
    member = db.session.get(Member, row.member_id)
    if not permissions.is_member(member):
        return None
    moment = now()
    if row.last_used_at is None or moment - row.last_used_at >= USE_PRECISION:
        row.last_used_at = moment
        db.session.commit()
    return member
