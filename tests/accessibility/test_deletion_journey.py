"""Deleting one's account and changing one's mind, in a real browser without JavaScript: ask for
the deletion from the preferences (choice and password), see the banner, then cancel it with the
link of the email (a page with a button), on a phone-sized screen."""
import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from forum.accounts import deletion
from forum.accounts.models import Member
from forum.extensions import db

from ..helpers import PASSWORD, email_text, log_in, open_page, sent_emails


pytestmark = pytest.mark.browser


def test_a_member_asks_for_deletion_then_cancels_it_from_the_email(site, app, live_server, chromium, tmp_path):
    context = chromium.new_context(java_script_enabled=False, locale="fr-FR",
                                   viewport={"width": 360, "height": 740})
    page = open_page(context)
    log_in(page, live_server, site.alice)
    page.goto(f"{live_server.url}/preferences")
    page.click("text=Supprimer mon compte et choisir ce que deviennent mes messages")
    expect(page.locator("h1")).to_have_text("Supprimer mon compte")
    page.check("label:has-text('Les garder')")
    page.fill("#password", "pas le bon mot de passe")
    page.click("main [type=submit][name=submit]")
    expect(page.locator(".form-errors")).to_contain_text("Le mot de passe ne correspond pas.")
    expect(page.locator("label:has-text('Les garder') >> xpath=preceding-sibling::input")).to_be_checked()
    page.fill("#password", PASSWORD)
    page.click("main [type=submit][name=submit]")
    expect(page.locator("main")).to_contain_text("La suppression de votre compte est programmée.")
    expect(page.locator("form.notice")).to_contain_text("Annuler la suppression")
    page.screenshot(path=str(tmp_path / "programmee.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    message = sent_emails(app, "alice@test.agora.localhost")[-1]
    link = re.search(r"https?://\S+/suppression/annuler/\S+", email_text(message)).group(0)
    visitor = open_page(chromium.new_context(java_script_enabled=False, locale="fr-FR"))
    visitor.goto(live_server.url + urlsplit(link).path)
    expect(visitor.locator("h1")).to_have_text("Annuler la suppression de mon compte")
    visitor.click("main button[type=submit][name=submit]")
    expect(visitor.locator("main")).to_contain_text("La suppression de votre compte est annulée")
    visitor.goto(live_server.url + urlsplit(link).path)
    expect(visitor.locator(".form-errors")).to_contain_text("déjà servi")

    page.goto(f"{live_server.url}/")
    expect(page.locator("form.notice")).to_have_count(0)
    with app.app_context():
        assert deletion.pending_request(db.session.get(Member, site.alice.id)) is None
    # The refused password (422) and the spent link (410) are answers, not errors of the page.
    problems = [p for p in page.problems + visitor.problems if "Failed to load resource" not in p]
    assert problems == []
    context.close()
