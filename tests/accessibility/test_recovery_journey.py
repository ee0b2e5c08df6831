"""A member who forgot their password gets back in, in a real browser without JavaScript:
"Mot de passe oublié ?" → the address → the emailed link (instance's mail folder) → a new password."""
import re
import time
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from ..helpers import email_text, open_page, sent_emails


pytestmark = pytest.mark.browser


def _emailed_path(app, address, timeout=15):
    """The link of the first email to ``address`` (account emails leave from a thread: wait)."""
    deadline = time.monotonic() + timeout
    while not sent_emails(app, address) and time.monotonic() < deadline:
        time.sleep(0.1)
    return urlsplit(re.search(r"https?://\S+", email_text(sent_emails(app, address)[0])).group(0)).path


def test_a_forgotten_password_is_reset_without_javascript(forum, app, live_server, chromium):
    forum.member("Camille", email="camille@exemple.fr")
    context = chromium.new_context(java_script_enabled=False)
    page = open_page(context)
    page.goto(live_server.url + "/connexion")
    page.click("main >> text=Mot de passe oublié ?")
    expect(page.locator("h1")).to_have_text("Mot de passe oublié")
    page.fill("#email", "camille@exemple.fr")
    page.click("main button[type=submit][name=submit]")
    expect(page.locator("main")).to_contain_text("Si un compte existe pour cette adresse, un courriel vient d'y partir.")

    page.goto(live_server.url + _emailed_path(app, "camille@exemple.fr"))
    expect(page.locator("h1")).to_have_text("Choisir un nouveau mot de passe")
    page.fill("#password", "court")
    page.click("main button[type=submit][name=submit]")
    expect(page.locator("#password-erreurs")).to_contain_text("au moins")
    page.fill("#password", "un nouveau mot de passe")
    page.click("main button[type=submit][name=submit]")
    expect(page.locator("main")).to_contain_text("Votre nouveau mot de passe est enregistré")
    expect(page.locator("header")).to_contain_text("Se déconnecter")

    again = open_page(chromium.new_context(java_script_enabled=False))
    again.goto(page.url.rstrip("/") + urlsplit(_emailed_path(app, "camille@exemple.fr")).path)
    expect(again.locator("h1")).to_have_text("Lien inutilisable")
    expect(again.locator("main")).to_contain_text("déjà servi")
    again.click("main button:has-text('Recevoir un nouveau lien')")
    expect(again.locator("h1")).to_have_text("Mot de passe oublié")
    again.goto(live_server.url + "/connexion")
    again.fill("#login", "Camille")
    again.fill("#password", "un nouveau mot de passe")
    again.click("main button[type=submit][name=submit]")
    expect(again.locator("header")).to_contain_text("Se déconnecter")
    # The browser logs the refused short password (422) and the spent link (410) as failed
    # loads: the only problems expected.
    assert [p for p in page.problems + again.problems if "status of 422" not in p and "status of 410" not in p] == []
    context.close()
