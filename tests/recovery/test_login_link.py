"""A login link by email instead of a password; a new account's address before its password."""
from forum.accounts.models import Member
from forum.extensions import db

from ..helpers import PASSWORD, Browser, text
from .conftest import body, link_path, mails_to
from .test_reset import ask


def test_a_login_link_logs_in_once_after_a_button(forum, app, smtp):
    forum.member("Camille", email="camille@example.fr")
    known, unknown = ask(app, "camille@example.fr", "/connexion/lien"), ask(app, "nul@example.fr", "/connexion/lien")
    assert known == unknown and known[0] == 303
    [message] = mails_to(smtp, "camille@example.fr")
    assert "quinze minutes" in body(message)
    link = link_path(message)
    browser = Browser(app.test_client())
    page = browser.get(link)
    assert page.status_code == 200 and "Me connecter" in text(page)
    assert "Se connecter" in text(browser.get("/"))          # the GET logged no one in
    assert browser.post(link, {"submit": "1"}).status_code == 303
    assert "Se déconnecter" in text(browser.get("/"))
    again = Browser(app.test_client()).post(link, {"submit": "1"})
    assert again.status_code == 410 and "déjà servi" in text(again)
    assert 'action="/connexion/lien"' in text(again)
    assert smtp.to("nul@example.fr") == []


def test_a_login_link_serves_for_fifteen_minutes(forum, app, smtp, later):
    forum.member("Camille", email="camille@example.fr")
    ask(app, "camille@example.fr", "/connexion/lien")
    link = link_path(mails_to(smtp, "camille@example.fr")[0])
    later(minutes=14)
    assert Browser(app.test_client()).get(link).status_code == 200
    later(minutes=16)
    browser = Browser(app.test_client())
    assert browser.post(link, {"submit": "1"}).status_code == 410
    assert "Se connecter" in text(browser.get("/"))


def test_a_suspended_member_is_not_logged_in_by_a_link(forum, app, smtp):
    from datetime import timedelta

    from forum.clock import now
    forum.member("Camille", email="camille@example.fr", suspended_until=now() + timedelta(days=2))
    ask(app, "camille@example.fr", "/connexion/lien")
    browser = Browser(app.test_client())
    response = browser.post(link_path(mails_to(smtp, "camille@example.fr")[0]), {"submit": "1"}, follow_redirects=True)
    assert "suspendu" in text(response) and "Se connecter" in text(browser.get("/"))
    # What the link proved still opens the one door a suspension leaves: writing to the coordination.
    assert 'href="/messages/compte-suspendu" class="button">Écrire à la coordination' in text(response)
    assert browser.get("/messages/compte-suspendu").status_code == 200


def _register(browser, college, address):
    return browser.post("/inscription", {"pseudonym": "Nouvelle", "email": address, "password": "un-mot-de-passe-long",
                                         "college": str(college.id), "show_college": "default",
                                         "adheres_convention": "y", "accepts_charter": "y", "submit": "1"})


def test_a_new_account_confirms_its_address_before_its_password_logs_in(forum, app, smtp):
    college = forum.college("Professionnels")
    browser = Browser(app.test_client())
    assert _register(browser, college, "nouvelle@example.fr").status_code == 303
    first = link_path(mails_to(smtp, "nouvelle@example.fr")[0])
    refused = browser.post("/connexion", {"login": "Nouvelle", "password": "un-mot-de-passe-long", "submit": "1"})
    assert refused.status_code == 403 and "pas encore confirmée" in text(refused)
    assert "Renvoyer le lien de confirmation" in text(refused)
    sent = browser.post("/inscription/renvoyer", {"email": "nouvelle@example.fr", "submit": "1"})
    assert sent.status_code == 303
    second = link_path(mails_to(smtp, "nouvelle@example.fr", 2)[1])
    assert second.startswith("/inscription/confirmer/")
    assert browser.post(second, {"submit": "1"}).status_code == 303
    assert Browser(app.test_client()).post(first, {"submit": "1"}).status_code == 410   # confirmed: both spent
    browser.logout()
    assert browser.post("/connexion", {"login": "Nouvelle", "password": "un-mot-de-passe-long",
                                       "submit": "1"}).status_code == 303


def test_members_from_before_confirmation_are_not_locked_out(forum, app):
    member = forum.member("Ancienne")
    with app.app_context():
        row = db.session.get(Member, member.id)
        assert row.email_confirmed_at is None and row.email_confirmation_required is False
    Browser(app.test_client()).login(member, PASSWORD)


def test_an_expired_confirmation_link_offers_a_new_one(forum, app, smtp, later):
    college = forum.college("Professionnels")
    _register(Browser(app.test_client()), college, "nouvelle@example.fr")
    link = link_path(mails_to(smtp, "nouvelle@example.fr")[0])
    later(days=3)
    page = Browser(app.test_client()).get(link)
    assert page.status_code == 410 and "expiré" in text(page)
    assert 'action="/inscription/renvoyer"' in text(page)
    # Asking again: the same answer as for an address without an account; a new link arrives.
    assert ask(app, "nouvelle@example.fr", "/inscription/renvoyer") == \
        ask(app, "autre@example.fr", "/inscription/renvoyer")
    fresh = link_path(mails_to(smtp, "nouvelle@example.fr", 2)[1])
    assert Browser(app.test_client()).get(fresh).status_code == 200
    assert smtp.to("autre@example.fr") == []


def test_a_confirmed_account_is_sent_no_confirmation(forum, app, smtp):
    forum.member("Camille", email="camille@example.fr")
    assert ask(app, "camille@example.fr", "/inscription/renvoyer")[0] == 303
    ask(app, "camille@example.fr", "/connexion/lien")      # a later email, to know the first would be there
    assert [link_path(m).split("/")[2] for m in mails_to(smtp, "camille@example.fr")] == ["lien"]
