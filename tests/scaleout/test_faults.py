"""Fault tests with real processes (loopback only, bounded in time): gunicorn with two gevent
workers on PostgreSQL with the Redis message queue, twenty clients replying at once, a worker
killed with SIGKILL in the middle, Redis restarted under live traffic."""
import os
import random
import re
import signal
import threading
import time

import pytest
import requests
from sqlalchemy import create_engine, text

from ..conftest import PG_URL
from ..helpers import CSRF, PASSWORD

pytestmark = [pytest.mark.slow,
              pytest.mark.parametrize("backend", ["postgresql"], indirect=True),
              pytest.mark.skipif(not PG_URL, reason="FORUM_TEST_DATABASE_URL is not set (PostgreSQL is needed)")]

CLIENTS = 20
REPLIES = 1000
TOPICS = 4


class Writer:
    """A member replying through HTTP, as a browser would (a session, the form's CSRF token)."""

    def __init__(self, url, member):
        self.url = url
        self.failures = []        # (status or error, start of the answer): said when a test fails
        self.http = requests.Session()
        page = self.http.get(url + "/connexion", timeout=20).text
        response = self.http.post(url + "/connexion", data={
            "login": member.pseudonym, "password": PASSWORD, "submit": "1",
            "csrf_token": CSRF.search(page).group(1)}, allow_redirects=False, timeout=20)
        assert response.status_code == 303, response.text[:300]
        self.token = CSRF.search(self.http.get(url + "/aide", timeout=20).text).group(1)

    def reply(self, topic_id, body, parent_id=None):
        """The new post's id if the server acknowledged it (303), else None."""
        data = {"body": body, "submit": "1", "csrf_token": self.token}
        if parent_id:
            data["parent"] = str(parent_id)
        try:
            response = self.http.post(f"{self.url}/sujet/{topic_id}/repondre", data=data,
                                      allow_redirects=False, timeout=30)
        except requests.RequestException as error:
            self.failures.append((repr(error), ""))
            self.http.close()     # the worker died under us: the next request opens a new connection
            return None
        if response.status_code != 303:
            self.failures.append((response.status_code, response.text[:300]))
            return None
        return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


class Watcher:
    """A reader's open topic page: a Socket.IO client that reconnects and catches up by
    re-joining with the last post id it knows (the gap comes back in the acknowledgement)."""

    def __init__(self, url, topic_id):
        import socketio as python_socketio
        self.topic_id = topic_id
        self.seen = set()
        self.lock = threading.Lock()
        self.connects = 0
        self.log = []             # what happened to this watcher: said when a test fails
        self.client = python_socketio.Client(reconnection=True, reconnection_delay=0.2,
                                             reconnection_delay_max=1, randomization_factor=0)
        self.client.on("connect", self._on_connect)
        self.client.on("disconnect", lambda *reason: self._note("disconnected", *reason))
        self.client.on("post_created", lambda data: self._learn([data["post_id"]]))
        self.client.connect(url, transports=["websocket"], wait_timeout=10)

    def _note(self, *what):
        with self.lock:
            self.log.append((round(time.monotonic(), 2), *what))

    def _learn(self, ids):
        with self.lock:
            self.seen.update(ids)

    def _after(self):
        # As the browser's page does: the last id learnt. A post with a smaller id committed
        # later (ids are taken at insertion) comes back in the gap (catchup.LATE_COMMIT).
        with self.lock:
            return max(self.seen, default=0)

    def _on_connect(self):
        self.connects += 1
        after = self._after()
        self._note("connected, joining after", after)
        self.client.emit("join_topic", {"topic_id": self.topic_id, "after": after},
                         callback=self._on_ack)

    def _on_ack(self, ack):
        self._note("ack", {k: v for k, v in (ack or {}).items() if k != "posts"},
                   [post["id"] for post in (ack or {}).get("posts", [])][:60])
        if ack and ack.get("error") == "indisponible":
            # The server's database did not answer in time (a load spike): as the browser does
            # (static/js/live.js), ask again a little later.
            threading.Timer(1, self._rejoin).start()
            return
        if not ack or not ack.get("ok"):
            return
        self._learn([post["id"] for post in ack["posts"]])
        if ack.get("too_many"):
            # More than one acknowledgement can carry: ask for the next part.
            last = max(post["id"] for post in ack["posts"])
            self.client.emit("join_topic", {"topic_id": self.topic_id, "after": last}, callback=self._on_ack)

    def _rejoin(self):
        if self.client.connected:
            self.client.emit("join_topic", {"topic_id": self.topic_id, "after": self._after()},
                             callback=self._on_ack)

    def port(self):
        """The local port of this watcher's WebSocket: the server sees it as the remote port."""
        return self.client.eio.ws.sock.getsockname()[1]

    def close(self):
        self.client.disconnect()


