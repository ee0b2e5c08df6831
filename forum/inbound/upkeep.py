"""Forgetting received emails after ``FORUM_INBOUND_EMAIL_KEEP_DAYS`` (docs/privacy.md)."""
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete

from forum.clock import now
from forum.extensions import db

from .models import InboundEmail


def purge():
    """Delete the records (and quarantined messages) older than the retention; their count."""
    limit = now() - timedelta(days=current_app.config["INBOUND_EMAIL_KEEP_DAYS"])
    count = db.session.execute(delete(InboundEmail).where(InboundEmail.received_at < limit)).rowcount
    db.session.commit()
    return count
