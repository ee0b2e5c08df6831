"""Webhooks delivered to a real HTTP server: signed, retried, disabled, and carrying only what
their viewer may read (forum/webhooks/)."""
import hashlib
import hmac
import json
from datetime import timedelta

from sqlalchemy import select

from forum.accounts.models import Member
from forum.clock import now
from forum.errors import Invalid
from forum.extensions import db
from forum.topics import posting
from forum.topics.models import POST_HIDDEN, Post
from forum.webhooks import addresses, managing, sending
from forum.webhooks.models import (DELIVERED, FAILED, MEMBER_JOINED, PENDING, POST_CREATED, POST_HIDDEN as HIDDEN,
                                   SKIPPED, TOPIC_CREATED, Webhook, WebhookDelivery)
from moderation.models import AuditEntry

import pytest


def deliver(app, moment=None):
    with app.app_context():
        return sending.deliver_due(moment)


def deliveries(app, webhook):
    with app.app_context():
        rows = db.session.scalars(select(WebhookDelivery).where(WebhookDelivery.webhook_id == webhook.id)
                                  .order_by(WebhookDelivery.id)).all()
        return [(row.event, row.state, row.attempts, row.response_status, row.error, row.payload) for row in rows]


def test_a_delivery_is_signed_with_the_secret_as_discourse_signs(hooks_app, forum, receiver, make_webhook):
    webhook = make_webhook(receiver.url, events=[TOPIC_CREATED])
    author = forum.member("Alice")
    topic = forum.topic(author, forum.space("Accueil"), "Accès aux droits à Marseille", body="Parlons-en.")
    assert receiver.requests == []                 # nothing leaves from the request itself
    report = deliver(hooks_app)
    assert report.delivered == 1 and len(receiver.requests) == 1
    headers, body = receiver.requests[0]
    expected = "sha256=" + hmac.new(webhook.secret.encode(), body, hashlib.sha256).hexdigest()
    assert headers["X-Discourse-Event-Signature"] == expected
    assert headers["X-Discourse-Event"] == "topic_created" and headers["X-Discourse-Event-Type"] == "topic"
    assert headers["X-Discourse-Event-Id"] and headers["Content-Type"] == "application/json"
    sent = json.loads(body)["topic"]
    assert sent["id"] == topic.id and sent["title"] == "Accès aux droits à Marseille"
    assert sent["created_by"] == {"username": "Alice"}
    # A body altered on the way no longer matches.
    assert "sha256=" + hmac.new(webhook.secret.encode(), body + b" ", hashlib.sha256).hexdigest() != expected
    [(event, state, attempts, status, error, _payload)] = deliveries(hooks_app, webhook)
    assert (event, state, attempts, status, error) == (TOPIC_CREATED, DELIVERED, 1, 200, "")
    assert deliver(hooks_app).delivered == 0 and len(receiver.requests) == 1     # once


def test_a_500_then_a_200_is_retried_with_backoff_and_delivered_once(hooks_app, forum, receiver, make_webhook):
    webhook = make_webhook(receiver.url, events=[POST_CREATED])
    receiver.statuses = [500]
    author = forum.member("Alice")
    forum.reply(author, forum.topic(author, forum.space("Accueil")), "Une réponse.")
    deliver(hooks_app)
    assert [(e, s, a, c) for e, s, a, c, *_ in deliveries(hooks_app, webhook)] == \
        [(POST_CREATED, PENDING, 1, 500), (POST_CREATED, DELIVERED, 1, 200)]
    deliver(hooks_app)                                                  # not due yet: the backoff
    assert len(receiver.requests) == 2
    deliver(hooks_app, now() + timedelta(seconds=hooks_app.config["WEBHOOK_RETRY_DELAY"] + 1))
    assert len(receiver.requests) == 3
    first, retried = receiver.requests[0], receiver.requests[2]
    assert first[1] == retried[1] and first[0]["X-Discourse-Event-Id"] == retried[0]["X-Discourse-Event-Id"]
    assert [s for _e, s, *_ in deliveries(hooks_app, webhook)] == [DELIVERED, DELIVERED]
    deliver(hooks_app, now() + timedelta(days=1))
    assert len(receiver.requests) == 3                                   # delivered once each


