"""Domain events (frozen dataclasses, past tense) and their subscribers.

Domain functions call ``publish(event)`` while their transaction is open. Two kinds of
subscribers exist:

- ``phase="transaction"`` subscribers run at once, inside the transaction: what they write
  (a search-indexing job, a notification row) commits or rolls back with the change itself;
- ``phase="commit"`` subscribers (the default) run after the transaction has committed, and
  never if it rolls back: realtime broadcast, emails. They must not use the committed
  session (SQLAlchemy forbids SQL there); what they need travels in the event, or they open
  their own session. A failing one is logged and never undoes the committed change.

Subscribers belong to one app (``subscribe(app, …)``, kept in ``forum.registry``); an event
reaches those of the app it is published in.
"""
import logging
from dataclasses import dataclass

from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

from . import registry
from .extensions import db

log = logging.getLogger(__name__)

_PENDING = "agora_pending_events"


def subscribe(app, event_type, handler, phase="commit"):
    """Call ``handler(event)`` for every event of ``event_type`` (or a subclass) published in
    ``app``."""
    handlers = registry.of(app).subscribers[phase][event_type]
    if handler not in handlers:
        handlers.append(handler)


def unsubscribe(app, event_type, handler, phase="commit"):
    handlers = registry.of(app).subscribers[phase][event_type]
    if handler in handlers:
        handlers.remove(handler)


def _handlers(registered, phase, event):
    for event_type, handlers in list(registered.subscribers[phase].items()):
        if isinstance(event, event_type):
            yield from list(handlers)


def publish(event, session=None):
    """Announce ``event`` from inside the current transaction of ``session``.

    The subscribers are those of the current app; its registry is kept with the pending
    event, so the after-commit dispatch does not depend on the context the commit runs in.
    """
    if session is None:
        session = db.session()
    registered = registry.of()
    for handler in _handlers(registered, "transaction", event):
        handler(event)
    session.info.setdefault(_PENDING, []).append((event, registered))


@sa_event.listens_for(Session, "after_commit")
def _dispatch_after_commit(session):
    pending = session.info.pop(_PENDING, [])
    for event, registered in pending:
        for handler in _handlers(registered, "commit", event):
            try:
                handler(event)
            except Exception:  # a subscriber never undoes a committed change
                log.exception("subscriber %r failed on %r", handler, event)


@sa_event.listens_for(Session, "after_rollback")
def _discard_after_rollback(session):
    session.info.pop(_PENDING, None)


# --- the events -------------------------------------------------------------------------

@dataclass(frozen=True)
class Event:
    pass


@dataclass(frozen=True)
class MemberRegistered(Event):
    member_id: int


@dataclass(frozen=True)
class CollegeConfirmed(Event):
    member_id: int
    college_id: int


@dataclass(frozen=True)
class MemberAccessChanged(Event):
    """A member's comités, role or sanctions changed: what they may read may have shrunk."""
    member_id: int


@dataclass(frozen=True)
class MemberErased(Event):
    """A member's account was erased (anonymised or contributions removed): stores that keep
    copies of old texts (the search index's segments) should forget them."""
    member_id: int


@dataclass(frozen=True)
class MemberAdministered(Event):
    """The coordination acted on an account (``action``: deactivated, reactivated,
    email_change_sent, reset_link_sent, erased); moderation's audit log records it."""
    actor_id: int
    member_id: int
    action: str


@dataclass(frozen=True)
class WebhookAdministered(Event):
    """An administrator created, changed, disabled, enabled or deleted a webhook (``action``);
    ``before`` and ``after``: what changed, never the secret. Moderation's audit log records it."""
    actor_id: int
    webhook_id: int
    action: str
    before: dict | None = None
    after: dict | None = None


@dataclass(frozen=True)
class SpaceChanged(Event):
    """A space was created or its visibility or access lists changed."""
    space_id: int


@dataclass(frozen=True)
class TopicStarted(Event):
    topic_id: int
    post_id: int
    space_id: int
    author_id: int


@dataclass(frozen=True)
class PostPublished(Event):
    """A post became readable: a reply, an opening post, or an approved pending post."""
    post_id: int
    topic_id: int
    space_id: int
    author_id: int
    parent_id: int | None
    number: int
    # Members named with @pseudonyme, and posts quoted, in the text (filled by the markup).
    mentioned_ids: tuple = ()
    quoted_post_ids: tuple = ()


@dataclass(frozen=True)
class PostEdited(Event):
    post_id: int
    topic_id: int
    space_id: int
    editor_id: int
    revision: int
    # Members mentioned by this revision and not by the previous one (filled by posting).
    mentioned_ids: tuple = ()


