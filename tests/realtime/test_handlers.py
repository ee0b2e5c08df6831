"""Socket.IO handlers through Flask-SocketIO's test client: rooms, permissions, validation, limits."""
from datetime import timedelta

import pytest
from sqlalchemy import delete, select

from forum import events as domain_events
from forum.accounts import membership, sessions
from forum.accounts.models import Member, MemberSession
from forum.clock import now
from forum.extensions import db, socketio
from forum.realtime import catchup
from forum.realtime.connections import EVENT_BURST
from forum.topics import posting
from forum.topics.models import Post, Space, Topic

from ..helpers import Browser
from .conftest import events


@pytest.fixture
def world(forum):
    """A public space, a comité 13 space restricted to its members, and people."""
    comite = forum.committee("13", name="Comité 13")
    public = forum.space("Éthique", visibility="public")
    members_only = forum.space("Vie du réseau", visibility="members")
    bureau = forum.space("Bureau du comité", visibility="restricted", committees=[comite])
    alice = forum.member("Alice", committees=[comite])
    bob = forum.member("Bob")
    return {
        "alice": alice, "bob": bob, "comite": comite, "public": public, "bureau": bureau,
        "public_topic": forum.topic(alice, public, "Un débat ouvert à tous"),
        "members_topic": forum.topic(alice, members_only, "Un débat entre membres"),
        "bureau_topic": forum.topic(alice, bureau, "Un débat du bureau"),
    }


def join(client, topic, after=0, since=None):
    return client.emit("join_topic", {"topic_id": topic.id, "after": after, "since": since}, callback=True)


def test_anonymous_reader_may_watch_public_topics_only(sockets, world):
    reader = sockets.open()
    assert reader.is_connected()
    assert join(reader, world["public_topic"])["ok"] is True
    assert join(reader, world["members_topic"]) == {"ok": False, "error": "introuvable"}
    assert join(reader, world["bureau_topic"]) == {"ok": False, "error": "introuvable"}
    space = reader.emit("join_space", {"space_id": world["bureau"].id}, callback=True)
    assert space == {"ok": False, "error": "introuvable"}


def test_restricted_topic_is_joined_by_its_comite_only(sockets, world):
    assert join(sockets.open(world["alice"]), world["bureau_topic"])["ok"] is True
    assert join(sockets.open(world["bob"]), world["bureau_topic"])["error"] == "introuvable"
    assert join(sockets.open(world["bob"]), world["members_topic"])["ok"] is True


def test_a_reply_reaches_the_topic_room_and_the_space_room_as_ids(sockets, forum, world):
    watcher = sockets.open(world["bob"])
    join(watcher, world["public_topic"])
    space_watcher = sockets.open()
    assert space_watcher.emit("join_space", {"space_id": world["public"].id}, callback=True)["ok"]
    outsider = sockets.open()          # connected, but in no room
    watcher.get_received(), space_watcher.get_received(), outsider.get_received()

    post = forum.reply(world["alice"], world["public_topic"], "Une réponse en direct.")
    sockets.flush()

    assert events(watcher, "post_created") == [{"topic_id": world["public_topic"].id, "post_id": post.id,
                                                "number": post.number, "parent_id": post.parent_id}]
    assert events(space_watcher, "topic_activity") == [{"space_id": world["public"].id,
                                                        "topic_id": world["public_topic"].id}]
    assert outsider.get_received() == []


def test_nothing_is_emitted_for_a_rolled_back_reply(sockets, app, world):
    watcher = sockets.open()
    join(watcher, world["public_topic"])
    watcher.get_received()
    with app.app_context():
        topic = db.session.get(Topic, world["public_topic"].id)
        author = db.session.get(Member, world["alice"].id)
        post = posting._new_post(topic, author, "Jamais publiée.", None, "visible")
        posting.publish_post(post)
        db.session.rollback()
    sockets.flush()
    assert events(watcher, "post_created") == []


def test_new_topic_is_announced_to_its_space_room(sockets, forum, world):
    watcher = sockets.open()
    watcher.emit("join_space", {"space_id": world["public"].id}, callback=True)
    watcher.get_received()
    topic = forum.topic(world["bob"], world["public"], "Un nouveau sujet en direct")
    sockets.flush()
    assert events(watcher, "topic_created") == [{"space_id": world["public"].id, "topic_id": topic.id}]


def written_long_ago(app, topic):
    """Posts of ``topic`` so far were inserted minutes ago (out of the late-commit window)."""
    with app.app_context():
        for post in db.session.scalars(select(Post).where(Post.topic_id == topic.id)):
            post.created_at -= timedelta(minutes=5)
        db.session.commit()


