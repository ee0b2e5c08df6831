"""Two-step login in a real browser without JavaScript, on a phone: turn it on from the settings
(reading the secret written on the page, as one types it into an app), log out, log in again
with a code computed by pyotp, then with a recovery code."""
import re
import time

import pyotp
import pytest
from playwright.sync_api import expect

from ..helpers import PASSWORD, open_page


pytestmark = pytest.mark.browser


def first_step(page, server, member):
    page.goto(f"{server.url}/connexion")
    page.fill("#login", member.pseudonym)
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit][name=submit]")


def test_a_member_turns_two_step_login_on_and_logs_in_with_a_code(site, live_server, chromium):
    context = chromium.new_context(java_script_enabled=False, locale="fr-FR",
                                   viewport={"width": 360, "height": 740})
    page = open_page(context)
    first_step(page, live_server, site.alice)
    page.wait_for_url(f"{live_server.url}/")

    page.click("header >> text=Préférences")
    page.click("#deux-etapes >> text=Activer la connexion en deux étapes")
    expect(page.locator("h1")).to_have_text("Connexion en deux étapes")
    expect(page.locator("img.qr-code")).to_have_attribute("src", re.compile(r"^data:image/svg\+xml;base64,"))
    secret = page.inner_text("#cle-secrete").replace(" ", "")
    totp = pyotp.TOTP(secret)
    page.fill("#code", "000000" if totp.now() != "000000" else "111111")   # a wrong code first
    page.click("main button[type=submit][name=submit]")
    expect(page.locator("#erreurs-formulaire")).to_contain_text("Ce code ne correspond pas")
    page.problems[:] = [p for p in page.problems if "401" not in p]   # the browser logs the refusal itself
    page.fill("#code", totp.now())
    page.click("main button[type=submit][name=submit]")
    expect(page.locator("h1")).to_have_text("Vos codes de secours")
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10

    page.click("header button:has-text('Se déconnecter')")
    expect(page.locator("main")).to_contain_text("Vous êtes déconnecté.")   # the same home page, said
    first_step(page, live_server, site.alice)
    page.wait_for_url(f"{live_server.url}/connexion/deux-etapes")
    expect(page.locator("main")).to_contain_text("saisissez le code à 6 chiffres")
    page.fill("#code", totp.at(time.time() + 30))   # the code just used is spent: the next one
    page.click("main button[type=submit][name=submit]")
    page.wait_for_url(f"{live_server.url}/")
    expect(page.locator("header")).to_contain_text("Se déconnecter")

    page.click("header button:has-text('Se déconnecter')")
    first_step(page, live_server, site.alice)
    page.fill("#code", codes[0])
    page.click("main button[type=submit][name=submit]")
    expect(page.locator(".notices")).to_contain_text("Il vous en reste 9.")
    assert page.problems == []
    context.close()
