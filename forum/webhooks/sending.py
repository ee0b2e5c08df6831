"""The background sender: deliveries leave here, never from a request.

Each due delivery is claimed by one ``UPDATE … WHERE state = 'pending'`` committed before it is
sent (two senders never send the same one; a claim left by a crashed sender is taken again
after ``CLAIM_LEASE``), then POSTed with its signature: ``X-Discourse-Event-Signature:
sha256=<HMAC-SHA256 of the exact body with the webhook's secret>``, as Discourse signs. A 2xx
answer delivers it; anything else (another status, a refused address, a timeout) is retried
after ``WEBHOOK_RETRY_DELAY`` × 2^(attempt − 1) seconds, up to ``WEBHOOK_MAX_ATTEMPTS``.
After ``WEBHOOK_DISABLE_AFTER`` failed attempts in a row, whatever the deliveries, the webhook
is disabled with the reason; its waiting deliveries fail with it, and nothing more is written
for it until an administrator enables it again.

Senders: the web process's background thread (``forum/notifications/mailing.py``: woken after
each commit that queued a delivery, else within a minute), or ``flask webhooks deliver`` from
cron. Both also prune the log: finished deliveries older than ``WEBHOOK_LOG_DAYS``.
"""
import hashlib
import hmac
import http.client
import logging
import socket
import ssl
import time
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm.attributes import set_committed_value

from forum.clock import now
from forum.extensions import db
from forum.notifications import mailing
from forum.notifications.mail import absolute_url

from . import addresses, payloads
from .models import CLAIMED, DELIVERED, EVENT_TYPES, FAILED, FINISHED, PENDING, SKIPPED, Webhook, WebhookDelivery

log = logging.getLogger(__name__)

CLAIM_LEASE = timedelta(minutes=15)
BATCH = 100
RESPONSE_BYTES = 64 * 1024        # read (and dropped) of an answer, so the connection ends cleanly
USER_AGENT = "Agora-Webhooks/1"


@dataclass
class Report:
    delivered: int = 0
    failed: int = 0
    skipped: int = 0
    disabled: int = 0
    pruned: int = 0


def signature(secret, body):
    """``sha256=<hex>``: the HMAC-SHA256 of ``body`` (bytes) keyed by ``secret``."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def headers(webhook, delivery, body):
    return {"Content-Type": "application/json", "User-Agent": USER_AGENT,
            "X-Discourse-Instance": absolute_url("topics.home").rstrip("/"),
            "X-Discourse-Event": delivery.event, "X-Discourse-Event-Type": EVENT_TYPES.get(delivery.event, ""),
            "X-Discourse-Event-Id": delivery.event_id,
            "X-Discourse-Event-Signature": signature(webhook.secret, body)}


def post(url, body, sent_headers, timeout):
    """POST ``body`` to ``url``; the answer's status. Redirects are not followed (a 3xx fails)."""
    host, port, ip = addresses.resolve(url)
    parts = urlsplit(url)
    if parts.scheme == "https":
        connection = http.client.HTTPSConnection(host, port, timeout=timeout, context=ssl.create_default_context())
    else:
        connection = http.client.HTTPConnection(host, port, timeout=timeout)

    def to_checked_address(_address, timeout=None, source_address=None):
        return socket.create_connection((ip, port), timeout, source_address)
    # http.client connects through this attribute (TLS still names and verifies ``host``): the
    # connection goes to the address checked, not to whatever the name resolves to next.
    connection._create_connection = to_checked_address
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("POST", target, body=body, headers=sent_headers)
        response = connection.getresponse()
        response.read(RESPONSE_BYTES)
        return response.status
    finally:
        connection.close()


def _describe(error):
    if isinstance(error, (socket.timeout, TimeoutError)):
        return "délai dépassé"
    if isinstance(error, ssl.SSLError):
        return f"TLS : {error.reason or error}"[:200]
    if isinstance(error, ConnectionRefusedError):
        return "connexion refusée"
    return f"{type(error).__name__} : {error}"[:200]


def attempt(url, body, sent_headers):
    """Send once: (status or None, error text or "", duration in milliseconds)."""
    started = time.monotonic()
    status, error = None, ""
    try:
        status = post(url, body, sent_headers, current_app.config["WEBHOOK_TIMEOUT"])
        if not 200 <= status < 300:
            error = f"HTTP {status}"
    except addresses.Refused as refusal:
        error = str(refusal)
    except (OSError, http.client.HTTPException, ValueError) as failure:
        error = _describe(failure)
    return status, error, int((time.monotonic() - started) * 1000)


