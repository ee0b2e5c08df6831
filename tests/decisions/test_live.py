"""Live pages and decisions: a ballot or the closing moves participation in the topic's room,
and nothing that travels (message or catch-up) holds a figure of any option."""
from datetime import timedelta

import pytest

from forum.clock import now
from forum.decisions import closing
from forum.decisions.models import Poll
from forum.extensions import db
from forum.topics.models import Member

from ..realtime.conftest import events


@pytest.fixture
def scene(forum):
    comite = forum.committee("13", name="Comité 13")
    bureau = forum.space("Bureau du comité 13", visibility="restricted", committees=[comite])
    public = forum.space("Éthique", visibility="public")
    alice = forum.member("Alice", committees=[comite])
    bruno = forum.member("Bruno", committees=[comite])
    return {"alice": alice, "bruno": bruno, "outsider": forum.member("Omar"),
            "bureau_topic": forum.topic(alice, bureau, "Ordre du jour"),
            "public_topic": forum.topic(alice, public, "Un débat ouvert")}


def join(client, topic, since=None, after=0):
    return client.emit("join_topic", {"topic_id": topic.id, "after": after, "since": since}, callback=True)


def test_a_ballot_moves_participation_in_the_room_without_any_figure(sockets, scene, open_poll, vote):
    poll = open_poll(scene["alice"], scene["bureau_topic"], kind="single", options=("Mardi", "Jeudi"))
    watcher = sockets.open(scene["bruno"])
    assert join(watcher, scene["bureau_topic"])["ok"]
    outsider = sockets.open(scene["outsider"])
    assert join(outsider, scene["bureau_topic"]) == {"ok": False, "error": "introuvable"}
    sockets.flush()
    watcher.get_received(), outsider.get_received()

    vote(scene["alice"], poll, {1: 1})
    sockets.flush()
    assert events(watcher, "poll_activity") == [{"topic_id": scene["bureau_topic"].id, "poll_id": poll.id,
                                                 "voters": 1}]
    assert outsider.get_received() == []

    vote(scene["alice"], poll, {0: 1})           # a changed ballot: same participation, nothing else
    vote(scene["bruno"], poll, {1: 1})
    sockets.flush()
    moved = events(watcher, "poll_activity")
    assert [m["voters"] for m in moved] == [1, 2]
    assert all(set(m) == {"topic_id", "poll_id", "voters"} for m in moved)


def test_hidden_results_stay_hidden_in_the_message(sockets, scene, open_poll, vote):
    poll = open_poll(scene["alice"], scene["public_topic"], kind="single", options=("Oui", "Non"),
                     results_mode="after_closing")
    anonymous = sockets.open()
    assert join(anonymous, scene["public_topic"])["ok"]
    sockets.flush()
    anonymous.get_received()
    vote(scene["bruno"], poll, {0: 1})
    sockets.flush()
    received = anonymous.get_received()
    assert [p["name"] for p in received] == ["poll_activity"]
    assert received[0]["args"][0] == {"topic_id": scene["public_topic"].id, "poll_id": poll.id, "voters": 1}


def test_the_closing_is_told_to_the_room(app, sockets, scene, open_poll, vote):
    poll = open_poll(scene["alice"], scene["bureau_topic"], kind="single", options=("Mardi", "Jeudi"))
    vote(scene["bruno"], poll, {0: 1})
    watcher = sockets.open(scene["bruno"])
    join(watcher, scene["bureau_topic"])
    sockets.flush()
    watcher.get_received()
    with app.app_context():
        closing.close_poll(db.session.get(Poll, poll.id), db.session.get(Member, scene["alice"].id))
    sockets.flush()
    assert events(watcher, "poll_activity") == [{"topic_id": scene["bureau_topic"].id, "poll_id": poll.id,
                                                 "closed": True}]


