"""Realtime fixtures: Socket.IO test clients sharing a logged-in HTTP client's cookie."""
import pytest

from forum.extensions import socketio

from ..helpers import Browser


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