def disable(webhook, reason, moment, sending=None):
    """Stop ``webhook`` (``reason`` "" when an administrator does it); its waiting deliveries fail
    (but ``sending``, the one whose failure stopped it, which keeps its own error)."""
    webhook.active, webhook.disabled_reason, webhook.disabled_at = False, reason[:300], moment
    db.session.execute(update(WebhookDelivery).where(WebhookDelivery.webhook_id == webhook.id,
                                                     WebhookDelivery.id != (sending or 0),
                                                     WebhookDelivery.state.in_((PENDING, CLAIMED)))
                       .values(state=FAILED, error="webhook désactivé")
                       .execution_options(synchronize_session=False))


def record(webhook, delivery, status, error, duration, moment, report):
    config = current_app.config
    delivery.attempts += 1
    delivery.last_attempt_at, delivery.response_status = moment, status
    delivery.error, delivery.duration_ms, delivery.claimed_at = error, duration, None
    if not error:
        delivery.state = DELIVERED
        webhook.failures = 0
        report.delivered += 1
        return
    # Counted in the database (two senders may fail for the same webhook at once).
    failures = db.session.execute(update(Webhook).where(Webhook.id == webhook.id)
                                  .values(failures=Webhook.failures + 1).returning(Webhook.failures)
                                  .execution_options(synchronize_session=False)).scalar_one()
    set_committed_value(webhook, "failures", failures)
    report.failed += 1
    if delivery.attempts >= config["WEBHOOK_MAX_ATTEMPTS"]:
        delivery.state = FAILED
    else:
        delivery.state = PENDING
        delivery.due_at = moment + timedelta(seconds=config["WEBHOOK_RETRY_DELAY"] * 2 ** (delivery.attempts - 1))
    if webhook.failures >= config["WEBHOOK_DISABLE_AFTER"]:
        delivery.state = FAILED
        db.session.flush()
        disable(webhook, error, moment, sending=delivery.id)
        report.disabled += 1
        log.warning("webhook %s disabled after %s failures in a row: %s", webhook.id, webhook.failures, error)


def _claimable(moment):
    due = (WebhookDelivery.state == PENDING) & (WebhookDelivery.due_at <= moment)
    stale = (WebhookDelivery.state == CLAIMED) & (WebhookDelivery.claimed_at < moment - CLAIM_LEASE)
    return or_(due, stale)


def claim(delivery_id, moment):
    taken = db.session.execute(update(WebhookDelivery).where(WebhookDelivery.id == delivery_id, _claimable(moment))
                               .values(state=CLAIMED, claimed_at=moment)
                               .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    return taken == 1


def send_one(delivery_id, moment, report):
    if not claim(delivery_id, moment):
        return
    delivery = db.session.get(WebhookDelivery, delivery_id)
    webhook = delivery.webhook
    if not webhook.active:
        delivery.state, delivery.error = FAILED, "webhook désactivé"
    elif not payloads.still_readable(webhook, delivery):
        delivery.state, delivery.error = SKIPPED, "plus lisible par ce webhook : non envoyé"
        report.skipped += 1
    else:
        body = delivery.payload.encode("utf-8")
        url, sent_headers = webhook.url, headers(webhook, delivery, body)
        db.session.commit()     # no transaction stays open while the receiver answers
        status, error, duration = attempt(url, body, sent_headers)
        record(webhook, delivery, status, error, duration, now(), report)
    db.session.commit()


def prune(moment):
    days = current_app.config["WEBHOOK_LOG_DAYS"]
    return db.session.execute(delete(WebhookDelivery).where(
        WebhookDelivery.state.in_(FINISHED), WebhookDelivery.created_at < moment - timedelta(days=days))
        .execution_options(synchronize_session=False)).rowcount


def deliver_due(moment=None, prune_log=True):
    """Send every due delivery (a batch at a time), then prune the log. Safe to run twice at once."""
    moment = moment or now()
    report = Report()
    done = set()
    while True:
        due = [i for i in db.session.scalars(select(WebhookDelivery.id).where(_claimable(moment))
                                             .order_by(WebhookDelivery.due_at, WebhookDelivery.id).limit(BATCH))
               if i not in done]
        if not due:
            break
        for delivery_id in due:
            done.add(delivery_id)
            send_one(delivery_id, moment, report)
    if prune_log:
        report.pruned = prune(moment)
        db.session.commit()
    return report


def periodic():
    """The background thread's every turn (``mailing.register_periodic``)."""
    deliver_due(prune_log=False)


def prune_periodic():
    """The background thread's hourly pruning of the log."""
    prune(now())
    db.session.commit()


def wake(event=None):
    """After a commit that may have queued deliveries: let the background thread look now."""
    mailing.wake_worker(event)


def pending_count(webhook_id):
    return len(db.session.scalars(select(WebhookDelivery.id).where(
        WebhookDelivery.webhook_id == webhook_id, WebhookDelivery.state.in_((PENDING, CLAIMED)))).all())

