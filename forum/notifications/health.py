"""What /metrics reads of the notifications (forum/web/metrics.py): the email outbox and the
weekly digests, counted when scraped. Operators watch these to see mail failing."""
from datetime import timedelta

from sqlalchemy import and_, func, or_, select

from forum.clock import now
from forum.extensions import db

from .mailing import CLAIM_LEASE
from .models import DIGEST_FAILED, DIGEST_SENT, MAIL_CLAIMED, MAIL_PENDING, DigestDelivery, Notification


def _count(model, *conditions):
    return db.session.scalar(select(func.count()).select_from(model).where(*conditions)) or 0


def waiting_emails():
    """Notification emails not sent yet (waiting for their delay, or due)."""
    return _count(Notification, Notification.mail_state.in_((MAIL_PENDING, MAIL_CLAIMED)))


def stuck_emails(moment=None):
    """Emails that should have left and have not: due for longer than a lease, or claimed by a
    sender that did not finish within it (a failing SMTP server, a sender that died)."""
    moment = moment or now()
    return _count(Notification, or_(
        and_(Notification.mail_state == MAIL_PENDING, Notification.mail_due_at < moment - CLAIM_LEASE),
        and_(Notification.mail_state == MAIL_CLAIMED, Notification.mail_claimed_at < moment - CLAIM_LEASE)))


def digests_sent_last_day(moment=None):
    """Weekly digests sent in the last 24 hours (the progress of a sending run)."""
    since = (moment or now()) - timedelta(days=1)
    return _count(DigestDelivery, DigestDelivery.status == DIGEST_SENT, DigestDelivery.sent_at >= since)


def digests_failing():
    """Weekly digests the mail server refused, waiting for the next run."""
    return _count(DigestDelivery, DigestDelivery.status == DIGEST_FAILED)


def register(app, reading):
    reading(app, "agora_emails_waiting", "Notification emails not sent yet.", waiting_emails)
    reading(app, "agora_emails_stuck", "Notification emails due or claimed for longer than the 15-minute lease: "
            "the SMTP server or the sender is failing.", stuck_emails)
    reading(app, "agora_digests_sent_last_day", "Weekly digests sent in the last 24 hours.", digests_sent_last_day)
    reading(app, "agora_digests_failing", "Weekly digests the mail server refused, to be retried.", digests_failing)
