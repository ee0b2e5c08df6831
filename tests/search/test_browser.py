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
