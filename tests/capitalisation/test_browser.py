"""/capitalisation and the resource pages in a real browser (chromium): on a 360 px phone
without JavaScript (facets are links, the form works, a refusal keeps what was typed; nothing
scrolls sideways, every control is big enough, no console error), and axe-core on a desktop."""
import os

import pytest

from ..accessibility.conftest import axe_source  # noqa: F401  (axe_source: a fixture)
from ..accessibility.test_axe import axe_violations, describe
from ..accessibility.test_phone import MINIMUM, OVERFLOW, PHONE, TARGETS
from ..helpers import log_in, open_page

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("FORUM_TEST_SCREENSHOTS")      # a folder: the screenshots looked at are kept there


@pytest.fixture
def backend():
    return "sqlite"


@pytest.fixture
def shelf(forum, add_resource, publish_synthesis):
    committee = forum.committee("13", "Comité des Bouches-du-Rhône")
    theme = forum.space("Non-recours et fracture numérique")
    rights, housing = forum.tag("Accès aux droits"), forum.tag("Logement")
    college = forum.college("Organismes de protection sociale")
    nadia = forum.member("Nadia", committees=[committee])
    resource = add_resource(nadia, theme, title="Guide de l'accès aux droits — CAF 13", kind="link",
                            url="https://www.caf.fr/allocataires/caf-des-bouches-du-rhone",
                            description="Les prestations, pour qui, où se faire aider.", tags=[rights.slug],
                            territory=committee.slug, college=college.slug, year="2026")
    add_resource(nadia, theme, title="Fiche réflexe : non-recours aux droits",
                 description="**Repérer**, simuler avec la personne, accompagner le dépôt.", tags=[rights.slug, housing.slug],
                 year="2025")
    publish_synthesis(nadia, committee, title="Synthèse de la plénière sur le non-recours aux droits des jeunes majeurs",
                      text="Les jeunes majeurs sortant de l'aide sociale à l'enfance renoncent à des droits ouverts.",
                      transmitted=True)
    publish_synthesis(nadia, theme, title="Dématérialisation : qui reste au bord du chemin ?", days_ago=3)
    return {"nadia": nadia, "resource": resource, "rights": rights}


def test_walking_the_capitalisation_on_a_phone_without_javascript(shelf, live_server, chromium):
    context = chromium.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2,
                                   java_script_enabled=False)
    page = open_page(context)
    log_in(page, live_server, shelf["nadia"])
    page.click("nav.site-nav >> text=Capitalisation")
    assert "4 documents" in page.inner_text("main") and "transmise au HCTS" in page.inner_text("main")
    page.click("nav.facets >> text=Logement")                  # a facet is a link
    assert "1 document" in page.inner_text("main")
    assert "Fiche réflexe" in page.inner_text("main") and "Guide de l'accès" not in page.inner_text("main")
    page.click("text=Retirer tous les filtres")
    page.click("text=Ajouter une fiche ressource")
    page.select_option("#space", "non-recours-et-fracture-numerique")
    page.check("#kind-1")
    page.fill("#title", "Annuaire des points conseil budget")
    page.fill("#url", "javascript:alert(1)")
    page.fill("#description", "Où trouver un point conseil budget près de chez soi.")
    page.check(f"input[name=tags][value={shelf['rights'].slug}]")
    page.click("main button[name=submit]")
    assert "L'adresse doit commencer par http:// ou https://" in page.inner_text("main")
    assert page.input_value("#description") == "Où trouver un point conseil budget près de chez soi."
    page.fill("#url", "https://www.mesquestionsdargent.fr/")
    page.click("main button[name=submit]")
    assert page.inner_text("h1") == "Annuaire des points conseil budget"
    context.close()

    measured = chromium.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    page = open_page(measured)
    log_in(page, live_server, shelf["nadia"])
    problems = {}
    for name, path in (("capitalisation", "/capitalisation"), ("filtre", f"/capitalisation?theme={shelf['rights'].slug}"),
                       ("fiche", f"/fiche/{shelf['resource'].id}"), ("nouvelle", "/capitalisation/fiches/nouvelle"),
                       ("modifier", f"/fiche/{shelf['resource'].id}/modifier")):
        page.goto(live_server.url + path)
        measure, small = page.evaluate(OVERFLOW), page.evaluate(TARGETS, MINIMUM)
        if measure["scroll"] > measure["width"] or measure["wide"] or small:
            problems[name] = (measure, small)
        if SHOTS:
            page.screenshot(path=os.path.join(SHOTS, f"capitalisation-{name}-360.png"), full_page=True)
    assert not page.problems, page.problems
    measured.close()
    assert not problems, problems


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_on_the_capitalisation_pages(scheme, shelf, live_server, chromium, axe_source):
    context = chromium.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    context.add_init_script(path=axe_source)
    page = open_page(context)
    found = {}
    page.goto(live_server.url + "/capitalisation")            # a visitor first
    if violations := axe_violations(page):
        found["visiteur"] = violations
    log_in(page, live_server, shelf["nadia"])
    for name, path in (("capitalisation", "/capitalisation"), ("filtre", "/capitalisation?type=ressource&annee=2026"),
                       ("fiche", f"/fiche/{shelf['resource'].id}"), ("nouvelle", "/capitalisation/fiches/nouvelle"),
                       ("supprimer", f"/fiche/{shelf['resource'].id}/supprimer")):
        page.goto(live_server.url + path)
        if violations := axe_violations(page):
            found[name] = violations
        if SHOTS and scheme == "light":
            page.screenshot(path=os.path.join(SHOTS, f"capitalisation-{name}-desktop.png"), full_page=True)
    page.goto(live_server.url + "/capitalisation/fiches/nouvelle")
    page.fill("#title", "")
    page.click("main button[name=submit]")                     # refused: errors tied to their fields
    page.wait_for_selector("#title[aria-invalid=true]")
    if violations := axe_violations(page):
        found["refusée"] = violations
    context.close()
    assert not found, "\n" + describe(found)
    assert [p for p in page.problems if "422" not in p] == []     # the browser logs the 422 itself
