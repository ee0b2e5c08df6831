"""A personne accompagnée registers to a meeting and declares her travel costs with a receipt,
on a phone (360 px), without JavaScript: a real browser (Chromium), French."""
import pytest

from ..helpers import log_in, open_page
from .travel_world import claims, png, world

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}


def _fits(page):
    page.wait_for_load_state("load")     # the stylesheet in place before measuring
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_personne_accompagnee_registers_and_declares_her_travel_costs(app, forum, live_server, chromium,
                                                                          tmp_path):
    w = world(app, forum)
    nadia = forum.member("Nadia", college=w.covered, committees=[w.committee])
    receipt = tmp_path / "billet-de-train.png"
    receipt.write_bytes(png((300, 200)))
    context = chromium.new_context(java_script_enabled=False, locale="fr-FR", viewport=PHONE)
    page = open_page(context)
    log_in(page, live_server, nadia)
    page.goto(f"{live_server.url}/reunion/{w.meeting.id}")
    page.click("button:has-text(\"Je m'inscris\")")
    page.wait_for_url(f"**/reunion/{w.meeting.id}*")
    assert "Vous êtes inscrit·e." in page.inner_text("main")
    page.click("text=Déclarer vos frais de déplacement")
    assert page.locator("h1").inner_text() == "Frais de déplacement"
    assert _fits(page)
    # A first try without the receipt: the message is next to the field, what was typed is kept.
    page.check("text=Un billet (train, car, bus…)")
    page.fill("#amount", "23,40")
    page.fill("#note", "Train Manosque – Marseille, aller-retour.")
    page.click("button:has-text('Envoyer la demande'), input[value='Envoyer la demande']")
    assert "Un billet demande son justificatif" in page.inner_text("#receipt-erreurs")
    assert page.input_value("#amount") == "23,40"
    assert _fits(page)
    page.screenshot(path=str(tmp_path / "frais-erreur.png"), full_page=True)
    page.set_input_files("#receipt", str(receipt))
    page.click("button:has-text('Envoyer la demande'), input[value='Envoyer la demande']")
    main = page.inner_text("main")
    assert "Votre demande de remboursement est envoyée" in page.inner_text("body")
    assert "23,40 €" in main and "en attente de la coordination" in main
    page.goto(f"{live_server.url}/reunion/{w.meeting.id}")
    assert "23,40 €" in page.inner_text("#titre-frais + dl, main")
    assert _fits(page)
    page.screenshot(path=str(tmp_path / "reunion-frais.png"), full_page=True)
    [claim] = claims(app, member_id=nadia.id)
    assert (claim.mode, claim.amount_cents, claim.receipt_type) == ("ticket", 2340, "image/png")
    assert [p for p in page.problems if "status of 422" not in p] == []     # the refused first try only
    context.close()
