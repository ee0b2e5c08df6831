"""Conversations in a real browser: « Écrire à la coordination » from the help page without
JavaScript on a phone, the answer of a coordinator seen live by the member with JavaScript on;
no WCAG 2.1 A or AA violation found by axe-core on the pages."""
import pytest
from playwright.sync_api import expect

from ..accessibility.conftest import axe_source  # noqa: F401  (a fixture)
from ..accessibility.test_axe import axe_violations, describe
from ..helpers import log_in, open_page

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def backend():
    """Browser tests run on SQLite only (the pages do not depend on the database)."""
    return "sqlite"


def test_a_member_writes_to_the_coordination_and_sees_the_answer_come(people, live_server, chromium, login):
    phone = chromium.new_context(java_script_enabled=False, viewport=PHONE)
    page = open_page(phone)
    log_in(page, live_server, people.newcomer)      # in their first days: groups only
    page.goto(f"{live_server.url}/aide")
    page.get_by_role("link", name="Écrire à la coordination").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Écrire à la coordination")
    page.get_by_label("Objet").fill("Je n'arrive pas à publier")
    page.get_by_role("button", name="Envoyer").click()
    expect(page.locator(".field-invalid")).to_contain_text("Le message est vide")
    expect(page.get_by_label("Objet")).to_have_value("Je n'arrive pas à publier")
    page.get_by_label("Message").fill("Le bouton « Publier » ne fait rien sur mon téléphone.")
    page.get_by_role("button", name="Envoyer").click()
    expect(page.locator(".conversation-message")).to_have_count(1)
    conversation = page.url.split("/messages/")[1].split("#")[0]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.close()

    desktop = chromium.new_context()
    member = open_page(desktop)
    log_in(member, live_server, people.newcomer)
    member.goto(f"{live_server.url}/messages/{conversation}")
    expect(member.locator("body[data-live=connected]")).to_have_count(1)
    coordinator = login(people.coordinator)
    answered = coordinator.post(f"/messages/{conversation}/repondre",
                                {"body": "Essayez de recharger la page, puis dites-nous.", "submit": "1"})
    assert answered.status_code == 303
    expect(member.locator(".conversation-message")).to_have_count(2)
    expect(member.locator("#message-2")).to_contain_text("Essayez de recharger la page")
    expect(member.locator("#message-2")).to_contain_text("Coord")
    expect(member.locator("#compteur-notifications")).to_have_text("1")
    assert member.problems == []
    desktop.close()


@pytest.mark.parametrize("who", ["alice", "bob"])
def test_the_conversation_pages_have_no_wcag_violation(who, people, live_server, chromium, login,
                                                       axe_source):  # noqa: F811
    number = login(people.alice).post("/messages/nouveau", {
        "recipients": "Bob", "title": "Le transport jeudi", "body": "On y va ensemble ?", "submit": "1"}
    ).headers["Location"].split("/messages/")[1]
    context = chromium.new_context()
    context.add_init_script(path=axe_source)
    page = open_page(context)
    log_in(page, live_server, getattr(people, who))
    found = {}
    for path in ("/messages", f"/messages/{number}", "/messages/nouveau", "/messages/ecrire/coordination",
                 "/messages/ecrire/moderation"):
        page.goto(live_server.url + path)
        violations = axe_violations(page)
        if violations:
            found[path] = violations
    context.close()
    assert not found, "\n" + describe(found)
    assert page.problems == []


def _refused_then_door(page, live_server, member):
    """The login page refuses ``member`` (suspended) and shows the one door left."""
    from ..helpers import PASSWORD
    page.goto(f"{live_server.url}/connexion")
    page.fill("#login", member.pseudonym)
    page.fill("#password", PASSWORD)
    page.locator("main button[type=submit][name=submit]").click()
    expect(page.locator("main")).to_contain_text("Votre compte est suspendu")
    page.locator("main").get_by_role("link", name="Écrire à la coordination").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Écrire à la coordination")