def test_join_acknowledgement_carries_the_gap_and_hides_pending_posts(sockets, forum, app, world):
    topic = world["public_topic"]
    opening = forum.opening(topic)
    first = forum.reply(world["bob"], topic, "Avant la coupure.")
    written_long_ago(app, topic)
    second = forum.reply(world["bob"], topic, "Pendant la coupure.", parent=first)
    with app.app_context():   # a post held for moderation: its author and moderators only
        pending = db.session.get(Post, forum.reply(world["alice"], topic, "En attente.").id)
        posting.set_post_state(pending, "pending")
        db.session.commit()
        pending_id = pending.id
    ack = join(sockets.open(world["bob"]), topic, after=first.id)
    assert ack["ok"] and ack["too_many"] is False
    assert ack["posts"] == [{"id": second.id, "number": second.number, "parent_id": first.id}]
    assert join(sockets.open(world["alice"]), topic, after=first.id)["posts"][-1]["id"] == pending_id
    assert [p["id"] for p in join(sockets.open(), topic, after=0)["posts"]] == [opening.id, first.id, second.id]


def test_a_post_committed_after_a_later_one_is_in_the_gap(sockets, forum, app, world):
    """Ids are taken at insertion: the client saw post 5 while post 4's transaction was open."""
    topic = world["public_topic"]
    written_long_ago(app, topic)
    late = forum.reply(world["bob"], topic, "Inséré d'abord, validé ensuite.")
    seen = forum.reply(world["alice"], topic, "Inséré ensuite, validé d'abord.")
    ack = join(sockets.open(world["bob"]), topic, after=seen.id)
    assert late.id < seen.id
    assert [p["id"] for p in ack["posts"]] == [late.id, seen.id]   # the page skips what it shows


def test_join_acknowledgement_names_posts_changed_since_the_cursor(sockets, forum, app, world):
    topic = world["public_topic"]
    kept = forum.reply(world["bob"], topic, "Texte initial.")
    hidden = forum.reply(world["bob"], topic, "Sera masqué.")
    written_long_ago(app, topic)
    cursor = (now() - timedelta(seconds=1)).isoformat()
    with app.app_context():
        posting.edit_post(db.session.get(Member, world["bob"].id), db.session.get(Post, kept.id), "Texte corrigé.")
        posting.set_post_state(db.session.get(Post, hidden.id), "hidden")
        db.session.commit()
    ack = join(sockets.open(), topic, after=hidden.id, since=cursor)
    assert ack["posts"] == [] and sorted(ack["changed"]) == sorted([kept.id, hidden.id])
    later = join(sockets.open(), topic, after=hidden.id, since=ack["cursor"])
    assert later["changed"] == []


def test_a_long_gap_asks_for_a_reload(sockets, forum, app, world, monkeypatch):
    monkeypatch.setattr(catchup, "CAP", 3)
    for number in range(5):
        forum.reply(world["bob"], world["public_topic"], f"Réponse {number}.")
    ack = join(sockets.open(), world["public_topic"], after=0)
    assert ack["too_many"] is True and len(ack["posts"]) == 3


def test_edits_and_hidden_posts_are_hinted_to_the_topic_room(sockets, forum, app, world):
    post = forum.reply(world["bob"], world["public_topic"], "À corriger.")
    watcher = sockets.open()
    join(watcher, world["public_topic"])
    watcher.get_received()
    with app.app_context():
        posting.edit_post(db.session.get(Member, world["bob"].id), db.session.get(Post, post.id), "Corrigé.")
        posting.set_post_state(db.session.get(Post, post.id), "hidden")
        db.session.commit()
    sockets.flush()
    changes = events(watcher, "post_changed")
    assert changes == [{"topic_id": world["public_topic"].id, "post_id": post.id, "revision": 2},
                       {"topic_id": world["public_topic"].id, "post_id": post.id}]


def test_leaving_the_comite_takes_the_socket_out_of_the_room_at_once(sockets, forum, app, world):
    alice = world["alice"]
    watcher = sockets.open(alice)
    assert join(watcher, world["bureau_topic"])["ok"]
    watcher.get_received()
    with app.app_context():
        membership.leave(db.session.get(Member, alice.id), db.session.get(Space, world["comite"].id))
    sockets.flush()
    assert events(watcher, "access_lost") == [{"topic_id": world["bureau_topic"].id}]
    other = forum.member("Carole", committees=[world["comite"]])
    forum.reply(other, world["bureau_topic"], "Après le départ d'Alice.")
    sockets.flush()
    assert events(watcher, "post_created") == []
    assert watcher.is_connected()   # still a member: only the room is gone
    assert join(watcher, world["bureau_topic"])["error"] == "introuvable"


