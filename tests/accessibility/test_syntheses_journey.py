"""Syntheses in a real browser: prepared from a debate without JavaScript, reviewed, approved and
published by clicks; two editors at once in two browsers lose no text; axe-core finds nothing on
the new pages, and a 360 px phone reads them without sideways scrolling."""
import pytest

from forum.extensions import db
from forum.syntheses.models import Synthesis

from ..helpers import log_in, open_page
from .test_axe import axe_violations, describe

pytestmark = pytest.mark.browser


def _browser(chromium, server, member, javascript=True, width=1280, axe=None):
    context = chromium.new_context(java_script_enabled=javascript, viewport={"width": width, "height": 900})
    if axe:
        context.add_init_script(path=axe)
    page = open_page(context)
    log_in(page, server, member)
    return context, page


def _no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_comite_prepares_reviews_approves_and_publishes_a_synthesis(site, app, live_server, chromium, axe_source):
    found, narrow = {}, []
    alice_context, alice = _browser(chromium, live_server, site.alice, javascript=False, width=360)
    alice.goto(f"{live_server.url}/sujet/{site.topic.id}")
    alice.click("main a:has-text('Préparer une synthèse')")
    assert "Le logement d'abord" in alice.input_value("#source")
    assert "Qui vient au match" not in alice.input_value("#source")      # hidden by the moderation
    alice.fill("#source", alice.input_value("#source") + "\nNous retenons le logement.")
    alice.click("main button[type=submit]")
    assert "Brouillon" in alice.inner_text("main")
    synthesis_url = alice.url.split("?")[0]
    alice.click("main button:has-text('Mettre en relecture')")
    assert "En relecture" in alice.inner_text("main")
    assert _no_sideways_scroll(alice) or narrow.append("synthèse en relecture, 360 px")
    alice_context.close()

    mod_context, moderator = _browser(chromium, live_server, site.moderator, axe=axe_source)
    bob_context, bob = _browser(chromium, live_server, site.bob, axe=axe_source, width=360)
    bob.goto(synthesis_url)
    bob.select_option("#section", "Participation")
    bob.fill("#text", "Précisez le nombre de familles.")
    bob.click("main button:has-text('Commenter')")
    assert "Précisez le nombre de familles." in bob.inner_text("main")
    pages = {"liste des synthèses": f"/espace/{site.committee.slug}/syntheses",
             "préparer une synthèse": f"/sujet/{site.topic.id}/synthese",
             "synthèse en relecture": synthesis_url + "?texte=en-cours",
             "modifier la synthèse": synthesis_url + "/modifier",
             "historique": synthesis_url + "/historique",
             "consentement": synthesis_url + "/consentement"}
    for name, path in pages.items():
        for page in (moderator, bob):
            page.goto(live_server.url + path if path.startswith("/") else path)
            if page is bob and not _no_sideways_scroll(page):
                narrow.append(f"{name}, 360 px")
            violations = axe_violations(page)
            if violations:
                found[name] = violations
    moderator.goto(synthesis_url)
    moderator.click("main button:has-text('Valider (acte de modération)')")
    moderator.click("main button:has-text('Publier')")
    assert "Publiée" in moderator.inner_text("main") and "Version 1" in moderator.inner_text("main")
    bob.goto(synthesis_url)
    assert "Nous retenons le logement." in bob.inner_text("main")
    found.update({"synthèse publiée": axe_violations(bob)} if axe_violations(bob) else {})
    assert _no_sideways_scroll(bob) or narrow.append("synthèse publiée, 360 px")
    bob.goto(f"{live_server.url}/sujet/{site.topic.id}")
    assert "Cité dans la synthèse" in bob.inner_text("main")
    mod_context.close()
    bob_context.close()
    assert not found, "\n" + describe(found)
    assert narrow == []


def test_two_editors_in_two_browsers_lose_no_text(site, app, live_server, chromium):
    from forum.syntheses import writing
    from forum.topics.models import Member, Space
    with app.app_context():
        synthesis = writing.start(db.session.get(Member, site.alice.id), db.session.get(Space, site.committee.id),
                                  "Synthèse à deux", "## Partie\n\nTexte de départ.")
        url = f"{live_server.url}/synthese/{synthesis.id}/modifier"
    alice_context, alice = _browser(chromium, live_server, site.alice)
    mod_context, moderator = _browser(chromium, live_server, site.moderator, javascript=False)
    alice.goto(url)
    moderator.goto(url)
    alice.fill("#source", "## Partie\n\nLa phrase d'Alice.")
    moderator.fill("#source", "## Partie\n\nLa phrase du modérateur.")
    alice.click("main form.synthesis-form button[type=submit]")
    moderator.click("main form.synthesis-form button[type=submit]")
    assert "Deux versions à réunir" in moderator.inner_text("main")
    assert moderator.input_value("#leur-texte").endswith("La phrase d'Alice.")
    assert moderator.input_value("#source").endswith("La phrase du modérateur.")      # nothing lost
    moderator.fill("#source", "## Partie\n\nLa phrase d'Alice. La phrase du modérateur.")
    moderator.click("main form.synthesis-form button[type=submit]")
    assert "La phrase d'Alice. La phrase du modérateur." in moderator.inner_text("main")
    with app.app_context():
        kept = db.session.get(Synthesis, synthesis.id)
        assert kept.revision_count == 3 and kept.source.endswith("La phrase d'Alice. La phrase du modérateur.")
    alice_context.close()
    mod_context.close()
