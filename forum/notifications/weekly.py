"""Sending the weekly digest: due, claimed, sent, recorded; never twice, resumable.

A member's digests are numbered (``DigestDelivery.sequence``); each covers the period from the
end of the previous one. Sending one digest is:

1. compose it (pure);
2. insert its row, numbered previous + 1, as ``claimed`` (or ``empty`` when there is nothing
   new: recorded, not sent) and commit. The unique (member, sequence) pair is the claim: when
   two senders run at once, the second insert fails and that sender moves on;
3. send it, then mark it ``sent`` (or ``failed``, retried by the next run).

A sender that dies between 2 and 3 leaves a ``claimed`` row: the next run takes it over once
``lease`` has passed (a sender still working on it would have finished) and sends the digest
of that same period. Due: the most recent weekly slot (``DIGEST_WEEKDAY`` at ``DIGEST_HOUR``,
in ``BABEL_DEFAULT_TIMEZONE``) is later than the end of the member's previous digest.
"""
import logging
import smtplib
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from flask import current_app
from markupsafe import Markup
from sqlalchemy import bindparam, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from forum.accounts.models import Member
from forum.clock import now
from forum.extensions import db
from forum.inbound import addresses

from . import mail, preferences
from .digest import DigestSource, compose, default_since
from .models import (DIGEST_CLAIMED, DIGEST_EMPTY, DIGEST_FAILED, DIGEST_SENT, DigestDelivery,
                     MailPreference)

log = logging.getLogger(__name__)

CLAIM_LEASE = timedelta(minutes=15)
MAX_ATTEMPTS = 5
CHUNK = 500
CLAIM_BATCH = 8


def latest_slot(moment, weekday=None, hour=None, zone=None):
    """The most recent weekly due moment at or before ``moment`` (naive UTC in and out)."""
    config = current_app.config
    weekday = config["DIGEST_WEEKDAY"] if weekday is None else weekday
    hour = config["DIGEST_HOUR"] if hour is None else hour
    zone = ZoneInfo(zone or config["BABEL_DEFAULT_TIMEZONE"])
    local = moment.replace(tzinfo=timezone.utc).astimezone(zone)
    day = local.date() - timedelta(days=(local.weekday() - int(weekday)) % 7)
    slot = datetime.combine(day, time(int(hour)), tzinfo=zone)
    if slot > local:
        slot = datetime.combine(day - timedelta(days=7), time(int(hour)), tzinfo=zone)
    return slot.astimezone(timezone.utc).replace(tzinfo=None)


@dataclass
class Report:
    sent: int = 0
    empty: int = 0
    failed: int = 0
    skipped: int = 0          # claimed by another sender, or not due
    resumed: int = 0
    planned: list = field(default_factory=list)    # dry run: (member, digest)


def message_for(member, digest, cache=None):
    token = preferences.unsubscribe_token(member.id, preferences.SCOPE_DIGEST)
    unsubscribe_url = mail.absolute_url("notifications.unsubscribe", token=token)
    preferences_url = mail.absolute_url("notifications.preferences", _anchor="resume")
    text, html = render(digest, member, unsubscribe_url, preferences_url, cache)
    return mail.build(member, digest.subject_in(member.locale or "fr"), text, html, unsubscribe_url=unsubscribe_url,
                      preferences_url=preferences_url, category="resume")


def render(digest, member, unsubscribe_url="", preferences_url="", cache=None, notice=""):
    """(text, html) of ``digest``. ``cache``: a dict kept by one run, where the news part that
    members with the same spaces share is rendered once. ``notice``: a line above the digest
    for whoever previews it (never in a digest sent)."""
    locale = member.locale or "fr"
    key = (locale, digest.news_key)
    news = cache.get(key) if cache is not None else None
    if news is None:
        text, html = mail.render("digest_news", locale=locale, digest=digest)
        news = (text, Markup(html))
        if cache is not None:
            if len(cache) > 1000:
                cache.clear()
            cache[key] = news
    # The items "for you" only: the news part is shared by members (cached), a reply address is not.
    replies = {item.post_id: addresses.reply_address(item.post_id, member.id) for item in digest.personal
               if item.post_id}
    return mail.render("digest", locale=locale, digest=digest, member=member, news_text=news[0],
                       news_html=news[1], unsubscribe_url=unsubscribe_url, preferences_url=preferences_url,
                       home_url=mail.absolute_url("topics.home"), notice=notice, reply_addresses=replies)