def worker_holding(server, watcher):
    """The gunicorn worker that accepted this watcher's connection, read off /proc: the socket
    whose remote port is the watcher's, among each worker's open files."""
    port = f":{watcher.port():04X} "
    with open("/proc/net/tcp") as table:
        inodes = {line.split()[9] for line in table if f"{line.split()[2]} ".endswith(port)}
    for worker in server.workers():
        for fd in os.listdir(f"/proc/{worker}/fd"):
            try:
                link = os.readlink(f"/proc/{worker}/fd/{fd}")
            except OSError:       # closed meanwhile
                continue
            if link.startswith("socket:[") and link[8:-1] in inodes:
                return worker
    return None


def storm_scene(forum):
    space = forum.space("Éthique et déontologie")
    members = [forum.member(f"Orage{i:02d}") for i in range(CLIENTS)]
    topics = [forum.topic(members[i], space, f"Sujet sous l'orage {i}") for i in range(TOPICS)]
    for topic in topics:
        topic.opening_id = forum.opening(topic).id
    return members, topics


def run_storm(server, members, topics, during=None):
    """CLIENTS writers post REPLIES replies in all, each under a random recent post of its topic; ``during(done)`` runs meanwhile. Returns ({post id: (topic id, parent id, body)}, the failed answers)."""
    writers = [Writer(server.url, member) for member in members]
    acknowledged, lock = {}, threading.Lock()
    known = {topic.id: [topic.opening_id] for topic in topics}
    counter = iter(range(REPLIES))
    done = [0]

    def write(writer, seed):
        chance = random.Random(seed)
        for n in counter:
            topic = chance.choice(topics)
            with lock:
                parent = chance.choice(known[topic.id][-30:])
            body = f"Réponse {n} sous l'orage, mot{n}orage."
            post_id = writer.reply(topic.id, body, parent)
            with lock:
                done[0] += 1
                if post_id is not None:
                    acknowledged[post_id] = (topic.id, parent, body)
                    known[topic.id].append(post_id)

    threads = [threading.Thread(target=write, args=(writer, i)) for i, writer in enumerate(writers)]
    for thread in threads:
        thread.start()
    if during:
        during(done)
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads), "the storm did not end"
    return acknowledged, [failure for writer in writers for failure in writer.failures]


def check_stored(database_url, topics, acknowledged):
    """Every acknowledged reply exists exactly once, where it was sent, in a consistent tree."""
    engine = create_engine(database_url)
    with engine.connect() as connection:
        rows = connection.execute(text(
            "SELECT id, topic_id, parent_id, number, depth, path, source FROM post WHERE topic_id = ANY(:t)"),
            {"t": [t.id for t in topics]}).all()
    engine.dispose()
    by_id = {row.id: row for row in rows}
    bodies = [row.source for row in rows]
    for post_id, (topic_id, parent_id, body) in acknowledged.items():
        row = by_id.get(post_id)
        assert row is not None, f"acknowledged post {post_id} is missing"
        assert bodies.count(body) == 1, f"{body!r} stored {bodies.count(body)} times"
        assert (row.topic_id, row.source) == (topic_id, body)
        parent = by_id[parent_id]
        assert row.parent_id == parent_id and row.depth == parent.depth + 1
        assert row.path == parent.path + "/" + str(row.number).zfill(6)
    for topic in topics:
        numbers = sorted(row.number for row in rows if row.topic_id == topic.id)
        assert len(numbers) == len(set(numbers))
    return by_id


def check_pushed(watchers, acknowledged, timeout=45):
    """Each watcher learnt (by event or by catching up) every acknowledged reply of its topic.

    Within the pool's timeout (30 s) and a retry: a join that waited for a database connection
    during the spike after the kill is refused ``indisponible``, then asked again."""
    deadline = time.monotonic() + timeout
    while True:
        missing = {}
        for watcher in watchers:
            wanted = {p for p, (topic_id, _, _) in acknowledged.items() if topic_id == watcher.topic_id}
            with watcher.lock:
                gap = wanted - set(watcher.seen)
            if gap:
                missing[id(watcher)] = (sorted(gap)[:5], len(gap), watcher.log)
        if not missing or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert not missing, f"watchers missed replies: {missing}"


