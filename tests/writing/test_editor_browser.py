"""The editor's JavaScript in Chromium: autosave to the server, and "Citer" on a selection."""
from urllib.parse import unquote_plus

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from forum.extensions import db
from forum.topics.drafts import Draft

from ..helpers import PASSWORD


@pytest.mark.browser
def test_autosave_and_quote_selection(app, forum, live_server, chromium, place):
    space, alice, bob, topic = place
    reply = forum.reply(bob, topic, "Les permanences itinérantes marchent bien dans les vallées.")
    context = chromium.new_context()
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(live_server.url + "/connexion")
    page.fill("#login", alice.pseudonym)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit][name=submit]")
    page.wait_for_url(live_server.url + "/")   # logged in before leaving (the cookie comes with the answer)
    page.goto(f"{live_server.url}/sujet/{topic.id}")

    page.fill("#body", "Je prépare une réponse")
    status = page.locator("[data-draft-status]")
    expect(status).to_contain_text("Brouillon enregistré à", timeout=10000)
    with app.app_context():
        drafts = db.session.scalars(select(Draft).where(Draft.member_id == alice.id)).all()
        assert [(d.key, d.body) for d in drafts] == [(f"topic-{topic.id}", "Je prépare une réponse")]

    # With JavaScript on, the "Citer" button is out of sight until something is selected
    # (a `hidden` button once floated in the page's corner: button{display:inline-flex} won).
    expect(page.locator("button.quote-selection")).to_be_hidden()
    # Select a passage of Bob's reply, as a finger does (no mouse or key event, only the
    # selection changes): a "Citer" button appears and quotes just that passage.
    page.evaluate("""(number) => {
        const body = document.querySelector('#message-' + number + ' .post-body p');
        const text = body.firstChild;
        const range = document.createRange();
        range.setStart(text, 4);
        range.setEnd(text, 35);
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
    }""", reply.number)
    button = page.locator("button.quote-selection")
    button.wait_for(state="visible")
    # The quote changes the text: the next autosave carries it (waited for, not slept on).
    with page.expect_response(lambda answer: answer.url.endswith("/brouillon") and "a écrit"
                              in unquote_plus(answer.request.post_data or ""), timeout=10000) as saved:
        button.click()
    value = page.input_value("#body")
    # A quote a person can read in the box, which the page renders with its attribution.
    assert value == (f"Je prépare une réponse\n\n> [Bob](/message/{reply.id}) a écrit :\n>\n"
                     "> permanences itinérantes marchen\n\n")
    expect(button).to_be_hidden()
    assert page.evaluate("document.activeElement.id") == "body"

    # Coming back later: the draft is there (server copy).
    assert saved.value.ok
    page.goto(f"{live_server.url}/sujet/{topic.id}")
    assert page.input_value("#body").startswith("Je prépare une réponse\n\n> [Bob]")
    assert errors == []
    context.close()
