"""Joining a comité without JavaScript, in a real browser: a member asks from the settings page,
the comité's moderator accepts from the requests page, and the member then reads the comité's
restricted bureau (which answered "not found" while the request was pending)."""
import os

import pytest
from playwright.sync_api import expect

from ..helpers import log_in, open_page

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("AGORA_SCREENSHOTS")   # a folder: each step is saved there to be looked at


def shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"adhesion-{name}.png"), full_page=True)


def test_a_member_asks_to_join_and_reads_the_bureau_once_accepted(site, forum, live_server, chromium):
    bureau = forum.space("Bureau du comité 13", kind="regional", visibility="restricted", committees=[site.committee])
    forum.topic(site.alice, bureau, "Ordre du jour de la plénière", body="Points à préparer.")
    camille = forum.member("Camille", college=site.college)
    phone = {"viewport": {"width": 360, "height": 740}, "locale": "fr-FR", "java_script_enabled": False}

    member_context = chromium.new_context(**phone)
    page = open_page(member_context)
    log_in(page, live_server, camille)
    page.goto(f"{live_server.url}/espace/{site.committee.slug}")
    page.click("main >> text=Demander à rejoindre ce comité")   # from the comité's page to the form
    expect(page.locator("#comites-committee")).to_have_value(str(site.committee.id))
    page.fill("#comites-message", "Éducatrice à Marseille, je participe aux plénières du comité.")
    shot(page, "1-demande")
    page.get_by_role("button", name="Demander à rejoindre").click()
    expect(page.locator("main")).to_contain_text("Votre demande est envoyée")
    expect(page.locator("main")).to_contain_text(f"Rejoindre « {site.committee.name} »")
    shot(page, "2-en-attente")
    assert page.goto(f"{live_server.url}/espace/{bureau.slug}").status == 404   # pending is not reading
    assert page.problems == ["Failed to load resource: the server responded with a status of 404 (NOT FOUND)"]
    page.problems.clear()

    moderator_context = chromium.new_context(**phone)
    moderation = open_page(moderator_context)
    log_in(moderation, live_server, site.moderator)
    moderation.click("nav >> text=Adhésions")
    request = moderation.locator("main li:has-text('Camille')")
    expect(request).to_contain_text("je participe aux plénières")
    request.locator("textarea").fill("Bienvenue au comité !")
    shot(moderation, "3-moderateur")
    request.locator("button[name=accept]").click()
    expect(moderation.locator("main")).to_contain_text("Demande de Camille : acceptée.")
    assert moderation.problems == []
    moderator_context.close()

    page.goto(f"{live_server.url}/espace/{bureau.slug}")
    expect(page.locator("h1")).to_have_text("Bureau du comité 13")
    expect(page.locator("main")).to_contain_text("Ordre du jour de la plénière")
    expect(page.locator("main .readers")).to_contain_text(f"Lisible par : les membres de « {site.committee.name} »")
    shot(page, "4-bureau")
    page.goto(f"{live_server.url}/notifications")
    expect(page.locator("main")).to_contain_text("est acceptée")
    assert page.problems == []
    member_context.close()
