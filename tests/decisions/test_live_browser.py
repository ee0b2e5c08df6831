"""The topic page's script (static/js/live-topic.js) on ``poll_activity``, in a real browser:
the participation count moves, the results part is fetched again and replaced, and the ballot
form being filled is left as it is (text and focus)."""
from datetime import timedelta

import pytest

from forum.clock import now
from forum.decisions import voting
from forum.decisions.models import Poll
from forum.extensions import db
from forum.topics.models import Member, Topic

from ..realtime.test_browser import logged_in_page, open_topic, vendor_client  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser

def test_participation_moves_and_the_form_being_filled_stays(app, chromium, forum, vendor_client):  # noqa: F811
    from ..conftest import LiveServer
    live_server = LiveServer(app)
    try:
        comite = forum.committee("13", name="Comité 13")
        alice, bruno = forum.member("Alice", committees=[comite]), forum.member("Bruno", committees=[comite])
        topic = forum.topic(alice, comite, "Charte d'accueil")
        with app.app_context():
            poll = voting.open_poll(db.session.get(Member, alice.id), db.session.get(Topic, topic.id),
                                    voting.PollSettings(kind="consent", question="Adopter la charte ?",
                                                        closes_at=now() + timedelta(days=3)), "La charte.")
            poll_id = poll.id
        page = logged_in_page(chromium, live_server, bruno)
        open_topic(page, live_server, topic)
        block = f"#decision-{poll_id}"
        page.evaluate(f"() => {{ document.querySelector('{block} [data-poll-results]').dataset.old = '1'; }}")
        reason = f"{block} textarea"
        page.fill(reason, "Je voudrais dire pourquoi")
        page.focus(reason)

        with app.app_context():
            voting.cast_ballot(db.session.get(Member, alice.id), db.session.get(Poll, poll_id), {0: 1})

        page.wait_for_selector(f'{block} [data-poll-voters="1"]', timeout=10000)
        assert page.inner_text(f"{block} [data-poll-voters]") == "1 votant"      # the singular, said live
        page.wait_for_selector(f"{block} [data-poll-results]:not([data-old])", timeout=10000)
        assert "Qui a voté (1)" in page.inner_text(f"{block} [data-poll-results]")
        assert page.input_value(reason) == "Je voudrais dire pourquoi"
        assert page.evaluate("document.activeElement.tagName") == "TEXTAREA"
        assert page.problems == []
        page.context.close()
    finally:
        live_server.stop()
