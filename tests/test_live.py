"""The shared live-server and browser fixtures work: a real page in a real chromium."""
import pytest


@pytest.mark.browser
def test_home_in_chromium_without_javascript_errors(live_server, chromium):
    context = chromium.new_context()
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(live_server.url + "/")
    assert page.title().endswith("Agora des comités locaux")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert errors == []
    context.close()
