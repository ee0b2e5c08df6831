"""On paper, moderated text never appears (issue 18): a coordinator who prints a topic, or saves
it as a PDF for a report, gets the notices of hidden and pending posts, never their text, nor a
decision such a post opened; the versions page of a hidden post prints without its versions.
Checked in a real browser (print media) and by reading back the text of a real PDF."""
import io
from datetime import timedelta

import pytest
from pypdf import PdfReader

from forum.accounts.models import Member
from forum.clock import now
from forum.decisions import voting
from forum.extensions import db
from forum.topics import posting
from forum.topics.models import Post, Topic
from moderation import settings as moderation_settings
from moderation.models import WORD_APPROVE
from moderation.post_decisions import hide

from ..helpers import log_in, open_page

pytestmark = pytest.mark.browser

SITE_HIDDEN = "Qui vient au match dimanche ?"                     # hidden by the site fixture
FIRST_VERSION = "Le compte rendu nomme la famille Martin."         # a hidden post's first version
HIDDEN_NOW = "Le compte rendu nomme une famille."                  # ... and its text when hidden
PENDING = "Qui veut des billets de tombola ?"                      # waits for a moderator
DECISION = "Faut-il écrire au bailleur des Martin ?"               # opened by a post then hidden
DECISION_BODY = "Je propose une lettre commune."
SECRETS = (SITE_HIDDEN, HIDDEN_NOW, PENDING, DECISION, DECISION_BODY)   # on the topic page


def _words(text):
    """``text`` as one line of words: a PDF's text breaks lines wherever the page did."""
    return " ".join(text.split())


def _pdf_text(pdf):
    reader = PdfReader(io.BytesIO(pdf))
    return _words(" ".join(page.extract_text() or "" for page in reader.pages))


@pytest.fixture
def moderated(site, forum, app):
    """The site's topic with, besides the site's hidden post: a hidden post that was edited once
    (two versions), a pending post, and a decision whose opening post was hidden."""
    with app.app_context():
        moderator = db.session.get(Member, site.moderator.id)
        article = str(db.session.get(type(site.version), site.version.id).articles[1].id)
        topic = db.session.get(Topic, site.topic.id)
        bob = db.session.get(Member, site.bob.id)
        edited = posting.reply(bob, topic, FIRST_VERSION)
        posting.edit_post(bob, edited, HIDDEN_NOW)
        hide(moderator, edited, [article], "Une famille est reconnaissable.")
        poll = voting.open_poll(bob, topic, voting.PollSettings(
            kind="single", question=DECISION, closes_at=now() + timedelta(days=7), options=["Oui", "Non"]),
            DECISION_BODY)
        hide(moderator, db.session.get(Post, poll.post_id), [article], "Une famille est reconnaissable.")
        coordinator = forum.member("Coordination-PACA", role="coordinator")
        moderation_settings.add_word(db.session.get(Member, coordinator.id), "tombola", WORD_APPROVE)
        pending = posting.reply(db.session.get(Member, site.alice.id), topic, PENDING)
        assert pending.state == "pending" and edited.state == "hidden"
        return {"coordinator": coordinator, "edited": edited.id, "pending": pending.id, "poll": poll.id}


def test_a_coordinator_prints_a_topic_without_any_moderated_text(site, moderated, live_server, chromium):
    context = chromium.new_context(locale="fr-FR")
    page = open_page(context)
    log_in(page, live_server, moderated["coordinator"])
    page.goto(f"{live_server.url}/sujet/{site.topic.id}")
    on_screen = _words(page.inner_text("main"))
    for secret in SECRETS:   # on screen the coordination reads them all: the print check can fail
        assert secret in on_screen, secret

    page.emulate_media(media="print")
    moderated_posts = page.locator("article.post-hidden, article.post-pending")
    assert moderated_posts.count() == 4
    for article in moderated_posts.all():
        body = article.locator(".post-body")
        assert body.count() == 1               # the text is in the page, for the screen...
        assert not body.is_visible()           # ...and not on paper
        assert body.bounding_box() is None
        assert article.locator(".placeholder").is_visible()
    poll = page.locator(f"#decision-{moderated['poll']}")
    assert poll.count() == 1 and not poll.is_visible()
    assert not page.locator(".topic-decisions").is_visible()   # its only decision is the hidden one
    printed = _words(page.inner_text("main"))
    for secret in SECRETS:
        assert secret not in printed, secret

    text = _pdf_text(page.pdf(format="A4"))
    for secret in SECRETS:
        assert secret not in text, secret
    assert "Martin" not in text
    assert text.count("Message masqué par la modération") == 3
    assert "Message en attente de modération." in text
    for shown in ("Préparer la plénière de décembre", "Le logement d'abord : trois familles attendent.",
                  "D'accord, et qui présente ?", "Je peux le faire.", "Pensez aussi aux transports."):
        assert shown in text, shown
    for left_off in ("Répondre au sujet", "Modérer", "Se déconnecter", "Enregistrer le brouillon"):
        assert left_off not in text, left_off
    assert page.problems == []
    context.close()


def test_the_versions_of_a_hidden_post_are_not_printed(site, moderated, live_server, chromium):
    context = chromium.new_context(locale="fr-FR")
    page = open_page(context)
    log_in(page, live_server, moderated["coordinator"])
    page.goto(f"{live_server.url}/message/{moderated['edited']}/versions")
    on_screen = _words(page.inner_text("main"))
    assert FIRST_VERSION in on_screen and "Version 2" in on_screen   # the original and the change

    page.emulate_media(media="print")
    assert not page.locator(".revision-original").is_visible()
    assert page.locator(".revision-change").count() == 1 and not page.locator(".revision-change").is_visible()
    text = _pdf_text(page.pdf(format="A4"))
    assert "Versions du message n°" in text
    assert "Martin" not in text and "nomme" not in text and "Version 2" not in text
    assert page.problems == []
    context.close()