def test_repeated_failures_disable_the_webhook_until_enabled_by_hand(hooks_app, forum, receiver, make_webhook, admin):
    hooks_app.config.update(WEBHOOK_DISABLE_AFTER=3, WEBHOOK_MAX_ATTEMPTS=10)
    webhook = make_webhook(receiver.url, events=[TOPIC_CREATED])
    receiver.default = 500
    author, space = forum.member("Alice"), forum.space("Accueil")
    for _ in range(4):
        forum.topic(author, space)
    report = deliver(hooks_app)
    assert len(receiver.requests) == 3 and report.disabled == 1
    with hooks_app.app_context():
        row = db.session.get(Webhook, webhook.id)
        assert not row.active and row.disabled_reason == "HTTP 500" and row.failures == 3
    assert sorted(s for _e, s, *_ in deliveries(hooks_app, webhook)) == [FAILED] * 4
    forum.topic(author, space)                               # nothing is written for it any more
    deliver(hooks_app, now() + timedelta(days=1))
    assert len(receiver.requests) == 3 and len(deliveries(hooks_app, webhook)) == 4
    browser_page = _admin_page(hooks_app, admin, webhook)
    assert "Désactivé automatiquement" in browser_page and "HTTP 500" in browser_page
    with hooks_app.app_context():
        managing.enable(db.session.get(Member, admin.id), db.session.get(Webhook, webhook.id))
    receiver.default = 200
    forum.topic(author, space)
    assert deliver(hooks_app).delivered == 1 and len(receiver.requests) == 4


def _admin_page(app, admin, webhook):
    from ..helpers import Browser, text
    browser = Browser(app.test_client())
    browser.login(admin)
    return text(browser.get(f"/coordination/webhooks/{webhook.id}"))


def test_a_restricted_topic_goes_only_to_the_webhook_scoped_to_its_space(hooks_app, forum, receiver, make_webhook):
    committee = forum.committee("13")
    bureau = forum.space("Bureau du 13", visibility="restricted", committees=[committee])
    open_hook = make_webhook(receiver.url, events=[TOPIC_CREATED, POST_CREATED], name="ouvert")
    scoped = make_webhook(receiver.url, events=[TOPIC_CREATED, POST_CREATED], space=bureau, name="bureau")
    alice = forum.member("Alice", committees=[committee])
    forum.topic(alice, bureau, "xqsecret du bureau", body="Texte xqsecret.")
    forum.topic(alice, forum.space("Accueil"), "Sujet public", body="Texte public.")
    deliver(hooks_app)
    assert all("xqsecret" not in payload for *_, payload in deliveries(hooks_app, open_hook))
    assert [e for e, *_ in deliveries(hooks_app, open_hook)] == [TOPIC_CREATED, POST_CREATED]
    assert [e for e, *_ in deliveries(hooks_app, scoped)] == [TOPIC_CREATED, POST_CREATED]
    assert all("xqsecret" in payload and "public" not in payload for *_, payload in deliveries(hooks_app, scoped))
    assert sum(b"xqsecret" in body for _h, body in receiver.requests) == 2


