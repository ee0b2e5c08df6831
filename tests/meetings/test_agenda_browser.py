"""The agenda and the minutes in a real browser: ordered without JavaScript on a phone, and no
WCAG 2.1 A or AA violation found by axe-core on their pages."""
import pytest
from playwright.sync_api import expect

from forum.extensions import db
from forum.meetings.models import AgendaItem

from ..accessibility.conftest import axe_source  # noqa: F401  (a fixture)
from ..accessibility.test_axe import axe_violations, describe
from ..helpers import log_in, open_page

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def backend():
    """Browser tests run on SQLite only (the pages do not depend on the database)."""
    return "sqlite"


@pytest.fixture
def scene(app, forum, schedule, move):
    committee = forum.committee("13", "Comité des Bouches-du-Rhône")
    organiser = forum.moderator(committee, pseudonym="Modo13", committees=[committee])
    alice = forum.member("Alice", committees=[committee])
    topic = forum.topic(alice, committee, "Le logement des jeunes")
    meeting = schedule(organiser, committee, title="Plénière de janvier")
    held = move(schedule(organiser, committee, title="Plénière de décembre"), -8)
    with app.app_context():
        for position, title in enumerate(("Accueil", "Logement", "Transports"), start=1):
            db.session.add(AgendaItem(meeting_id=meeting.id, proposer_id=alice.id, title=title, status="accepted",
                                      position=position, topic_id=topic.id if title == "Logement" else None))
            db.session.add(AgendaItem(meeting_id=held.id, proposer_id=alice.id, title=title, status="accepted",
                                      position=position))
        db.session.add(AgendaItem(meeting_id=meeting.id, proposer_id=alice.id, title="Questions diverses",
                                  status="proposed"))
        db.session.commit()
    return dict(organiser=organiser, alice=alice, meeting=meeting, held=held)


def titles(page):
    """The agenda's titles, waited for: a click's POST and redirect may still be loading the next page."""
    return page.locator("#points ~ ol > li .agenda-title")


def test_an_organiser_orders_the_agenda_on_a_phone_without_javascript(scene, live_server, chromium):
    context = chromium.new_context(java_script_enabled=False, viewport=PHONE)
    page = open_page(context)
    log_in(page, live_server, scene["organiser"])
    page.goto(f"{live_server.url}/reunion/{scene['meeting'].id}/ordre-du-jour")
    expect(titles(page)).to_have_text(["Accueil", "Logement", "Transports"])
    page.get_by_role("button", name="Monter — Transports").click()
    expect(titles(page)).to_have_text(["Accueil", "Transports", "Logement"])
    page.get_by_role("button", name="Retenir — Questions diverses").click()
    expect(titles(page)).to_have_text(["Accueil", "Transports", "Logement", "Questions diverses"])
    page.get_by_label("Durée prévue (minutes) — Accueil").fill("douze")
    page.get_by_role("button", name="Enregistrer — durée de « Accueil »").click()
    assert "entre 1 et 600" in page.content() and page.get_by_label("Durée prévue (minutes) — Accueil").input_value() == "douze"
    width = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert width <= PHONE["width"]


@pytest.mark.parametrize("who", ["organiser", "alice"])
def test_the_agenda_and_minutes_pages_have_no_wcag_violation(who, scene, live_server, chromium, axe_source):  # noqa: F811
    context = chromium.new_context()
    context.add_init_script(path=axe_source)
    page = open_page(context)
    log_in(page, live_server, scene[who])
    found = {}
    for path in (f"/reunion/{scene['meeting'].id}/ordre-du-jour", f"/reunion/{scene['held'].id}/compte-rendu",
                 f"/reunion/{scene['meeting'].id}", "/"):
        page.goto(live_server.url + path)
        violations = axe_violations(page)
        if violations:
            found[path] = violations
    context.close()
    assert not found, "\n" + describe(found)
    assert page.problems == []
