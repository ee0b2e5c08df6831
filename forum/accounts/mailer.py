"""Account emails (links, notices of a change) to a member or to an address not yet theirs.

Messages that answer a form which must not tell whether an address has an account (a forgotten
password, a login link) leave through ``send_soon``: a thread of their own, so that the time the
mail server takes never shows in the answer's timing.
"""
import logging
import smtplib
import threading
from dataclasses import dataclass

from flask import current_app

from forum.notifications import mail

log = logging.getLogger(__name__)


def N_(text):
    """Marks a French text for the catalogue (Babel's default keyword); ``compose`` translates it."""
    return text


@dataclass(frozen=True)
class Recipient:
    """Whom a message goes to: a member, or a member's new address (same name and language)."""
    pseudonym: str
    email: str
    locale: str = "fr"
    id: int = None


def recipient(member, address=None):
    return Recipient(member.pseudonym, address or member.email, member.locale or "fr", member.id)


def compose(to, template, subject, **context):
    """The message built from ``templates/email/<template>.txt/.html`` in ``to``'s language;
    ``subject`` is a French text, translated here."""
    subject = "[Agora] " + mail.gettext_for(to.locale)(subject)
    text, html = mail.render(template, locale=to.locale, member=to, subject=subject, **context)
    return mail.build(to, subject, text, html, category="compte")


def send_now(message):
    try:
        with mail.transport() as transport:
            transport.send(message)
    except (OSError, smtplib.SMTPException, ValueError):
        # Never shown: the answer must not differ by address. Logged for the administrators.
        log.exception("account email to %s not sent", message.recipient)


def send_soon(message):
    """Send from a thread: the caller answers without waiting for the mail server."""
    app = current_app._get_current_object()

    def deliver():
        with app.app_context():
            send_now(message)
    threading.Thread(target=deliver, name="agora-account-mail", daemon=True).start()
