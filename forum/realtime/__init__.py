"""Real time: a page open on the forum sees it move, and never sees what its viewer may not read.

- ``handlers``: Socket.IO events (connect, join_topic, join_space, join_home, typing…);
- ``broadcast``: after-commit subscribers of the core events, emitting ids to rooms;
- ``hub``: the outbox (emits off the request), the per-process socket registry, permission
  re-checks across processes through Redis;
- ``catchup``: what a (re)joining client missed; ``views``: the fragments clients fetch.

The protocol is described in docs/realtime.md.
"""
from flask import current_app, g
from werkzeug.routing import BuildError

from forum.clock import now

from . import broadcast
from .hub import Hub

# Largest client message accepted (engine.io packet or polling payload): typing pings and
# joins are a few dozen bytes; anything bigger closes that one connection.
MAX_MESSAGE_BYTES = 16 * 1024


def init_app(app):
    from forum.extensions import socketio

    from . import frames, handlers, views
    handlers.register(socketio)
    frames.guard(app, socketio.server, MAX_MESSAGE_BYTES)
    app.extensions["agora_realtime"] = Hub(app)
    app.register_blueprint(views.bp)
    broadcast.subscribe(app)
    app.before_request(_note_start)
    app.jinja_env.globals["live_cursor"] = _live_cursor
    app.jinja_env.globals["live_poll_block_url"] = _live_poll_block_url


def _note_start():
    # Taken before the page reads anything: a change committed while it renders is caught up.
    g.agora_started_at = now()


def _live_cursor():
    return (g.get("agora_started_at") or now()).isoformat()


def _live_poll_block_url():
    """The URL template of a decision's block (``decisions.block``), or "" where no such route
    is registered: the script then moves the participation count only."""
    try:
        return current_app.extensions["agora_links"].url_template("decisions.block", "poll_id")
    except BuildError:
        return ""
