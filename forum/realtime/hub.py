"""Getting events out, and taking access away, in one process or across several.

Emitting to a room of 1,000 sockets from the request that committed a reply would make the
author wait for the whole fan-out (research §4.9). So:

- without a message queue, emits and permission re-checks go to an *outbox* drained by one
  background task (a thread, or a greenlet under gevent), in order;
- with a message queue (Redis), an emit is one publish, done at once, and every server process
  delivers to its own sockets. Permission re-checks are published on a control channel of the
  same Redis, so each process re-checks the sockets it holds (rooms live in one process only).

Subscribers call ``emit`` and ``recheck`` after the commit; neither touches the committed
session: re-checks run later, in an app context (and session) of their own.
"""
import json
import logging
import queue
import threading
import time

from flask_login import AnonymousUserMixin

from forum.accounts.models import Member, MemberSession
from forum.extensions import db, socketio
from forum.permissions import can_read_space, is_member
from forum.topics.models import Space, Topic

from .connections import Registry, space_room, topic_room

log = logging.getLogger(__name__)

CONTROL_CHANNEL = "agora-realtime-control"
# An idle outbox task ends after this many seconds (and starts again with the next job).
IDLE_SECONDS = 30


class Hub:
    def __init__(self, app):
        self.app = app
        self.registry = Registry()
        self.queue_url = app.config["SOCKETIO_MESSAGE_QUEUE"] or app.config["REDIS_URL"]
        self._outbox = queue.Queue()
        self._lock = threading.Lock()
        self._worker_running = False
        self._listener = None
        self._redis = None

    def wait_for_queue(self, timeout=2.0):
        """Wait (briefly, once per process) until this process listens to the message queue.

        python-socketio subscribes to Redis in the background when the first client connects:
        a client that joins a room before the subscription is made misses what is published
        meanwhile, after its join acknowledgement (seen when gunicorn restarts a killed worker
        under load: tests/scaleout/test_faults.py).
        """
        if not self.queue_url or getattr(self, "_queue_ready", False):
            return
        manager = socketio.server.manager
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pubsub = getattr(manager, "pubsub", None)
            if pubsub is not None and pubsub.subscribed:
                self._queue_ready = True
                return
            socketio.sleep(0.01)
        log.warning("the Socket.IO message queue is not subscribed after %.1f s", timeout)

    # --- emitting ---------------------------------------------------------------------

    def emit(self, event, data, room):
        if self.queue_url:
            socketio.emit(event, data, to=room)
        else:
            self.submit(socketio.emit, event, data, to=room)

    def submit(self, function, *args, **kwargs):
        """Run ``function`` on the outbox task, after the jobs already waiting."""
        self._outbox.put((function, args, kwargs))
        with self._lock:
            if not self._worker_running:
                self._worker_running = True
                socketio.start_background_task(self._work)

    def _work(self):
        while True:
            try:
                function, args, kwargs = self._outbox.get(timeout=IDLE_SECONDS)
            except queue.Empty:
                with self._lock:
                    if self._outbox.empty():
                        self._worker_running = False
                        return
                continue
            try:
                function(*args, **kwargs)
            except Exception:
                log.exception("realtime job %r failed", function)
            finally:
                self._outbox.task_done()

    def flush(self, timeout=10.0):
        """Wait until the outbox is empty (tests, and a CLI command before it exits)."""
        deadline = time.monotonic() + timeout
        while self._outbox.unfinished_tasks and time.monotonic() < deadline:
            time.sleep(0.005)
        return not self._outbox.unfinished_tasks

    # --- taking access away -----------------------------------------------------------

    def recheck(self, kind, ident):
        """Re-check the rooms of every socket concerned by a change of ``kind`` ``ident``."""
        if self.queue_url and self.queue_url.startswith(("redis://", "rediss://", "unix://")):
            self._publish_control({"kind": kind, "id": ident})
        else:
            self.submit(self.recheck_here, kind, ident)

    def _publish_control(self, message):
        if self._redis is None:
            import redis
            self._redis = redis.Redis.from_url(self.queue_url)
        self._redis.publish(CONTROL_CHANNEL, json.dumps(message))

    def listen(self):
        """Start following the control channel (once per process, when a first socket connects)."""
        if not self.queue_url or not self.queue_url.startswith(("redis://", "rediss://", "unix://")):
            return
        with self._lock:
            if self._listener is None:
                self._listener = socketio.start_background_task(self._follow_control)

    def _follow_control(self):
        import redis
        while True:
            try:
                pubsub = redis.Redis.from_url(self.queue_url).pubsub(ignore_subscribe_messages=True)
                pubsub.subscribe(CONTROL_CHANNEL)
                for message in pubsub.listen():
                    if message.get("type") != "message":
                        continue
                    try:
                        data = json.loads(message["data"])
                        self.recheck_here(str(data["kind"]), int(data["id"]))
                    except Exception:
                        log.exception("bad realtime control message %r", message)
            except redis.RedisError:
                log.warning("realtime control channel lost; retrying in 1 s", exc_info=True)
                time.sleep(1)

    def recheck_here(self, kind, ident):
        """Re-check this process's sockets concerned by the change (own app context and session)."""
        connections = self.registry.select(kind, ident)
        if not connections:
            return
        with self.app.app_context():
            try:
                for connection in connections:
                    self._recheck(connection)
            finally:
                db.session.remove()

    def _recheck(self, connection):

        server = socketio.server
        viewer = AnonymousUserMixin()
        if connection.member_id is not None:
            member = db.session.get(Member, connection.member_id)
            session = db.session.get(MemberSession, connection.session_id)
            if member is None or not is_member(member) or session is None or session.member_id != member.id:
                # Suspended, deleted, or its session ended (logout, ended from settings, new password).
                self.registry.remove(connection.sid)
                server.disconnect(connection.sid, namespace="/")
                return
            viewer = member
        for topic_id in list(connection.topics):
            topic = db.session.get(Topic, topic_id)
            if topic is None or not can_read_space(viewer, topic.space):
                connection.topics.pop(topic_id, None)
                server.leave_room(connection.sid, topic_room(topic_id), namespace="/")
                server.emit("access_lost", {"topic_id": topic_id}, to=connection.sid, namespace="/")
            else:
                connection.topics[topic_id] = topic.space_id
        for space_id in list(connection.spaces):
            space = db.session.get(Space, space_id)
            if space is None or not can_read_space(viewer, space):
                connection.spaces.discard(space_id)
                server.leave_room(connection.sid, space_room(space_id), namespace="/")
                server.emit("access_lost", {"space_id": space_id}, to=connection.sid, namespace="/")