def _suspend(app, member):
    from datetime import timedelta

    from forum.accounts.models import Member
    from forum.clock import now
    from forum.extensions import db
    with app.app_context():
        db.session.get(Member, member.id).suspended_until = now() + timedelta(days=3)
        db.session.commit()


def test_a_suspended_member_writes_from_the_login_page_on_a_phone_without_javascript(
        app, people, live_server, chromium, login):
    _suspend(app, people.alice)
    phone = chromium.new_context(java_script_enabled=False, viewport=PHONE)
    page = open_page(phone)
    _refused_then_door(page, live_server, people.alice)
    page.get_by_label("Objet").fill("Je conteste ma suspension")
    page.get_by_label("Message").fill("Je citais un courrier, je n'ai insulté personne.")
    page.get_by_role("button", name="Envoyer").click()
    expect(page.locator(".conversation-message")).to_have_count(1)
    number = int(page.url.split("/messages/compte-suspendu/")[1].split("#")[0])
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    answered = login(people.coordinator).post(f"/messages/{number}/repondre",
                                              {"body": "Nous relisons l'échange.", "submit": "1"})
    assert answered.status_code == 303
    page.reload()
    expect(page.locator("#message-2")).to_contain_text("Nous relisons l'échange.")
    page.get_by_role("button", name="Terminer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Se connecter")
    page.goto(f"{live_server.url}/messages/compte-suspendu/{number}")
    expect(page.locator("main")).not_to_contain_text("Nous relisons")
    # The refused login answers 403 (and so does the door once closed): nothing else may fail.
    assert [problem for problem in page.problems if "403 (FORBIDDEN)" not in problem] == []
    phone.close()


def test_the_suspended_member_s_pages_have_no_wcag_violation(app, people, live_server, chromium,
                                                           axe_source):  # noqa: F811
    _suspend(app, people.alice)
    context = chromium.new_context()
    context.add_init_script(path=axe_source)
    page = open_page(context)
    _refused_then_door(page, live_server, people.alice)
    found = {"/messages/compte-suspendu": axe_violations(page)}
    page.get_by_label("Objet").fill("Une question")
    page.get_by_label("Message").fill("Combien de temps dure ma suspension ?")
    page.get_by_role("button", name="Envoyer").click()
    expect(page.locator(".conversation-message")).to_have_count(1)
    found["/messages/compte-suspendu/<id>"] = axe_violations(page)
    context.close()
    found = {path: violations for path, violations in found.items() if violations}
    assert not found, "\n" + describe(found)
    # The refused login answers 403 (and so does the door once closed): nothing else may fail.
    assert [problem for problem in page.problems if "403 (FORBIDDEN)" not in problem] == []


def test_a_private_message_being_written_is_kept_on_the_server_never_on_the_device(
        people, live_server, chromium, login):
    """A shared computer keeps what localStorage holds after logout: the editor keeps a topic's
    draft there, never a private message's (data-draft-private)."""
    number = login(people.alice).post("/messages/nouveau", {
        "recipients": "Bob", "title": "Le transport jeudi", "body": "On y va ensemble ?", "submit": "1"}
    ).headers["Location"].split("/messages/")[1]
    context = chromium.new_context()
    page = open_page(context)
    log_in(page, live_server, people.bob)
    page.goto(f"{live_server.url}/messages/{number}")
    page.locator("#body").fill("Oui, je passe te prendre à 9 h devant la mairie.")
    expect(page.locator("[data-draft-status]")).to_contain_text("Brouillon enregistré")
    kept = page.evaluate("Object.keys(window.localStorage).filter(k => k.startsWith('agora-brouillon:'))")
    assert kept == []
    page.reload()
    expect(page.locator("#body")).to_have_value("Oui, je passe te prendre à 9 h devant la mairie.")  # the server's
    assert page.problems == []
    context.close()
