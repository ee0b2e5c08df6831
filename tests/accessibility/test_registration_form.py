"""Registering on a phone, with JavaScript off and on (issue 16, item 17): "Fatima B" is told what
to type instead, nothing typed is lost after a refusal (the password included), and the
règlement is read inside the form instead of leaving it."""
import pytest
from playwright.sync_api import expect

from ..helpers import confirmation_path, open_page


pytestmark = pytest.mark.browser


@pytest.mark.parametrize("javascript", [False, True], ids=["sans-javascript", "avec-javascript"])
def test_fatima_registers_on_a_phone_without_retyping(javascript, site, app, live_server, chromium):
    context = chromium.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True,
                                   java_script_enabled=javascript)
    page = open_page(context)
    page.goto(live_server.url + "/inscription")
    page.fill("#pseudonym", "Fatima B")
    page.fill("#email", "fatima@exemple.fr")
    page.fill("#password", "un mot de passe solide")
    page.select_option("#college", label=site.college.name)
    page.check("#adheres_convention")
    # The règlement opens inside the form: the page stays, and so does what was typed.
    page.click("summary:has-text('Lire le règlement de fonctionnement')")
    rules = page.locator("details.text-to-accept[open]")
    expect(rules).to_contain_text("Respect des personnes")
    expect(rules).to_contain_text("Article 2 — Confidentialité des situations évoquées")
    assert page.url == live_server.url + "/inscription"
    assert page.input_value("#pseudonym") == "Fatima B" and page.input_value("#password") == "un mot de passe solide"
    page.check("#accepts_charter")
    page.click("main button[type=submit][name=submit]")

    # Refused for its space, with a name to type instead; nothing typed is lost.
    error = page.locator("#pseudonym-erreurs")
    expect(error).to_contain_text("ne contient pas d'espace")
    expect(error).to_contain_text("« Fatima-B »")
    assert page.input_value("#pseudonym") == "Fatima B"
    assert page.input_value("#email") == "fatima@exemple.fr"
    assert page.input_value("#password") == "un mot de passe solide"
    assert page.is_checked("#adheres_convention") and page.is_checked("#accepts_charter")
    page.fill("#pseudonym", "Fatima-B")
    page.click("main button[type=submit][name=submit]")
    expect(page.locator("main")).to_contain_text("un courriel vous a été envoyé à")
    page.goto(live_server.url + confirmation_path(app, "fatima@exemple.fr"))
    page.click("main button[type=submit][name=submit]")
    expect(page.locator("main")).to_contain_text("Bienvenue ! Votre compte est créé.")
    # The refusal's 422 is logged by the browser as a failed load: that one is expected.
    assert [p for p in page.problems if "status of 422" not in p] == []
    context.close()


def test_the_password_given_back_is_never_kept_by_a_cache(site, browser):
    refused = browser.post("/inscription", {"pseudonym": "Fatima B", "email": "fatima@exemple.fr",
                                            "password": "un mot de passe solide", "submit": "1"})
    assert refused.status_code == 422
    assert 'value="un mot de passe solide"' in refused.get_data(as_text=True)
    assert refused.headers["Cache-Control"] == "private, no-store"
