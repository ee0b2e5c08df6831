"""/metrics under gunicorn with two workers: the counts of both are added up (prometheus_client's
multiprocess mode, set by gunicorn.conf.py), whichever worker answers the scrape."""
import time

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

pytestmark = pytest.mark.slow


def scrape(url):
    found = {}
    for family in text_string_to_metric_families(requests.get(url + "/metrics", timeout=10).text):
        for sample in family.samples:
            found[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return found


def helped(found):
    """Requests counted on /convention: a page the servers' readiness probe (/aide, which may
    still be answered after a timed-out try) never asks for."""
    return found.get(("agora_requests_total", frozenset(dict(route="charter.convention", method="GET",
                                                              status="200").items())), 0)


def test_two_workers_counts_are_added_up_and_live_sockets_counted(app, forum, gunicorns, own_redis):
    import socketio as python_socketio
    author, space = forum.member("Karim"), forum.space("Éthique et déontologie")
    topics = [forum.topic(author, space, f"Sujet {number}") for number in range(3)]
    server = gunicorns(app.config["SQLALCHEMY_DATABASE_URI"], workers=2, redis_url=own_redis.url)
    assert len(server.workers()) == 2
    before = helped(scrape(server.url))
    # New connections each time: gunicorn hands them to either worker.
    for _ in range(40):
        assert requests.get(server.url + "/convention", timeout=10, headers={"Connection": "close"}).status_code == 200
    assert helped(scrape(server.url)) - before == 40

    clients = [python_socketio.Client() for _ in range(3)]
    for client, topic in zip(clients, topics):
        client.connect(server.url, transports=["websocket"], wait_timeout=10)
        # One topic each: three rooms, whichever worker holds each client.
        assert client.call("join_topic", {"topic_id": topic.id, "after": 0}, timeout=10)["ok"]
    try:
        found = scrape(server.url)
        assert found[("agora_live_sockets", frozenset())] == 3
        assert found[("agora_socket_rooms", frozenset())] == 3
    finally:
        for client in clients:
            client.disconnect()
    deadline = time.monotonic() + 10
    while scrape(server.url)[("agora_live_sockets", frozenset())] != 0 and time.monotonic() < deadline:
        time.sleep(0.2)
    found = scrape(server.url)
    assert found[("agora_live_sockets", frozenset())] == 0 and found[("agora_socket_rooms", frozenset())] == 0
