"""A member blocks another, or refuses private messages (forum/accounts/blocking.py): the
notifications a blocked member would cause do not reach the blocker, the buttons are POST with
CSRF, and the blocks go with an erased account and come in the data archive."""
import re
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from forum import events
from forum.accounts import blocking, erasure, portability
from forum.accounts.models import Member, MemberBlock
from forum.devdata import demo
from forum.errors import Invalid, NotFound
from forum.extensions import db
from forum.notifications.models import KIND_MENTION, KIND_NOTICE, KIND_REPLY, Notification
from forum.topics import posting
from forum.topics.models import Post

from .helpers import Browser, text


@pytest.fixture
def people(forum):
    space = forum.space("Accès aux droits")
    alice, bob, carol = forum.member("Alice"), forum.member("Bob"), forum.member("Carol")
    return space, alice, bob, carol


def kinds_for(app, member, actor):
    with app.app_context():
        return [n.kind for n in db.session.scalars(select(Notification).where(
            Notification.member_id == member.id, Notification.actor_id == actor.id).order_by(Notification.id))]


def run(app, function, *ids):
    with app.app_context():
        return function(*[db.session.get(Member, i) for i in ids])


def test_block_and_unblock_as_functions(app, people):
    _space, alice, bob, carol = people
    run(app, blocking.block, alice.id, bob.id)
    run(app, blocking.block, alice.id, bob.id)   # twice: the same one block
    with app.app_context():
        assert blocking.has_blocked(alice, bob) and blocking.has_blocked(alice.id, bob.id)
        assert not blocking.has_blocked(bob, alice)   # one way only
        assert blocking.blocked_ids(alice) == {bob.id} and blocking.blocked_ids(bob.id) == set()
        assert blocking.blockers_of([alice.id, bob.id, carol.id, None], bob.id) == {alice.id}
        assert blocking.blockers_of([], bob.id) == set() and blocking.blockers_of([alice.id], None) == set()
        me = db.session.get(Member, alice.id)
        with pytest.raises(Invalid, match="vous bloquer vous-même"):
            blocking.block(me, me)
        with pytest.raises(NotFound):
            blocking.block(me, 10**6)
    run(app, blocking.unblock, alice.id, bob.id)
    run(app, blocking.unblock, alice.id, bob.id)   # not blocked: nothing changes
    with app.app_context():
        assert not blocking.has_blocked(alice, bob)


def test_a_blocked_member_mentions_replies_and_quotes_notify_nobody_until_unblocked(app, forum, people):
    space, alice, bob, carol = people
    topic = forum.topic(alice, space, "Permanences du jeudi")
    opening = forum.opening(topic)
    run(app, blocking.block, alice.id, bob.id)
    forum.reply(bob, topic, "@Alice, qu'en pensez-vous ?")
    forum.reply(bob, topic, "Je réponds à votre message.", parent=opening)
    forum.reply(bob, topic, f'[quote="Alice, post:{opening.id}"]\nPremier message\n[/quote]\n\nJe cite.')
    forum.reply(bob, topic, "@Carol aussi, qui n'a bloqué personne.")
    assert kinds_for(app, alice, bob) == []
    assert kinds_for(app, carol, bob) == [KIND_MENTION]
    forum.reply(carol, topic, "@Alice, Carol vous parle.")
    assert kinds_for(app, alice, carol) == [KIND_MENTION]   # only Bob is blocked

    run(app, blocking.unblock, alice.id, bob.id)
    forum.reply(bob, topic, "@Alice, de nouveau.")
    forum.reply(bob, topic, "Une réponse de nouveau.", parent=opening)
    forum.reply(bob, topic, f'[quote="Alice, post:{opening.id}"]\nPremier message\n[/quote]\n\nEncore.')
    # (a quote of the opening post is told as a reply to it: the most personal kind first)
    assert kinds_for(app, alice, bob)[:2] == [KIND_MENTION, KIND_REPLY] and len(kinds_for(app, alice, bob)) == 3


