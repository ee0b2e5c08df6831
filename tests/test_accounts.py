"""Registration, login, logout, sessions, what others see of a member."""
import pytest
from sqlalchemy import select

from forum.accounts.membership import MembershipRequest
from forum.accounts.models import Member
from forum.charter.models import CharterAcceptance
from forum.extensions import db

from .helpers import PASSWORD, confirmation_path, text


@pytest.fixture
def choices(forum):
    forum.charter()
    return {
        "pro": forum.college("Professionnels du travail social"),
        "peers": forum.college("Personnes accompagnées", sensitive=True),
        "c13": forum.committee("13"),
    }


def register_form(choices, **overrides):
    form = {"pseudonym": "Nouvelle", "email": "nouvelle@example.fr", "password": "un-mot-de-passe-long",
            "college": str(choices["pro"].id), "committees": [str(choices["c13"].id)],
            "show_college": "default", "adheres_convention": "y", "accepts_charter": "y", "submit": "1"}
    form.update(overrides)
    return form


def test_register_then_confirm_by_email_then_collège_awaits_confirmation(browser, choices, app):
    response = browser.post("/inscription", register_form(choices))
    assert response.status_code == 303
    page = text(browser.get(response.headers["Location"]))
    assert "un courriel vous a été envoyé à nouvelle@example.fr pour confirmer" in page
    assert "Se connecter" in text(browser.get("/"))   # registration alone never logs in
    link = confirmation_path(app, "nouvelle@example.fr")
    assert "Confirmer et me connecter" in text(browser.get(link))
    confirmed = browser.post(link, {"submit": "1"})
    assert confirmed.status_code == 303
    home = text(browser.get("/"))
    assert "Nouvelle" in home and "Bienvenue" in home  # logged in
    with app.app_context():
        member = db.session.scalar(select(Member).where(Member.pseudonym == "Nouvelle"))
        assert member.college_confirmed is False and member.show_college is True
        assert member.email_confirmed_at is not None
        # Ticked at registration, the comité is asked, not granted; the collège waits likewise.
        assert member.committee_ids == set()
        waiting = db.session.scalars(select(MembershipRequest).where(MembershipRequest.member_id == member.id)).all()
        assert {(r.space_id, r.college_id, r.state) for r in waiting} == {
            (choices["c13"].id, None, "pending"), (None, choices["pro"].id, "pending")}
        assert member.password_hash.startswith("pbkdf2:") and "un-mot-de-passe-long" not in member.password_hash
        assert db.session.scalar(select(CharterAcceptance).where(CharterAcceptance.member_id == member.id))
    profile = text(browser.get("/membre/Nouvelle"))
    assert "collège à confirmer" in profile


def test_sensitive_collège_is_hidden_by_default(browser, choices, app):
    browser.post("/inscription", register_form(choices, college=str(choices["peers"].id)))
    with app.app_context():
        member = db.session.scalar(select(Member).where(Member.pseudonym == "Nouvelle"))
        assert member.show_college is False


@pytest.mark.parametrize("overrides, status, message", [
    ({"pseudonym": "a"}, 422, "Le pseudonyme doit compter de 3 à 30 caractères"),
    ({"email": "pas-une-adresse"}, 422, "adresse électronique n'est pas valide"),
    ({"password": "court"}, 422, "au moins 10 caractères"),
    ({"college": ""}, 422, "Choisissez votre collège"),
    ({"college": "9999"}, 422, "Choisissez votre collège"),
    ({"committees": ["9999"]}, 422, "comités choisis n'existe pas"),
    ({"adheres_convention": ""}, 422, "adhésion à la convention"),
    ({"accepts_charter": ""}, 422, "acceptation du règlement"),
])
def test_bad_registration_input(browser, choices, overrides, status, message):
    response = browser.post("/inscription", register_form(choices, **overrides))
    assert response.status_code == status
    page = text(response)
    assert message in page
    if "email" not in overrides:
        assert 'value="nouvelle@example.fr"' in page


def test_a_taken_pseudonym_is_a_conflict(forum, browser, choices):
    forum.member("Nouvelle", email="autre@example.fr")
    response = browser.post("/inscription", register_form(choices, pseudonym="NOUVELLE"))
    assert response.status_code == 409 and "déjà pris" in text(response)


