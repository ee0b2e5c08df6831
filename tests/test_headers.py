"""Security headers and cookies on every kind of answer: a page, JSON, an attachment, an error
page, a redirect, the Socket.IO handshake."""
import io

import pytest
from PIL import Image

from forum.extensions import db
from forum.topics import attachments

from .helpers import Browser

BASE = {"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "same-origin",
        "Cross-Origin-Opener-Policy": "same-origin"}


def _attachment(app, member_id):
    from forum.accounts.models import Member
    image = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(image, "PNG")
    with app.app_context():
        stored = attachments.store(db.session.get(Member, member_id), "image.png", image.getvalue())
        db.session.commit()
        return stored.url


@pytest.fixture
def answers(app, forum):
    member = forum.member("Camille")
    space = forum.space("Espace")
    topic = forum.topic(member, space)
    url = _attachment(app, member.id)
    forum.topic(member, space, body=f"![image]({url})")
    browser = Browser(app.test_client())
    browser.login(member)
    return {
        "page": browser.get(f"/sujet/{topic.id}"),
        "json": browser.get("/search.json?q=sujet"),
        "attachment": browser.get(url),
        "error page": browser.get("/sujet/999999"),
        "redirect": browser.get(f"/message/{topic.id}"),
        "socket.io handshake": browser.get("/socket.io/?EIO=4&transport=polling"),
        "anonymous page": app.test_client().get("/"),
    }


@pytest.mark.parametrize("kind", ["page", "json", "attachment", "error page", "redirect", "socket.io handshake",
                                  "anonymous page"])
def test_every_kind_of_answer_carries_the_security_headers(answers, kind):
    response = answers[kind]
    assert response.status_code < 500
    for name, value in BASE.items():
        assert response.headers.get(name) == value, (kind, name)
    csp = response.headers.get("Content-Security-Policy", "")
    assert "script-src 'self'" in csp or "default-src 'none'" in csp, kind
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, kind
    if kind != "anonymous page":
        # What a member sees is theirs alone: no shared cache keeps it.
        assert "private" in response.headers.get("Cache-Control", ""), kind


def test_the_session_cookie_is_httponly_and_samesite(app, forum):
    member = forum.member("Camille")
    browser = Browser(app.test_client())
    response = browser.login(member)
    cookies = [value for name, value in response.headers.items() if name == "Set-Cookie"]
    session = [cookie for cookie in cookies if cookie.startswith("session=")]
    assert session and all("HttpOnly" in cookie and "SameSite=Lax" in cookie for cookie in session)
