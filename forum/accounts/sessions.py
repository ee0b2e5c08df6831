"""Where a member is logged in: one ``MemberSession`` per browser, ended one by one.

Logging out deletes the session's row, so a copied cookie stops working at once; a new
password ends every other session; a member sees their sessions and ends any of them on the
settings page. Every end publishes ``MemberAccessChanged``, which drops the live (Socket.IO)
connections opened with an ended session (forum/realtime/hub.py).
"""
import hashlib
import hmac
import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, select

from forum import events
from forum.clock import now
from forum.errors import NotFound
from forum.extensions import db
from forum.numbers import parse_int

from .models import MemberSession

# Last activity is written at most this often (a write per page would serialize SQLite).
TOUCH_EVERY = timedelta(minutes=5)
BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chromium/", "Chromium"),
            ("Chrome/", "Chrome"), ("Safari/", "Safari"))
SYSTEMS = (("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"), ("Windows", "Windows"),
           ("Mac OS X", "macOS"), ("CrOS", "ChromeOS"), ("Linux", "Linux"))


def _digest(secret):
    return hashlib.sha256(secret.encode()).hexdigest()


def lifetime():
    """A session unused for longer than the remember-me cookie lasts is over."""
    return timedelta(seconds=int(current_app.config["REMEMBER_COOKIE_DURATION"]))


def describe(user_agent):
    """"Firefox, Linux": enough for a member to recognise a device, nothing more."""
    user_agent = user_agent or ""
    found = [next((name for mark, name in table if mark in user_agent), None) for table in (BROWSERS, SYSTEMS)]
    return ", ".join(name for name in found if name)[:80]


def open_session(member, user_agent):
    """A new session of ``member`` (attached to it, for Flask-Login's ``login_user``); commits."""
    secret = secrets.token_urlsafe(32)
    moment = now()
    session = MemberSession(member_id=member.id, secret_hash=_digest(secret), device=describe(user_agent),
                            created_at=moment, last_seen_at=moment)
    db.session.add(session)
    db.session.execute(delete(MemberSession).where(MemberSession.member_id == member.id,
                                                   MemberSession.last_seen_at < moment - lifetime()))
    db.session.commit()
    member.attach_session(session, f"{session.id}.{secret}")
    return session


def find_member(key):
    """The member whose live session the cookie's ``key`` names (session attached), or None."""
    ident, _dot, secret = (key or "").partition(".")
    session_id = parse_int(ident, 1)
    if session_id is None or not secret:
        return None
    session = db.session.get(MemberSession, session_id)
    if session is None or not hmac.compare_digest(session.secret_hash, _digest(secret)) \
            or session.last_seen_at < now() - lifetime():
        return None
    session.member.attach_session(session, key)
    return session.member


def touch(member, moment):
    """Record the current session's activity (at most every TOUCH_EVERY); the caller commits."""
    session = member.current_session
    if session is not None and moment - session.last_seen_at > TOUCH_EVERY:
        session.last_seen_at = moment
        return True
    return False


def sessions_of(member):
    return db.session.scalars(select(MemberSession).where(MemberSession.member_id == member.id)
                              .order_by(MemberSession.last_seen_at.desc(), MemberSession.id.desc())).all()


def end_session(member, session_id):
    """End one of ``member``'s sessions (logging out is ending the current one); commits."""
    session = db.session.get(MemberSession, session_id) if isinstance(session_id, int) else None
    if session is None or session.member_id != member.id:
        raise NotFound(_("Cette session est déjà terminée."))
    db.session.delete(session)
    events.publish(events.MemberAccessChanged(member_id=member.id))
    db.session.commit()


def end_sessions(member, keep=None):
    """End every session of ``member`` but ``keep``; the caller commits."""
    query = delete(MemberSession).where(MemberSession.member_id == member.id)
    if keep is not None:
        query = query.where(MemberSession.id != keep.id)
    db.session.execute(query)
    events.publish(events.MemberAccessChanged(member_id=member.id))


def end_other_sessions(member):
    """"Fermer toutes les autres sessions": every session but the one asking; commits."""
    end_sessions(member, keep=member.current_session)
    db.session.commit()