def test_catch_up_names_polls_that_moved_with_participation_only(sockets, scene, open_poll, vote):
    poll = open_poll(scene["alice"], scene["bureau_topic"], kind="single", options=("Mardi", "Jeudi"))
    since = (now() - timedelta(seconds=1)).isoformat()
    vote(scene["bruno"], poll, {0: 1})
    ack = join(sockets.open(scene["alice"]), scene["bureau_topic"], since=since)
    assert ack["polls"] == [{"poll_id": poll.id, "voters": 1, "closed": False}]
    later = join(sockets.open(scene["alice"]), scene["bureau_topic"], since=(now() + timedelta(seconds=1)).isoformat())
    assert later["polls"] == []
    assert join(sockets.open(scene["outsider"]), scene["bureau_topic"], since=since)["ok"] is False


def test_more_moved_polls_than_the_cap_ask_for_a_reload(sockets, scene, open_poll, vote, monkeypatch):
    from forum.realtime import catchup
    monkeypatch.setattr(catchup, "CAP", 2)
    since = (now() - timedelta(seconds=1)).isoformat()
    polls = [open_poll(scene["alice"], scene["bureau_topic"], kind="single", options=("Mardi", "Jeudi"))
             for _ in range(3)]
    for poll in polls[:2]:
        vote(scene["bruno"], poll, {0: 1})
    ack = join(sockets.open(scene["alice"]), scene["bureau_topic"], since=since, after=10 ** 6)   # no post gap
    assert len(ack["polls"]) == 2 and ack["too_many"] is False          # the cap itself: no reload
    vote(scene["bruno"], polls[2], {0: 1})
    ack = join(sockets.open(scene["alice"]), scene["bureau_topic"], since=since, after=10 ** 6)
    assert len(ack["polls"]) == 2 and ack["too_many"] is True


# Cast in a process of its own: an app built here with a message queue would leave the queue in
# Flask-SocketIO's shared options for the tests that follow (their test clients refuse it).
CAST = """
import sys
from forum import create_app
from forum.decisions import voting
from forum.decisions.models import Poll
from forum.extensions import db
from forum.accounts.models import Member
app = create_app()
with app.app_context():
    voting.cast_ballot(db.session.get(Member, int(sys.argv[1])), db.session.get(Poll, int(sys.argv[2])), {1: 1})
"""


@pytest.mark.slow
def test_a_real_client_of_another_process_sees_participation_move(app, servers, scene, redis_url, open_poll,
                                                                   tmp_path):
    """A real server process and real python-socketio clients; the ballot is cast by a third
    process, whose emit reaches the server's sockets through Redis (as with several workers)."""
    import os
    import queue
    import subprocess
    import sys

    import socketio as python_socketio

    from ..realtime.conftest import WebSession

    poll = open_poll(scene["alice"], scene["bureau_topic"], kind="single", options=("Mardi", "Jeudi"),
                     results_mode="after_closing")
    server = servers("threading", redis_url)

    def client(member):
        session = WebSession(server.url).login(member)
        socket = python_socketio.Client(reconnection=False)
        socket.received = queue.Queue()
        socket.on("poll_activity", lambda data: socket.received.put(data))
        socket.connect(server.url, transports=["websocket"], headers={"Cookie": session.cookie_header()},
                       wait_timeout=10)
        return socket

    watcher, outsider = client(scene["bruno"]), client(scene["outsider"])
    try:
        assert watcher.call("join_topic", {"topic_id": scene["bureau_topic"].id}, timeout=10)["ok"]
        assert not outsider.call("join_topic", {"topic_id": scene["bureau_topic"].id}, timeout=10)["ok"]
        env = dict(os.environ, FORUM_DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"], FORUM_REDIS_URL=redis_url,
                   FORUM_SECRET_KEY=app.config["SECRET_KEY"], FORUM_INSTANCE_PATH=str(tmp_path / "voter"))
        subprocess.run([sys.executable, "-c", CAST, str(scene["alice"].id), str(poll.id)], env=env, check=True,
                       timeout=60)
        moved = watcher.received.get(timeout=10)
        assert moved == {"topic_id": scene["bureau_topic"].id, "poll_id": poll.id, "voters": 1}
        with pytest.raises(queue.Empty):
            outsider.received.get(timeout=2)
    finally:
        watcher.disconnect()
        outsider.disconnect()
