"""Domain events, told to the rooms that may know them (after commit, ids only).

Payloads are hints: ids and numbers that the client turns into permission-checked HTTP
requests (a post's fragment, a topic row, the counters). Rooms are chosen from the ids the
events carry, without a query.
"""
from flask import current_app, has_app_context

from forum import events

from .connections import member_room, space_room, topic_room


def _hub():
    return current_app.extensions.get("agora_realtime") if has_app_context() else None


def on_post_published(event):
    hub = _hub()
    if hub is None:
        return
    hub.emit("post_created", {"topic_id": event.topic_id, "post_id": event.post_id,
                              "number": event.number, "parent_id": event.parent_id},
             topic_room(event.topic_id))
    if event.number != 1:  # an opening post comes with TopicStarted
        hub.emit("topic_activity", {"space_id": event.space_id, "topic_id": event.topic_id},
                 space_room(event.space_id))


def on_topic_started(event):
    hub = _hub()
    if hub is not None:
        hub.emit("topic_created", {"space_id": event.space_id, "topic_id": event.topic_id},
                 space_room(event.space_id))


def on_post_edited(event):
    hub = _hub()
    if hub is not None:
        hub.emit("post_changed", {"topic_id": event.topic_id, "post_id": event.post_id,
                                  "revision": event.revision}, topic_room(event.topic_id))


def on_post_state_changed(event):
    hub = _hub()
    if hub is None:
        return
    hub.emit("post_changed", {"topic_id": event.topic_id, "post_id": event.post_id},
             topic_room(event.topic_id))
    hub.emit("topic_activity", {"space_id": event.space_id, "topic_id": event.topic_id},
             space_room(event.space_id))


def on_topic_changed(event):
    hub = _hub()
    if hub is None:
        return
    if event.old_space_id is not None and event.old_space_id != event.space_id:
        # Moved: its watchers may not read the new space. Check before telling anything.
        hub.recheck("topic", event.topic_id)
        hub.emit("topic_activity", {"space_id": event.old_space_id, "topic_id": event.topic_id},
                 space_room(event.old_space_id))
    hub.emit("topic_changed", {"topic_id": event.topic_id}, topic_room(event.topic_id))
    hub.emit("topic_activity", {"space_id": event.space_id, "topic_id": event.topic_id},
             space_room(event.space_id))


def on_posts_moved(event):
    hub = _hub()
    if hub is None:
        return
    payload = {"post_ids": list(event.post_ids), "from_topic_id": event.old_topic_id,
               "to_topic_id": event.topic_id}
    hub.emit("posts_moved", payload, topic_room(event.old_topic_id))
    hub.emit("posts_moved", payload, topic_room(event.topic_id))
    for space_id, topic_id in ((event.old_space_id, event.old_topic_id), (event.space_id, event.topic_id)):
        hub.emit("topic_activity", {"space_id": space_id, "topic_id": topic_id}, space_room(space_id))


def on_notifications_changed(event):
    hub = _hub()
    if hub is not None:
        hub.emit("notifications", {"unread": event.unread}, member_room(event.member_id))


def on_conversation_message(event):
    hub = _hub()
    if hub is not None:
        for member_id in event.member_ids:
            hub.emit("conversation_message", {"conversation_id": event.conversation_id, "number": event.number},
                     member_room(member_id))


def on_ballot_cast(event):
    """Participation only: the tally may be hidden from some watchers (after their vote, until
    the closing), so no figure of any option travels; the page fetches the block with its rights."""
    hub = _hub()
    if hub is not None:
        hub.emit("poll_activity", {"topic_id": event.topic_id, "poll_id": event.poll_id,
                                   "voters": event.voter_count}, topic_room(event.topic_id))


def on_poll_closed(event):
    hub = _hub()
    if hub is not None:
        hub.emit("poll_activity", {"topic_id": event.topic_id, "poll_id": event.poll_id, "closed": True},
                 topic_room(event.topic_id))


def on_member_access_changed(event):
    hub = _hub()
    if hub is not None:
        hub.recheck("member", event.member_id)


def on_space_changed(event):
    hub = _hub()
    if hub is not None:
        hub.recheck("space", event.space_id)


SUBSCRIBERS = (
    (events.PostPublished, on_post_published),
    (events.TopicStarted, on_topic_started),
    (events.PostEdited, on_post_edited),
    (events.PostStateChanged, on_post_state_changed),
    (events.TopicChanged, on_topic_changed),
    (events.PostsMoved, on_posts_moved),
    (events.NotificationsChanged, on_notifications_changed),
    (events.ConversationMessageAdded, on_conversation_message),
    (events.BallotCast, on_ballot_cast),
    (events.PollClosed, on_poll_closed),
    (events.MemberAccessChanged, on_member_access_changed),
    (events.SpaceChanged, on_space_changed),
)


def subscribe(app):
    for event_type, handler in SUBSCRIBERS:
        events.subscribe(app, event_type, handler, phase="commit")
