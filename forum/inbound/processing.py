"""``process(raw)``: the one path of every email received, whatever brought it.

Order: size, parsing, once per Message-ID, robots (never answered), the reply address and its
signature, the sender, age, the text without quotes, then ``posting.reply`` with every guard
the site applies (permissions, suspension, silence, règlement, approval, watched words). A
refusal is recorded with the raw message (quarantine) and, when the sender is a member writing
from their own address, answered once (``answering``). Nothing raises but ``Unavailable``: the
database is down, and the mail server should try again later (exit 75, SMTP 451).
"""
import logging
import re
from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError

from forum.accounts.models import Member
from forum.clock import now
from forum.errors import Refused
from forum.extensions import db
from forum.notifications import mail
from forum.topics import posting
from forum.topics.models import Post

from . import addresses, answering, parsing, ratelimit, stripping, tokens
from .models import FAILED, IGNORED, POSTED, REFUSED, InboundEmail

log = logging.getLogger(__name__)

DUPLICATE = "duplicate"
STRANGER_KEPT_BYTES = 64 * 1024
_RECIPIENT_HEADERS = ("Delivered-To", "X-Original-To", "To", "Cc")


class Unavailable(Exception):
    """The database cannot be reached: nothing was decided, the message must come again."""


@dataclass
class Outcome:
    outcome: str
    reason: str | None = None
    post_id: int | None = None
    answered: bool = False


def process(raw, recipients=()):
    """Handle one received email (bytes, as the mail server gave them); ``recipients``: the
    envelope's, when the transport knows them (they are trusted before the headers)."""
    raw = bytes(raw or b"")
    try:
        return _process(raw, [r for r in recipients if r])
    except (OperationalError, InterfaceError) as error:
        db.session.rollback()
        raise Unavailable(str(error)) from error
    except Exception:      # noqa: BLE001 - a message must never crash a receiver: quarantined
        db.session.rollback()
        log.exception("inbound email: unexpected error, message kept in quarantine")
        return _quarantine_failure(raw)


def _quarantine_failure(raw):
    try:
        message = parsing.parse_headers(raw)
        _record(parsing.message_id(message, raw), raw, FAILED, "error", keep=True)
    except (OperationalError, InterfaceError) as error:
        db.session.rollback()
        raise Unavailable(str(error)) from error
    except Exception:      # noqa: BLE001 - recorded already, or not recordable: logged above
        db.session.rollback()
    return Outcome(FAILED, "error")


def _record(message_id, raw, outcome, reason=None, member=None, sender=None, detail=None, keep=False,
            answered=None, size=None):
    db.session.add(InboundEmail(message_id=message_id, member_id=member.id if member else None,
                                sender=(sender or "")[:254] or None, outcome=outcome, reason=reason,
                                detail=detail, answered=answered, size=len(raw) if size is None else size,
                                raw=raw if keep else None, received_at=now()))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()           # the same message, recorded meanwhile by another receiver
        return False
    return True


def _seen(message_id):
    return db.session.scalar(select(InboundEmail.id).where(InboundEmail.message_id == message_id)) is not None


def _is_own(sender):
    own = parsing.getaddresses_one(mail.sender_address())
    return sender.lower() == own.lower() or addresses.is_ours(sender)


def _member_by_address(address):
    if not address:
        return None
    return db.session.scalar(select(Member).where(func.lower(Member.email) == address.lower()))


