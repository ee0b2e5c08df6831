"""What members read about moderation, in a real browser without JavaScript, on a 360 px phone
and on a desktop: articles cited as they were, the report form's reasons and the reporter's
"signalé par vous", no author's name under a hidden post, no moderator's name on the versions
page, one way of writing a sanction's end on the page, in the notice and in the email.

Set AGORA_SCREENSHOTS to a folder to keep a screenshot of each step.
"""
import os
from datetime import timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from forum.accounts.models import Member
from forum.charter import versions as charter
from forum.clock import now
from forum.extensions import db
from forum.notifications import mailing
from forum.topics import posting
from forum.topics.models import Post, Topic
from moderation import post_decisions, sanctions
from moderation.models import Decision

from ..helpers import email_text, log_in, open_page, sent_emails
from .conftest import ARTICLES

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("AGORA_SCREENSHOTS")
PHONE = {"viewport": {"width": 360, "height": 740}, "locale": "fr-FR", "java_script_enabled": False}
DESKTOP = {"viewport": {"width": 1280, "height": 900}, "locale": "fr-FR", "java_script_enabled": False}
SIZES = [("telephone", PHONE), ("bureau", DESKTOP)]


@pytest.fixture
def backend():
    """Browser tests run on SQLite only (the pages do not depend on the database)."""
    return "sqlite"


def shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def _member_page(chromium, live_server, member, options):
    context = chromium.new_context(**options)
    page = open_page(context)
    log_in(page, live_server, member)
    return context, page


def _publish(app, articles):
    with app.app_context():
        version = charter.draft_version("Règlement", "", articles)
        db.session.flush()
        charter.publish_version(version)


@pytest.mark.parametrize("size", SIZES, ids=[name for name, _ in SIZES])
def test_a_hidden_post_still_cites_the_rule_it_broke_after_a_renumbering(world, act, app, live_server, chromium,
                                                                           size):
    name, options = size
    act(post_decisions.hide, world.mod13, world.reply13, [world.articles[4]], "Publicité.")
    # A new version inserts an article: "Pas de publicité" (4) becomes 5, and 4 is another rule.
    _publish(app, ARTICLES[:1] + [("Accueil des nouveaux", "Accueillez-les.")] + ARTICLES[1:])
    context, page = _member_page(chromium, live_server, world.carol, options)
    page.goto(f"{live_server.url}/reglement")
    page.click("#accepter button")
    page.goto(f"{live_server.url}/sujet/{world.topic13.id}")
    placeholder = page.locator(f"#message-{world.reply13.number} .placeholder")
    expect(placeholder).to_have_text("Message masqué par la modération — article 4 de la version 1, "
                                     "aujourd'hui article 5")
    shot(page, f"article-cite-{name}")
    placeholder.locator("a", has_text="article 5").click()
    expect(page.locator("#article-5 h2")).to_have_text("Article 5 — Pas de publicité ni de propagande")
    page.go_back()
    placeholder.locator("a", has_text="article 4").click()
    expect(page.locator("#article-4 h2")).to_have_text("Article 4 — Pas de publicité ni de propagande")
    expect(page.locator("main .notice-warning")).to_contain_text("Cette version a été remplacée")
    shot(page, f"article-version-1-{name}")
    page.goto(f"{live_server.url}/reglement")
    changes = page.locator("#titre-changements + ul, #titre-changements ~ ul")
    expect(changes).to_contain_text("article renuméroté, texte inchangé : 5 — Pas de publicité ni de propagande "
                                    "(auparavant article 4)")
    shot(page, f"article-changements-{name}")
    assert page.problems == []
    context.close()


@pytest.mark.parametrize("size", SIZES, ids=[name for name, _ in SIZES])
def test_reporting_offers_one_choice_per_reason_and_shows_it_to_the_reporter_only(world, act, app, live_server,
                                                                                    chromium, size):
    name, options = size
    _publish(app, ARTICLES + [("Données personnelles", "Pas de données personnelles."),
                              ("Modération", "Les modérateurs citent l'article.", False)])
    context, page = _member_page(chromium, live_server, world.carol, options)
    page.goto(f"{live_server.url}/reglement")
    page.click("#accepter button")
    page.goto(f"{live_server.url}/message/{world.reply13.id}/signaler")
    labels = page.locator("fieldset label").all_inner_texts()
    assert labels == [f"Article {n} — {title}" for n, (title, _) in enumerate(ARTICLES, start=1)] + [
        "Article 5 — Données personnelles", "Autre"]
    shot(page, f"signaler-formulaire-{name}")
    page.check("text=Article 5 — Données personnelles")
    page.click("text=Envoyer le signalement")
    expect(page.locator(".notices")).to_contain_text("Merci : votre signalement est transmis")
    mine = page.locator(f"#message-{world.reply13.number} .post-actions")
    expect(mine).to_contain_text("Signalé par vous")
    expect(mine.locator("a", has_text="Signaler")).to_have_count(0)
    shot(page, f"signale-par-vous-{name}")
    context.close()

    context, page = _member_page(chromium, live_server, world.dave, options)
    page.goto(f"{live_server.url}/sujet/{world.topic13.id}")
    other = page.locator(f"#message-{world.reply13.number} .post-actions")
    expect(other.locator("a", has_text="Signaler")).to_have_count(1)
    expect(other).not_to_contain_text("Signalé par vous")
    context.close()


