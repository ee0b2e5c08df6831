"""In a real browser: printing a topic never prints moderated text, whoever prints (issue 16,
item 8); the coordination orders spaces, pins, announces and tags (items 7 and 12), on a
360 px phone and a desktop, with JavaScript on and off. Screenshots go to the test's folder."""
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from forum.clock import now

from ..helpers import log_in, open_page
from .test_axe import axe_violations, describe

pytestmark = pytest.mark.browser

HIDDEN_TEXT = "Qui vient au match dimanche ?"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


def _main_text(page):
    return page.inner_text("main")


def test_a_printed_topic_never_carries_moderated_text_whoever_prints(site, forum, live_server, chromium, tmp_path):
    coordinator = forum.member("Coordination-PACA", role="coordinator")
    admin = forum.member("Admin-Agora", role="admin")
    bob = forum.get(type(coordinator), site.bob.id)   # the hidden post's author
    viewers = {"visiteur": None, "membre": site.alice, "auteur": bob, "modérateur": site.moderator,
               "coordination": coordinator, "administration": admin}
    for name, member in viewers.items():
        context = chromium.new_context(viewport=DESKTOP, locale="fr-FR")
        page = open_page(context)
        if member is not None:
            log_in(page, live_server, member)
        page.goto(f"{live_server.url}/sujet/{site.topic.id}")
        on_screen = _main_text(page)
        assert "Message masqué par la modération" in on_screen, name
        # On screen, whoever may read the hidden text does (so that the print check can fail).
        assert (HIDDEN_TEXT in on_screen) == (name in ("auteur", "modérateur", "coordination", "administration")), name
        page.emulate_media(media="print")
        printed = _main_text(page)
        assert HIDDEN_TEXT not in printed, name
        assert "Message masqué par la modération" in printed, name
        assert "Le logement d'abord" in printed, name                  # the visible posts are printed
        if name == "coordination":
            page.pdf(path=str(tmp_path / "impression-coordination.pdf"))
            page.emulate_media(media="screen")
            page.screenshot(path=str(tmp_path / "ecran-coordination.png"), full_page=True)
        assert page.problems == [], name
        context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "sans-js"])