def _process(raw, recipients):
    too_large = len(raw) > current_app.config["INBOUND_EMAIL_MAX_BYTES"]
    message = parsing.parse_headers(raw) if too_large else parsing.parse(raw)
    message_id = parsing.message_id(message, raw)
    if _seen(message_id):
        return Outcome(DUPLICATE)
    sender = parsing.sender(message)
    if message is None or not sender:
        _record(message_id, raw, REFUSED, "unreadable", keep=True)     # nobody to answer
        return Outcome(REFUSED, "unreadable")
    if parsing.is_delivery_report(message) or parsing.is_automatic(message) or _is_own(sender):
        _record(message_id, raw, IGNORED, "automatic", sender=sender)
        return Outcome(IGNORED, "automatic")

    refusal = _Refusal(message_id, raw, message, sender)
    found = addresses.find_token_text(recipients or [parsing.header(message, name) for name in _RECIPIENT_HEADERS])
    token = tokens.read(found) if found else None
    member = db.session.get(Member, token.member_id) if token else None
    if token is None or member is None:
        return refusal.refuse("unknown_address", _member_by_address(sender))
    if (member.email or "").lower() != sender.lower():
        # Told to the account that wrote, if it is one; never to the token's member (whose
        # address may have been forwarded) nor to a stranger.
        return refusal.refuse("wrong_sender", _member_by_address(sender))
    if member.is_deactivated or member.awaiting_approval:
        return refusal.refuse("inactive", None)
    if too_large:
        return refusal.refuse("too_large", member)
    if tokens.expired(token):
        return refusal.refuse("expired", member)
    body = clean(stripping.strip(parsing.body_text(message)))
    refusal.body = body
    if not body.strip():
        return refusal.refuse("empty", member)
    if member.is_suspended:
        return refusal.refuse("suspended", member)
    post = db.session.get(Post, token.post_id)
    if post is None:
        return refusal.refuse("gone", member)
    return _post(refusal, member, post, body)


def _post(refusal, member, post, body):
    row = InboundEmail(message_id=refusal.message_id, member_id=member.id, sender=refusal.sender[:254],
                       outcome=POSTED, size=len(refusal.raw), received_at=now())
    db.session.add(row)
    try:
        db.session.flush()         # claims the Message-ID: a concurrent delivery waits, then finds it
    except IntegrityError:
        db.session.rollback()
        return Outcome(DUPLICATE)
    if not ratelimit.allowed(member):
        db.session.rollback()
        return refusal.refuse("too_many", member)
    with force_locale(member.locale or "fr"):
        try:
            reply = posting.reply(member, post.topic, body, parent=post,
                                  attach=lambda new: setattr(row, "post_id", new.id))
        except Refused as error:       # permissions, silence, règlement, watched words, slow mode…
            db.session.rollback()
            return refusal.refuse("refused", member, detail=error.message)
    ratelimit.count(member)
    log.info("inbound email %s posted as post %s by member %s", refusal.message_id, reply.id, member.id)
    return Outcome(POSTED, post_id=reply.id)


def clean(text):
    """The reply as it will be posted: our reply addresses out (a member quoting them would hand
    them to every reader), trailing blanks out."""
    text = _OUR_ADDRESS.sub("", text) if addresses.enabled() else text
    lines = [line.rstrip() for line in text.split("\n")]
    if all(line.lstrip().startswith(">") for line in lines if line.strip()):
        return ""            # only the quoted message: the member wrote nothing
    return "\n".join(lines).strip()


_OUR_ADDRESS = re.compile(r"<?(mailto:)?" + re.escape(addresses.PREFIX) + r"[a-z2-7]{20,64}@[\w.-]+>?", re.I)


class _Refusal:
    """Records a refusal (raw message kept) and answers it when someone should be told."""

    def __init__(self, message_id, raw, message, sender):
        self.message_id, self.raw, self.message, self.sender = message_id, raw, message, sender
        self.body = ""

    def refuse(self, reason, tell, detail=None):
        answered = None
        if tell is not None and tell.email and not tell.is_deactivated and \
                not answering.already_answered(self.sender, reason):
            answered = now()
        # A member's message is kept whole; a stranger's, its beginning only (enough to see what
        # it was): strangers cannot fill the database with large messages.
        raw = self.raw if tell is not None else self.raw[:STRANGER_KEPT_BYTES]
        recorded = _record(self.message_id, raw, REFUSED, reason, member=tell, sender=self.sender,
                           detail=detail, keep=True, answered=answered, size=len(self.raw))
        if recorded and answered:
            answering.answer(tell, reason, detail=detail or "", body=self.body,
                             subject=parsing.header(self.message, "Subject")[:200],
                             in_reply_to=parsing.header(self.message, "Message-ID"))
        log.info("inbound email %s refused: %s", self.message_id, reason)
        return Outcome(REFUSED, reason, answered=bool(recorded and answered))
