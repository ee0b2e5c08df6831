"""The header search box in a real browser: without JavaScript, on a phone-sized screen."""
import pytest

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
@pytest.mark.parametrize("engine", ["whoosh"], indirect=True)   # one backend is enough for the browser
def test_header_box_searches_without_javascript_on_a_phone(world, forum, chromium, live_server, engine):
    forum.topic(world.alice, world.theme, "Hébergement d'urgence", "Les places d'hébergement manquent.")
    context = chromium.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(live_server.url + "/")
    box = page.get_by_label("Rechercher")
    for element in (box, page.locator("header form[role=search] button")):
        size = element.bounding_box()
        assert size["height"] >= 44
    box.fill("hebergement")
    box.press("Enter")
    page.wait_for_url("**/recherche?q=hebergement")
    result = page.locator("ol.search-results li").first
    assert "Hébergement" in result.locator("h2").inner_text()
    assert result.locator("mark").count() >= 1
    context.close()


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
@pytest.mark.parametrize("engine", ["whoosh"], indirect=True)
@pytest.mark.parametrize("viewport", [{"width": 360, "height": 740}, {"width": 1280, "height": 800}],
                         ids=["telephone", "bureau"])
def test_a_space_name_is_found_and_filters_are_chosen_from_lists(world, forum, chromium, live_server, engine,
                                                                 viewport, tmp_path):
    rights = forum.space("Non-recours aux droits")
    debate = forum.topic(world.alice, rights, "Les dossiers trop longs", "Beaucoup de personnes abandonnent.")
    forum.topic(world.bob, world.theme, "Des dossiers à simplifier", "Les dossiers sont trop longs.")
    context = chromium.new_context(viewport=viewport, locale="fr-FR")
    page = context.new_page()
    page.goto(live_server.url + "/")
    box = page.get_by_label("Rechercher")
    box.fill("non recours")
    box.press("Enter")
    page.wait_for_url("**/recherche?q=non+recours")
    assert page.locator("ol.search-results li h2").all_inner_texts() == ["Les dossiers trop longs"]
    # Words for everyone; the syntax only for who opens the advanced help.
    assert "@pseudonyme" not in page.inner_text("#recherche-aide")
    assert not page.get_by_text("les messages d’un membre").is_visible()
    page.get_by_text("Recherche avancée").click()
    assert page.get_by_text("les messages d’un membre").is_visible()
    page.screenshot(path=str(tmp_path / "recherche-avancee.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]

    # The collège is chosen from a list of names (typing "Personnes accompagnées" used to fail).
    page.get_by_label("Chercher dans les messages").fill("dossiers")
    page.get_by_text("Filtres", exact=True).click()
    page.get_by_label("Collège de l'auteur").select_option(label="Travailleurs sociaux")
    assert page.get_by_label("Étiquette").locator("option").all_inner_texts() == ["Toutes les étiquettes"]
    page.screenshot(path=str(tmp_path / "recherche-filtres.png"), full_page=True)
    page.locator("main form[role=search] button[type=submit]").click()
    page.wait_for_url("**college=*")
    assert page.locator(".notice-warning").count() == 0
    assert page.locator("ol.search-results li h2").all_inner_texts() == ["Les dossiers trop longs"]
    assert page.get_by_label("Collège de l'auteur").evaluate("s => s.selectedOptions[0].textContent") == \
        "Travailleurs sociaux"
    assert debate.id
    context.close()
