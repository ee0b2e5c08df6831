"""Withdrawing a version in a real browser without JavaScript: a link, a form, a button."""
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from forum.accounts.models import Member
from forum.extensions import db
from forum.topics.models import Post, PostRevision
from moderation import post_decisions

from ..helpers import log_in, open_page

pytestmark = pytest.mark.browser


def test_a_moderator_withdraws_a_version_without_javascript(site, forum, app, live_server, chromium):
    named = forum.reply(site.bob, site.topic, "Mme Garnier, 12 rue Paradis, attend une réponse de la CAF.")
    with app.app_context():
        article = str(db.session.get(type(site.version), site.version.id).articles[1].id)
        post_decisions.edit(db.session.get(Member, site.moderator.id), db.session.get(Post, named.id),
                            "Une allocataire attend une réponse de la CAF.", None, [article], "Anonymisé.")
    context = chromium.new_context(java_script_enabled=False)
    page = open_page(context)
    log_in(page, live_server, site.moderator)
    page.goto(f"{live_server.url}/message/{named.id}/versions")
    page.locator("#titre-original ~ .revision-redaction a:has-text('Retirer cette version')").click()
    expect(page.locator("h1")).to_contain_text("Retirer la version 1")
    page.get_by_label("Données personnelles d'un tiers").check()
    page.get_by_label("Article 2 — Confidentialité des situations évoquées").check()
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("La version 1 est retirée")
    assert page.url.endswith(f"/message/{named.id}/versions")
    main = page.locator("main").inner_text()
    assert "Garnier" not in main and "Paradis" not in main
    assert "Version retirée le" in main and "(données personnelles)" in main
    assert page.problems == []
    context.close()
    with app.app_context():
        revision = db.session.scalar(select(PostRevision).where(PostRevision.post_id == named.id,
                                                                PostRevision.number == 1))
        assert revision.redacted_at is not None and revision.source == ""


def test_the_redaction_pages_have_no_wcag_violation(site, forum, app, live_server, chromium, axe_source):
    from .test_axe import axe_violations, describe
    named = forum.reply(site.bob, site.topic, "Mme Garnier, 12 rue Paradis, attend une réponse de la CAF.")
    other = forum.reply(site.bob, site.topic, "M. Roux, 3 place Castellane, aussi.")
    coordinator = forum.member("Coord-Axe", role="coordinator", committees=[site.committee])
    with app.app_context():
        article = str(db.session.get(type(site.version), site.version.id).articles[1].id)
        from moderation import redaction
        redaction.redact(db.session.get(Member, site.moderator.id), db.session.get(Post, named.id), 1,
                         "third_party", [article])
    context = chromium.new_context()   # axe.run needs timers: it hangs with JavaScript off
    context.add_init_script(path=axe_source)
    page = open_page(context)
    found = {}
    log_in(page, live_server, site.moderator)
    page.goto(f"{live_server.url}/message/{other.id}/versions/1/retirer")
    page.click("main form button[type=submit][name=submit]")   # no reason, no article: errors
    expect(page.locator("#erreurs-formulaire[role=alert]")).to_have_count(1)
    found["formulaire en erreur"] = axe_violations(page)
    page.problems[:] = [p for p in page.problems if "422" not in p]   # the browser logs the status itself
    page.goto(f"{live_server.url}/message/{named.id}/versions")
    found["versions"] = axe_violations(page)
    context.clear_cookies()
    log_in(page, live_server, coordinator)
    page.goto(f"{live_server.url}/message/{named.id}/versions/1/original")
    assert "Garnier" in page.locator("main").inner_text()
    found["texte retiré"] = axe_violations(page)
    context.close()
    found = {name: v for name, v in found.items() if v}
    assert not found, "\n" + describe(found)
    assert page.problems == []
