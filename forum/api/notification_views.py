"""``/notifications.json``: a member's notifications in Discourse's shape (its list, read the same
way as the notifications page: what may no longer be read is left out)."""
from flask import abort
from flask_login import current_user

from forum.notifications import inbox
from forum.notifications.models import KIND_MENTION, KIND_POST, KIND_QUOTE, KIND_REPLY, KIND_TOPIC
from forum.permissions import is_member

from . import arguments, shapes
from .blueprint import bp

# Discourse's notification types for Agora's kinds; the others are its ``custom`` (14).
TYPES = {KIND_MENTION: 1, KIND_REPLY: 2, KIND_QUOTE: 3, KIND_POST: 9, KIND_TOPIC: 17}
CUSTOM = 14


def _notification(item):
    notification = item.notification
    topic = notification.topic
    return {
        "id": notification.id, "user_id": notification.member_id,
        "notification_type": TYPES.get(notification.kind, CUSTOM), "read": notification.is_read,
        "high_priority": False, "created_at": shapes.when(notification.created_at),
        "post_number": notification.post.number if notification.post_id and notification.post else None,
        "topic_id": notification.topic_id, "fancy_title": topic.title if topic else None,
        "slug": topic.slug if topic else None,
        "data": {"topic_title": topic.title if topic else None,
                 "display_username": notification.actor.pseudonym if notification.actor else None,
                 "message": item.text, "excerpt": item.excerpt},
        "kind": notification.kind, "url": inbox.target_url(notification),
    }


@bp.route("/notifications.json")
def notifications():
    """The member's notifications, newest first.
    ---
    get:
      summary: Mes notifications
      parameters: [{name: page, in: query, schema: {type: integer, minimum: 1, maximum: 99999}}]
      security: [{ApiKey: [], ApiUsername: []}]
      responses: {"200": {content: {application/json: {schema: {$ref: "#/components/schemas/Notifications"}}}}}
    """
    if not is_member(current_user):
        abort(403)
    data = inbox.page(current_user, arguments.page(1))
    pagination = data["pagination"]
    items = [_notification(item) for item in data["items"]]
    return {"notifications": items, "total_rows_notifications": pagination.total,
            "seen_notification_id": max((item["id"] for item in items if item["read"]), default=None),
            "load_more_notifications": f"/notifications.json?page={pagination.page + 1}" if pagination.has_next
            else None, "unread": data["unread"]}
