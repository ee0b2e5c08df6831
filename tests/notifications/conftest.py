"""A real SMTP server (aiosmtpd on 127.0.0.1) and helpers for the notification tests."""
import email
import email.policy
import threading
import time

import pytest
from aiosmtpd.controller import Controller


from ..conftest import free_port


class Mailbox:
    """Collects every message the server accepts, parsed with the standard library."""

    def __init__(self):
        self.messages = []
        self.envelopes = []
        self.refuse = set()          # addresses answered with a permanent failure
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.envelopes.append(envelope)
            self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address):
        return [m for m in self.messages if address in str(m["To"])]

    def wait_for(self, count, timeout=15):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and len(self.messages) < count:
            time.sleep(0.05)
        return self.messages


@pytest.fixture
def smtp():
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    mailbox.url = f"smtp://127.0.0.1:{port}"
    mailbox.port = port
    yield mailbox
    controller.stop()


@pytest.fixture
def app(app_factory, smtp):
    """Every notification test sends through the real SMTP server above."""
    return app_factory(SMTP_URL=smtp.url)


def parts(message):
    """(plain text, html) of a multipart/alternative message."""
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return text, html