def test_a_hidden_posts_text_is_never_sent(hooks_app, forum, receiver, make_webhook):
    committee = forum.committee("13")
    bureau = forum.space("Bureau", visibility="restricted", committees=[committee])
    open_hook = make_webhook(receiver.url, events=[POST_CREATED, HIDDEN])
    scoped = make_webhook(receiver.url, events=[POST_CREATED, HIDDEN], space=bureau)
    alice = forum.member("Alice", committees=[committee])
    public_reply = forum.reply(alice, forum.topic(alice, forum.space("Accueil")), "Texte xqcache public.")
    bureau_reply = forum.reply(alice, forum.topic(alice, bureau), "Texte xqcache du bureau.")
    with hooks_app.app_context():   # hidden before the sender came: the queued text stays home
        for reply in (public_reply, bureau_reply):
            posting.set_post_state(db.session.get(Post, reply.id), POST_HIDDEN)
        db.session.commit()
    deliver(hooks_app)
    assert not any(b"xqcache" in body for _h, body in receiver.requests)
    assert not any(b"Alice" in body for headers, body in receiver.requests
                   if headers["X-Discourse-Event"] == HIDDEN)
    hidden = [json.loads(p)["post"] for e, s, *_, p in deliveries(hooks_app, open_hook) if e == HIDDEN]
    assert hidden == [{"id": public_reply.id, "topic_id": public_reply.topic_id, "post_number": 2, "hidden": True,
                       "category_id": hidden[0]["category_id"], "url": hidden[0]["url"]}]
    # The opening post went; the reply, hidden before its turn, did not.
    assert [s for e, s, *_ in deliveries(hooks_app, scoped) if e == POST_CREATED] == [DELIVERED, SKIPPED]
    assert [e for e, *_ in deliveries(hooks_app, scoped) if e == HIDDEN] == [HIDDEN]


def test_a_new_member_is_sent_by_pseudonym_only(hooks_app, forum, receiver, make_webhook):
    make_webhook(receiver.url, events=[MEMBER_JOINED])
    from forum import events
    member = forum.member("Nouvelle", email="nouvelle@example.org")
    with hooks_app.app_context():
        events.publish(events.MemberRegistered(member_id=member.id))
        db.session.commit()
    deliver(hooks_app)
    [body] = receiver.bodies()
    assert body["user"]["username"] == "Nouvelle" and "example.org" not in json.dumps(body)
    assert receiver.requests[0][0]["X-Discourse-Event"] == "user_created"


def test_private_addresses_are_refused_unless_the_setting_allows_them(hooks_app, forum, receiver, make_webhook):
    webhook = make_webhook(receiver.url, events=[TOPIC_CREATED])
    hooks_app.config["WEBHOOK_ALLOW_PRIVATE_ADDRESSES"] = False
    with hooks_app.test_request_context():
        for url in ("http://127.0.0.1:8000/", "http://localhost/", "http://10.0.0.2/", "http://[::1]/",
                    "http://192.168.1.1/", "http://169.254.169.254/latest"):
            with pytest.raises(Invalid):
                addresses.check_url(url)
        assert addresses.check_url(" https://hooks.example.org/agora ") == "https://hooks.example.org/agora"
    author = forum.member("Alice")
    forum.topic(author, forum.space("Accueil"))
    deliver(hooks_app)
    assert receiver.requests == []                           # checked again when it leaves
    [(_e, state, _a, status, error, _p)] = deliveries(hooks_app, webhook)
    assert state == PENDING and status is None and "privée" in error


def test_every_act_on_a_webhook_is_in_the_audit_log_without_its_secret(hooks_app, admin, make_webhook, receiver):
    webhook = make_webhook(receiver.url, events=[TOPIC_CREATED])
    with hooks_app.app_context():
        actor, row = db.session.get(Member, admin.id), db.session.get(Webhook, webhook.id)
        managing.update_webhook(actor, row, managing.WebhookInput(url=receiver.url, events=[POST_CREATED]),
                                renew_secret=True)
        managing.disable(actor, row)
        managing.enable(actor, row)
        managing.delete(actor, row)
        entries = db.session.scalars(select(AuditEntry).where(AuditEntry.target_type == "webhook")
                                     .order_by(AuditEntry.id)).all()
        assert [(e.action, e.actor_id, e.target_id) for e in entries] == [
            (f"webhook_{a}", admin.id, webhook.id) for a in ("created", "secret_renewed", "disabled", "enabled",
                                                             "deleted")]
        assert not any(webhook.secret in json.dumps([e.before, e.after]) for e in entries)


