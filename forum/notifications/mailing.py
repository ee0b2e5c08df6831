"""Notification emails: an outbox in the database, drained after the post has committed.

A notification that its member wants by email is written ``pending`` with a due time a few
minutes ahead (``FORUM_NOTIFICATION_EMAIL_DELAY``), in the post's own transaction: posting
never waits for a mail server. When a member's first pending notification is due, a sender
claims all of that member's pending notifications (one atomic UPDATE: two senders never
claim the same row) and sends them as one email, leaving out what the member read in the
meantime, what they may no longer read, and everything if they came to the site since.
A busy topic therefore gives at most one email per delay, and an active member none.

Senders: a background thread of the web process (embedded mode), or
``flask notifications send-emails`` from cron. A claim left by a crashed sender is retried
after ``CLAIM_LEASE``. The same thread runs the upkeep other packages register with
``register_periodic`` (moderation's escalation of waiting reports): the one periodic
mechanism of a single-process install; with cron, each task has its own command.
"""
import logging
import smtplib
import threading
from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app
from sqlalchemy import and_, func, or_, select, update

from forum.accounts.models import Member
from forum.clock import now
from forum.extensions import db
from forum.inbound import addresses
from forum.registry import of as registry_of
from forum.topics.models import TopicRead

from . import inbox, mail, preferences
from .models import DECISION_KINDS, KIND_NOTICE, MAIL_CLAIMED, MAIL_PENDING, MAIL_SENT, MAIL_SKIPPED, Notification

log = logging.getLogger(__name__)

CLAIM_LEASE = timedelta(minutes=15)
RETRY_DELAY = timedelta(minutes=5)
BATCH = 200


@dataclass
class Report:
    emails: int = 0
    notifications: int = 0
    skipped: int = 0
    failed: int = 0
    recipients: list = field(default_factory=list)


def _claimable(moment, due_only=True):
    pending = Notification.mail_state == MAIL_PENDING
    if due_only:
        pending = and_(pending, Notification.mail_due_at <= moment)
    stale = and_(Notification.mail_state == MAIL_CLAIMED, Notification.mail_claimed_at < moment - CLAIM_LEASE)
    return or_(pending, stale)


def due_member_ids(moment, force=False, member_id=None):
    query = select(Notification.member_id).where(_claimable(moment, due_only=not force)).distinct()
    if member_id is not None:
        query = query.where(Notification.member_id == member_id)
    return list(db.session.scalars(query.order_by(Notification.member_id).limit(BATCH)))


def next_due_at():
    return db.session.scalar(select(func.min(Notification.mail_due_at))
                             .where(Notification.mail_state == MAIL_PENDING))


def claim(member_id, moment):
    """Take every pending notification of one member (due or not: they leave together)."""
    ids = list(db.session.scalars(
        update(Notification).where(Notification.member_id == member_id, _claimable(moment, due_only=False))
        .values(mail_state=MAIL_CLAIMED, mail_claimed_at=moment)
        .returning(Notification.id).execution_options(synchronize_session=False)))
    db.session.commit()
    return ids


def _already_read(member, notification):
    if notification.post_id is None or notification.kind in DECISION_KINDS:
        return False        # having read a decision is not having voted on it
    last = db.session.scalar(select(TopicRead.last_read_number).where(
        TopicRead.member_id == member.id, TopicRead.topic_id == notification.post.topic_id))
    return last is not None and last >= notification.post.number


def worth_sending(member, mode, notification):
    """Checked again at sending time: choices, permissions and reading may have changed."""
    return (notification.read_at is None and (member.is_active or _told_while_suspended(member, notification))
            and preferences.wants_mail(mode, notification.kind)
            and inbox.readable(member, notification)
            and not _already_read(member, notification))


def _told_while_suspended(member, notification):
    """A suspended member is emailed the moderation's notices about them (the suspension itself
    first): they cannot log in to read them, and need to know why and that they may still write
    to the coordination (docs/conversations.md)."""
    return notification.kind == KIND_NOTICE and member.is_suspended and not member.is_deactivated


def link(notification):
    if notification.post_id:
        return mail.absolute_url("topics.post", post_id=notification.post_id)
    if notification.topic_id:
        return mail.absolute_url("topics.topic", topic_id=notification.topic_id)
    path = inbox.notice_path(notification)
    return mail.site_url(path) if path else mail.absolute_url("notifications.index")


SUBJECT_CHARS = 78


def subject_line(text):
    """What a notification's text gives the subject: its first statement, short. A note or a
    justification that follows (after " — " or a new line) stays in the body: a subject shows
    on a locked phone and in every list of messages."""
    first = text.split("\n", 1)[0].split(" — ", 1)[0].strip()
    if len(first) <= SUBJECT_CHARS:
        return first
    return first[:SUBJECT_CHARS - 1].rsplit(" ", 1)[0] + "…"


