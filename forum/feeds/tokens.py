"""A member's private feed address: the token of ``/flux/prive/<token>/…``.

The token (256 bits, random) is shown once; the table keeps only its SHA-256, so a copy of the
database opens no feed. One per member: a new token replaces (and so revokes) the old one;
deleting it revokes it. A revoked or unknown token answers 404, as the calendar feed's does
(forum/meetings/feeds.py). A token answers only while its member may log in; the row goes with
the member (the key cascades; erasure deletes every row keyed to the member).
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

from .models import FeedToken

TOKEN_BYTES = 32
MAX_TOKEN_LENGTH = 100
USE_PRECISION = timedelta(hours=1)   # last_used_at is written at most once an hour per token


def token_hash(token):
    return hashlib.sha256((token or "").encode()).hexdigest()


def token_of(member):
    """The member's token row, or None."""
    return db.session.get(FeedToken, member.id)


def _require_member(member):
    if not permissions.is_member(member):
        raise Forbidden(_("Connectez-vous pour gérer vos flux privés."))


def create(member):
    """A new token for ``member`` (the previous one, if any, stops working). Commits; returns
    the token, which is never shown again."""
    _require_member(member)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    row = token_of(member)
    if row is None:
        row = FeedToken(member_id=member.id)
        db.session.add(row)
    row.token_hash, row.created_at, row.last_used_at = token_hash(token), now(), None
    db.session.commit()
    return token


def remove(member):
    """Delete ``member``'s token (its feeds answer 404 from now on). Commits."""
    _require_member(member)
    db.session.execute(delete(FeedToken).where(FeedToken.member_id == member.id))
    db.session.commit()


def member_of(token):
    """The member whose feeds ``token`` opens, or None (unknown, revoked, or a member who may no
    longer log in). Notes when it was last used (at most once an hour: feeds are polled)."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    row = db.session.scalar(select(FeedToken).where(FeedToken.token_hash == token_hash(token)))
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
