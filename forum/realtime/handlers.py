"""Socket.IO handlers: who connects, which rooms they may join, what they may say.

Every handler runs in a request context built from the handshake (Flask-SocketIO), so
``current_user`` is the member of the session cookie *as it was at connect time*, reloaded by
its session token at every event. Client events are validated and rate-limited per
connection; a refused one gets ``{"ok": False, "error": ...}`` back and affects no one else.
"""
import functools
import logging
from datetime import datetime

from flask import current_app, request
from flask_login import current_user
from flask_socketio import disconnect, emit, join_room, leave_room
from sqlalchemy.exc import SQLAlchemyError

from forum.extensions import db, socketio
from forum.permissions import can_read_space, is_member, readable_spaces, why_cannot_reply
from forum.topics.models import Space, Topic
from forum.web import metrics

from . import catchup
from .connections import MAX_SPACES, MAX_TOPICS, Connection, member_room, space_room, topic_room

log = logging.getLogger(__name__)

LOOPBACK = ("127.0.0.1", "::1")


class BadEvent(ValueError):
    pass


def hub():
    return current_app.extensions["agora_realtime"]


def refusal(error):
    return {"ok": False, "error": error}


def _int(data, name, minimum=1, default=None):
    value = data.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= 2**53:
        raise BadEvent(name)
    return value


def _moment(data, name):
    value = data.get(name)
    if value in (None, ""):
        return None
    if not isinstance(value, str) or len(value) > 40:
        raise BadEvent(name)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise BadEvent(name) from None
    return moment.replace(tzinfo=None)


def client_event(handler):
    """Rate limit, check that the socket is still who it was, validate the payload's shape.

    A database that cannot answer (no connection free within the pool's timeout under a load
    spike, or gone) gets the client a refusal ``indisponible`` rather than no answer at all: a
    page whose join went unanswered would stay deaf, believing itself live; told, it retries.
    """
    @functools.wraps(handler)
    def wrapper(data=None, *extra):
        try:
            return _checked(handler, data, extra)
        except SQLAlchemyError:
            log.warning("realtime %s: the database did not answer", handler.__name__, exc_info=True)
            db.session.rollback()
            return refusal("indisponible")
        finally:
            metrics.rooms_now(socketio.server.manager)
    return wrapper


def _checked(handler, data, extra):
    connection = hub().registry.get(request.sid)
    if connection is None:
        return refusal("inconnu")
    if not connection.spend():
        return refusal("trop_rapide")
    viewer_id = current_user.id if current_user.is_authenticated else None
    if connection.member_id is not None and (viewer_id != connection.member_id
                                             or not current_user.is_active):
        # The session this socket was opened with has ended (new password, logout everywhere).
        hub().registry.remove(request.sid)
        disconnect()
        return refusal("session_terminee")
    if extra or not isinstance(data, dict):
        return refusal("invalide")
    try:
        return handler(connection, data)
    except BadEvent as error:
        return refusal(f"invalide:{error}")
    except (KeyError, ValueError):
        # A tab closed while its join ran: the server forgot the socket under our feet
        # (join_room raises then). Nobody is left to answer; anything else is a real error.
        if socketio.server.manager.is_connected(request.sid, request.namespace):
            raise
        return refusal("inconnu")


def on_connect(auth=None):
    viewer = current_user
    if viewer.is_authenticated and not is_member(viewer):
        raise ConnectionRefusedError("compte suspendu")
    member_id = viewer.id if viewer.is_authenticated else None
    connection = Connection(request.sid, member_id, viewer.current_session.id if member_id else None)
    hub().registry.add(connection)
    metrics.socket_opened()
    if member_id is not None:
        join_room(member_room(member_id))
    hub().listen()
    hub().wait_for_queue()
    return True


def on_disconnect(*reason):
    hub().registry.remove(request.sid)
    metrics.socket_closed()
    metrics.rooms_now(socketio.server.manager, leaving=request.sid)


@client_event
def on_join_topic(connection, data):
    """Watch a topic; the acknowledgement carries what happened after the client's cursor."""
    topic_id = _int(data, "topic_id")
    after = _int(data, "after", minimum=0, default=0)
    since = _moment(data, "since")
    topic = db.session.get(Topic, topic_id)
    if topic is None or not can_read_space(current_user, topic.space):
        return refusal("introuvable")
    if topic_id not in connection.topics and len(connection.topics) >= MAX_TOPICS:
        return refusal("trop_de_salons")
    # Join first, then read: a post committed meanwhile comes as an event, in the gap, or both.
    join_room(topic_room(topic_id))
    connection.topics[topic_id] = topic.space_id
    return {"ok": True, **catchup.topic_gap(current_user, topic, after, since)}


@client_event
def on_leave_topic(connection, data):
    topic_id = _int(data, "topic_id")
    if connection.topics.pop(topic_id, None) is not None:
        leave_room(topic_room(topic_id))
    return {"ok": True}


@client_event
def on_join_space(connection, data):
    """Watch a space's topic list; the acknowledgement names the topics active since ``since``."""
    space_id = _int(data, "space_id")
    since = _moment(data, "since")
    space = db.session.get(Space, space_id)
    if space is None or not can_read_space(current_user, space):
        return refusal("introuvable")
    if space_id not in connection.spaces and len(connection.spaces) >= MAX_SPACES:
        return refusal("trop_de_salons")
    join_room(space_room(space_id))
    connection.spaces.add(space_id)
    return {"ok": True, **catchup.space_gap(current_user, space, since)}


@client_event
def on_join_home(connection, data):
    """Watch every space the viewer may read (the home page's counters)."""
    spaces = readable_spaces(current_user)[:MAX_SPACES]
    for space in spaces:
        join_room(space_room(space.id))
        connection.spaces.add(space.id)
    return {"ok": True, "space_ids": [space.id for space in spaces]}


@client_event
def on_typing(connection, data):
    """"X est en train d'écrire…": members who may reply, in a topic they joined, throttled."""
    topic_id = _int(data, "topic_id")
    if topic_id not in connection.topics or connection.member_id is None:
        return refusal("interdit")
    if not connection.may_type():
        return refusal("trop_rapide")
    topic = db.session.get(Topic, topic_id)
    if topic is None or why_cannot_reply(current_user, topic) is not None:
        return refusal("interdit")
    emit("typing", {"topic_id": topic_id, "pseudonym": current_user.pseudonym},
         to=topic_room(topic_id), include_self=False)
    return {"ok": True}


@client_event
def on_bench_join(connection, data):
    """Benchmark hook (``BENCH_HOOKS``, loopback only): join a room named ``bench…``."""
    room = data.get("room")
    if not current_app.config["BENCH_HOOKS"] or request.remote_addr not in LOOPBACK:
        return refusal("interdit")
    if not isinstance(room, str) or not room.startswith("bench") or len(room) > 40:
        return refusal("invalide")
    join_room(room)
    return {"ok": True}


HANDLERS = {
    "connect": on_connect,
    "disconnect": on_disconnect,
    "join_topic": on_join_topic,
    "leave_topic": on_leave_topic,
    "join_space": on_join_space,
    "join_home": on_join_home,
    "typing": on_typing,
    "join": on_bench_join,
}


def register(socketio):
    """Attach the handlers to ``socketio``'s current server (made anew by each ``init_app``)."""
    for event, handler in HANDLERS.items():
        socketio.on_event(event, handler)
