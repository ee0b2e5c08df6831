"""The leaks of the hardening pass around accounts: where `next` may send a member, sessions
that outlive a logout, what registration tells about an address, cookies over HTTPS."""
import pytest

from .helpers import PASSWORD, Browser, text

OFF_SITE = ["https://evil.example/", "//evil.example/", "/\\evil.example", "/\t/evil.example",
            "javascript:alert(1)", "evil.example"]


@pytest.mark.parametrize("target", OFF_SITE)
def test_accepting_the_charter_never_redirects_off_site(forum, browser, target):
    forum.charter()
    browser.login(forum.member("Camille", accept_charter=False))
    response = browser.post("/reglement/accepter?" + _query(target), {"submit": "1"})
    assert response.status_code == 303 and response.headers["Location"] == "/"


def test_accepting_the_charter_goes_back_to_a_page_of_the_site(forum, browser):
    forum.charter()
    browser.login(forum.member("Camille", accept_charter=False))
    response = browser.post("/reglement/accepter?next=/aide", {"submit": "1"})
    assert response.headers["Location"] == "/aide"


@pytest.mark.parametrize("target", OFF_SITE)
def test_the_login_form_never_carries_an_off_site_next(forum, browser, target):
    page = browser.get("/connexion?" + _query(target)).get_data(as_text=True)
    assert "evil" not in page and "javascript:" not in page
    forum.member("Camille")
    response = browser.post("/connexion", {"login": "camille", "password": PASSWORD, "next": target,
                                           "submit": "1"})
    assert response.headers["Location"] == "/"


def _query(target):
    from urllib.parse import urlencode
    return urlencode({"next": target})


def _login_cookies(app, member, **headers):
    browser = Browser(app.test_client())
    response = browser.client.post("/connexion", data={"login": member.pseudonym, "password": PASSWORD,
                                                       "remember": "y", "submit": "1"}, headers=headers)
    assert response.status_code == 303
    return [c for c in response.headers.getlist("Set-Cookie") if c.startswith(("session=", "remember_token="))]


def test_cookies_are_secure_when_a_trusted_proxy_says_https(app_factory):
    app = app_factory(PROXY_COUNT=1, WTF_CSRF_ENABLED=False)
    from .helpers import Forum
    member = Forum(app).member("Camille")
    cookies = _login_cookies(app, member, **{"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"})
    assert len(cookies) == 2 and all("; Secure" in c for c in cookies)
    plain = _login_cookies(app, member, **{"X-Forwarded-Proto": "http"})
    assert plain and not any("Secure" in c for c in plain)


def test_forwarded_headers_are_ignored_without_a_trusted_proxy(app_factory):
    app = app_factory(WTF_CSRF_ENABLED=False)
    from .helpers import Forum
    member = Forum(app).member("Camille")
    assert not any("Secure" in c for c in _login_cookies(app, member, **{"X-Forwarded-Proto": "https"}))


def test_cookies_are_secure_by_default_for_any_host_but_this_machine(app_factory):
    app = app_factory(WTF_CSRF_ENABLED=False)
    from .helpers import Forum
    member = Forum(app).member("Camille")
    cookies = _login_cookies(app, member, Host="agora.example.org")
    assert len(cookies) == 2 and all("; Secure" in c for c in cookies)


def test_cookies_follow_an_explicit_setting(app_factory):
    app = app_factory(WTF_CSRF_ENABLED=False, SESSION_COOKIE_SECURE=False)
    from .helpers import Forum
    member = Forum(app).member("Camille")
    assert not any("Secure" in c for c in _login_cookies(app, member, Host="agora.example.org"))


@pytest.mark.parametrize("proxies, statuses", [(0, [401, 401, 429]), (1, [401, 401, 401])])
def test_a_forged_forwarded_address_changes_the_rate_limit_key_only_behind_a_trusted_proxy(
        app_factory, proxies, statuses):
    app = app_factory(RATELIMIT_ENABLED=True, RATELIMIT_LOGIN="2 per minute", PROXY_COUNT=proxies,
                      WTF_CSRF_ENABLED=False)
    client = app.test_client()
    # A different account each time: only the per-address limit can answer 429.
    seen = [client.post("/connexion", data={"login": f"personne{i}", "password": "faux", "submit": "1"},
                        headers={"X-Forwarded-For": f"198.51.100.{i}"}).status_code for i in range(3)]
    assert seen == statuses
