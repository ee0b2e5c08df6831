"""Connection data, kept ``FORUM_CONNECTION_DATA_DAYS`` at most (docs/privacy.md).

What the forum keeps about connections: the sessions (``MemberSession``: the device as
"Firefox, Linux", opened and last-seen times; no IP address) and each member's last visit
(``Member.last_seen_at``, used to hold back notification emails while the member is on the
site). IP addresses are never written to the database: rate limits count them in Redis (or
memory) under keys that expire with their window (a day at most), and the access log of
gunicorn is off unless ``AGORA_ACCESS_LOG`` is set (then rotate it within the same delay).
"""
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, update

from forum.clock import now
from forum.extensions import db

from .models import Member, MemberSession


def cutoff(moment=None):
    return (moment or now()) - timedelta(days=int(current_app.config["CONNECTION_DATA_DAYS"]))


def purge_connection_data(moment=None):
    """Delete the sessions unused since the cutoff and forget older last visits; commits.
    Returns (sessions deleted, last visits forgotten)."""
    limit = cutoff(moment)
    sessions = db.session.execute(delete(MemberSession).where(MemberSession.last_seen_at < limit)).rowcount
    visits = db.session.execute(update(Member).where(Member.last_seen_at < limit)
                                .values(last_seen_at=None)).rowcount
    db.session.commit()
    return sessions, visits
