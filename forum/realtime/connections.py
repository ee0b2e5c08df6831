"""The sockets this process serves: who each one is, which rooms it joined, how fast it talks.

Rooms only ever hold sockets that the server put there after a permission check; the client
names a topic or a space by id, never a room. This registry is per process: with several
processes, each keeps its own sockets and re-checks them when told to (see ``hub``).
"""
import threading
import time
from dataclasses import dataclass, field

# Client events a connection may send: a burst, then a steady rate (per second).
EVENT_BURST = 20
EVENT_RATE = 2.0
# "Is typing" pings: the browser sends one every 3 s at most; a little slack for jitter.
TYPING_INTERVAL = 2.5
# Rooms one socket may hold: a page watches one topic, or a space, or the home page's spaces.
MAX_TOPICS = 5
MAX_SPACES = 200


def topic_room(topic_id):
    return f"topic:{topic_id}"


def space_room(space_id):
    return f"space:{space_id}"


def member_room(member_id):
    return f"member:{member_id}"


@dataclass
class Connection:
    sid: str
    member_id: int | None
    # The member's session (MemberSession id) the socket was opened with: its end ends the socket.
    session_id: int | None
    topics: dict = field(default_factory=dict)      # topic id -> id of its space
    spaces: set = field(default_factory=set)
    allowance: float = float(EVENT_BURST)
    counted_at: float = field(default_factory=time.monotonic)
    typed_at: float = float("-inf")

    def spend(self):
        """Count one client event; False when the connection talks too fast (token bucket)."""
        moment = time.monotonic()
        self.allowance = min(EVENT_BURST, self.allowance + (moment - self.counted_at) * EVENT_RATE)
        self.counted_at = moment
        if self.allowance < 1:
            return False
        self.allowance -= 1
        return True

    def may_type(self):
        moment = time.monotonic()
        if moment - self.typed_at < TYPING_INTERVAL:
            return False
        self.typed_at = moment
        return True


class Registry:
    """sid -> Connection, safe to use from several threads (or greenlets)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._connections = {}

    def add(self, connection):
        with self._lock:
            self._connections[connection.sid] = connection

    def remove(self, sid):
        with self._lock:
            return self._connections.pop(sid, None)

    def get(self, sid):
        with self._lock:
            return self._connections.get(sid)

    def __len__(self):
        with self._lock:
            return len(self._connections)

    def select(self, kind, ident):
        """The connections concerned by a change of ``kind`` ("member", "space", "topic")."""
        with self._lock:
            connections = list(self._connections.values())
        if kind == "member":
            return [c for c in connections if c.member_id == ident]
        if kind == "space":
            return [c for c in connections if ident in c.spaces or ident in c.topics.values()]
        if kind == "topic":
            return [c for c in connections if ident in c.topics]
        raise ValueError(kind)