def test_an_edit_mentioning_the_blocker_notifies_nobody(app, forum, people):
    space, alice, bob, _carol = people
    topic = forum.topic(bob, space)
    post = forum.reply(bob, topic, "Un texte sans nom.")
    run(app, blocking.block, alice.id, bob.id)
    with app.app_context():
        posting.edit_post(db.session.get(Member, bob.id), db.session.get(Post, post.id), "Un texte pour @Alice.")
    assert kinds_for(app, alice, bob) == []


def test_moderation_notices_still_reach_the_blocker(app, forum, people):
    space, alice, _bob, _carol = people
    moderator = forum.moderator(space, pseudonym="Modo")
    run(app, blocking.block, alice.id, moderator.id)
    with app.app_context():
        events.publish(events.MemberNotice(member_id=alice.id, kind="sanction", text="Avis de modération",
                                           url="/", actor_id=moderator.id))
        db.session.commit()
    assert kinds_for(app, alice, moderator) == [KIND_NOTICE]


def test_why_cannot_message_follows_blocks_and_refusals(app, forum, people):
    space, alice, bob, carol = people
    moderator = forum.moderator(space, pseudonym="Modo")
    coordinator = forum.member("Coordo", role="coordinator")
    with app.app_context():
        get = lambda m: db.session.get(Member, m.id)   # noqa: E731
        assert blocking.why_cannot_message(get(bob), get(alice)) is None
        blocking.set_refuses_messages(get(alice), True)
        assert "refuse les messages privés" in blocking.why_cannot_message(get(bob), get(alice))
        assert blocking.why_cannot_message(get(moderator), get(alice)) is None
        assert blocking.why_cannot_message(get(coordinator), get(alice)) is None
        blocking.set_refuses_messages(get(alice), False)
        blocking.block(get(alice), get(coordinator))
        assert "ne reçoit pas vos messages" in blocking.why_cannot_message(get(coordinator), get(alice))
        assert blocking.why_cannot_message(get(alice), get(coordinator)) is None


def test_block_and_unblock_from_the_profile_by_post_with_csrf(app, client, people):
    _space, alice, bob, _carol = people
    browser = Browser(client)
    browser.login(alice)
    page = text(browser.get("/membre/Bob"))
    assert "Bloquer ce membre" in page and 'action="/membre/Bob/bloquer"' in page
    assert browser.get("/membre/Bob/bloquer").status_code == 405   # never by a link
    assert browser.post("/membre/Bob/bloquer", {"submit": "1"}, csrf=False).status_code == 400
    with app.app_context():
        assert db.session.scalars(select(MemberBlock)).all() == []

    answer = browser.post("/membre/Bob/bloquer", {"submit": "1"})
    assert answer.status_code == 303 and answer.headers["Location"].endswith("/membre/Bob")
    page = text(browser.get("/membre/Bob"))
    assert "Vous avez bloqué Bob" in page and "Débloquer" in page and "Bloquer ce membre" not in page
    with app.app_context():
        assert blocking.has_blocked(alice, bob)

    settings = text(browser.get("/preferences"))
    assert "Messages privés et membres bloqués" in settings and 'action="/membre/Bob/debloquer"' in settings
    answer = browser.post("/membre/Bob/debloquer", {"submit": "1", "next": "/preferences#titre-messages-prives"})
    assert answer.status_code == 303 and answer.headers["Location"].endswith("/preferences#titre-messages-prives")
    assert "Vous avez débloqué Bob" in text(browser.get("/preferences"))
    with app.app_context():
        assert not blocking.has_blocked(alice, bob)
    # A "next" to another site is ignored: back to the profile.
    answer = browser.post("/membre/Bob/bloquer", {"submit": "1", "next": "https://ailleurs.example/"})
    assert answer.headers["Location"].endswith("/membre/Bob")
    assert browser.post("/membre/Personne/bloquer", {"submit": "1"}).status_code == 404