OPTED_OUT, INACTIVE = "opted_out", "inactive"


def never_sent(member):
    """Why ``member`` is sent no digest whatever the news (``OPTED_OUT``: they turned it off;
    ``INACTIVE``: their account is not active), or None. The same rules as ``send_weekly``."""
    if not preferences.get(member.id).digest:
        return OPTED_OUT
    if not member.is_active:
        return INACTIVE
    return None


def _opted_in():
    """Members who want the digest (no preference row means the default: yes)."""
    return (select(Member).options(selectinload(Member.committees), joinedload(Member.college))
            .outerjoin(MailPreference, MailPreference.member_id == Member.id)
            .where(or_(MailPreference.member_id.is_(None), MailPreference.digest.is_(True))))


def _last_deliveries(member_ids):
    latest = (select(DigestDelivery.member_id, func.max(DigestDelivery.sequence).label("sequence"))
              .where(DigestDelivery.member_id.in_(member_ids)).group_by(DigestDelivery.member_id).subquery())
    rows = db.session.scalars(select(DigestDelivery).join(
        latest, (latest.c.member_id == DigestDelivery.member_id) & (latest.c.sequence == DigestDelivery.sequence)))
    return {row.member_id: row for row in rows}


def preview_period(member_id, moment=None):
    """The period a digest composed now would cover: since the previous one, or 7 days."""
    moment = moment or now()
    last = _last_deliveries([member_id]).get(member_id)
    start = last.period_end if last is not None and last.status in (DIGEST_SENT, DIGEST_EMPTY) else None
    return start or default_since(moment), moment


def _unfinished(last):
    """A digest still to send (claimed, or failed with attempts left)."""
    return last is not None and (last.status == DIGEST_CLAIMED
                                 or (last.status == DIGEST_FAILED and last.attempts < MAX_ATTEMPTS))


def _next_start(last):
    """Where the member's next digest starts: the end of the previous one; a digest given up
    after MAX_ATTEMPTS failures is folded into the next one."""
    if last is None:
        return None
    return last.period_start if last.status == DIGEST_FAILED else last.period_end


_table = DigestDelivery.__table__
_RECORD_SENT = (update(_table).where(_table.c.id == bindparam("row_id"))
                .values(status=DIGEST_SENT, sent_at=bindparam("sent_at"), message_id=bindparam("message_id"),
                        error=None))
_RECORD_FAILED = update(_table).where(_table.c.id == bindparam("row_id")).values(status=DIGEST_FAILED,
                                                                                error=bindparam("error"))