@dataclass(frozen=True)
class PostStateChanged(Event):
    """A post was deleted by its author, hidden, restored or left pending."""
    post_id: int
    topic_id: int
    space_id: int
    state: str


@dataclass(frozen=True)
class TopicChanged(Event):
    """Title, tags, status, pin, space or dates of a topic changed (moved: ``old_space_id`` is set;
    dates: the demo's history, forum/devdata/demo.py)."""
    topic_id: int
    space_id: int
    old_space_id: int | None = None


@dataclass(frozen=True)
class TopicAnnounced(Event):
    """The coordination made a topic an announcement: every reader of its space is told."""
    topic_id: int
    space_id: int
    actor_id: int


@dataclass(frozen=True)
class ConversationMessageAdded(Event):
    """A message was added to a private conversation: ``member_ids`` are its readers but its
    author (told in their own rooms, never in a shared one)."""
    conversation_id: int
    number: int
    member_ids: tuple


@dataclass(frozen=True)
class TopicRead(Event):
    """A member has now read a topic up to post ``number`` (only published when it advanced)."""
    member_id: int
    topic_id: int
    number: int


@dataclass(frozen=True)
class PostsMoved(Event):
    """Posts left ``old_topic_id`` for ``topic_id`` (a reply split off into a new topic)."""
    post_ids: tuple
    topic_id: int
    old_topic_id: int
    space_id: int
    old_space_id: int


@dataclass(frozen=True)
class MemberNotice(Event):
    """Something to tell one member, from any package (a moderation decision about them…).

    The notifications package turns it into an in-app notification (and an email).
    """
    member_id: int
    kind: str
    text: str
    url: str
    actor_id: int | None = None


@dataclass(frozen=True)
class NotificationsChanged(Event):
    """A member's unread notification count changed (an absolute value, for live counters)."""
    member_id: int
    unread: int


@dataclass(frozen=True)
class CharterPublished(Event):
    version_id: int
    number: int


@dataclass(frozen=True)
class PollOpened(Event):
    """A decision was opened in a topic (forum/decisions/)."""
    poll_id: int
    topic_id: int
    space_id: int
    author_id: int


@dataclass(frozen=True)
class BallotCast(Event):
    """A ballot was cast or changed: live pages move their participation, never how anyone voted."""
    poll_id: int
    topic_id: int
    space_id: int
    voter_count: int


@dataclass(frozen=True)
class OutcomeWritten(Event):
    """The outcome of a closed decision was written or rewritten (its text is searched with the
    decision: search/indexing.py). Published by whoever writes it, before the commit."""
    poll_id: int
    topic_id: int
    space_id: int


@dataclass(frozen=True)
class PollClosed(Event):
    """A decision closed (by its author, a moderator, or its closing date): results are final."""
    poll_id: int
    topic_id: int
    space_id: int


@dataclass(frozen=True)
class DecisionReminder(Event):
    """Members to remind of a decision (forum/decisions/reminders.py): its closing is near, its
    outcome's review date has come, an action item is due. ``kind`` is the notification's kind;
    ``text`` what the reminder names (the question, the action), as members typed it."""
    kind: str
    member_ids: tuple
    topic_id: int
    post_id: int
    text: str


@dataclass(frozen=True)
class ResourceChanged(Event):
    """A resource of the capitalisation was added, edited or deleted (search indexes it again)."""
    resource_id: int


@dataclass(frozen=True)
class SynthesisPublished(Event):
    """A synthesis's next version was published (forum/syntheses/lifecycle.py): announced to the
    comités that read it, in the digest, in search and on the capitalisation page."""
    synthesis_id: int
    version_id: int
    space_id: int


@dataclass(frozen=True)
class MeetingScheduled(Event):
    """A meeting was scheduled in a space (forum/meetings/scheduling.py)."""
    meeting_id: int


@dataclass(frozen=True)
class MeetingChanged(Event):
    """A meeting's details changed; ``sequence`` is its new iCalendar SEQUENCE. ``time_changed``:
    its start or end moved (participants are told; reminders are due again)."""
    meeting_id: int
    sequence: int
    time_changed: bool


@dataclass(frozen=True)
class MeetingCancelled(Event):
    """A meeting was cancelled: its participants get a METHOD:CANCEL by email."""
    meeting_id: int
    member_ids: tuple


@dataclass(frozen=True)
class RegistrationMoved(Event):
    """A member's place at a meeting changed: registered, put on (or moved up from) the waiting
    list, cancelled. ``promoted``: moved up from the waiting list (they are told by email)."""
    meeting_id: int
    member_id: int
    status: str
    promoted: bool = False