def check_indexed(server, acknowledged, sample=10):
    """A few replies are found by search, by their unique word."""
    for post_id, (_, _, body) in random.Random(1).sample(sorted(acknowledged.items()), sample):
        word = re.search(r"mot\d+orage", body).group(0)
        page = requests.get(server.url + f"/recherche?q={word}", timeout=20).text
        assert f"/message/{post_id}" in page, f"{word} not found by search"


@pytest.mark.parametrize("kill", [False, True], ids=["storm", "storm-kill-9"])
def test_twenty_clients_post_a_thousand_replies_on_two_workers(app, forum, gunicorns, own_redis, kill):
    # A Redis server of its own: pub/sub channels are shared by all the databases of a server,
    # and tests running in parallel would hear each other's rooms (same ids, other databases).
    members, topics = storm_scene(forum)
    database_url = app.config["SQLALCHEMY_DATABASE_URI"]
    server = gunicorns(database_url, workers=2, redis_url=own_redis.url, FORUM_SEARCH_BACKEND="postgres")
    assert len(server.workers()) == 2
    watchers = [Watcher(server.url, topic.id) for topic in topics for _ in range(3)]
    killed = []

    def kill_one_worker(done):
        while done[0] < REPLIES * 0.4:
            time.sleep(0.05)
        # The worker of a watcher, not whichever comes first: the balancing may have put every
        # watcher on one worker, and killing the other would test no reconnection.
        victim = worker_holding(server, watchers[0])
        assert victim, "the first watcher's connection is held by no worker"
        os.kill(victim, signal.SIGKILL)
        killed.append((victim, done[0]))

    try:
        acknowledged, failures = run_storm(server, members, topics, during=kill_one_worker if kill else None)
        if kill:
            assert killed, "no worker was killed"
            deadline = time.monotonic() + 20   # gunicorn's master starts a new worker
            while (len(server.workers()) < 2 or killed[0][0] in server.workers()) and time.monotonic() < deadline:
                time.sleep(0.1)
            assert len(server.workers()) == 2 and killed[0][0] not in server.workers()
        check_stored(database_url, topics, acknowledged)
        check_indexed(server, acknowledged)
        # Nearly all are acknowledged: only requests caught in the killed worker may fail.
        assert len(acknowledged) >= (REPLIES - 2 * len(members) if kill else REPLIES), failures
        if kill:
            assert any(watcher.connects > 1 for watcher in watchers), "no watcher was on the killed worker"
        try:
            check_pushed(watchers, acknowledged)
        except AssertionError as error:
            complaints = [line for line in server.output().splitlines()
                          if any(word in line for word in ("Traceback", "Error", "WARNING", "ERROR"))]
            raise AssertionError(f"{error}\nserver said:\n" + "\n".join(complaints[-40:])) from None
    finally:
        for watcher in watchers:
            watcher.close()


def test_redis_restarted_during_live_traffic(app, forum, gunicorns, own_redis):
    """Pages keep being served while Redis is down; Socket.IO and rate limits reconnect after."""
    members, topics = storm_scene(forum)
    server = gunicorns(app.config["SQLALCHEMY_DATABASE_URI"], workers=2, redis_url=own_redis.url,
                       FORUM_RATELIMIT_ENABLED="true", FORUM_RATELIMIT_POSTING="1000 per minute")
    topic = topics[0]
    writer = Writer(server.url, members[0])
    watcher = Watcher(server.url, topic.id)
    try:
        first = writer.reply(topic.id, "Avant la panne de Redis.", topic.opening_id)
        check_pushed([watcher], {first: (topic.id, None, "")}, timeout=10)

        import redis
        assert redis.Redis.from_url(own_redis.url).keys("LIMITS*"), "rate limits are not kept in Redis"
        own_redis.stop()
        for _ in range(6):
            for path in ("/", f"/sujet/{topic.id}", "/espace/ethique-et-deontologie"):
                response = requests.get(server.url + path, timeout=20)
                assert response.status_code == 200, (path, response.status_code, response.text[:300])
        during = writer.reply(topic.id, "Pendant la panne de Redis.", topic.opening_id)
        assert during is not None, "posting must work while Redis is down"
        assert Writer(server.url, members[1]).token      # logging in too (rate limits fail open)

        own_redis.start()
        deadline = time.monotonic() + 30
        after = None
        while time.monotonic() < deadline:
            after = writer.reply(topic.id, f"Après la panne de Redis, {time.monotonic()}.", topic.opening_id)
            time.sleep(1.0)
            with watcher.lock:
                if after in watcher.seen:
                    break
        with watcher.lock:
            assert after in watcher.seen, "Socket.IO did not reconnect to Redis"
    finally:
        watcher.close()
