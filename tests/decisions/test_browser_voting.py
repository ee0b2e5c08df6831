"""Voting in a real browser: with JavaScript off (the forms alone), on a 360 px phone, and
checked by axe-core. Few and fast: SQLite only."""
import os

import pytest
from sqlalchemy import select

from forum.decisions import closing
from forum.decisions.models import Ballot, Poll
from forum.extensions import db

from ..accessibility.test_axe import WCAG_A_AA, axe_violations, describe
from ..helpers import log_in

pytestmark = pytest.mark.browser

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
AXE = os.path.join(ROOT, "node_modules", "axe-core", "axe.min.js")
SHOTS = os.environ.get("DECISIONS_SCREENSHOTS", "/tmp")


@pytest.fixture
def backend():
    """Browser tests use SQLite only (the pages do not depend on the database)."""
    return "sqlite"


@pytest.fixture
def site(app, forum, open_poll, vote):
    committee = forum.committee("13", "Comité des Bouches-du-Rhône")
    alice = forum.member("Alice", committees=[committee])
    bob = forum.member("Bob", committees=[committee])
    topic = forum.topic(alice, committee, "Préparer la plénière de décembre")
    ranked = open_poll(alice, topic, kind="ranked", question="Quel ordre du jour ?",
                       options=("Le logement", "Les transports", "L'accueil des jeunes majeurs"))
    meeting = open_poll(alice, topic, kind="meeting", question="Quand nous réunir ?",
                        options=("mardi 12 janvier, 14 h", "jeudi 14 janvier, 9 h 30"), quorum_voters=3)
    vote(alice, ranked, {0: 1, 1: 2})
    closed = open_poll(alice, topic, kind="single", question="Adopter le compte rendu de novembre ?",
                       options=("Oui, tel quel", "Oui, avec les corrections proposées", "Non"), quorum_voters=5)
    vote(alice, closed, {1: 1})
    vote(bob, closed, {0: 1}, "Il est très bien écrit.")
    with app.app_context():
        closing.close_poll(db.session.get(Poll, closed.id), None)
    return committee, alice, bob, topic, ranked, meeting, closed


def ballot_of(app, poll, member):
    with app.app_context():
        ballot = db.session.scalar(select(Ballot).where(Ballot.poll_id == poll.id, Ballot.member_id == member.id))
        return {int(k): v for k, v in ballot.choice.items()} if ballot else None


def test_a_ranked_choice_and_a_meeting_poll_are_voted_with_javascript_off(app, site, live_server, chromium):
    committee, alice, bob, topic, ranked, meeting, closed = site
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, live_server, bob)
    page.goto(f"{live_server.url}/sujet/{topic.id}")
    block = page.locator(f"#decision-{ranked.id}")
    block.get_by_label("Les transports").select_option("1")
    block.get_by_label("L'accueil des jeunes majeurs").select_option("2")
    block.get_by_role("button", name="Voter").click()
    page.wait_for_url(f"**#decision-{ranked.id}")
    assert ballot_of(app, ranked, bob) == {1: 1, 2: 2}
    # The same rank twice: refused, the ranks chosen still selected.
    block = page.locator(f"#decision-{ranked.id}")
    block.get_by_label("Le logement").select_option("1")
    block.get_by_role("button", name="Changer mon vote").click()
    assert "même rang" in page.locator(f"#d{ranked.id}-choix-erreurs").inner_text()
    assert page.locator(f"#d{ranked.id}-r0").input_value() == "1"
    page.locator(f"#decision-{ranked.id}").screenshot(path=os.path.join(SHOTS, "decision-ranked-refused.png"))
    assert ballot_of(app, ranked, bob) == {1: 1, 2: 2}

    page.goto(f"{live_server.url}/sujet/{topic.id}")
    slots = page.locator(f"#decision-{meeting.id}")
    slots.locator("fieldset", has_text="mardi 12 janvier").get_by_label("Peut-être").check()
    slots.locator("fieldset", has_text="jeudi 14 janvier").get_by_label("Oui").check()
    slots.get_by_role("button", name="Voter").click()
    page.wait_for_url(f"**#decision-{meeting.id}")
    assert ballot_of(app, meeting, bob) == {0: 1, 1: 2}
    shown = page.locator(f"#decision-{meeting.id}").text_content()
    assert "Changer mon vote" in shown and "Bob : mardi 12 janvier, 14 h : Peut-être" in shown
    context.close()


def test_the_block_on_a_phone_and_under_axe(app, site, live_server, chromium):
    committee, alice, bob, topic, ranked, meeting, closed = site
    if not os.path.exists(AXE):
        pytest.fail(f"{AXE} is missing: run `make assets`")
    context = chromium.new_context(viewport={"width": 360, "height": 780}, device_scale_factor=1)
    context.add_init_script(path=AXE)
    page = context.new_page()
    log_in(page, live_server, bob)
    page.goto(f"{live_server.url}/sujet/{topic.id}")
    for poll in (ranked, meeting, closed):
        block = page.locator(f"#decision-{poll.id}")
        block.screenshot(path=os.path.join(SHOTS, f"decision-{poll.kind}-360.png"))
        box = block.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360, box
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.locator(".topic-decisions").screenshot(path=os.path.join(SHOTS, "decision-list-360.png"))
    found = {"sujet avec décisions": axe_violations(page)}
    page.goto(f"{live_server.url}/espace/{committee.slug}")
    page.locator(f"li[data-topic-id='{topic.id}']").screenshot(path=os.path.join(SHOTS, "decision-row-360.png"))
    found["espace"] = axe_violations(page)
    page.goto(f"{live_server.url}/sujet/{topic.id}/decision")
    page.screenshot(path=os.path.join(SHOTS, "decision-open-360.png"), full_page=True)
    found["ouvrir une décision"] = axe_violations(page)
    page.click("main form button[type=submit]")
    page.wait_for_selector("#erreurs-formulaire")
    found["ouvrir une décision, erreurs"] = axe_violations(page)
    page.screenshot(path=os.path.join(SHOTS, "decision-open-errors-360.png"), full_page=True)
    # Its author changes it: the edit page, and its errors.
    context.clear_cookies()
    log_in(page, live_server, alice)
    page.goto(f"{live_server.url}/decision/{meeting.id}/modifier")
    found["modifier une décision"] = axe_violations(page)
    page.fill("#question", "")
    page.click("main form button[type=submit]")
    page.wait_for_selector("#erreurs-formulaire")
    found["modifier une décision, erreurs"] = axe_violations(page)
    page.screenshot(path=os.path.join(SHOTS, "decision-edit-errors-360.png"), full_page=True)
    assert WCAG_A_AA and not any(found.values()), "\n" + describe({k: v for k, v in found.items() if v})
    context.close()