def test_a_space_made_private_drops_its_anonymous_watchers(sockets, forum, app, world):
    reader = sockets.open()
    join(reader, world["public_topic"])
    reader.emit("join_space", {"space_id": world["public"].id}, callback=True)
    reader.get_received()
    with app.app_context():
        space = db.session.get(Space, world["public"].id)
        space.visibility = "members"
        domain_events.publish(domain_events.SpaceChanged(space_id=space.id))
        db.session.commit()
    sockets.flush()
    assert sorted(map(str, events(reader, "access_lost"))) == sorted(map(str, [
        {"topic_id": world["public_topic"].id}, {"space_id": world["public"].id}]))
    forum.reply(world["alice"], world["public_topic"], "Entre membres désormais.")
    sockets.flush()
    assert events(reader, "post_created") == []


def test_suspension_disconnects_the_member(sockets, app, world):
    watcher = sockets.open(world["bob"])
    join(watcher, world["public_topic"])
    with app.app_context():
        bob = db.session.get(Member, world["bob"].id)
        bob.suspended_until = now() + timedelta(days=7)
        domain_events.publish(domain_events.MemberAccessChanged(member_id=bob.id))
        db.session.commit()
    sockets.flush()
    assert not watcher.is_connected()


def test_ending_every_session_ends_the_socket(sockets, app, world):
    watcher = sockets.open(world["bob"])
    assert watcher.is_connected()
    with app.app_context():
        sessions.end_sessions(db.session.get(Member, world["bob"].id))
        db.session.commit()
    sockets.flush()
    assert not watcher.is_connected()


def test_a_socket_whose_session_ended_is_refused_at_its_next_event(sockets, app, world):
    watcher = sockets.open(world["bob"])
    with app.app_context():   # ended without the event (another process, say)
        db.session.execute(delete(MemberSession).where(MemberSession.member_id == world["bob"].id))
        db.session.commit()
    assert join(watcher, world["public_topic"]) == {"ok": False, "error": "session_terminee"}
    assert not watcher.is_connected()


def test_typing_reaches_the_others_in_the_topic_with_the_pseudonym_only(sockets, world):
    alice, bob = sockets.open(world["alice"]), sockets.open(world["bob"])
    for client in (alice, bob):
        join(client, world["public_topic"])
        client.get_received()
    assert alice.emit("typing", {"topic_id": world["public_topic"].id}, callback=True) == {"ok": True}
    assert events(bob, "typing") == [{"topic_id": world["public_topic"].id, "pseudonym": "Alice"}]
    assert events(alice, "typing") == []
    # Throttled per connection, and only in a joined topic, and never for anonymous readers.
    assert alice.emit("typing", {"topic_id": world["public_topic"].id}, callback=True)["error"] == "trop_rapide"
    assert bob.emit("typing", {"topic_id": world["members_topic"].id}, callback=True)["error"] == "interdit"
    reader = sockets.open()
    join(reader, world["public_topic"])
    assert reader.emit("typing", {"topic_id": world["public_topic"].id}, callback=True)["error"] == "interdit"


@pytest.mark.parametrize("payload", [None, "42", [1, 2], {"topic_id": "1"}, {"topic_id": True},
                                     {"topic_id": -3}, {"topic_id": 2**60}, {"topic_id": 1, "after": "x"},
                                     {"topic_id": 1, "since": "hier"}, {"topic_id": 1, "since": "x" * 100}])
def test_malformed_events_are_refused_without_harm(sockets, forum, world, payload):
    bad, good = sockets.open(), sockets.open()
    join(good, world["public_topic"])
    good.get_received()
    answer = bad.emit("join_topic", payload, callback=True)
    assert answer["ok"] is False and answer["error"].startswith("invalide")
    assert bad.is_connected()
    forum.reply(world["alice"], world["public_topic"], "Toujours en direct.")
    sockets.flush()
    assert len(events(good, "post_created")) == 1


def test_a_chatty_connection_is_rate_limited(sockets, world):
    client = sockets.open()
    answers = [client.emit("leave_topic", {"topic_id": world["public_topic"].id}, callback=True)
               for _ in range(EVENT_BURST + 10)]
    refused = [a for a in answers if a.get("error") == "trop_rapide"]
    assert len(refused) >= 5 and answers[0]["ok"] is True
    assert sockets.open().emit("join_topic", {"topic_id": world["public_topic"].id}, callback=True)["ok"]


