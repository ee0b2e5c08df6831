"""FORUM_REGISTRATION_MODE: open (the default), invitation (the form closed), approval (accounts
wait for the coordination, who approves or refuses them; the person is emailed either way)."""
import re
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from forum.accounts import invitations
from forum.accounts.models import Member
from forum.extensions import db

from .helpers import Browser, confirmation_path, email_text, sent_emails, text
from .test_accounts import register_form


@pytest.fixture
def choices(forum):
    forum.charter()
    return {"pro": forum.college("Professionnels du travail social"), "c13": forum.committee("13")}


def _members(app, email="nouvelle@example.fr"):
    with app.app_context():
        return db.session.scalar(select(func.count(Member.id)).where(Member.email == email))


def test_open_mode_is_the_default(app, choices):
    assert app.config["REGISTRATION_MODE"] == "open"
    browser = Browser(app.test_client())
    assert browser.post("/inscription", register_form(choices)).status_code == 303
    browser.post(confirmation_path(app, "nouvelle@example.fr"), {"submit": "1"})
    assert "Nouvelle" in text(browser.get("/"))


def test_invitation_mode_explains_and_refuses_the_form(app_factory, forum):
    app = app_factory(REGISTRATION_MODE="invitation", REGISTRATION_CONTACT="coordination@exemple.fr")
    choices = {"pro": forum.college("Pros"), "c13": forum.committee("13")}
    browser = Browser(app.test_client())
    page = browser.get("/inscription")
    assert page.status_code == 200
    assert "sur invitation" in text(page) and "coordination@exemple.fr" in text(page)
    assert 'name="password"' not in text(page)
    refused = browser.post("/inscription", register_form(choices))
    assert refused.status_code == 403 and "sur invitation" in text(refused)
    assert _members(app) == 0 and sent_emails(app) == []


def test_an_unknown_mode_stops_the_start(app_factory):
    with pytest.raises(RuntimeError, match="FORUM_REGISTRATION_MODE"):
        app_factory(REGISTRATION_MODE="ouvert")


@pytest.fixture
def approval_app(app_factory):
    return app_factory(REGISTRATION_MODE="approval")


def _register_and_confirm(app, choices):
    browser = Browser(app.test_client())
    assert "examine chaque inscription" in text(browser.get("/inscription"))
    assert browser.post("/inscription", register_form(choices)).status_code == 303
    confirmed = browser.post(confirmation_path(app, "nouvelle@example.fr"), {"submit": "1"})
    assert confirmed.status_code == 303
    home = text(browser.get("/"))
    assert "attend l'approbation" in home and "Se connecter" in home   # not logged in
    return browser


def _emailed(app, words):
    # Files of the same second sort in random order: look in every email to the address.
    return any(words in email_text(message) for message in sent_emails(app, "nouvelle@example.fr"))


def _login(browser):
    return browser.post("/connexion", {"login": "Nouvelle", "password": "un-mot-de-passe-long", "submit": "1"})


def test_approval_mode_keeps_the_account_waiting_until_approved(approval_app, forum, choices):
    app = approval_app
    browser = _register_and_confirm(app, choices)
    refused = _login(browser)
    assert refused.status_code == 403 and "attend l'approbation" in text(refused)
    coordinator = Browser(app.test_client())
    coordinator.login(forum.member("Coord", role="coordinator"))
    listing = coordinator.get("/coordination/inscriptions")
    assert listing.status_code == 200 and "Nouvelle" in text(listing) and "nouvelle@example.fr" in text(listing)
    with app.app_context():
        member_id = db.session.scalar(select(Member.id).where(Member.pseudonym == "Nouvelle"))
    assert coordinator.post(f"/coordination/inscriptions/{member_id}/approuver").status_code == 303
    assert _emailed(app, "ouvert votre compte")
    assert _login(browser).status_code == 303
    assert "Aucune inscription n'attend" in text(coordinator.get("/coordination/inscriptions"))
    assert coordinator.post(f"/coordination/inscriptions/{member_id}/approuver").status_code == 404


def test_approval_mode_refusal_deletes_the_account_and_tells_the_person(approval_app, forum, choices):
    app = approval_app
    browser = _register_and_confirm(app, choices)
    coordinator = Browser(app.test_client())
    coordinator.login(forum.member("Coord", role="coordinator"))
    with app.app_context():
        member_id = db.session.scalar(select(Member.id).where(Member.pseudonym == "Nouvelle"))
    assert coordinator.post(f"/coordination/inscriptions/{member_id}/refuser").status_code == 303
    assert _emailed(app, "n'a pas retenu votre demande")
    assert _members(app) == 0
    assert _login(browser).status_code == 401


def test_only_the_coordination_approves(approval_app, forum, choices):
    app = approval_app
    _register_and_confirm(app, choices)
    moderator = Browser(app.test_client())
    moderator.login(forum.moderator(forum.committee("06"), pseudonym="Modo06"))
    assert moderator.get("/coordination/inscriptions").status_code == 403
    with app.app_context():
        member_id = db.session.scalar(select(Member.id).where(Member.pseudonym == "Nouvelle"))
    assert moderator.post(f"/coordination/inscriptions/{member_id}/approuver").status_code == 403
    with app.app_context():
        assert db.session.get(Member, member_id).awaiting_approval is True


@pytest.mark.parametrize("mode", ["invitation", "approval"])
def test_an_invitation_opens_an_account_at_once_in_every_mode(app_factory, forum, mode):
    app = app_factory(REGISTRATION_MODE=mode)
    forum.charter()
    college, c13 = forum.college("Pros"), forum.committee("13")
    with app.app_context():
        invitations.invite(None, "invitee@example.fr", [c13.slug], college.slug)
    link = re.search(r"https?://\S+/invitation/\S+", email_text(sent_emails(app, "invitee@example.fr")[-1])).group(0)
    browser = Browser(app.test_client())
    accepted = browser.post(urlsplit(link).path, {
        "pseudonym": "Invitee", "password": "un-mot-de-passe-long", "show_college": "default",
        "adheres_convention": "y", "accepts_charter": "y", "submit": "1"})
    assert accepted.status_code == 303
    assert "Invitee" in text(browser.get("/"))   # logged in, no approval to wait for