class Sender:
    def __init__(self, moment, immediate, dry_run, outbox, lease, report):
        self.moment, self.immediate, self.dry_run = moment, immediate, dry_run
        self.slot = moment if immediate else latest_slot(moment)
        self.outbox, self.lease, self.report = outbox, lease, report
        self.sources = {}
        self.sent, self.failed = [], []
        self.pending = []
        self.rendered = {}
        self.unreachable = None
        # Loaded once, then detached with their access lists: commits never expire them.
        self.spaces = DigestSource(moment, moment).spaces

    def prefetch(self, members, lasts):
        """Read the personal part of a chunk's digests at once, for the period most of them share."""
        periods = {}
        for member in members:
            last = lasts.get(member.id)
            if not _unfinished(last):
                end = self.slot
                start = _next_start(last) or default_since(end)
                if start < end:
                    periods.setdefault((start, end), []).append(member.id)
        if periods:
            (start, end), ids = max(periods.items(), key=lambda item: len(item[1]))
            self.source(start, end).prefetch(ids)

    def source(self, start, end):
        if (start, end) not in self.sources:
            if len(self.sources) > 8:       # periods differ per member only after irregular runs
                self.sources.clear()
            self.sources[(start, end)] = DigestSource(start, end, spaces=self.spaces)
        return self.sources[(start, end)]

    # --- writing: digests are claimed CLAIM_BATCH at a time, in one commit that also records
    # the digests sent since the previous one. Those sent but not yet recorded when the process
    # is killed (a batch at most) are the only ones a resumed run could send again.

    def commit(self, statement=None, returning=False):
        """Run ``statement`` and commit it together with the record of the digests sent since the
        last commit; returns its RETURNING value, or the number of rows it changed."""
        if self.sent:
            db.session.execute(_RECORD_SENT, self.sent)                # one executemany
        if self.failed:
            db.session.execute(_RECORD_FAILED, self.failed)
        value = None
        if statement is not None:
            result = db.session.execute(statement)
            value = result.scalar_one() if returning else result.rowcount
        db.session.commit()
        self.sent, self.failed = [], []
        return value

    def flush(self):
        """Claim and send what is composed, wait for the outbox, and record what it did."""
        self.claim_pending()
        self.outbox.wait()
        self.collect()
        if self.sent or self.failed:
            self.commit()

    @staticmethod
    def _claim_values(member, last, start, end, empty):
        return dict(member_id=member.id, sequence=(last.sequence if last else 0) + 1, period_start=start,
                    period_end=end, claimed_at=now(), status=DIGEST_EMPTY if empty else DIGEST_CLAIMED,
                    attempts=0 if empty else 1)

    def claim(self, member, last, start, end, empty):
        """Insert the member's next digest, claimed (or empty); None if another sender has it."""
        self.outbox.check()                   # claim nothing more once a sending thread died
        values = self._claim_values(member, last, start, end, empty)
        try:
            return self.commit(insert(_table).values(**values).returning(_table.c.id), returning=True)
        except IntegrityError:
            db.session.rollback()             # another sender claimed this digest first
            self.commit()                     # still record what was sent
            return None

    def claim_pending(self):
        """Claim the composed digests in one commit, then hand them to the outbox."""
        pending, self.pending = self.pending, []
        if not pending:
            return
        self.outbox.check()
        rows = [self._claim_values(member, last, start, end, digest.is_empty)
                for member, last, start, end, digest in pending]
        try:
            if self.sent:
                db.session.execute(_RECORD_SENT, self.sent)
            if self.failed:
                db.session.execute(_RECORD_FAILED, self.failed)
            ids = list(db.session.scalars(insert(_table).returning(_table.c.id, sort_by_parameter_order=True),
                                          rows))
            db.session.commit()
            self.sent, self.failed = [], []
        except IntegrityError:                # another run claimed some of them: one by one
            db.session.rollback()
            ids = [self.claim(member, last, start, end, digest.is_empty)
                   for member, last, start, end, digest in pending]
        for (member, _last, _start, _end, digest), row_id in zip(pending, ids):
            if row_id is None:
                self.report.skipped += 1
            elif digest.is_empty:
                self.report.empty += 1
            else:
                self.deliver(member, row_id, digest)

    def handle(self, member, last):
        """Send (or record) the digest due to ``member``, or resume the one left unfinished."""
        if not member.is_active:
            self.report.skipped += 1
            return
        if _unfinished(last):
            return self.resume(member, last)
        start = _next_start(last)
        if start is not None and start >= self.slot:
            self.report.skipped += 1          # this period's digest is already recorded
            return
        end = self.slot
        start = start or default_since(end)
        digest = compose(member, start, end, self.source(start, end))
        if self.dry_run:
            self.report.planned.append((member, digest))
            return
        self.pending.append((member, last, start, end, digest))
        if len(self.pending) >= CLAIM_BATCH:
            self.claim_pending()

    def resume(self, member, row):
        stale = row.status == DIGEST_CLAIMED and row.claimed_at <= self.moment - self.lease
        retry = row.status == DIGEST_FAILED and row.attempts < MAX_ATTEMPTS
        if not (stale or retry):
            self.report.skipped += 1
            return
        digest = compose(member, row.period_start, row.period_end, self.source(row.period_start, row.period_end))
        if self.dry_run:
            self.report.planned.append((member, digest))
            return
        taken = self.commit(
            update(DigestDelivery).where(DigestDelivery.id == row.id, DigestDelivery.status == row.status,
                                         DigestDelivery.claimed_at == row.claimed_at)
            .values(status=DIGEST_EMPTY if digest.is_empty else DIGEST_CLAIMED, claimed_at=now(),
                    attempts=DigestDelivery.attempts + 1)
            .execution_options(synchronize_session=False))
        if taken != 1:
            self.report.skipped += 1          # another sender took it over
            return
        self.report.resumed += 1
        if digest.is_empty:                   # what it held was hidden or muted since
            self.report.empty += 1
            return
        self.deliver(member, row.id, digest)

    def deliver(self, member, row_id, digest):
        try:
            message = message_for(member, digest, self.rendered)
        except ValueError as error:           # an address that cannot be written in a header
            self.failed.append({"row_id": row_id, "error": str(error)[:1000]})
            self.report.failed += 1
            return
        self.outbox.put(row_id, message)
        self.collect()

    def collect(self):
        """Take the outcome of what the outbox sent; recorded with the next commit."""
        for row_id, message, error in self.outbox.results():
            if error is None:
                self.sent.append({"row_id": row_id, "sent_at": now(), "message_id": message["Message-ID"]})
                self.report.sent += 1
                continue
            self.failed.append({"row_id": row_id, "error": str(error)[:1000]})
            self.report.failed += 1
            log.warning("digest %s to %s failed: %s", row_id, message.recipient, error)
            if isinstance(error, (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, ConnectionError)):
                self.unreachable = error


