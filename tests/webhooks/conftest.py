"""A real HTTP receiver for the webhooks' tests, and builders of webhooks."""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from forum.accounts.models import Member
from forum.extensions import db
from forum.webhooks import managing
from forum.webhooks.models import EVENTS

from ..helpers import detach


class Receiver:
    """An http.server in a thread: keeps every request (headers, raw body) and answers with the
    next status of ``statuses`` (then ``default``)."""

    def __init__(self):
        self.requests, self.statuses, self.default = [], [], 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.requests.append((dict(self.headers), body))
                status = receiver.statuses.pop(0) if receiver.statuses else receiver.default
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/agora"

    def bodies(self):
        return [json.loads(body) for _headers, body in self.requests]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    running = Receiver()
    yield running
    running.close()


@pytest.fixture
def hooks_app(app):
    """The app, allowed to send to this machine (the receiver listens on 127.0.0.1)."""
    app.config["WEBHOOK_ALLOW_PRIVATE_ADDRESSES"] = True
    return app


@pytest.fixture
def admin(forum):
    return forum.member("Administratrice", role="admin")


@pytest.fixture
def make_webhook(hooks_app, admin):
    """``make_webhook(url, events=EVENTS, space=None)``: a webhook made by the administrator."""
    def build(url, events=EVENTS, space=None, name=""):
        with hooks_app.app_context():
            webhook = managing.create(db.session.get(Member, admin.id), managing.WebhookInput(
                url=url, name=name, events=list(events), space_id=str(space.id) if space else ""))
            return detach(webhook)
    return build
