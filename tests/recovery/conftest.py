"""Account recovery through the real SMTP server of the notification tests: each test reads the
emails it caused and follows their links, as a member would."""
import re
import time
from datetime import timedelta
from urllib.parse import urlsplit

import pytest

from forum import clock

from ..notifications.conftest import smtp  # noqa: F401  (the aiosmtpd server, a fixture)


@pytest.fixture
def app(app_factory, smtp):  # noqa: F811
    return app_factory(SMTP_URL=smtp.url)


def mails_to(mailbox, address, count=1, timeout=15):
    """The ``count`` first emails to ``address`` (account emails leave from a thread: wait)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and len(mailbox.to(address)) < count:
        time.sleep(0.05)
    found = mailbox.to(address)
    assert len(found) >= count, f"{len(found)} email(s) to {address}, expected {count}"
    return found


def body(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def link_path(message):
    """The site path of the (one) link of an account email."""
    return urlsplit(re.search(r"https?://\S+", body(message)).group(0)).path


@pytest.fixture
def later(monkeypatch):
    """Move the clock links are signed and checked with (forum.clock) forward."""
    real = clock.now

    def move(**delta):
        monkeypatch.setattr(clock, "now", lambda: real() + timedelta(**delta))
    return move
