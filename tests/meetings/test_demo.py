"""The demo's meetings (forum/devdata/meetings_demo.py): after `flask forum seed-demo`, the comité
13 has its next plenary (hybrid, registrations with needs), a full working group with a waiting
list, a cancelled evening, a held plenary; the coordination has an online meeting."""
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from forum.devdata import demo
from forum.extensions import db
from forum.meetings.models import Meeting, Registration, TravelClaim

from ..helpers import text


@pytest.fixture
def app(demo_app):
    """Every test of this module starts from a copy of the demo (tests/conftest.py)."""
    return demo_app


def test_the_demo_shows_meetings_to_come_a_waiting_list_and_a_cancelled_one(app, browser):
    with app.app_context():
        meetings = {m.title: m for m in db.session.scalars(select(Meeting))}
        group = meetings["Groupe de travail « Courriers en FALC »"]
        waiting = db.session.scalars(select(Registration.status).where(
            Registration.meeting_id == group.id)).all()
        assert sorted(waiting) == ["registered"] * 4 + ["waiting"] * 2
        assert meetings["Soirée d'échange avec les élus"].is_cancelled
        assert meetings["Plénière : accueil des jeunes majeurs"].has_ended
    browser.login(SimpleNamespace(pseudonym="Karim"), password=demo.DEMO_PASSWORD)
    listing = text(browser.get("/espace/comite-des-bouches-du-rhone/reunions"))
    for title in ("Plénière : le non-recours aux droits", "Soirée d'échange avec les élus",
                  "Plénière : accueil des jeunes majeurs"):
        assert title in listing
    plenary = text(browser.get(f"/reunion/{meetings['Plénière : le non-recours aux droits'].id}"))
    assert "Vous êtes inscrit·e." in plenary and "https://visio.agora.localhost/comite-13-pleniere" in plenary


def test_the_held_plenary_has_its_attendance_and_two_claims_one_to_decide(app, browser):
    with app.app_context():
        held = db.session.scalar(select(Meeting).where(Meeting.title == "Plénière : accueil des jeunes majeurs"))
        claims = {c.member.pseudonym: c.status for c in db.session.scalars(
            select(TravelClaim).where(TravelClaim.meeting_id == held.id))}
        assert claims == {"Karim": "submitted", "Djamel.A": "validated"}
    browser.login(SimpleNamespace(pseudonym="Coordination-PACA"), password=demo.DEMO_PASSWORD)
    page = text(browser.get("/coordination/frais-de-deplacement"))
    assert "Karim" in page and "12,40" in page


def test_the_plenary_has_its_agenda_and_the_held_meeting_its_minutes(app, browser):
    with app.app_context():
        meetings = {m.title: m.id for m in db.session.scalars(select(Meeting))}
    browser.login(SimpleNamespace(pseudonym="Mod-13"), password=demo.DEMO_PASSWORD)
    plenary = text(browser.get(f"/reunion/{meetings['Plénière : le non-recours aux droits']}/ordre-du-jour"))
    for words in ("Le non-recours aux droits : où en sommes-nous ?", "France services : quel relais",
                  "Plan d'actions 2027 : le thème prioritaire", "Les courriers de la CAF en FALC"):
        assert words in plenary
    held = text(browser.get(f"/reunion/{meetings['Plénière : accueil des jeunes majeurs']}"))
    assert "trois ruptures" in held and "Quatorze personnes présentes" in held
