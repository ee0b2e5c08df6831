"""A forgotten password: the link by email, once, for an hour; every other session ends."""
import re

import pytest

from forum.accounts import recovery, tokens
from forum.accounts.models import Member, SpentToken
from forum.extensions import db

from ..helpers import PASSWORD, Browser, text
from .conftest import body, link_path, mails_to

NEW_PASSWORD = "un-nouveau-mot-de-passe"


def ask(app, address, route="/connexion/mot-de-passe-oublie"):
    browser = Browser(app.test_client())
    response = browser.post(route, {"email": address, "submit": "1"})
    page = text(browser.get(response.headers["Location"])) if response.status_code == 303 else text(response)
    return response.status_code, response.headers.get("Location"), _without_tokens(page)


def _without_tokens(page):
    # Each page carries its own CSRF tokens (the meta tag, the footer's form): not part of the answer.
    return re.sub(r'name="csrf_token" value="[^"]+"', "", re.sub(r'content="[^"]+"', "", page))


def test_the_login_page_offers_the_ways_back_in(client):
    page = text(client.get("/connexion"))
    assert "Mot de passe oublié ?" in page and 'href="/connexion/mot-de-passe-oublie"' in page
    assert "Recevoir un lien de connexion" in page and 'href="/connexion/lien"' in page


def test_a_forgotten_password_is_reset_by_the_emailed_link(forum, app, smtp):
    member = forum.member("Camille", email="camille@example.fr")
    elsewhere = Browser(app.test_client())
    elsewhere.login(member)
    assert ask(app, "Camille@Example.fr")[0] == 303
    [message] = mails_to(smtp, "camille@example.fr")
    assert "une heure" in body(message) and message["Subject"] == "[Agora] Choisir un nouveau mot de passe"
    link = link_path(message)

    browser = Browser(app.test_client())
    page = browser.get(link)      # opening the link (a mail scanner does) changes nothing
    assert page.status_code == 200 and 'autocomplete="new-password"' in text(page)
    short = browser.post(link, {"password": "court", "submit": "1"})
    assert short.status_code == 422 and "au moins" in text(short)     # the link still serves
    done = browser.post(link, {"password": NEW_PASSWORD, "submit": "1"})
    assert done.status_code == 303
    assert "Se déconnecter" in text(browser.get("/"))
    assert "Se connecter" in text(elsewhere.get("/"))                  # every other session ended

    again = Browser(app.test_client()).post(link, {"password": "encore-un-autre-mot", "submit": "1"})
    assert again.status_code == 410 and "déjà servi" in text(again)
    assert 'action="/connexion/mot-de-passe-oublie"' in text(again)    # the way to a new link
    assert Browser(app.test_client()).get(link).status_code == 410
    old = Browser(app.test_client()).post("/connexion", {"login": "camille", "password": PASSWORD, "submit": "1"})
    assert old.status_code == 401
    Browser(app.test_client()).login(member, NEW_PASSWORD)
    with app.app_context():   # a hash of the spent token is kept, never the token
        assert [row.digest for row in db.session.scalars(db.select(SpentToken))] == \
            [tokens._digest(link.rsplit("/", 1)[1])]


def test_the_answer_is_the_same_for_a_known_and_an_unknown_address(forum, app, smtp):
    forum.member("Camille", email="camille@example.fr")
    known = ask(app, "camille@example.fr")
    unknown = ask(app, "personne@example.fr")
    assert known == unknown and known[0] == 303
    assert "Si un compte existe pour cette adresse, un courriel vient d'y partir" in known[2]
    mails_to(smtp, "camille@example.fr")
    assert smtp.to("personne@example.fr") == []


def test_a_reset_link_serves_for_one_hour(forum, app, smtp, later):
    forum.member("Camille", email="camille@example.fr")
    ask(app, "camille@example.fr")
    link = link_path(mails_to(smtp, "camille@example.fr")[0])
    later(minutes=61)
    browser = Browser(app.test_client())
    expired = browser.get(link)
    assert expired.status_code == 410 and "expiré" in text(expired)
    assert browser.post(link, {"password": NEW_PASSWORD, "submit": "1"}).status_code == 410
    Browser(app.test_client()).login(forum.get(Member, 1))             # nothing changed


def test_a_reset_link_dies_when_the_password_changed_otherwise(forum, app, smtp):
    member = forum.member("Camille", email="camille@example.fr")
    ask(app, "camille@example.fr")
    link = link_path(mails_to(smtp, "camille@example.fr")[0])
    browser = Browser(app.test_client())
    browser.login(member)
    browser.post("/preferences", {"mdp-current_password": PASSWORD, "mdp-new_password": NEW_PASSWORD,
                                  "mdp-submit": "1"})
    assert Browser(app.test_client()).get(link).status_code == 410


@pytest.mark.parametrize("route", ["/connexion/nouveau-mot-de-passe/", "/connexion/lien/",
                                   "/preferences/adresse/confirmer/", "/inscription/confirmer/"])
def test_forged_links_are_refused(forum, app, smtp, route):
    member = forum.member("Camille", email="camille@example.fr")
    with app.app_context():
        real = tokens.issue(tokens.RESET, m=member.id, p="x")
        other_purpose = real if route != "/connexion/nouveau-mot-de-passe/" else tokens.issue(tokens.LOGIN, m=member.id)
    browser = Browser(app.test_client())
    for token in (real[:-4] + "AAAA", "n-importe-quoi", other_purpose, "é" * 20):
        for response in (browser.get(route + token), browser.post(route + token, {"submit": "1"})):
            assert response.status_code == 400 and "pas valable" in text(response), token
            assert "Recevoir un nouveau lien" in text(response)
    assert "Se connecter" in text(browser.get("/"))


def test_send_reset_link_for_the_administration(forum, app, smtp):
    member = forum.member("Camille", email="camille@example.fr")
    with app.app_context():
        assert recovery.send_reset_link(db.session.get(Member, member.id)) is True
    assert "/connexion/nouveau-mot-de-passe/" in link_path(mails_to(smtp, "camille@example.fr")[0])


class SlowMailbox:
    """A mail server that takes a second to accept each message."""

    def __init__(self):
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        import asyncio
        await asyncio.sleep(1)
        self.count += 1
        return "250 Message accepted for delivery"


def test_the_answer_does_not_wait_for_the_mail_server(app_factory):
    """Timing must not tell either: the email leaves from a thread, the answer does not wait."""
    import time

    from aiosmtpd.controller import Controller

    from ..conftest import free_port
    mailbox, port = SlowMailbox(), free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        app = app_factory(SMTP_URL=f"smtp://127.0.0.1:{port}")
        from ..helpers import Forum
        Forum(app).member("Camille", email="camille@example.fr")
        timings = {}
        for address in ("camille@example.fr", "personne@example.fr"):
            started = time.monotonic()
            assert ask(app, address)[0] == 303
            timings[address] = time.monotonic() - started
        assert max(timings.values()) < 0.8, timings
        deadline = time.monotonic() + 10
        while mailbox.count < 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert mailbox.count == 1          # the known address's email did leave
    finally:
        controller.stop()
