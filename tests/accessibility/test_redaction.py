"""Withdrawing a version in a real browser without JavaScript: a link, a form, a button."""
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from forum.accounts.models import Member
from forum.extensions import db
from forum.topics.models import Post, PostRevision
from moderation import post_decisions

from .conftest import log_in, open_page

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
