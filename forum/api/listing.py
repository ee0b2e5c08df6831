"""The larger answers of the API as plain data: a topic with its post stream, a member's profile;
and what the reading views share (a category by id, the next page's address)."""
from flask import abort
from flask_login import current_user

from forum.accounts import registration
from forum.extensions import db
from forum.permissions import (can_delete_post, can_edit_post, can_edit_tags, can_read_space, is_member,
                               readable_spaces, why_cannot_post)
from forum.topics import reading
from forum.topics.models import Space

from . import shapes


def more_url(path, pagination):
    """Discourse's ``more_topics_url`` (its pages count from 0), or None on the last page."""
    return f"{path}?page={pagination.page}" if pagination.has_next else None


def can_create_topic(viewer):
    """Discourse's ``can_create_topic``: may ``viewer`` start a topic in at least one space?"""
    return is_member(viewer) and any(why_cannot_post(viewer, space) is None for space in readable_spaces(viewer))


def space_topics(space_id):
    """The space with this id if the viewer may read it, else 404 (as the space's page)."""
    space = db.session.get(Space, space_id)
    if space is None or not can_read_space(current_user, space):
        abort(404)
    return space


def _post(view):
    shape = shapes.post(view, getattr(current_user, "id", None))
    shape["can_edit"] = can_edit_post(current_user, view.post)
    shape["can_delete"] = can_delete_post(current_user, view.post)
    return shape


def topic_detail(topic, page, can_reply):
    """``/t/{id}.json``: the topic, a page of its posts in order (``post_stream.posts``) and the ids
    of every post the viewer sees (``post_stream.stream``)."""
    data = reading.topic_page(current_user, topic, "chrono", page)
    views = ([data["opening"]] if data["opening"] else []) + list(data["replies"])
    participants = {}
    for view in views:
        if view.show_author:
            participants.setdefault(view.post.author_id, view.post.author)
    item = shapes.topic_item(reading.topic_row(current_user, topic))
    item.update({
        "post_stream": {"posts": [_post(view) for view in views],
                        "stream": reading.visible_post_ids(current_user, topic)},
        "timeline_lookup": [], "suggested_topics": [], "chunk_size": data["pagination"].per_page,
        "word_count": None, "deleted_at": None, "user_id": topic.author_id, "draft": None,
        "draft_key": f"topic_{topic.id}", "draft_sequence": 0, "posted": False,
        "current_post_number": views[0].post.number if views else 1,
        "participant_count": len(participants), "show_read_indicator": False, "thumbnails": None,
        "slow_mode_seconds": 0, "slow_mode_enabled_until": None, "pinned_at": None, "pinned_until": None,
        "details": {
            "can_edit": can_edit_tags(current_user, topic), "can_create_post": can_reply,
            "can_reply_as_new_topic": False, "notification_level": 1,
            "participants": [shapes.user(member) for member in participants.values()],
            "created_by": shapes.user(topic.author),
            "last_poster": shapes.user(topic.last_post_author) if topic.last_post_author is not None else None,
        },
        "page": data["pagination"].page, "pages": data["pagination"].pages,
    })
    return item


def members_shown(username):
    """The member whose profile page ``/membre/<pseudonym>`` shows, or None (the same rule)."""
    return registration.find_by_login(username) if "@" not in username else None


def user_profile(member, profile_url):
    """``/u/{username}.json``: what the profile page shows, in Discourse's ``user``."""
    shape = shapes.user(member)
    shape.update({
        "created_at": shapes.when(member.created_at), "bio_raw": member.bio, "bio_excerpt": member.bio[:300],
        "profile_url": profile_url, "trust_level": 0, "moderator": False, "admin": False, "title": None,
        "badge_count": 0,
        "recent_posts": [{"id": item.id, "topic_id": item.topic_id, "topic_title": item.topic.title,
                          "post_number": item.number, "created_at": shapes.when(item.created_at)}
                         for item in reading.member_posts(current_user, member)],
    })
    return {"user_badges": [], "user": shape}