@pytest.mark.parametrize("size", SIZES, ids=[name for name, _ in SIZES])
def test_the_public_log_cannot_be_tied_to_a_name_and_the_versions_page_names_no_moderator(
        world, act, app, live_server, chromium, size):
    name, options = size
    act(post_decisions.edit, world.mod13, world.reply13, "Mme D. attend son RSA depuis quatre mois.", None,
        [world.articles[2]], "Adresse retirée.")
    act(post_decisions.hide, world.mod13, world.reply13, [world.articles[2]], "Une personne reconnaissable.")
    answer = world.reply13
    with app.app_context():   # a reply to the hidden post: its "en réponse à" must not name Bob either
        reply = posting.reply(db.session.get(Member, world.carol.id), db.session.get(Topic, world.topic13.id),
                              "Je réponds au message masqué.", db.session.get(Post, answer.id))
        reply_number = reply.number
    context, page = _member_page(chromium, live_server, world.dave, options)
    page.goto(f"{live_server.url}/espace/{world.c13.slug}/journal-de-moderation")
    shot(page, f"journal-public-{name}")
    page.locator("main table a", has_text=world.topic13.title).first.click()
    hidden = page.locator(f"#message-{answer.number}")
    expect(hidden.locator(".placeholder")).to_contain_text("Message masqué par la modération")
    expect(hidden.locator(".post-header")).to_contain_text("Auteur masqué")
    expect(page.locator("main")).not_to_contain_text(world.bob.pseudonym)
    page.goto(f"{live_server.url}/sujet/{world.topic13.id}?vue=chrono")
    expect(page.locator(f"#message-{reply_number} .in-reply-to")).to_have_text(
        f"en réponse à un message masqué (#{answer.number})")
    expect(page.locator("main")).not_to_contain_text(world.bob.pseudonym)
    shot(page, f"message-masque-sans-auteur-{name}")
    context.close()

    # Its author and the space's moderators still see who wrote it.
    for member in (world.bob, world.mod13b):
        context, page = _member_page(chromium, live_server, member, options)
        page.goto(f"{live_server.url}/sujet/{world.topic13.id}")
        expect(page.locator(f"#message-{answer.number} .post-header")).to_contain_text(world.bob.pseudonym)
        context.close()

    context, page = _member_page(chromium, live_server, world.mod13b, options)
    page.goto(f"{live_server.url}/message/{answer.id}/versions")
    expect(page.locator("#modification-2 + p.meta, section.revision-change p.meta").first).to_contain_text(
        "la modération")
    expect(page.locator("main")).not_to_contain_text(world.mod13.pseudonym)
    expect(page.locator("section.revision-original")).to_contain_text(world.bob.pseudonym)
    shot(page, f"versions-la-moderation-{name}")
    context.close()


PARIS = ZoneInfo("Europe/Paris")
MONTHS_FR = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.")


@pytest.mark.parametrize("size", SIZES, ids=[name for name, _ in SIZES])
def test_a_sanctions_end_reads_the_same_on_the_page_in_the_notice_and_in_the_email(
        world, act, app, live_server, chromium, size):
    name, options = size
    act(sanctions.sanction, world.coordinator, world.bob, "silence", 3, "jours", [world.articles[1]],
        "Propos méprisants répétés.")
    with app.app_context():
        until = db.session.scalars(select(Decision.until).where(Decision.action == "silence")).one()
        mailing.send_due(moment=now() + timedelta(hours=1), force=True)
    local = until.replace(tzinfo=timezone.utc).astimezone(PARIS)
    expected = f"{local.day} {MONTHS_FR[local.month - 1]} {local.year} à {local:%H:%M}"   # Paris time

    context, page = _member_page(chromium, live_server, world.bob, options)
    page.goto(f"{live_server.url}/moderation/mes-decisions")
    decision = page.locator("main li", has_text="Lecture seule").first
    expect(decision).to_contain_text(f"jusqu'au {expected}")
    shot(page, f"sanction-page-{name}")
    page.goto(f"{live_server.url}/notifications")
    notice = page.locator("main", has_text="Décision de modération").first
    expect(notice).to_contain_text(f"Jusqu'au {expected}.")
    expect(notice).not_to_contain_text("UTC")
    shot(page, f"sanction-avis-{name}")
    page.goto(f"{live_server.url}/sujet/{world.topic13.id}/repondre")
    expect(page.locator("main")).to_contain_text(f"lecture seule jusqu'au {expected}")
    context.close()

    mails = [email_text(m) for m in sent_emails(app, world.bob.email)]
    assert any(f"Jusqu'au {expected}." in body for body in mails), mails
    assert not any("UTC" in body for body in mails)
