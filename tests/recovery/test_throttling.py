"""Requests for emailed links are limited per network, per address typed and per account."""
import time

from ..helpers import Browser, Forum, text
from .conftest import mails_to


def _from(app, network):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = network
    return Browser(client)


def _statuses(browsers, route, addresses):
    return [browser.post(route, {"email": address, "submit": "1"}).status_code
            for browser, address in zip(browsers, addresses)]


def test_links_are_limited_per_address_typed(app_factory, smtp):
    app = app_factory(SMTP_URL=smtp.url, RATELIMIT_ENABLED=True, RATELIMIT_LINK_ADDRESS="2 per hour")
    browsers = [_from(app, f"192.0.2.{i}") for i in range(1, 5)]     # from four networks
    statuses = _statuses(browsers, "/connexion/mot-de-passe-oublie", ["cible@example.fr"] * 3)
    assert statuses == [303, 303, 429]
    refused = browsers[3].post("/connexion/lien", {"email": "cible@example.fr", "submit": "1"})
    assert refused.status_code == 429 and "Trop de tentatives" in text(refused)
    assert refused.headers.get("Retry-After")


def test_links_are_limited_per_network(app_factory, smtp):
    app = app_factory(SMTP_URL=smtp.url, RATELIMIT_ENABLED=True, RATELIMIT_LINK_NETWORK="3 per hour")
    browser = _from(app, "192.0.2.7")
    statuses = _statuses([browser] * 4, "/connexion/lien", [f"a{i}@example.fr" for i in range(4)])
    assert statuses == [303, 303, 303, 429]
    other = _from(app, "2001:db8:1:2::5"), _from(app, "2001:db8:1:2::6"), _from(app, "198.51.100.1")
    assert _statuses(other, "/connexion/lien", ["b@example.fr", "c@example.fr", "d@example.fr"]) == [303, 303, 303]


def test_an_invalid_address_does_not_use_up_the_limits(app_factory, smtp):
    app = app_factory(SMTP_URL=smtp.url, RATELIMIT_ENABLED=True, RATELIMIT_LINK_NETWORK="1 per hour")
    browser = _from(app, "192.0.2.8")
    refused = browser.post("/connexion/mot-de-passe-oublie", {"email": "pas-une-adresse", "submit": "1"})
    assert refused.status_code == 422 and 'value="pas-une-adresse"' in text(refused)
    assert _statuses([browser], "/connexion/mot-de-passe-oublie", ["ok@example.fr"]) == [303]


def test_an_account_receives_a_limited_number_of_emails_silently(app_factory, smtp):
    app = app_factory(SMTP_URL=smtp.url, RATELIMIT_ENABLED=True, RATELIMIT_ACCOUNT_LINKS="2 per hour",
                      RATELIMIT_LINK_ADDRESS="10 per hour")
    Forum(app).member("Camille", email="camille@example.fr")
    browsers = [_from(app, f"192.0.2.{i}") for i in range(10, 14)]
    routes = ["/connexion/mot-de-passe-oublie", "/connexion/lien", "/connexion/mot-de-passe-oublie",
              "/connexion/lien"]
    statuses = [browser.post(route, {"email": "camille@example.fr", "submit": "1"}).status_code
                for browser, route in zip(browsers, routes)]
    assert statuses == [303, 303, 303, 303]          # a 429 would tell that the account exists
    mails_to(smtp, "camille@example.fr", 2)
    time.sleep(0.5)                                 # what a third email would have needed
    assert len(smtp.to("camille@example.fr")) == 2