def test_login_with_email_or_pseudonym_and_logout(forum, browser):
    member = forum.member("Camille", email="camille@example.fr")
    for login in ("camille", "Camille@Example.fr"):
        response = browser.post("/connexion", {"login": login, "password": PASSWORD, "submit": "1"})
        assert response.status_code == 303
        assert "Se déconnecter" in text(browser.get("/"))
        browser.logout()
        assert "Se connecter" in text(browser.get("/"))
    response = browser.post("/connexion", {"login": "camille", "password": "mauvais", "submit": "1"})
    assert response.status_code == 401 and "Identifiant ou mot de passe incorrect" in text(response)
    assert member.id


def test_login_page_is_a_plain_form(browser):
    page = text(browser.get("/connexion"))
    assert page.count("<form") >= 1
    assert 'type="password"' in page and 'name="login"' in page and 'type="submit"' in page


def test_open_redirect_is_refused_after_login(forum, browser):
    forum.member("Camille")
    response = browser.post("/connexion", {"login": "camille", "password": PASSWORD,
                                           "next": "https://evil.example/", "submit": "1"})
    assert response.headers["Location"] == "/"


def test_suspended_member_cannot_log_in_and_is_logged_out(forum, browser, app):
    from datetime import timedelta

    from forum.clock import now
    member = forum.member("Sanctionne")
    browser.login(member)
    with app.app_context():
        row = db.session.get(Member, member.id)
        row.suspended_until = now() + timedelta(days=3)
        db.session.commit()
    assert "Se connecter" in text(browser.get("/"))
    response = browser.post("/connexion", {"login": "Sanctionne", "password": PASSWORD, "submit": "1"})
    assert response.status_code == 403 and "suspendu" in text(response)


def test_changing_password_ends_other_sessions(forum, app):
    from .helpers import Browser
    member = forum.member("Camille")
    first, second = Browser(app.test_client()), Browser(app.test_client())
    first.login(member)
    second.login(member)
    response = first.post("/preferences", {"mdp-current_password": PASSWORD,
                                           "mdp-new_password": "nouveau-mot-de-passe", "mdp-submit": "1"})
    assert response.status_code == 303
    assert "Se déconnecter" in text(first.get("/"))
    assert "Se connecter" in text(second.get("/"))


def test_remember_me_sets_a_lasting_cookie(forum, browser):
    forum.member("Camille")
    response = browser.post("/connexion", {"login": "camille", "password": PASSWORD, "remember": "y",
                                           "submit": "1"})
    cookies = response.headers.getlist("Set-Cookie")
    assert any(c.startswith("remember_token=") and "HttpOnly" in c for c in cookies)


def test_settings_ask_to_join_a_committee_and_collège_display(forum, browser, choices, app):
    member = forum.member("Camille", college=choices["pro"])
    browser.login(member)
    response = browser.post("/preferences", {"comites-committee": str(choices["c13"].id),
                                             "comites-message": "Éducatrice à Marseille.", "comites-submit": "1"})
    assert response.status_code == 303
    assert "Votre demande est envoyée" in text(browser.get("/preferences"))
    response = browser.post("/preferences", {"profil-bio": "Éducatrice", "profil-locale": "fr",
                                             "profil-submit": "1"})
    assert response.status_code == 303
    with app.app_context():
        row = db.session.get(Member, member.id)
        assert row.committee_ids == set()   # asked, not granted
        asked = db.session.scalar(select(MembershipRequest).where(MembershipRequest.member_id == member.id))
        assert (asked.space_id, asked.state, asked.message) == (choices["c13"].id, "pending", "Éducatrice à Marseille.")
        assert row.show_college is False and row.bio == "Éducatrice"
    # Not shown to others; Camille herself is told who sees it (issue 16, item 16).
    assert "n'est pas affiché : seuls vous et la coordination le voyez" in text(browser.get("/membre/Camille"))
    browser.logout()
    assert "Professionnels du travail social" not in text(browser.get("/membre/Camille"))
