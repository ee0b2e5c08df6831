"""Security by default: headers, CSRF on every form, rate limits, secrets, errors without traces."""
import pytest

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


def test_every_post_requires_a_csrf_token(forum, browser, app):
    member = forum.member("Camille")
    space = forum.space("Espace")
    topic = forum.topic(member, space)
    browser.login(member)
    targets = [rule.rule for rule in app.url_map.iter_rules() if "POST" in rule.methods]
    assert len(targets) > 5
    for url in ("/nouveau-sujet", f"/sujet/{topic.id}/repondre", "/deconnexion", "/connexion",
                "/inscription", "/preferences", "/reglement/accepter"):
        response = browser.post(url, {"title": "Sans jeton", "body": "Mon texte précieux", "submit": "1"},
                                csrf=False)
        assert response.status_code == 400, url
        if url == "/nouveau-sujet":
            page = text(response)
            assert "Le formulaire a expiré" in page and "Mon texte précieux" in page


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
