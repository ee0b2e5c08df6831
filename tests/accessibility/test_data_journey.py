"""Karim downloads his data without JavaScript, on a phone; the coordination deactivates an
account from the members' list. A real browser (Chromium), French, 360 px wide."""
import io
import json
import zipfile

import pytest

from ..helpers import log_in, open_page
from .test_axe import axe_violations, describe

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}


def _fits(page):
    page.wait_for_load_state("load")     # the stylesheet in place before measuring
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_member_downloads_their_data_without_javascript(site, app, live_server, chromium, tmp_path):
    context = chromium.new_context(java_script_enabled=False, locale="fr-FR", viewport=PHONE, accept_downloads=True)
    page = open_page(context)
    log_in(page, live_server, site.alice)
    page.goto(f"{live_server.url}/preferences")
    page.click("text=Télécharger tout ce qu'Agora garde sur moi")
    assert page.locator("h1").inner_text() == "Mes données"
    assert _fits(page)
    page.screenshot(path=str(tmp_path / "mes-donnees.png"), full_page=True)
    with page.expect_download() as download:
        page.click("button:has-text('Préparer mon archive')")
    path = download.value.path()
    assert download.value.suggested_filename.startswith("agora-mes-donnees-")
    with zipfile.ZipFile(path) as archive:
        profile = json.loads(archive.read("profil.json"))
        index = archive.read("index.html").decode()
    assert profile["pseudonym"] == "Alice"
    assert "Préparer la plénière de décembre" in index and "<script" not in index
    # The archive's own page, opened in the browser, reads as a document.
    viewer = open_page(context)
    viewer.set_content(index)
    assert viewer.locator("h1").inner_text() == "Mes données sur Agora"
    assert viewer.locator("h2").count() >= 8
    viewer.screenshot(path=str(tmp_path / "archive-index.png"), full_page=True)
    assert page.problems == [] and viewer.problems == []
    context.close()


def test_the_coordination_deactivates_an_account_without_javascript(site, app, forum, live_server, chromium,
                                                                    tmp_path):
    coordinator = forum.member("Coordination-PACA", role="coordinator")
    context = chromium.new_context(java_script_enabled=False, locale="fr-FR")
    page = open_page(context)
    log_in(page, live_server, coordinator)
    page.goto(f"{live_server.url}/coordination/")
    page.click("text=Membres : chercher, désactiver, changer une adresse")
    page.fill("#q", "bob")
    page.click("main button:has-text('Chercher')")
    assert "1 membre trouvé" in page.inner_text("main")
    page.screenshot(path=str(tmp_path / "membres.png"), full_page=True)
    page.click("main table >> text=Bob")
    page.click("text=Désactiver le compte…")
    page.click("main button.danger")
    assert "Compte de Bob désactivé" in page.inner_text("main")
    assert "désactivé depuis le" in page.inner_text("main")
    assert page.problems == []
    phone = chromium.new_context(java_script_enabled=False, locale="fr-FR", viewport=PHONE)
    small = open_page(phone)
    log_in(small, live_server, coordinator)
    small.goto(f"{live_server.url}/coordination/membres")
    small.screenshot(path=str(tmp_path / "membres-telephone.png"), full_page=True)
    assert _fits(small)
    phone.close()
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_member_administration_pages_have_no_wcag_violation(scheme, site, forum, live_server, chromium, axe_source):
    admin = forum.member("Admin-Agora", role="admin")
    context = chromium.new_context(color_scheme=scheme, locale="fr-FR")
    context.add_init_script(path=axe_source)
    page = open_page(context)
    log_in(page, live_server, admin)
    found = {}
    for path in ("/coordination/membres", "/coordination/membres?q=a&etat=actif", f"/coordination/membres/{site.bob.id}",
                 f"/coordination/membres/{site.bob.id}/desactiver", f"/coordination/membres/{site.bob.id}/adresse",
                 f"/coordination/membres/{admin.id}/desactiver"):
        page.goto(live_server.url + path)
        if path.endswith("/adresse"):     # the form sent wrong: its error tied to the field
            page.fill("#email", "pas-une-adresse")
            page.click("main form [type=submit][name=submit]")
            assert page.get_attribute("#email", "aria-invalid") == "true"
        violations = axe_violations(page)
        if violations:
            found[path] = violations
    page.problems[:] = [p for p in page.problems if "403" not in p and "422" not in p]
    context.close()
    assert not found, "\n" + describe(found)
    assert page.problems == []