def send_weekly(moment=None, immediate=False, dry_run=False, member_id=None, lease=CLAIM_LEASE,
                progress=None, transport=None, connections=2):
    """Send every digest due at ``moment`` (``immediate``: due now for every opted-in member).

    Safe to run twice, or in two processes at once; resumes what a crashed run left.
    ``connections`` SMTP connections send in background threads while digests are composed
    (``transport``: one given transport instead). ``progress(n)`` is called after each chunk.
    """
    moment = moment or now()
    report = Report()
    query = _opted_in().order_by(Member.id)
    if member_id is not None:
        query = query.where(Member.id == member_id)
    transports = [transport] if transport is not None else [mail.transport() for _ in range(max(1, connections))]
    if transport is None:
        for opened in transports:
            opened.__enter__()
    outbox = mail.Outbox(transports)
    sender = Sender(moment, immediate, dry_run, outbox, lease, report)
    try:
        after = 0
        while True:
            members = db.session.scalars(query.where(Member.id > after).limit(CHUNK)).unique().all()
            if not members:
                break
            after = members[-1].id
            lasts = _last_deliveries([m.id for m in members])
            sender.prefetch(members, lasts)
            # Members (with their comités and collège), their last rows and the spaces are
            # read; detached, the commit after each digest does not expire and reload them.
            db.session.expunge_all()
            for member in members:
                sender.handle(member, lasts.get(member.id))
                if sender.unreachable is not None:
                    raise sender.unreachable
            sender.flush()
            if progress:
                progress(len(members))
            db.session.expunge_all()          # memory stays flat over many thousands of members
            del members, lasts
    except (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, ConnectionError) as error:
        log.error("digest run stopped, the mail server is unreachable: %s", error)
    finally:
        outbox.close()
        try:
            db.session.rollback()
            sender.collect()
            if sender.sent or sender.failed:
                sender.commit()               # what was sent is recorded, even on the way out
        except Exception:
            log.exception("could not record the digests sent last")
        if transport is None:
            for opened in transports:
                opened.__exit__(None, None, None)
    return report


def count_opted_in():
    return db.session.scalar(select(func.count()).select_from(_opted_in().subquery()))
