"""What the API reads, in Discourse's shapes: topic lists, categories, topics, posts, tags, members.

Every answer is built from the reading functions the pages use (forum/topics/reading.py), so
the API shows exactly what the pages show the same person. Lists take Discourse's ``page``
(from 0); a topic's posts its ``page`` (from 1), as Discourse does.
"""
from flask import abort, request, url_for
from flask_login import current_user

from forum.numbers import parse_int
from forum.permissions import readable_spaces, why_cannot_post, why_cannot_reply
from forum.topics import reading
from forum.topics.finding import get_readable_topic, get_tag, get_visible_post

from forum.web import page_cache

from . import shapes
from .blueprint import bp
from .listing import can_create_topic, members_shown, more_url, space_topics, topic_detail, user_profile

# What a list across spaces depends on (the home page's scopes).
ALL_SPACES = [page_cache.SITE, "space-*"]


def _list_page():
    return min(parse_int(request.args.get("page"), 0) or 0, 100000) + 1


@bp.route("/latest.json")
@page_cache.for_visitors(lambda: ALL_SPACES, members=True)
def latest():
    rows, pagination = reading.latest_page(current_user, _list_page())
    return shapes.topic_list(rows, more_url("/latest", pagination), pagination.per_page, can_create_topic(current_user))


@bp.route("/categories.json")
@page_cache.for_visitors(lambda: ALL_SPACES, members=True)
def categories():
    spaces = [space for space in readable_spaces(current_user)]
    return {"category_list": {"can_create_category": False, "can_create_topic": can_create_topic(current_user),
                              "categories": [shapes.category(space) for space in spaces]}}


@bp.route("/c/<int:category_id>.json")
@bp.route("/c/<slug>/<int:category_id>.json")
@page_cache.for_visitors(lambda category_id, slug=None: [page_cache.SITE, f"space-{category_id}"], members=True)
def category(category_id, slug=None):
    space = space_topics(category_id)
    data = reading.space_page(current_user, space, reading.DEFAULT_SORT, None, _list_page())
    listing = shapes.topic_list(data["rows"], more_url(f"/c/{space.slug}/{space.id}", data["pagination"]),
                                data["pagination"].per_page, why_cannot_post(current_user, space) is None)
    listing["category"] = shapes.category(space)
    return listing


@bp.route("/t/<int:topic_id>.json")
@bp.route("/t/<slug>/<int:topic_id>.json")
@bp.route("/t/<int:topic_id>/<int:post_number>.json")
@page_cache.for_visitors(lambda topic_id, **_: [page_cache.SITE, f"topic-{topic_id}"], members=True)
def topic(topic_id, slug=None, post_number=None):
    topic = get_readable_topic(topic_id)
    return topic_detail(topic, parse_int(request.args.get("page"), 1) or 1, post_number,
                        why_cannot_reply(current_user, topic) is None)


@bp.route("/posts/<int:post_id>.json")
def post(post_id):
    item = get_visible_post(post_id)
    return shapes.post(reading.post_view(current_user, item), getattr(current_user, "id", None), raw=True)


@bp.route("/tags.json")
@page_cache.for_visitors(lambda: ALL_SPACES, members=True)
def tags():
    listed = reading.tags_page(current_user)["tags"]
    return {"tags": [{"id": item.tag.slug, "text": item.tag.name, "name": item.tag.slug, "count": item.topics,
                      "pm_count": 0, "target_tag": None} for item in listed],
            "extras": {"categories": []}}


@bp.route("/tag/<name>.json")
@page_cache.for_visitors(lambda name: ALL_SPACES, members=True)
def tag(name):
    found = get_tag(name)
    data = reading.tag_page(current_user, found, reading.DEFAULT_SORT, _list_page())
    return shapes.topic_list(data["rows"], more_url(f"/tag/{found.slug}", data["pagination"]),
                             data["pagination"].per_page, can_create_topic(current_user),
                             tags=[{"id": found.slug, "name": found.slug, "text": found.name,
                                    "topic_count": data["pagination"].total, "staff": False}])


@bp.route("/u/<username>.json")
def member(username):
    found = members_shown(username)
    if found is None:
        abort(404)
    return user_profile(found, url_for("accounts.profile", pseudonym=found.pseudonym))