def test_blocking_oneself_is_refused_with_a_clear_message(app, client, people):
    _space, alice, _bob, _carol = people
    browser = Browser(client)
    browser.login(alice)
    answer = browser.post("/membre/Alice/bloquer", {"submit": "1"})
    assert answer.status_code == 303
    assert "Vous ne pouvez pas vous bloquer vous-même." in text(browser.get(answer.headers["Location"]))
    with app.app_context():
        assert db.session.scalars(select(MemberBlock)).all() == []


def test_the_button_is_absent_on_ones_own_profile_and_for_visitors(client, people):
    _space, alice, _bob, _carol = people
    browser = Browser(client)
    assert "Bloquer ce membre" not in text(browser.get("/membre/Bob"))   # a visitor
    assert browser.post("/membre/Bob/bloquer", {"submit": "1"}).status_code == 302   # to the login page
    browser.login(alice)
    own = text(browser.get("/membre/Alice"))
    assert "Bloquer ce membre" not in own and "/bloquer" not in own


def test_the_refusal_is_saved_from_the_settings_page(app, client, people):
    _space, alice, _bob, _carol = people
    browser = Browser(client)
    browser.login(alice)
    page = text(browser.get("/preferences"))
    assert '<label for="messages-refuses_messages">Refuser les messages privés' in page
    assert not re.search(r'<input checked id="messages-refuses_messages"', page)
    assert browser.post("/preferences/messages-prives", {"messages-refuses_messages": "y",
                                                         "messages-submit": "1"}, csrf=False).status_code == 400
    answer = browser.post("/preferences/messages-prives", {"messages-refuses_messages": "y", "messages-submit": "1"})
    assert answer.status_code == 303
    page = text(browser.get("/preferences"))
    assert "Vous refusez désormais les messages privés" in page
    assert re.search(r'<input checked id="messages-refuses_messages"', page)
    with app.app_context():
        assert db.session.get(Member, alice.id).refuses_messages is True
    browser.post("/preferences/messages-prives", {"messages-submit": "1"})   # unticked
    with app.app_context():
        assert db.session.get(Member, alice.id).refuses_messages is False


def test_erasure_removes_the_blocks_both_ways_and_the_refusal(app, forum, people):
    _space, alice, bob, carol = people
    run(app, blocking.block, alice.id, bob.id)
    run(app, blocking.block, bob.id, carol.id)
    run(app, blocking.block, carol.id, alice.id)
    with app.app_context():
        blocking.set_refuses_messages(db.session.get(Member, bob.id), True)
    run(app, erasure.anonymise, bob.id)
    with app.app_context():
        assert [(b.blocker_id, b.blocked_id) for b in db.session.scalars(select(MemberBlock))] == \
            [(carol.id, alice.id)]
        assert db.session.get(Member, bob.id).refuses_messages is False


def test_the_data_archive_holds_whom_i_blocked_and_my_refusal(app, people):
    _space, alice, bob, carol = people
    run(app, blocking.block, alice.id, bob.id)
    run(app, blocking.block, carol.id, alice.id)   # who blocked Alice is not hers to know
    with app.app_context():
        blocking.set_refuses_messages(db.session.get(Member, alice.id), True)
        archive = portability.collect(db.session.get(Member, alice.id))
    assert archive["profil"]["refuses_messages"] is True
    assert [row["pseudonym"] for row in archive["membres-bloques"]] == ["Bob"]
    assert "Carol" not in str(archive["membres-bloques"])


def test_the_demo_has_karim_refusing_messages_and_blocking_a_former_member(demo_app):
    browser = Browser(demo_app.test_client())
    browser.login(SimpleNamespace(pseudonym="Karim"), password=demo.DEMO_PASSWORD)
    page = text(browser.get("/preferences"))
    assert re.search(r'<input checked id="messages-refuses_messages"', page)
    assert 'action="/membre/Marc.Ancien/debloquer"' in page
    assert "Débloquer" in text(browser.get("/membre/Marc.Ancien"))
