"""The follow-up page and the outcome form on a 360 px phone, in a real browser (chromium):
nothing scrolls sideways, every control is big enough, no console error (CSP), and the page
works without JavaScript (an action's state changed by its own form)."""
import os
from datetime import timedelta

import pytest

from forum.decisions import closing, outcomes
from forum.decisions.models import Poll
from forum.extensions import db
from forum.topics.models import Member

from ..accessibility.conftest import axe_source  # noqa: F401  (axe_source: a fixture)
from ..accessibility.test_axe import axe_violations, describe
from ..accessibility.test_phone import MINIMUM, OVERFLOW, PHONE, TARGETS
from ..helpers import log_in, open_page

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("FORUM_TEST_SCREENSHOTS")      # a folder: the screenshots looked at are kept there


@pytest.fixture
def backend():
    return "sqlite"


def test_the_follow_up_page_on_a_phone(app, forum, open_poll, live_server, chromium):
    committee = forum.committee("13", "Comité des Bouches-du-Rhône")
    alice = forum.member("Alice", committees=[committee])
    bruno = forum.member("Bruno", committees=[committee])
    topic = forum.topic(alice, committee, "Préparer la journée régionale du travail social")
    open_poll(alice, topic, question="Quel lieu pour la journée régionale de juin ?")
    poll = open_poll(alice, topic, question="Quel jour pour la réunion de préparation ?")
    today = outcomes.today()
    with app.app_context():
        closing.close_poll(db.session.get(Poll, poll.id), db.session.get(Member, alice.id))
        outcomes.write_outcome(
            db.session.get(Member, alice.id), db.session.get(Poll, poll.id),
            "La réunion aura lieu **jeudi 14 janvier** à la Maison des associations.", "", [
                outcomes.ActionRow(what="Réserver la grande salle de la Maison des associations", who="@Bruno",
                                   due_on=(today + timedelta(days=3)).isoformat()),
                outcomes.ActionRow(what="Demander le financement du buffet", who="CAF des Bouches-du-Rhône",
                                   due_on=(today + timedelta(days=20)).isoformat()),
                outcomes.ActionRow(what="Envoyer l'invitation aux partenaires")])
        db.session.get(Poll, poll.id).outcome.review_on = today
        db.session.commit()
    context = chromium.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2,
                                   java_script_enabled=False)
    page = open_page(context)
    log_in(page, live_server, bruno)
    for name, path in (("suivi", f"/espace/{committee.slug}/suivi"), ("espace", f"/espace/{committee.slug}")):
        page.goto(live_server.url + path)         # JavaScript off: looked at, measured below
        if SHOTS:
            page.screenshot(path=os.path.join(SHOTS, f"suivi-{name}-360.png"), full_page=True)
    page.goto(live_server.url + f"/espace/{committee.slug}/suivi")
    page.select_option("#etat-action-1", "done")
    page.click("form.action-state button")
    page.wait_for_url(live_server.url + f"/espace/{committee.slug}/suivi")
    assert "Réserver la grande salle" not in page.inner_text("main")      # done: no longer open
    context.close()

    measured = chromium.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    page = open_page(measured)
    log_in(page, live_server, alice)
    problems = {}
    for name, path in (("suivi", f"/espace/{committee.slug}/suivi"), ("issue", f"/decision/{poll.id}/issue"),
                       ("espace", f"/espace/{committee.slug}")):
        page.goto(live_server.url + path)
        measure = page.evaluate(OVERFLOW)
        small = page.evaluate(TARGETS, MINIMUM)
        if measure["scroll"] > measure["width"] or measure["wide"] or small:
            problems[name] = (measure, small)
        if SHOTS:
            page.screenshot(path=os.path.join(SHOTS, f"{name}-360.png"), full_page=True)
    assert not page.problems, page.problems
    measured.close()
    assert not problems, problems


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_on_the_follow_up_page_and_the_outcome_form(scheme, app, forum, open_poll, live_server,
                                                                        chromium, axe_source):
    committee = forum.committee("13", "Comité des Bouches-du-Rhône")
    alice = forum.member("Alice", committees=[committee])
    forum.member("Bruno", committees=[committee])
    topic = forum.topic(alice, committee, "Préparer la journée régionale")
    poll = open_poll(alice, topic, question="Quel jour pour la réunion ?")
    with app.app_context():
        closing.close_poll(db.session.get(Poll, poll.id), db.session.get(Member, alice.id))
        outcomes.write_outcome(db.session.get(Member, alice.id), db.session.get(Poll, poll.id), "Jeudi.", "", [
            outcomes.ActionRow(what="Réserver la salle", who="@Bruno",
                               due_on=(outcomes.today() - timedelta(days=0)).isoformat())])
    context = chromium.new_context(color_scheme=scheme)
    context.add_init_script(path=axe_source)
    page = open_page(context)
    log_in(page, live_server, alice)
    found = {}
    for name, path in (("suivi", f"/espace/{committee.slug}/suivi"), ("issue", f"/decision/{poll.id}/issue")):
        page.goto(live_server.url + path)
        if violations := axe_violations(page):
            found[name] = violations
    page.fill("#actions-1-what", "x" * 301)         # sent wrong: the errors are tied to their fields
    page.fill("#actions-1-who", "@Personne")
    page.click("main button[name=submit]")
    assert page.locator("#actions-1-who[aria-invalid=true]").count() == 1
    page.problems[:] = [p for p in page.problems if "422" not in p]     # the browser logs the 422 itself
    if violations := axe_violations(page):
        found["issue refusée"] = violations
    context.close()
    assert not found, "\n" + describe(found)
    assert page.problems == []
