"""In a real browser with JavaScript off: a member reports, a moderator hides, readers see the placeholder."""
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from forum.extensions import db
from forum.topics.models import Post

from ..helpers import log_in, open_page


def _log_in(context, server, member):
    page = open_page(context)
    log_in(page, server, member)
    return page, page.problems


@pytest.mark.browser
def test_report_then_hide_without_javascript(world, live_server, chromium, app):
    member = chromium.new_context(java_script_enabled=False)
    page, problems = _log_in(member, live_server, world.carol)
    page.goto(f"{live_server.url}/sujet/{world.topic13.id}")
    page.click(f"#message-{world.reply13.number} a:has-text('Signaler')")
    page.check("text=Article 2 — Confidentialité des situations évoquées")
    page.fill("#message", "La personne est reconnaissable.")
    page.click("text=Envoyer le signalement")
    # The redirect lands on an anchor: wait for the flashed notice rather than read a page still loading.
    expect(page.locator(".notices")).to_contain_text("Merci : votre signalement est transmis")
    assert problems == []
    member.close()

    moderation = chromium.new_context(java_script_enabled=False)
    page, problems = _log_in(moderation, live_server, world.mod13)
    page.click("nav >> text=Modération")
    page.click("text=Accueil des nouveaux membres du comité — message n° 2")
    hide = page.locator("form#masquer")
    hide.locator("text=Article 2 — Confidentialité des situations évoquées").check()
    hide.locator("textarea").fill("Une personne tierce est reconnaissable.")
    hide.locator("button").click()
    expect(page.locator(".notices")).to_contain_text("Message masqué.")
    page.goto(f"{live_server.url}/sujet/{world.topic13.id}")
    placeholder = page.locator(f"#message-{world.reply13.number} .placeholder")
    assert placeholder.inner_text() == "Message masqué par la modération — article 2"
    assert problems == []
    moderation.close()
    with app.app_context():
        assert db.session.scalar(select(Post.state).where(Post.id == world.reply13.id)) == "hidden"
