"""Two members in two real browsers: one writes, the other sees it live (Playwright, chromium)."""
import os
import re

import pytest

from ..helpers import log_in, open_page

pytestmark = pytest.mark.browser

VENDOR = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                      "static", "vendor", "socket.io.min.js")


@pytest.fixture
def vendor_client():
    assert os.path.exists(VENDOR), "static/vendor/socket.io.min.js is missing: run `make assets`"


def logged_in_page(chromium, live_server, member, **context_options):
    page = open_page(chromium.new_context(**context_options))
    log_in(page, live_server, member)
    return page


def open_topic(page, live_server, topic):
    page.goto(live_server.url + f"/sujet/{topic.id}")
    page.wait_for_selector("body[data-live=joined]", timeout=15000)


def test_a_reply_appears_live_in_the_tree_without_moving_the_reader(chromium, live_server, forum, vendor_client):
    space = forum.space("Désinstitutionnalisation")
    alice, bob = forum.member("Alice"), forum.member("Bob")
    topic = forum.topic(alice, space, "Fermer les foyers ?", body="Ouvrons le débat.")
    first = forum.reply(alice, topic, "Une première réponse.")
    for number in range(12):   # enough text for the page to scroll
        forum.reply(alice, topic, f"Réponse de remplissage numéro {number}. " * 8)

    reader = logged_in_page(chromium, live_server, alice)
    writer = logged_in_page(chromium, live_server, bob)
    open_topic(reader, live_server, topic)
    open_topic(writer, live_server, topic)
    reader.focus("#body")
    where = "Math.round(document.getElementById('body').getBoundingClientRect().top)"
    before = reader.evaluate(where)

    # Bob writes: Alice sees that he is typing.
    writer.type("#body", "Je ne suis pas d'accord")
    reader.wait_for_selector("#en-train-d-ecrire:not([hidden])", timeout=10000)
    assert reader.inner_text("#en-train-d-ecrire") == "Bob est en train d’écrire…"

    # Bob answers the first reply: it appears under it, marked, announced; Alice keeps her place.
    writer.goto(live_server.url + f"/sujet/{topic.id}/repondre?a={first.id}")
    writer.fill("#body", "Réponse en direct à la première.")
    writer.click("button[name=submit]")
    nested = reader.wait_for_selector(
        f'article[data-post-id="{first.id}"] + ol.thread article.post-live', timeout=10000)
    assert "Réponse en direct à la première." in nested.inner_text()
    reader.wait_for_function("() => document.getElementById('annonces').textContent.includes('Nouvelle réponse de Bob.')")
    assert reader.evaluate("document.activeElement.id") == "body"
    assert abs(reader.evaluate(where) - before) <= 1   # what she reads has not moved on screen
    assert reader.problems == [] and writer.problems == []
    reader.context.close()
    writer.context.close()


def test_a_live_reply_updates_the_count_and_ends_its_authors_typing_line(chromium, live_server, forum,
                                                                         vendor_client, tmp_path):
    space = forum.space("Non-recours")
    alice, bob = forum.member("Alice"), forum.member("Bob")
    topic = forum.topic(alice, space, "Les droits non demandés", body="Pourquoi ne pas demander ?")
    desk = logged_in_page(chromium, live_server, alice, viewport={"width": 1280, "height": 800})
    phone = logged_in_page(chromium, live_server, alice, viewport={"width": 360, "height": 740})
    writer = logged_in_page(chromium, live_server, bob)
    for page in (desk, phone, writer):
        open_topic(page, live_server, topic)
    assert desk.inner_text("#nombre-reponses") == "0 réponses"

    writer.type("#body", "La honte, souvent")
    for page in (desk, phone):
        page.wait_for_selector("#en-train-d-ecrire:not([hidden])", timeout=10000)
    writer.click("form.reply-form button[name=submit]")

    for page in (desk, phone):
        page.wait_for_selector("section.replies article.post-live", timeout=10000)
        # The reply is there: at once one reply counted and Bob no longer "writing" (the line
        # used to stay up to 6 s after the last keystroke, and the count at "0 réponses").
        assert page.inner_text("#nombre-reponses") == "1 réponse"
        assert page.is_hidden("#en-train-d-ecrire")
    desk.screenshot(path=str(tmp_path / "reponse-direct-bureau.png"), full_page=True)
    phone.screenshot(path=str(tmp_path / "reponse-direct-telephone.png"), full_page=True)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    forum.reply(alice, topic, "Et le manque d'information.")   # a second one, from elsewhere
    desk.wait_for_function("() => document.getElementById('nombre-reponses').textContent === '2 réponses'",
                           timeout=10000)
    assert desk.problems == [] and phone.problems == [] and writer.problems == []
    for page in (desk, phone, writer):
        page.context.close()


