"""Agora's objects in the shapes of Discourse's API (its published documentation's field names).

Plain functions from what the reading functions return (permissions already applied) to
dictionaries. Where Discourse has no field for something Agora shows (the collège next to a
pseudonym, a hidden author), a field is added or a value left empty: never a shape changed.
Whatever Discourse has and Agora has not (likes, views, badges, avatars) is zero or empty.
"""
from flask import url_for
from flask_babel import gettext as _
from markupsafe import escape

from forum.topics.models import POST_DELETED, POST_HIDDEN, POST_PENDING, POST_REMOVED, POST_VISIBLE


def when(moment):
    """Discourse's dates: UTC, milliseconds, ``Z``."""
    return None if moment is None else moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def user(member):
    """A member as Discourse names a user in lists (``users``, ``created_by``, ``details``)."""
    college = member.public_college
    return {"id": member.id, "username": member.pseudonym, "name": member.pseudonym, "avatar_template": "",
            "college": college.name if college is not None else None}


def _tag_names(topic):
    return [tag.slug for tag in topic.tags]


def topic_item(row):
    """A topic of a list (``topic_list.topics``); ``row`` is a ``reading.TopicRow``."""
    topic = row.topic
    posters = [{"extras": "latest single" if topic.last_post_author_id == topic.author_id else None,
                "description": "Original Poster", "user_id": topic.author_id, "primary_group_id": None}]
    if topic.last_post_author_id not in (None, topic.author_id):
        posters.append({"extras": "latest", "description": "Most Recent Poster",
                        "user_id": topic.last_post_author_id, "primary_group_id": None})
    last_poster = topic.last_post_author   # None when the last post is no longer published
    return {
        "id": topic.id, "title": topic.title, "fancy_title": str(escape(topic.title)), "slug": topic.slug,
        "posts_count": topic.reply_count + 1, "reply_count": topic.reply_count,
        "highest_post_number": topic.last_post_number, "image_url": None,
        "created_at": when(topic.created_at), "last_posted_at": when(topic.last_post_at),
        "bumped": True, "bumped_at": when(topic.last_post_at), "archetype": "regular",
        "unseen": row.is_new, "unread_posts": row.unread, "new_posts": 0,
        "last_read_post_number": row.last_read_number,
        "pinned": topic.pinned, "unpinned": None, "visible": True, "closed": not topic.is_open,
        "archived": topic.space.archived_at is not None, "bookmarked": None, "liked": None,
        "tags": _tag_names(topic), "views": 0, "like_count": 0, "has_summary": False,
        "last_poster_username": last_poster.pseudonym if last_poster is not None else "", "category_id": topic.space_id,
        "pinned_globally": False, "featured_link": None, "posters": posters,
        "decision_closes_at": when(row.decision_closes_at),
    }


def topic_list(rows, more_url, per_page, can_create_topic, tags=None):
    """``users`` (every poster named), ``primary_groups`` and ``topic_list``, as Discourse's lists."""
    members = {}
    for row in rows:
        for member in (row.topic.author, row.topic.last_post_author):
            if member is not None:
                members.setdefault(member.id, member)
    listing = {"can_create_topic": can_create_topic, "more_topics_url": more_url, "per_page": per_page,
               "top_tags": [], "topics": [topic_item(row) for row in rows]}
    if tags is not None:
        listing["tags"] = tags
    return {"users": [user(member) for member in members.values()], "primary_groups": [],
            "topic_list": listing}


def category(space, readable_topics=None):
    """A space as a Discourse category; ``read_restricted`` when visitors cannot read it."""
    topic_url = url_for("topics.space", slug=space.slug)
    return {
        "id": space.id, "name": space.name, "color": "0088CC", "text_color": "FFFFFF", "slug": space.slug,
        "topic_count": space.topic_count if readable_topics is None else readable_topics,
        "post_count": space.post_count, "position": space.position,
        "description": space.description, "description_text": space.description,
        "description_excerpt": space.description[:300], "topic_url": topic_url,
        "read_restricted": space.visibility != "public", "permission": None, "notification_level": None,
        "topic_template": None, "has_children": False, "sort_order": None, "sort_ascending": None,
        "show_subcategory_list": False, "num_featured_topics": 3, "default_view": "latest",
        "subcategory_list_style": "rows_with_featured_topics", "default_top_period": "all",
        "default_list_filter": "all", "minimum_required_tags": 0, "navigate_to_first_post_after_read": False,
        "subcategory_ids": [], "uploaded_logo": None, "uploaded_background": None,
        "kind": space.kind, "department": space.department, "archived": space.archived_at is not None,
    }


# What a reader sees instead of a text they may not read (the page's placeholders).
def _placeholder(post):
    return {
        POST_DELETED: _("Message supprimé par son auteur."),
        POST_HIDDEN: _("Message masqué par la modération."),
        POST_PENDING: _("Message en attente de modération."),
        POST_REMOVED: _("Message retiré à la demande de son auteur."),
    }.get(post.state, "")


def post(view, viewer_id, raw=False):
    """A post as ``reading.PostView`` shows it: its HTML (``cooked``) only when the viewer may read
    it, its author only when they may see who wrote it. ``raw``: the Markdown too (``/posts/N``)."""
    item = view.post
    readable = view.show_text and item.state in (POST_VISIBLE, POST_PENDING, POST_HIDDEN)
    author = item.author if view.show_author else None
    parent = item.parent if item.parent_id is not None else None
    shape = {
        "id": item.id, "name": author.pseudonym if author else _("Auteur masqué"),
        "username": author.pseudonym if author else "", "avatar_template": "",
        "created_at": when(item.created_at), "updated_at": when(item.edited_at or item.created_at),
        "cooked": item.html if readable else f"<p>{escape(_placeholder(item))}</p>",
        "post_number": item.number, "post_type": 1, "reply_count": 0,
        "reply_to_post_number": parent.number if parent is not None and parent.number != 1 else None,
        "quote_count": 0, "incoming_link_count": 0, "reads": 0, "readers_count": 0, "score": 0,
        "yours": author is not None and author.id == viewer_id, "topic_id": item.topic_id,
        "topic_slug": item.topic.slug, "display_username": author.pseudonym if author else "",
        "primary_group_name": None, "flair_name": None, "version": item.revision_count,
        "can_edit": False, "can_delete": False, "can_recover": False, "can_wiki": False,
        "read": not view.unread, "user_title": None, "bookmarked": False, "actions_summary": [],
        "moderator": False, "admin": False, "staff": False, "user_id": author.id if author else None,
        "hidden": item.state == POST_HIDDEN, "trust_level": 0,
        "deleted_at": when(item.state_changed_at) if item.state in (POST_DELETED, POST_REMOVED) else None,
        "user_deleted": item.state in (POST_DELETED, POST_REMOVED), "edit_reason": None,
        "can_view_edit_history": readable and item.revision_count > 1, "wiki": False,
        "state": item.state, "college": user(author)["college"] if author else None,
    }
    if raw:
        shape["raw"] = item.source if readable else ""
    return shape
