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
