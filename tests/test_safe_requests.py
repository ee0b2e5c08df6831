"""A GET changes nothing a reader would notice: an image in a post is fetched by everyone who
reads it, so it must not switch their language, mark a topic or a notification read.

The language and notifications change by POST (forms that work without JavaScript); a topic is
marked read only when the browser navigates to it (``Sec-Fetch-Dest: document``); and the
renderer never lets an image point at the forum's own pages or actions.
"""
import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.notifications.models import Notification
from forum.text.markup import render
from forum.topics.models import TopicRead

from .helpers import log_in, text

IMAGE = {"Sec-Fetch-Dest": "image", "Sec-Fetch-Mode": "no-cors", "Sec-Fetch-Site": "same-origin"}
FETCH = {"Sec-Fetch-Dest": "empty", "Sec-Fetch-Mode": "cors", "Sec-Fetch-Site": "same-origin"}
PAGE = {"Sec-Fetch-Dest": "document", "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Site": "same-origin"}


@pytest.mark.parametrize("source", [
    "/langue/en", "/sujet/7", "/notifications/3", "/deconnexion", "sujet/7", "../../langue/en",
    "/piece-jointe/../langue/en", "/piece-jointe/%2e%2e/langue/en", "/static/..%2F..%2Flangue/en",
    "/piece-jointe/\t../../langue/en", "/static\\..\\langue\\en", "/piece-jointe/./../sujet/7",
    "?page=2", "#x", "",
])
def test_images_never_point_at_the_forums_pages_or_actions(source):
    for html in (render(f"![image]({source})"), render(f'<img src="{source}" alt="image">')):
        assert "src=" not in html, html


@pytest.mark.parametrize("source", ["/piece-jointe/abcdefghijklmnop/plan.png", "/static/favicon.svg"])
def test_attachments_and_static_images_are_shown(source):
    assert f'<img src="{source}" alt="plan">' in render(f"![plan]({source})")
    assert f'src="{source}"' in render(f'<img src="{source}" alt="plan">')


def _read_up_to(app, member, topic):
    with app.app_context():
        read = db.session.get(TopicRead, (member.id, topic.id))
        return read.last_read_number if read else None


def test_a_topic_is_marked_read_by_navigating_to_it_not_by_an_image(app, forum, browser):
    space = forum.space()
    alice, bob = forum.member("Alice"), forum.member("Bob")
    topic = forum.topic(alice, space)
    forum.reply(alice, topic)
    browser.login(bob)
    for headers in (IMAGE, FETCH, {"Sec-Fetch-Dest": "image"}, {"Sec-Fetch-Mode": "no-cors"}):
        assert browser.get(f"/sujet/{topic.id}", headers=headers).status_code == 200
        assert _read_up_to(app, bob, topic) is None, headers
    assert browser.get(f"/sujet/{topic.id}", headers=PAGE).status_code == 200
    assert _read_up_to(app, bob, topic) == 2
    forum.reply(alice, topic)
    assert browser.get(f"/sujet/{topic.id}").status_code == 200     # no Sec-Fetch-* (old browser)
    assert _read_up_to(app, bob, topic) == 3


def test_the_language_changes_by_post_only(browser):
    response = browser.get("/langue/en", headers=IMAGE)
    assert response.status_code == 405 and "lang=" not in response.headers.get("Set-Cookie", "")
    assert '<html lang="fr">' in text(browser.get("/"))
    assert browser.post("/langue/en", csrf=False).status_code == 400
    response = browser.post("/langue/en", headers={"Referer": "http://localhost/aide"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/aide")
    assert "lang=en" in response.headers["Set-Cookie"]
    assert '<html lang="en">' in text(browser.get("/"))


def test_a_notification_is_marked_read_by_its_button_not_by_a_get(app, forum, browser):
    space = forum.space()
    alice, bob = forum.member("Alice"), forum.member("Bob")
    reply = forum.reply(bob, forum.topic(alice, space))
    with app.app_context():
        notification_id = db.session.scalar(select(Notification.id))

    def is_read():
        with app.app_context():
            return db.session.get(Notification, notification_id).read_at is not None

    browser.login(alice)
    for headers in (IMAGE, PAGE):
        response = browser.get(f"/notifications/{notification_id}", headers=headers)
        assert response.status_code == 303 and response.headers["Location"] == f"/message/{reply.id}"
        assert not is_read()
    assert browser.post(f"/notifications/{notification_id}", csrf=False).status_code == 400
    assert not is_read()
    page = text(browser.get("/notifications"))
    assert f'<form method="post" action="/notifications/{notification_id}"' in page
    response = browser.post(f"/notifications/{notification_id}")
    assert response.status_code == 303 and response.headers["Location"] == f"/message/{reply.id}"
    assert is_read()


# --- in a real browser ------------------------------------------------------------------------

LOAD_IMAGE = """(src) => new Promise((done) => {
  const image = new Image();
  image.onload = image.onerror = () => done(true);
  image.src = src;
})"""


@pytest.mark.browser
@pytest.mark.parametrize("backend", ["sqlite"])
def test_images_fetched_by_chromium_change_nothing_and_the_forms_work_without_javascript(
        app, forum, live_server, chromium):
    space = forum.space()
    alice, bob = forum.member("Alice"), forum.member("Bob")
    topic = forum.topic(alice, space)
    forum.reply(alice, topic)
    reply = forum.reply(bob, topic, "Une réponse pour Alice.")
    with app.app_context():
        notification_id = db.session.scalar(select(Notification.id))

    read_before = _read_up_to(app, alice, topic)      # her own posts, not Bob's reply
    assert read_before < reply.number
    # Images aimed at the three addresses, fetched by the browser as images (Sec-Fetch-Dest: image).
    scripted = chromium.new_context()
    page = scripted.new_page()
    log_in(page, live_server, alice)
    for source in ("/langue/en", f"/sujet/{topic.id}", f"/notifications/{notification_id}"):
        page.evaluate(LOAD_IMAGE, source)
    page.goto(f"{live_server.url}/aide")
    assert page.get_attribute("html", "lang") == "fr"
    assert _read_up_to(app, alice, topic) == read_before
    with app.app_context():
        assert db.session.get(Notification, notification_id).read_at is None
    scripted.close()

    # Without JavaScript: the notification's button and the footer's language button.
    plain = chromium.new_context(java_script_enabled=False)
    page = plain.new_page()
    log_in(page, live_server, alice)
    page.goto(f"{live_server.url}/notifications")
    page.click(".notification-text button")
    page.wait_for_url(f"**/sujet/{topic.id}/**")
    assert f"#message-{reply.number}" in page.url
    with app.app_context():
        assert db.session.get(Notification, notification_id).read_at is not None
    assert _read_up_to(app, alice, topic) == reply.number     # the page itself was opened
    page.click("footer button:has-text('English')")
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == "en"
    assert f"/sujet/{topic.id}" in page.url                   # back on the page it was chosen from
    page.click("footer button:has-text('Français')")
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == "fr"
    plain.close()
