"""Replies by email through real SMTP: the forum sends notifications to an aiosmtpd mailbox
(the member's mail server), the member answers with smtplib to ``flask mail serve``'s handler."""
import smtplib
from email.message import EmailMessage
from email.utils import make_msgid

import pytest

from forum.inbound.server import controller

from ..conftest import free_port
from ..notifications.conftest import parts, smtp  # noqa: F401  (fixtures and helpers the tests use)

DOMAIN = "agora.test"


@pytest.fixture
def app(app_factory, smtp):
    return app_factory(SMTP_URL=smtp.url, INBOUND_EMAIL_DOMAIN=DOMAIN, NOTIFICATION_EMAIL_THREAD=False)


@pytest.fixture
def receiver(app):
    """The forum's side: ``flask mail serve``'s handler, in aiosmtpd's thread."""
    port = free_port()
    control = controller(app, host="127.0.0.1", port=port)
    control.start()
    control.port = port
    yield control
    control.stop()


def write(sender, to, body, subject="Re: [Agora] notification", **headers):
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, subject
    message["Message-ID"] = headers.pop("message_id", None) or make_msgid(domain="client.example")
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message


def send(receiver, message, sender=None, to=None):
    """The member's mail client: smtplib to the receiver. The SMTP reply, as (code, text)."""
    with smtplib.SMTP("127.0.0.1", receiver.port, timeout=30) as client:
        try:
            client.send_message(message, from_addr=sender, to_addrs=to)
        except smtplib.SMTPRecipientsRefused as refused:
            return list(refused.recipients.values())[0]
        except smtplib.SMTPDataError as error:
            return error.smtp_code, error.smtp_error
    return 250, b""