def test_too_many_topics_on_one_socket_are_refused(sockets, forum, world):
    client = sockets.open()
    topics = [forum.topic(world["alice"], world["public"], f"Sujet numéro {n}") for n in range(6)]
    answers = [join(client, topic) for topic in topics]
    assert [a["ok"] for a in answers] == [True] * 5 + [False]
    assert answers[-1]["error"] == "trop_de_salons"


def test_home_watches_every_readable_space(sockets, forum, world):
    member, reader = sockets.open(world["alice"]), sockets.open()
    mine = member.emit("join_home", {}, callback=True)["space_ids"]
    theirs = reader.emit("join_home", {}, callback=True)["space_ids"]
    assert world["bureau"].id in mine and world["bureau"].id not in theirs
    assert world["public"].id in theirs
    member.get_received(), reader.get_received()
    forum.topic(world["alice"], world["bureau"], "Sujet réservé au bureau")
    sockets.flush()
    assert len(events(member, "topic_created")) == 1
    assert events(reader, "topic_created") == []


def test_notification_counter_goes_to_the_member_room_only(sockets, app, world):
    alice, bob = sockets.open(world["alice"]), sockets.open(world["bob"])
    alice.get_received(), bob.get_received()
    with app.app_context():
        db.session.get(Member, world["alice"].id)
        domain_events.publish(domain_events.NotificationsChanged(member_id=world["alice"].id, unread=3))
        db.session.commit()
    sockets.flush()
    assert events(alice, "notifications") == [{"unread": 3}]
    assert events(bob, "notifications") == []


def test_a_suspended_member_connects_as_an_anonymous_reader_only(sockets, forum, app, world):
    member = forum.member("Suspendu")
    http = app.test_client()
    Browser(http).login(member)
    with app.app_context():
        db.session.get(Member, member.id).suspended_until = now() + timedelta(days=1)
        db.session.commit()
    client = socketio.test_client(app, flask_test_client=http)
    assert join(client, world["members_topic"])["error"] == "introuvable"
    assert join(client, world["public_topic"])["ok"] is True
    assert client.emit("typing", {"topic_id": world["public_topic"].id}, callback=True)["error"] == "interdit"
    client.disconnect()


def test_bench_hook_is_off_unless_configured(sockets, app, app_factory, world):
    client = sockets.open()
    assert client.emit("join", {"room": "bench"}, callback=True) == {"ok": False, "error": "interdit"}
    assert app.test_client().post("/_bench/emit", json={"room": "bench", "seq": 1}).status_code == 404


def test_leaving_or_being_removed_by_the_moderator_takes_the_socket_out_at_once(sockets, forum, app, world):
    """Through the pages: the member leaves from the settings page, or the comité's moderator
    removes them from its members' page; either way the live room closes before any new post."""
    moderator = forum.moderator(world["comite"], pseudonym="Mod-comite")
    for who in ("member", "moderator"):
        karim = forum.member(f"Karim-{who}", committees=[world["comite"]])
        watcher = sockets.open(karim)
        assert join(watcher, world["bureau_topic"])["ok"]
        watcher.get_received()
        actor = Browser(app.test_client())
        if who == "member":
            actor.login(karim)
            url = f"/preferences/comites/{world['comite'].id}/quitter"
        else:
            actor.login(moderator)
            url = f"/comites/{world['comite'].id}/membres/{karim.id}/retirer"
        assert actor.post(url, {"submit": "1"}).status_code == 303
        sockets.flush()
        assert events(watcher, "access_lost") == [{"topic_id": world["bureau_topic"].id}]
        assert join(watcher, world["bureau_topic"])["error"] == "introuvable"


def test_a_join_the_database_cannot_answer_is_refused_as_unavailable_then_answered(app_factory, world):
    """A load spike: no database connection frees up within the pool's timeout. The join is
    refused ``indisponible`` (the page asks again later) instead of left unanswered, deaf."""
    tight = app_factory(SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 1, "max_overflow": 0, "pool_timeout": 0.2})
    reader = socketio.test_client(tight, flask_test_client=tight.test_client())
    assert reader.is_connected()
    with tight.app_context():
        held = db.engine.connect()          # the pool's only connection, taken by someone else
        try:
            assert join(reader, world["public_topic"]) == {"ok": False, "error": "indisponible"}
        finally:
            held.close()
        db.session.remove()
    ack = join(reader, world["public_topic"])
    assert ack["ok"] and [post["number"] for post in ack["posts"]] == [1]
    reader.disconnect()