@pytest.mark.parametrize("device", ["telephone", "bureau"])
def test_the_coordination_orders_pins_announces_and_tags(device, javascript, site, forum, live_server, chromium,
                                                         tmp_path, axe_source):
    coordinator = forum.member("Coordination-PACA", role="coordinator")
    context = chromium.new_context(viewport=PHONE if device == "telephone" else DESKTOP, locale="fr-FR",
                                   java_script_enabled=javascript)
    if javascript:
        context.add_init_script(path=axe_source)
    page = open_page(context)
    shots = iter(range(1, 100))

    def shot(step):
        page.screenshot(path=str(tmp_path / f"{device}-{'js' if javascript else 'sans-js'}-{next(shots):02}-{step}.png"),
                        full_page=True)
        if device == "telephone":
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"{step}: the page scrolls sideways ({width} px)"
        if javascript:
            violations = axe_violations(page)
            assert not violations, "\n" + describe({step: violations})

    log_in(page, live_server, coordinator)
    page.goto(f"{live_server.url}/coordination/")
    spaces = page.locator("ol.space-order")
    expect(spaces).to_contain_text("Comité local, ouvert à tous")
    assert "(comite" not in spaces.inner_text() and "public)" not in spaces.inner_text()
    first = spaces.locator("li").first.locator("a").first.inner_text()
    shot("coordination")
    spaces.locator("li").first.get_by_role("button", name="Descendre").click()
    expect(page.locator(".notices")).to_contain_text("a changé de place")
    assert spaces.locator("li").nth(1).locator("a").first.inner_text() == first
    shot("espace-descendu")

    page.goto(f"{live_server.url}/moderation/sujets/{site.topic.id}")
    shot("bureau-du-sujet")
    page.locator("form#epingler button").click()
    expect(page.locator(".notices")).to_contain_text("Sujet épinglé")
    page.locator("form#annoncer button").click()              # no end date: refused at its field
    expect(page.locator("#annoncer-until-erreurs")).to_contain_text("Une date de fin (jj/mm/aaaa)")
    shot("annonce-sans-date")
    page.problems[:] = [p for p in page.problems if "422" not in p]   # the browser logs the status itself
    page.fill("#annoncer-until", f"{now() + timedelta(days=7):%d/%m/%Y}")
    page.check("#annoncer-audience-tous")
    page.locator("form#annoncer button").click()
    expect(page.locator(".notices")).to_contain_text("Annonce faite")
    page.goto(f"{live_server.url}/sujet/{site.topic.id}")
    expect(page.locator(".topic-meta")).to_contain_text("annonce de la coordination")
    shot("sujet-annonce")

    page.get_by_role("link", name="Modifier les étiquettes").click()
    page.fill("#new_tags", "non  recours")
    shot("etiquettes")
    page.get_by_role("button", name="Enregistrer les étiquettes").click()
    expect(page.locator(".notices")).to_contain_text("Étiquettes enregistrées")
    expect(page.locator(".topic-meta")).to_contain_text("Non recours")
    page.goto(f"{live_server.url}/espace/{site.committee.slug}")
    expect(page.locator(".topic-row").first).to_contain_text("annonce")
    shot("espace")

    page.goto(f"{live_server.url}/coordination/espaces/{site.theme.id}")
    expect(page.locator("main")).to_contain_text("Cet espace contient des sujets")     # no removal
    page.get_by_role("button", name="Archiver l'espace").click()
    expect(page.locator(".notices")).to_contain_text("est archivé")
    shot("espace-archive")
    page.goto(f"{live_server.url}/")
    expect(page.locator("#archives + p + ul")).to_contain_text("Protection de l'enfance")
    shot("accueil-archives")

    page.goto(f"{live_server.url}/coordination/convention")
    page.fill("#text", "Chaque membre adhère à cette convention.\n\n1. Les collèges se valent.\n2. On part librement.")
    page.fill("#note", "Une version plus courte")
    shot("convention")
    page.get_by_role("button", name="Publier cette version").click()
    expect(page.locator("main")).to_contain_text("Les collèges se valent.")
    expect(page.locator("main")).to_contain_text("Version 1")
    shot("convention-publiee")
    assert page.problems == []
    context.close()

    member = chromium.new_context(viewport=PHONE if device == "telephone" else DESKTOP, locale="fr-FR",
                                  java_script_enabled=javascript)
    if javascript:
        member.add_init_script(path=axe_source)
    page = open_page(member)
    log_in(page, live_server, site.bob)
    page.goto(f"{live_server.url}/notifications")
    expect(page.locator("main")).to_contain_text("Annonce de la coordination dans Comité des Bouches-du-Rhône")
    page.screenshot(path=str(tmp_path / f"{device}-{'js' if javascript else 'sans-js'}-membre-notifications.png"),
                    full_page=True)
    # On Bob's home page until its end, then hidden for him by its button (a form, with or without JavaScript).
    page.goto(f"{live_server.url}/")
    block = page.locator("#annonces-accueil")
    expect(block).to_contain_text(site.topic.title)
    assert page.evaluate("document.documentElement.scrollWidth") <= (PHONE if device == "telephone" else DESKTOP)["width"]
    if javascript:
        violations = axe_violations(page)
        assert not violations, "\n" + describe({"accueil-annonce": violations})
    page.screenshot(path=str(tmp_path / f"{device}-{'js' if javascript else 'sans-js'}-membre-accueil.png"),
                    full_page=True)
    block.get_by_role("button", name="Masquer cette annonce").click()
    expect(page.locator(".notices")).to_contain_text("Annonce masquée")
    expect(page.locator("#annonces-accueil")).to_have_count(0)
    assert page.problems == []
    member.close()
