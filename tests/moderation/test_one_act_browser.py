"""What a moderator and a read-only member meet, in a real browser, on a phone without
JavaScript and on a desktop with it: hiding and warning are one act with the reported article
ticked; closing without sanction is one button; a read-only member is offered only what they
may do, told why and until when, and may take words out of their own post."""
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from forum.extensions import db
from forum.topics.models import Post
from moderation import reporting, sanctions
from moderation.models import Decision, Report

from .test_browser import _log_in

SETUPS = [pytest.param(False, {"width": 360, "height": 740}, id="phone-without-js"),
          pytest.param(True, {"width": 1280, "height": 900}, id="desktop-with-js")]
JUSTIFICATION = "Une personne tierce est reconnaissable à son adresse."


def _context(chromium, js, viewport):
    return chromium.new_context(java_script_enabled=js, viewport=viewport, locale="fr-FR")


@pytest.mark.browser
@pytest.mark.parametrize("js, viewport", SETUPS)
def test_hiding_and_warning_are_one_act_with_the_reported_article_ticked(world, act, live_server, chromium, app,
                                                                          js, viewport):
    act(reporting.report_post, world.carol, world.reply13, world.articles[2])
    context = _context(chromium, js, viewport)
    page, problems = _log_in(context, live_server, world.mod13)
    page.goto(f"{live_server.url}/moderation/messages/{world.reply13.id}")
    hide = page.locator("form#masquer")
    expect(hide.get_by_label("Article 2 — Confidentialité des situations évoquées")).to_be_checked()
    expect(hide.get_by_label("Article 1 — Respect des personnes")).not_to_be_checked()
    hide.get_by_label("Justification, lue par la personne concernée").fill(JUSTIFICATION)
    hide.get_by_label("Avertir aussi l'auteur (mêmes articles, même justification)").check()
    hide.get_by_role("button", name="Masquer").click()
    expect(page.locator(".notices")).to_contain_text("Message masqué.")
    decided = page.locator("section[aria-labelledby=titre-decisions]")
    expect(decided).to_contain_text("Message masqué")
    expect(decided).to_contain_text("Avertissement")
    assert problems == []
    context.close()
    with app.app_context():
        decisions = db.session.scalars(select(Decision).where(Decision.post_id == world.reply13.id)
                                       .order_by(Decision.id)).all()
        assert [(d.action, [a.number for a in d.articles], d.justification, d.member_id) for d in decisions] == [
            ("hide", [2], JUSTIFICATION, world.bob.id), ("warn", [2], JUSTIFICATION, world.bob.id)]
        assert db.session.scalar(select(Post.state).where(Post.id == world.reply13.id)) == "hidden"


@pytest.mark.browser
@pytest.mark.parametrize("js, viewport", SETUPS)
def test_closing_without_sanction_is_one_button_in_the_queue(world, act, live_server, chromium, app, js, viewport):
    act(reporting.report_post, world.carol, world.reply13, "third_party")
    context = _context(chromium, js, viewport)
    page, problems = _log_in(context, live_server, world.mod13)
    page.goto(f"{live_server.url}/moderation/")
    item = page.locator(".queue-item", has_text="message n° 2")
    # No article to cite, no justification to write, nothing that reads like a sanction.
    expect(item.locator("textarea, input[type=checkbox], input[type=radio]")).to_have_count(0)
    item.get_by_role("button", name="Classer sans suite").click()
    expect(page.locator(".notices")).to_contain_text("Signalements classés sans suite.")
    expect(page.locator("h1")).to_have_text("File de modération")          # back in the queue
    expect(page.locator("#titre-signales")).to_have_text("Messages signalés (0)")
    assert problems == []
    context.close()
    with app.app_context():
        assert db.session.scalar(select(Report.status)) == "dismissed"
        assert db.session.scalar(select(Post.state).where(Post.id == world.reply13.id)) == "visible"


@pytest.mark.browser
@pytest.mark.parametrize("js, viewport", SETUPS)
def test_a_read_only_member_sees_what_is_open_why_the_rest_is_closed_and_until_when(
        world, act, live_server, chromium, app, js, viewport):
    act(sanctions.sanction, world.coordinator, world.bob, "silence", "3", "jours", [world.articles[1]],
        "Propos blessants répétés malgré un avertissement.")
    context = _context(chromium, js, viewport)
    page, problems = _log_in(context, live_server, world.bob)
    notice = page.locator("#lecture-seule")
    expect(notice).to_contain_text("Votre compte est en lecture seule jusqu'au")
    expect(notice).to_contain_text("vous ne pouvez ni ouvrir de sujet, ni répondre")
    expect(page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Nouveau sujet")) \
        .to_have_count(0)
    notice.get_by_role("link", name="Pourquoi ? Lire la décision, et la contester").click()
    expect(page.locator("body")).to_contain_text("Propos blessants répétés")

    page.goto(f"{live_server.url}/nouveau-sujet")
    expect(page.locator("#sujet-ferme")).to_contain_text("Votre compte est en lecture seule jusqu'au")
    expect(page.locator("select")).to_have_count(0)

    page.goto(f"{live_server.url}/sujet/{world.topic13.id}")
    mine = page.locator(f"#message-{world.reply13.number}")
    expect(mine.get_by_role("link", name="Modifier", exact=True)).to_have_count(0)
    mine.get_by_role("link", name="Retirer du texte").click()
    expect(page.locator("#retirer-seulement")).to_be_visible()
    body = page.locator("textarea[name=body]")
    original = body.input_value()
    body.fill(original + " Et j'ajoute une phrase.")
    page.get_by_role("button", name="Enregistrer la modification").click()
    expect(page.locator("main")).to_contain_text("mais pas en ajouter ni en changer")
    expect(body).to_have_value(original + " Et j'ajoute une phrase.")      # nothing typed is lost
    body.fill("Mme D., attend son RSA depuis quatre mois.")                   # the address taken out
    page.get_by_role("button", name="Enregistrer la modification").click()
    expect(mine.locator(".post-body")).to_have_text("Mme D., attend son RSA depuis quatre mois.")
    # The refused edit's page came with its 403: the only console message expected.
    assert [p for p in problems if "status of 403" not in p] == []
    context.close()
    with app.app_context():
        assert db.session.get(Post, world.reply13.id).source == "Mme D., attend son RSA depuis quatre mois."