def test_an_erased_member_leaves_the_logs(hooks_app, forum, receiver, make_webhook):
    from forum.accounts import erasure
    webhook = make_webhook(receiver.url, events=[TOPIC_CREATED, POST_CREATED])
    alice, bruno = forum.member("Alice"), forum.member("Bruno")
    topic = forum.topic(alice, forum.space("Accueil"), "Sujet d'Alice")
    forum.reply(bruno, topic, "Réponse de Bruno.")
    deliver(hooks_app)
    with hooks_app.app_context():
        erasure.erase(db.session.get(Member, alice.id), "anonymise")
    left = deliveries(hooks_app, webhook)
    assert [e for e, *_ in left] == [POST_CREATED] and "Bruno" in left[0][-1]
    assert not any("Alice" in payload for *_, payload in left)


def test_a_closed_decision_and_a_published_synthesis_go_where_a_visitor_reads(hooks_app, forum, receiver,
                                                                              make_webhook):
    from forum.decisions import closing, voting
    from forum.syntheses import lifecycle, writing
    from forum.topics.models import Space, Topic
    from forum.webhooks.models import DECISION_CLOSED, SYNTHESIS_PUBLISHED
    committee = forum.committee("13")
    bureau = forum.space("Bureau", visibility="restricted", committees=[committee])
    webhook = make_webhook(receiver.url, events=[DECISION_CLOSED, SYNTHESIS_PUBLISHED])
    forum.moderator(committee, pseudonym="Modeste", committees=[committee])
    forum.moderator(bureau, pseudonym="Modeste2", committees=[committee])
    alice = forum.member("Alice", committees=[committee])
    public_topic, bureau_topic = forum.topic(alice, committee), forum.topic(alice, bureau)
    with hooks_app.app_context():
        for topic, question in ((public_topic, "Quel jour public ?"), (bureau_topic, "Quel jour xqbureau ?")):
            poll = voting.open_poll(db.session.get(Member, alice.id), db.session.get(Topic, topic.id),
                                    voting.PollSettings(kind="single", question=question,
                                                        closes_at=now() + timedelta(days=3),
                                                        options=["Mardi", "Jeudi"]), "Décidons.")
            closing.close_poll(poll, db.session.get(Member, alice.id))
        for space, title, who in ((committee, "Synthèse publique", "Modeste"), (bureau, "Synthèse xqbureau",
                                                                                  "Modeste2")):
            member = db.session.scalar(select(Member).where(Member.pseudonym == who))
            synthesis = writing.start(member, db.session.get(Space, space.id), title, "## Partie\n\nTexte.")
            lifecycle.ask_review(member, synthesis)
            lifecycle.approve(member, synthesis)
            lifecycle.publish(member, synthesis)
    deliver(hooks_app)
    bodies = receiver.bodies()
    assert [next(iter(b)) for b in bodies] == ["decision", "synthesis"]
    assert bodies[0]["decision"]["question"] == "Quel jour public ?"
    assert bodies[1]["synthesis"]["title"] == "Synthèse publique" and bodies[1]["synthesis"]["version"] == 1
    assert not any(b"xqbureau" in body for _h, body in receiver.requests)
    assert len(deliveries(hooks_app, webhook)) == 2


def test_a_reply_under_a_hidden_opening_post_comes_without_the_topics_title(hooks_app, forum, receiver,
                                                                            make_webhook):
    make_webhook(receiver.url, events=[POST_CREATED])
    alice, bruno = forum.member("Alice"), forum.member("Bruno")
    topic = forum.topic(alice, forum.space("Accueil"), "Titre xqtitre", body="<!-- xqcomment --> Texte.")
    with hooks_app.app_context():
        opening = db.session.scalar(select(Post).where(Post.topic_id == topic.id, Post.number == 1))
        posting.set_post_state(opening, POST_HIDDEN)
        db.session.commit()
    forum.reply(bruno, topic, "Une réponse.")
    deliver(hooks_app)
    [body] = receiver.bodies()            # the opening post, hidden before its turn, did not go
    assert body["post"]["post_number"] == 2 and body["post"]["topic_title"] is None
    assert not any(b"xqtitre" in raw or b"xqcomment" in raw for _h, raw in receiver.requests)