def test_another_writers_line_stays_when_someone_else_replies(chromium, live_server, forum, vendor_client):
    space = forum.space("Jeunesse")
    alice, bob, carla = forum.member("Alice"), forum.member("Bob"), forum.member("Carla")
    topic = forum.topic(alice, space, "Les contrats jeunes majeurs", body="Qu'en pensez-vous ?")
    reader = logged_in_page(chromium, live_server, alice)
    writer = logged_in_page(chromium, live_server, bob)
    for page in (reader, writer):
        open_topic(page, live_server, topic)
    writer.type("#body", "Je réfléchis encore")
    reader.wait_for_selector("#en-train-d-ecrire:not([hidden])", timeout=10000)
    reply = forum.reply(carla, topic, "Carla répond pendant que Bob écrit.")
    reader.wait_for_selector(f'article[data-post-id="{reply.id}"]', timeout=10000)
    assert reader.inner_text("#en-train-d-ecrire") == "Bob est en train d’écrire…"
    reader.wait_for_selector("#en-train-d-ecrire", state="hidden", timeout=10000)   # then it expires
    reader.context.close()
    writer.context.close()


def test_after_a_lost_connection_the_page_catches_up_once(chromium, live_server, forum, vendor_client):
    space = forum.space("Jeunesse")
    alice, bob = forum.member("Alice"), forum.member("Bob")
    topic = forum.topic(alice, space, "Les jeunes majeurs", body="Que proposer ?")
    page = logged_in_page(chromium, live_server, alice)

    state = {"blocked": False, "sockets": []}

    def through(ws):
        if state["blocked"]:
            ws.close()
            return
        ws.connect_to_server()
        state["sockets"].append(ws)

    page.route_web_socket(re.compile(r".*/socket\.io/.*"), through)
    page.route(re.compile(r".*/socket\.io/.*"),
               lambda route: route.abort() if state["blocked"] else route.continue_())
    open_topic(page, live_server, topic)

    live = forum.reply(bob, topic, "Pendant que la connexion tient.")
    page.wait_for_selector(f'article[data-post-id="{live.id}"]', timeout=10000)

    state["blocked"] = True            # the network goes away
    for ws in state["sockets"]:
        ws.close()
    page.wait_for_selector("body[data-live=off]", timeout=10000)
    missed = forum.reply(bob, topic, "Pendant la coupure.")
    state["blocked"] = False           # and comes back: the client re-joins with its cursor
    page.wait_for_selector(f'article[data-post-id="{missed.id}"]', timeout=20000)
    assert page.locator(f'article[data-post-id="{live.id}"]').count() == 1
    assert page.locator(f'article[data-post-id="{missed.id}"]').count() == 1
    assert page.problems == [] or all("socket.io" in e or "WebSocket" in e for e in page.problems)
    page.context.close()


def test_without_javascript_the_topic_page_is_complete(chromium, live_server, forum):
    space = forum.space("Territorialisation")
    alice = forum.member("Alice")
    topic = forum.topic(alice, space, "Un sujet lisible sans script")
    forum.reply(alice, topic, "Une réponse lisible.")
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + f"/sujet/{topic.id}")
    assert "Une réponse lisible." in page.inner_text("main")
    assert page.locator("form.reply-form").count() == 0   # anonymous: the login link instead
    assert page.get_attribute("body", "data-live") is None
    context.close()


def test_space_page_home_and_header_follow_the_forum(chromium, live_server, forum, app, vendor_client):
    from forum import events as domain_events
    from forum.extensions import db

    space = forum.space("Non-recours")
    alice, bob = forum.member("Alice"), forum.member("Bob")
    old = forum.topic(alice, space, "Un ancien sujet")
    listing = logged_in_page(chromium, live_server, alice)
    listing.goto(live_server.url + f"/espace/{space.slug}")
    listing.wait_for_selector("body[data-live=joined]", timeout=15000)
    home = logged_in_page(chromium, live_server, alice)
    home.wait_for_selector("body[data-live=joined]", timeout=15000)
    stats = f'[data-space-stats="{space.id}"]'
    assert "1 sujet" in home.inner_text(stats)

    new = forum.topic(bob, space, "Un sujet tout neuf")
    row = listing.wait_for_selector(f'ol.topic-list > li.topic-live[data-topic-id="{new.id}"]', timeout=10000)
    assert "nouveau" in row.inner_text()
    assert listing.get_attribute("ol.topic-list > li:first-child", "data-topic-id") == str(new.id)
    home.wait_for_function(f"() => document.querySelector('{stats}').textContent.includes('2 sujets')", timeout=10000)

    forum.reply(bob, old, "L'ancien sujet revit.")
    listing.wait_for_function(
        f"() => document.querySelector('ol.topic-list > li:first-child').getAttribute('data-topic-id') == '{old.id}'",
        timeout=10000)

    with app.app_context():   # what the notifications area publishes
        domain_events.publish(domain_events.NotificationsChanged(member_id=alice.id, unread=4))
        db.session.commit()
    # (Bob's reply already gave Alice a real notification: wait for the published count itself.)
    home.wait_for_function("() => document.querySelector('#compteur-notifications').textContent === '4'",
                           timeout=10000)
    assert home.is_visible("#compteur-notifications")
    assert listing.problems == [] and home.problems == []
    listing.context.close()
    home.context.close()
