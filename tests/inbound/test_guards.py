"""A reply by email meets the moderation's guards and the posting rate limit, as the form does."""
import pytest
from sqlalchemy import select

from forum.clock import now
from forum.extensions import db
from forum.inbound import addresses
from forum.inbound.models import InboundEmail
from forum.inbound.processing import process
from forum.topics.models import POST_PENDING, POST_VISIBLE, Post
from moderation.models import WORD_APPROVE, WORD_BLOCK, TopicSlowMode, WatchedWord

from .conftest import DOMAIN, parts, write


@pytest.fixture
def reply_to(app, forum):
    space = forum.space("Éthique et déontologie")
    alice, bob = forum.member("Alice"), forum.member("Bob")
    topic = forum.topic(bob, space, "Le secret partagé en équipe")
    with app.app_context():
        post_id = db.session.scalar(select(Post.id).where(Post.topic_id == topic.id))
        address = addresses.reply_address(post_id, alice.id)
    counter = iter(range(1000))

    def reply(body):
        with app.app_context():
            message = write(alice.email, address, body, message_id=f"<r{next(counter)}@client.example>")
            return process(message.as_bytes())
    reply.alice, reply.topic = alice, topic
    return reply


def watch(app, phrase, action):
    with app.app_context():
        db.session.add(WatchedWord(phrase=phrase, action=action, created_at=now()))
        db.session.commit()


def state_of(app, post_id):
    with app.app_context():
        return db.session.get(Post, post_id).state


def test_a_blocked_word_refuses_the_reply_and_says_so(app, reply_to, smtp):
    watch(app, "idiot", WORD_BLOCK)
    outcome = reply_to("Quel idiot.")
    assert (outcome.outcome, outcome.reason) == ("refused", "refused")
    [answer] = smtp.to(reply_to.alice.email)
    assert "expression refusée" in parts(answer)[0] and "Quel idiot." in parts(answer)[0]


def test_a_word_to_approve_holds_the_reply(app, reply_to):
    watch(app, "signalement", WORD_APPROVE)
    outcome = reply_to("Je ferai un signalement.")
    assert outcome.outcome == "posted" and state_of(app, outcome.post_id) == POST_PENDING
    assert reply_to("Autre chose.").outcome == "posted"


def test_slow_mode_refuses_the_second_reply(app, reply_to):
    with app.app_context():
        db.session.add(TopicSlowMode(topic_id=reply_to.topic.id, minutes=30))
        db.session.commit()
    first = reply_to("Premier.")
    assert first.outcome == "posted" and state_of(app, first.post_id) == POST_VISIBLE
    assert (reply_to("Second.").outcome, reply_to("Troisième.").reason) == ("refused", "refused")


def test_the_posting_rate_limit_applies(app_factory, smtp, forum):
    app = app_factory(SMTP_URL=smtp.url, INBOUND_EMAIL_DOMAIN=DOMAIN, NOTIFICATION_EMAIL_THREAD=False,
                      RATELIMIT_ENABLED=True, RATELIMIT_POSTING="2 per day", RATELIMIT_POSTING_NEW_MEMBER="2 per day",
                      RATELIMIT_STORAGE_URI="memory://")
    space = forum.space("Éthique")
    alice = forum.member("Alice")
    topic = forum.topic(alice, space, "Un sujet limité")
    with app.app_context():
        post_id = db.session.scalar(select(Post.id).where(Post.topic_id == topic.id))
        address = addresses.reply_address(post_id, alice.id)
        outcomes = [process(write(alice.email, address, f"Message {n}").as_bytes()) for n in range(3)]
        assert [o.reason for o in outcomes] == [None, None, "too_many"]
        assert db.session.scalar(select(InboundEmail.raw).where(InboundEmail.reason == "too_many"))
