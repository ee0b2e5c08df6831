"""Look-alike pseudonyms: nobody may register a name that passes for another member's
(Unicode confusables, mixed alphabets, "_" "-" "." read as one), while accented names stay open."""
import pytest
from sqlalchemy import select

from forum.accounts.models import College, Member
from forum.extensions import db
from forum.text.pseudonyms import mixes_scripts, pseudonym_skeleton

from .helpers import text


@pytest.fixture
def app(demo_app):
    """Every test of this module starts from a copy of the demo (tests/conftest.py)."""
    return demo_app


# Each imitates a member of the demo: Cyrillic о, Cyrillic А, Cyrillic а, "_" for "-".
LOOK_ALIKES = ["M\u043ed-13", "Coordination-P\u0410CA", "Admin-Agor\u0430", "Mod_13"]


def registration(college_id, pseudonym, number):
    return {"pseudonym": pseudonym, "email": f"sosie{number}@example.fr",
            "password": "un-mot-de-passe-long", "college": str(college_id), "show_college": "default",
            "adheres_convention": "y", "accepts_charter": "y", "submit": "1"}


@pytest.fixture
def demo(app):
    with app.app_context():
        return db.session.scalars(select(College.id)).first()


def test_look_alikes_of_the_demo_members_are_refused(app, browser, demo):
    for number, pseudonym in enumerate(LOOK_ALIKES):
        response = browser.post("/inscription", registration(demo, pseudonym, number))
        assert response.status_code in (409, 422), pseudonym
        page = text(response)
        assert ("ressemble trop à celui d'un autre membre" in page
                or "mélanger plusieurs alphabets" in page), pseudonym
    with app.app_context():
        assert db.session.scalar(select(Member.id).where(Member.email.like("sosie%"))) is None


def test_a_look_alike_in_one_alphabet_is_a_conflict(browser, demo):
    for number, pseudonym in enumerate(["Mod.13", "M0d-l3", "Admin_Agora", "rnod-13"]):
        response = browser.post("/inscription", registration(demo, pseudonym, number))
        assert response.status_code == 409, pseudonym
        assert "ressemble trop à celui d'un autre membre" in text(response), pseudonym


def test_mixed_alphabets_are_refused(browser, demo):
    # Latin with Cyrillic, Latin with Greek: no member's name needed to refuse them.
    for number, pseudonym in enumerate(["Nouv\u0435lle", "Agor\u03b1-13"]):
        response = browser.post("/inscription", registration(demo, pseudonym, number))
        assert response.status_code == 422, pseudonym
        assert "Un pseudonyme ne peut pas mélanger plusieurs alphabets." in text(response)


def test_accented_and_single_alphabet_names_are_welcome(app, browser, demo):
    for number, pseudonym in enumerate(["Hélène", "Zoé.L", "Ирина", "日本語さくら"]):
        response = browser.post("/inscription", registration(demo, pseudonym, number))
        assert response.status_code == 303, (pseudonym, text(response))
        browser.logout()
    with app.app_context():
        skeletons = db.session.scalars(select(Member.pseudonym_skeleton)
                                       .where(Member.email.like("sosie%"))).all()
        assert len(skeletons) == 4 and None not in skeletons


def test_create_admin_refuses_a_look_alike(app, demo):
    result = app.test_cli_runner().invoke(args=[
        "accounts", "create-admin", "--pseudonym", "Admin-Agor\u0430", "--email", "a@example.fr",
        "--password", "un-long-mot-de-passe"])
    assert result.exit_code != 0 and "alphabets" in result.output
    result = app.test_cli_runner().invoke(args=[
        "accounts", "create-admin", "--pseudonym", "Admin_Agora", "--email", "a@example.fr",
        "--password", "un-long-mot-de-passe"])
    assert result.exit_code != 0 and "ressemble trop" in result.output


def test_skeleton_and_scripts():
    assert len({pseudonym_skeleton(name) for name in ["Mod-13", *LOOK_ALIKES[:1], "Mod_13", "mod.13"]}) == 1
    assert pseudonym_skeleton("Hélène") != pseudonym_skeleton("Helene")
    # Cyrillic capitals imitate Latin ones; its small в does not look like b.
    assert pseudonym_skeleton("\u0410\u0412\u0421") == pseudonym_skeleton("abc")
    assert not mixes_scripts("Zoé.L-13") and not mixes_scripts("日本語さくらカタカナ")
    assert mixes_scripts("Mod-1\u0417") and mixes_scripts("Zo\u0435")