def compose(member, notifications):
    """The email for ``notifications`` (already filtered), to ``member``."""
    _ = mail.gettext_for(member.locale)
    items = [{"text": inbox.describe(n, _), "excerpt": inbox.excerpt(n.post.html) if n.post_id else "",
              "url": link(n), "created_at": n.created_at,
              "reply_address": addresses.reply_address(n.post_id, member.id) if n.post_id else None}
             for n in notifications]
    # One item to answer: the mail client's "Reply" answers it. Several: each has its own link,
    # and "Reply" goes to the sender, which answers nobody (ne-pas-repondre@).
    answerable = [item["reply_address"] for item in items if item["reply_address"]]
    subject = (f"[Agora] {subject_line(items[0]['text'])}" if len(items) == 1
               else "[Agora] " + _("%(count)s nouvelles notifications", count=len(items)))
    token = preferences.unsubscribe_token(member.id, preferences.SCOPE_NOTIFICATIONS)
    unsubscribe_url = mail.absolute_url("notifications.unsubscribe", token=token)
    preferences_url = mail.absolute_url("notifications.preferences")
    text, html = mail.render("notifications", locale=member.locale, member=member, items=items,
                             subject=subject, unsubscribe_url=unsubscribe_url, preferences_url=preferences_url,
                             list_url=mail.absolute_url("notifications.index"))
    return mail.build(member, subject, text, html, unsubscribe_url=unsubscribe_url,
                      preferences_url=preferences_url, category="notifications",
                      reply_to=answerable[0] if len(answerable) == 1 else None)


def send_member(member_id, moment, transport, report):
    ids = claim(member_id, moment)
    if not ids:
        return
    member = db.session.get(Member, member_id)
    notifications = db.session.scalars(select(Notification).options(*inbox.LOAD)
                                       .where(Notification.id.in_(ids)).order_by(Notification.id)).all()
    mode = preferences.get(member_id).email_mode
    # Came to the site after the oldest one arrived: the header counter told them already.
    seen = member is not None and member.last_seen_at is not None and \
        member.last_seen_at >= min(n.created_at for n in notifications)
    keep = [] if seen or member is None else [n for n in notifications if worth_sending(member, mode, n)]
    kept_ids = {n.id for n in keep}
    if keep:
        try:
            transport.send(compose(member, keep))
        except (smtplib.SMTPException, OSError, ValueError) as error:
            db.session.rollback()
            db.session.execute(update(Notification).where(Notification.id.in_(ids))
                               .values(mail_state=MAIL_PENDING, mail_due_at=moment + RETRY_DELAY,
                                       mail_claimed_at=None).execution_options(synchronize_session=False))
            db.session.commit()
            report.failed += 1
            log.warning("notification email to member %s failed, retried later: %s", member_id, error)
            raise
        report.emails += 1
        report.notifications += len(keep)
        report.recipients.append(member_id)
    db.session.execute(update(Notification).where(Notification.id.in_(kept_ids))
                       .values(mail_state=MAIL_SENT).execution_options(synchronize_session=False))
    skipped = [i for i in ids if i not in kept_ids]
    if skipped:
        db.session.execute(update(Notification).where(Notification.id.in_(skipped))
                           .values(mail_state=MAIL_SKIPPED).execution_options(synchronize_session=False))
    report.skipped += len(skipped)
    db.session.commit()


def send_due(moment=None, force=False, member_id=None):
    """Send every due notification email (``force``: pending ones too, ignoring the delay)."""
    moment = moment or now()
    report = Report()
    done = set()
    with mail.transport() as transport:
        while True:
            members = [m for m in due_member_ids(moment, force, member_id) if m not in done]
            if not members:
                break
            for member in members:
                done.add(member)
                try:
                    send_member(member, moment, transport, report)
                except (smtplib.SMTPException, OSError, ValueError):
                    return report      # the server is unwell: the rest waits for the next run
    return report


# --- the background sender of the embedded mode ----------------------------------------------

def register_periodic(app, task, every):
    """Run ``task()`` (in an app context, committing its own work) from the background thread,
    at most once every ``every`` seconds. It must be safe to run twice at once: cron may run
    the same upkeep on another machine."""
    registry_of(app).periodic.append((task, every))


class Worker(threading.Thread):
    """Sleeps until the next email is due (or a minute, or being woken), sends, repeats; runs
    the registered periodic tasks when their time has come."""

    def __init__(self, app):
        super().__init__(name="agora-notification-emails", daemon=True)
        self.app = app
        self.woken = threading.Event()
        self.stopping = False
        self.last_runs = {}

    def run(self):
        while not self.stopping:
            timeout = 60.0
            try:
                with self.app.app_context():
                    try:
                        send_due()
                        due = next_due_at()
                        self.run_periodic()
                    finally:
                        db.session.remove()
                if due is not None:
                    timeout = min(60.0, max(1.0, (due - now()).total_seconds() + 0.5))
            except Exception:
                log.exception("notification email sender")
            self.woken.wait(timeout)
            self.woken.clear()

    def run_periodic(self):
        moment = now()
        for task, every in registry_of(self.app).periodic:
            last = self.last_runs.get(task)
            if last is not None and moment - last < timedelta(seconds=every):
                continue
            self.last_runs[task] = moment
            try:
                task()
            except Exception:
                db.session.rollback()
                log.exception("periodic task %s", getattr(task, "__name__", task))

    def wake(self):
        self.woken.set()

    def stop(self):
        self.stopping = True
        self.woken.set()
        self.join(timeout=10)


_lock = threading.Lock()


def worker(app, start=True):
    """The app's sender thread, started on first use when ``NOTIFICATION_EMAIL_THREAD`` is on."""
    if not app.config.get("NOTIFICATION_EMAIL_THREAD"):
        return None
    with _lock:
        running = app.extensions.get("agora_mail_worker")
        if running is None and start:
            running = app.extensions["agora_mail_worker"] = Worker(app)
            running.start()
        return running


def wake_worker(event=None):
    """After a commit that changed notifications: let the sender look at its outbox."""
    running = worker(current_app._get_current_object())
    if running is not None:
        running.wake()
