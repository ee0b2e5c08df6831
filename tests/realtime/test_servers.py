"""Real server processes and real python-socketio clients: production mode, limits, Redis scale-out."""
import time

import pytest
import requests

from .conftest import WebSession, next_event, socket_client

pytestmark = pytest.mark.slow


@pytest.fixture
def scene(forum):
    comite = forum.committee("13", name="Comité 13")
    public = forum.space("Éthique et déontologie")
    bureau = forum.space("Bureau du comité 13", visibility="restricted", committees=[comite])
    author = forum.member("Nadia", committees=[comite])
    return {"comite": comite, "author": author, "reader": forum.member("Karim", committees=[comite]),
            "public_topic": forum.topic(author, public, "Le secret partagé"),
            "bureau_topic": forum.topic(author, bureau, "Ordre du jour du bureau")}


def test_production_mode_delivers_a_reply_to_a_real_client(servers, scene):
    server = servers("gevent")
    watcher = socket_client(server.url)
    try:
        ack = watcher.call("join_topic", {"topic_id": scene["public_topic"].id, "after": 0}, timeout=10)
        assert ack["ok"] and len(ack["posts"]) == 1
        post_id = WebSession(server.url).login(scene["author"]).reply(scene["public_topic"], "En direct !")
        event = next_event(watcher, "post_created")
        assert event["post_id"] == post_id and event["topic_id"] == scene["public_topic"].id
        fragment = requests.get(server.url + f"/message/{post_id}/fragment", timeout=10).json()
        assert "En direct !" in fragment["html"]
    finally:
        watcher.disconnect()


def test_an_oversized_message_closes_that_connection_only(servers, scene):
    server = servers("gevent")
    rude, polite = socket_client(server.url), socket_client(server.url)
    try:
        polite.call("join_topic", {"topic_id": scene["public_topic"].id}, timeout=10)
        rude.emit("join_topic", {"topic_id": scene["public_topic"].id, "junk": "x" * 40000})
        deadline = time.monotonic() + 10
        while rude.connected and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not rude.connected
        post_id = WebSession(server.url).login(scene["author"]).reply(scene["public_topic"], "Toujours là.")
        assert next_event(polite, "post_created")["post_id"] == post_id
    finally:
        rude.disconnect()
        polite.disconnect()


def test_a_handshake_from_another_origin_is_refused(servers, scene):
    server = servers("gevent")
    foreign = requests.get(server.url + "/socket.io/?EIO=4&transport=polling",
                           headers={"Origin": "http://evil.example"}, timeout=10)
    same = requests.get(server.url + "/socket.io/?EIO=4&transport=polling",
                        headers={"Origin": server.url}, timeout=10)
    assert foreign.status_code == 400 and same.status_code == 200


def test_two_processes_share_events_and_revocations_through_redis(servers, scene, redis_url, forum):
    first = servers("gevent", redis_url)
    second = servers("threading", redis_url)
    reader = WebSession(second.url).login(scene["reader"])
    watcher = socket_client(second.url, cookie=reader.cookie_header())
    try:
        assert watcher.call("join_topic", {"topic_id": scene["bureau_topic"].id}, timeout=10)["ok"]
        # A reply posted on the first process reaches a client of the second.
        post_id = WebSession(first.url).login(scene["author"]).reply(scene["bureau_topic"], "Via Redis.")
        assert next_event(watcher, "post_created")["post_id"] == post_id
        # Leaving the comité on the first process takes the socket of the second out of the room.
        settings = WebSession(first.url).login(scene["reader"])
        response = settings.http.post(first.url + f"/preferences/comites/{scene['comite'].id}/quitter", data={
            "submit": "1", "csrf_token": settings.token("/preferences")},
            allow_redirects=False, timeout=10)
        assert response.status_code == 303, response.text[:500]
        assert next_event(watcher, "access_lost") == {"topic_id": scene["bureau_topic"].id}
        WebSession(first.url).login(scene["author"]).reply(scene["bureau_topic"], "Sans Karim.")
        with pytest.raises(AssertionError):
            next_event(watcher, "post_created", timeout=3)
    finally:
        watcher.disconnect()
