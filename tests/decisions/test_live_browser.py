"""The topic page's script (static/js/live-topic.js) on ``poll_activity``, in a real browser:
the participation count moves, the results part is fetched again and replaced, and the ballot
form being filled is left as it is (text and focus)."""
from datetime import timedelta

import pytest
from flask import jsonify

from forum.clock import now
from forum.decisions import voting
from forum.decisions.models import Poll
from forum.extensions import db
from forum.topics.models import Member, Topic

from ..realtime.test_browser import logged_in_page, open_topic, vendor_client  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser

# The block as the script expects it (docs/decisions.md, "Live pages"). The block's own template
# is written elsewhere; the page here gets this skeleton, put in by the test.
BLOCK = """<section class="poll" id="decision-{id}">
  <p data-poll-voters="0" data-text="{{n}} votants">0 votants</p>
  <div data-poll-results><p>Résultats d'avant</p></div>
  <form><label for="raison">Raison</label><textarea id="raison" name="reason"></textarea></form>
</section>"""


def stub_block_route(app):
    """Where ``decisions.block`` is not registered yet, a stand-in answering its JSON shape."""
    if "decisions.block" in app.view_functions:
        return False

    def block(poll_id):
        count = db.session.get(Poll, poll_id).voter_count
        return jsonify({"html": f'<section id="decision-{poll_id}"><p data-poll-voters="{count}">{count}</p>'
                                f'<div data-poll-results><p>Résultats frais</p></div></section>'})
    app.add_url_rule("/decision/<int:poll_id>/bloc", endpoint="decisions.block", view_func=block)
    return True


def test_participation_moves_and_the_form_being_filled_stays(app, chromium, forum, vendor_client):  # noqa: F811
    stubbed = stub_block_route(app)
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
        if not page.query_selector(f"{block} [data-poll-voters]"):
            # The block's template is not on this branch: the skeleton the script expects.
            page.evaluate("([html]) => document.querySelector('main').insertAdjacentHTML('afterbegin', html)",
                          [BLOCK.format(id=poll_id)])
        page.evaluate(f"() => {{ document.querySelector('{block} [data-poll-results]').dataset.old = '1'; }}")
        reason = f"{block} textarea"
        page.fill(reason, "Je voudrais dire pourquoi")
        page.focus(reason)

        with app.app_context():
            voting.cast_ballot(db.session.get(Member, alice.id), db.session.get(Poll, poll_id), {0: 1})

        page.wait_for_selector(f'{block} [data-poll-voters="1"]', timeout=10000)
        assert "1" in page.inner_text(f"{block} [data-poll-voters]")
        page.wait_for_selector(f"{block} [data-poll-results]:not([data-old])", timeout=10000)
        if stubbed:
            assert page.inner_text(f"{block} [data-poll-results]") == "Résultats frais"
        assert page.input_value(reason) == "Je voudrais dire pourquoi"
        assert page.evaluate("document.activeElement.tagName") == "TEXTAREA"
        assert page.errors == []
        page.context.close()
    finally:
        live_server.stop()
