"""A newcomer's whole journey in a real browser, once with JavaScript off and once with it on.

Register (accepting the règlement, asking to join the comité) → the comité's moderator accepts →
start a topic → reply to a post → report a post → a
moderator hides it → search finds the topic. With JavaScript on, a second member watching the
topic sees the reply arrive live, without reloading.
"""
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from forum.extensions import db
from forum.topics.models import Post, Topic

from ..helpers import confirmation_path, log_in, open_page


pytestmark = pytest.mark.browser

TITLE = "Transports vers les permanences du comité"


def register(page, server, site, app, pseudonym):
    page.goto(server.url + "/")
    page.click("header >> text=S'inscrire")
    page.fill("#pseudonym", pseudonym)
    page.fill("#email", f"{pseudonym.lower()}@exemple.fr")
    page.fill("#password", "un mot de passe solide")
    page.select_option("#college", label=site.college.name)
    page.check(f"label:has-text('{site.committee.name}')")
    page.check("#adheres_convention")
    page.check("#accepts_charter")   # the règlement, version 1
    page.click("main button[type=submit][name=submit]")
    expect(page.locator("main")).to_contain_text("un courriel vous a été envoyé à")
    # The link of the email (written to the instance's mail folder) confirms and logs in.
    page.goto(server.url + confirmation_path(app, f"{pseudonym.lower()}@exemple.fr"))
    page.click("main button[type=submit][name=submit]")
    expect(page.locator("main")).to_contain_text("Bienvenue ! Votre compte est créé.")
    # The comité ticked is only asked: the newcomer is told so, not left to find a "not found".
    expect(page.locator("main")).to_contain_text("Vos demandes pour rejoindre un comité attendent")


def accept_request(chromium, server, site, javascript):
    """The comité's moderator accepts the newcomer's request (ticked at registration)."""
    context = chromium.new_context(java_script_enabled=javascript)
    page = open_page(context)
    log_in(page, server, site.moderator)
    page.click("nav >> text=Adhésions")
    page.click("main button[name=accept]")
    expect(page.locator("main")).to_contain_text("acceptée")
    assert page.problems == []
    context.close()


def start_topic(page, site):
    page.click("header >> text=Nouveau sujet")
    page.fill("#title", TITLE)
    page.select_option("#space", label=site.committee.name)
    page.fill("#body", "Beaucoup de membres ne peuvent pas venir : organisons du covoiturage.")
    page.click("main button[type=submit][name=submit]")
    expect(page.locator("h1")).to_have_text(TITLE)


def reply_to_post(page, server, site):
    page.goto(f"{server.url}/sujet/{site.topic.id}")
    page.click(f"#message-{site.first.number} .post-actions a.action:has-text('Répondre')")
    page.fill("#body", "Je connais deux familles dans ce cas, je peux aider.")
    page.click("main button[type=submit][name=submit]")
    expect(page.locator("main")).to_contain_text("Je connais deux familles dans ce cas")


def report_post(page, server, site):
    page.goto(f"{server.url}/sujet/{site.topic.id}")
    page.click(f"#message-{site.last.number} a:has-text('Signaler')")
    page.check("text=Article 2 — Confidentialité des situations évoquées")
    page.fill("#message", "Une personne est reconnaissable.")
    page.click("text=Envoyer le signalement")
    expect(page.locator("main")).to_contain_text("Merci : votre signalement est transmis")


def hide_post(page, server, site):
    log_in(page, server, site.moderator)
    page.click("nav >> text=Modération")
    page.click(f"text={site.topic.title} — message n° {site.last.number}")
    hide = page.locator("form#masquer")
    hide.locator("text=Article 2 — Confidentialité des situations évoquées").check()
    hide.locator("textarea").fill("Une personne tierce est reconnaissable.")
    hide.locator("button").click()
    expect(page.locator("main")).to_contain_text("Message masqué.")
    page.goto(f"{server.url}/sujet/{site.topic.id}")
    assert page.locator(f"#message-{site.last.number} .placeholder").inner_text().startswith(
        "Message masqué par la modération")


def search_finds_topic(page, app):
    page.fill("header form[role=search] input[name=q]", "covoiturage")
    page.press("header form[role=search] input[name=q]", "Enter")
    page.wait_for_url("**/recherche?q=covoiturage*")
    page.wait_for_load_state()   # count() does not wait: the old page may still be there
    assert page.locator(f"main ol a:has-text('{TITLE}')").count() == 1


def check_database(app, site):
    with app.app_context():
        assert db.session.scalar(select(Topic.id).where(Topic.title == TITLE)) is not None
        assert db.session.scalar(select(Post.state).where(Post.id == site.last.id)) == "hidden"


@pytest.mark.parametrize("javascript", [False, True], ids=["sans-javascript", "avec-javascript"])
def test_a_newcomer_takes_part_from_registering_to_search(javascript, site, app, live_server, chromium):
    watcher = None
    if javascript:   # Bob reads the topic; the newcomer's reply reaches him without a reload
        watching = chromium.new_context()
        watcher = open_page(watching)
        log_in(watcher, live_server, site.bob)
        watcher.goto(f"{live_server.url}/sujet/{site.topic.id}")
        watcher.wait_for_selector("body[data-live=joined]", timeout=15000)
        watcher.evaluate("window.sameDocument = true")   # gone if the page were reloaded

    newcomer = chromium.new_context(java_script_enabled=javascript)
    page = open_page(newcomer)
    register(page, live_server, site, app, "Nadia")
    accept_request(chromium, live_server, site, javascript)
    start_topic(page, site)
    reply_to_post(page, live_server, site)
    if watcher is not None:
        arrived = watcher.locator(f"#message-{site.first.number} ~ ol .post:has-text('Je connais deux familles')")
        arrived.wait_for(timeout=15000)
        assert "Nadia" in arrived.inner_text()
        # Screen readers hear it from the polite live region, without losing their place.
        assert "Nadia" in watcher.inner_text("#annonces")
        assert watcher.evaluate("window.sameDocument") is True
        assert watcher.problems == []
        watching.close()
    report_post(page, live_server, site)
    assert page.problems == []
    newcomer.close()

    moderation = chromium.new_context(java_script_enabled=javascript)
    page = open_page(moderation)
    hide_post(page, live_server, site)
    check_database(app, site)
    search_finds_topic(page, app)
    assert page.problems == []
    moderation.close()
