"""Security by default: headers, CSRF on every form, rate limits, secrets, errors without traces."""
import pytest
from werkzeug.routing.converters import AnyConverter, NumberConverter

from forum import create_app

from .helpers import PASSWORD, Browser, text


def test_security_headers_and_strict_csp(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "object-src 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "<script>" not in text(response)          # no inline script anywhere
    assert ' style="' not in text(response)


# POST routes that take no CSRF token, each with its reason.
CSRF_EXEMPT = {
    "notifications.unsubscribe": "one-click unsubscription (RFC 8058): the mail client posts without a page; "
                                 "the signed token in the address is the proof",
    "realtime.bench_emit": "benchmark hook, off unless configured (tests/test_fuzz.py checks it is off)",
}


def _address(rule):
    """The rule's address with a value of the right kind for each argument."""
    values = {name: 1 if isinstance(converter, NumberConverter)
              else sorted(converter.items)[0] if isinstance(converter, AnyConverter) else "x"
              for name, converter in rule._converters.items()}
    return rule.build(values, append_unknown=False)[1]


def test_every_post_requires_a_csrf_token(forum, browser, app):
    member = forum.member("Camille")
    forum.topic(member, forum.space("Espace"))
    browser.login(member)
    rules = [rule for rule in app.url_map.iter_rules() if "POST" in rule.methods]
    assert set(CSRF_EXEMPT) <= {rule.endpoint for rule in rules}
    for rule in rules:
        if rule.endpoint in CSRF_EXEMPT:
            continue
        url = _address(rule)
        response = browser.post(url, {"title": "Sans jeton", "body": "Mon texte précieux", "submit": "1"},
                                csrf=False)
        assert response.status_code == 400, (rule.endpoint, url, response.status_code)
    page = browser.post("/nouveau-sujet", {"title": "Sans jeton", "body": "Mon texte précieux", "submit": "1"},
                        csrf=False)
    assert "Le formulaire a expiré" in text(page) and "Mon texte précieux" in text(page)


def test_login_is_rate_limited_per_account(app_factory):
    app = app_factory(RATELIMIT_ENABLED=True, RATELIMIT_LOGIN="3 per minute")
    from .helpers import Forum
    Forum(app).member("Camille")
    browser = Browser(app.test_client())
    statuses = [browser.post("/connexion", {"login": "camille", "password": "faux", "submit": "1"}).status_code
                for _ in range(4)]
    assert statuses == [401, 401, 401, 429]
    page = browser.post("/connexion", {"login": "camille", "password": PASSWORD, "submit": "1"})
    assert page.status_code == 429 and "Trop de tentatives" in text(page)


def test_posting_is_rate_limited_per_member(app_factory):
    app = app_factory(RATELIMIT_ENABLED=True, RATELIMIT_POSTING="2 per minute",
                      RATELIMIT_POSTING_NEW_MEMBER="2 per minute")
    from .helpers import Forum
    forum = Forum(app)
    member = forum.member("Camille")
    topic = forum.topic(member, forum.space("Espace"))
    browser = Browser(app.test_client())
    browser.login(member)
    statuses = [browser.post(f"/sujet/{topic.id}/repondre", {"body": f"Réponse {i}", "submit": "1"}).status_code
                for i in range(3)]
    assert statuses == [303, 303, 429]


def test_dev_secret_key_is_refused_outside_testing(monkeypatch, tmp_path):
    from forum.config import DEV_SECRET_KEY
    monkeypatch.setenv("FORUM_SECRET_KEY", DEV_SECRET_KEY)
    with pytest.raises(RuntimeError):
        create_app({"INSTANCE_PATH": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})
    monkeypatch.delenv("FORUM_SECRET_KEY")
    app = create_app({"INSTANCE_PATH": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})
    assert app.config["SECRET_KEY"] != DEV_SECRET_KEY and len(app.config["SECRET_KEY"]) > 40
    again = create_app({"INSTANCE_PATH": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})
    assert again.config["SECRET_KEY"] == app.config["SECRET_KEY"]


@pytest.mark.parametrize("url", ["/sujet/999999", "/espace/inconnu", "/message/424242", "/membre/nobody",
                                 "/etiquette/rien", "/sujet/abc", "/coordination/"])
def test_unknown_or_forbidden_pages_answer_cleanly(client, url):
    response = client.get(url)
    assert response.status_code in (302, 404)
    assert "Traceback" not in text(response)


def test_oversized_request_is_413_in_french(forum, browser, app):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    member = forum.member("Camille")
    browser.login(member)
    response = browser.post("/nouveau-sujet", {"body": "x" * 5000})
    assert response.status_code == 413 and "trop volumineux" in text(response)


def test_database_outage_gives_a_503_page(tmp_path):
    # No email sender thread: it would outlive the test, failing to reach the database each minute.
    broken = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path / "i"), "SECRET_KEY": "x",
                         "NOTIFICATION_EMAIL_THREAD": False,
                         "DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1:1/none",
                         "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://postgres@127.0.0.1:1/none"})
    response = broken.test_client().get("/")
    assert response.status_code == 503
    assert "indisponible" in text(response) and "Traceback" not in text(response)
    assert response.headers["Retry-After"]
