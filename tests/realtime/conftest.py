"""Realtime fixtures: Socket.IO test clients sharing a logged-in HTTP client's cookie, and
real server processes with real python-socketio clients."""
import os
import queue
import sys
import time

import pytest
import requests

from forum.extensions import socketio

from ..helpers import CSRF, PASSWORD, Browser
from ..processes import GUNICORN, ServedApp


class Sockets:
    """Opens Flask-SocketIO test clients for members (logged in over HTTP) or anonymous readers."""

    def __init__(self, app):
        self.app = app
        self.opened = []

    def open(self, member=None):
        http = self.app.test_client()
        if member is not None:
            Browser(http).login(member)
        client = socketio.test_client(self.app, flask_test_client=http)
        self.opened.append(client)
        return client

    def flush(self):
        assert self.app.extensions["agora_realtime"].flush(), "the realtime outbox did not drain"

    def close(self):
        for client in self.opened:
            if client.is_connected():
                client.disconnect()


@pytest.fixture
def sockets(app):
    opened = Sockets(app)
    yield opened
    opened.close()


def events(client, name):
    """The payloads of the ``name`` events a test client received (and consumes them all)."""
    return [packet["args"][0] for packet in client.get_received() if packet["name"] == name]


# --- real server processes ------------------------------------------------------------------

class ServerProcess(ServedApp):
    """The app in a process of its own: ``gevent`` (gunicorn, production mode) or ``threading``."""

    def __init__(self, app, mode, tmp_path, redis_url=None):
        super().__init__(tmp_path, "server")
        env = dict(os.environ, PORT=str(self.port), PYTHONUNBUFFERED="1",
                   FORUM_DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
                   FORUM_SECRET_KEY=app.config["SECRET_KEY"],
                   FORUM_INSTANCE_PATH=self.instance_path,
                   FORUM_PASSWORD_METHOD=app.config["PASSWORD_METHOD"],
                   FORUM_RATELIMIT_ENABLED="false", FORUM_SOCKETIO_ASYNC_MODE=mode)
        env.pop("FORUM_REDIS_URL", None)
        if redis_url:
            env["FORUM_REDIS_URL"] = redis_url
        self.start(GUNICORN if mode == "gevent" else [sys.executable, "app.py"], env)

    def stop(self):
        super().stop(timeout=10)
        self.log.close()


@pytest.fixture
def servers(app, tmp_path):
    """Start server processes (``servers(mode, redis_url=None)``); all are killed at the end."""
    started = []

    def start(mode, redis_url=None):
        server = ServerProcess(app, mode, tmp_path, redis_url)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()




class WebSession:
    """A member's HTTP session on a real server (requests), with the forms' CSRF tokens."""

    def __init__(self, url):
        self.url = url
        self.http = requests.Session()

    def token(self, path="/aide"):
        return CSRF.search(self.http.get(self.url + path, timeout=10).text).group(1)

    def login(self, member, password=PASSWORD):
        response = self.http.post(self.url + "/connexion", data={
            "login": member.pseudonym, "password": password, "submit": "1",
            "csrf_token": self.token("/connexion")}, allow_redirects=False, timeout=10)
        assert response.status_code == 303, response.text[:500]
        return self

    def reply(self, topic, body):
        response = self.http.post(self.url + f"/sujet/{topic.id}/repondre", data={
            "body": body, "submit": "1", "csrf_token": self.token(f"/sujet/{topic.id}")},
            allow_redirects=False, timeout=30)
        assert response.status_code == 303, response.text[:500]
        return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])

    def cookie_header(self):
        return "; ".join(f"{c.name}={c.value}" for c in self.http.cookies)


def socket_client(url, cookie=None):
    """A real python-socketio client (WebSocket transport), recording what it receives."""
    import socketio as python_socketio
    client = python_socketio.Client(reconnection=False)
    client.received = queue.Queue()
    for name in ("post_created", "post_changed", "access_lost", "typing", "topic_activity"):
        client.on(name, (lambda name: lambda data: client.received.put((name, data)))(name))
    headers = {"Cookie": cookie} if cookie else {}
    client.connect(url, transports=["websocket"], headers=headers, wait_timeout=10)
    return client


def next_event(client, name, timeout=10):
    deadline = time.monotonic() + timeout
    while True:
        try:
            got, data = client.received.get(timeout=max(0.01, deadline - time.monotonic()))
        except queue.Empty:
            raise AssertionError(f"no {name} event within {timeout} s") from None
        if got == name:
            return data
