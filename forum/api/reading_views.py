"""What the API reads, in Discourse's shapes: topic lists, categories, topics, posts, tags, members.

Every answer is built from the reading functions the pages use (forum/topics/reading.py), so
the API shows exactly what the pages show the same person. Lists take Discourse's ``page``
(from 0); a topic's posts its ``page`` (from 1), as Discourse does.
"""
from flask import abort, current_app, url_for
from flask_login import current_user

from forum.permissions import readable_spaces, why_cannot_post, why_cannot_reply
from forum.topics import reading
from forum.topics.finding import get_readable_topic, get_tag, get_visible_post

from forum.web import page_cache

from . import arguments, openapi, shapes
from .blueprint import bp
from .listing import can_create_topic, members_shown, more_url, space_topics, topic_detail, user_profile

# What a list across spaces depends on (the home page's scopes).
ALL_SPACES = [page_cache.SITE, "space-*"]


def _list_page():
    return arguments.page(0) + 1


@bp.route("/latest.json")
@page_cache.for_visitors(lambda: ALL_SPACES, members=True)
def latest():
    """Latest topics of the spaces the reader reads.
    ---
    get:
      summary: Derniers sujets
      parameters: [{name: page, in: query, schema: {type: integer, minimum: 0, maximum: 99999}}]
      responses: {"200": {content: {application/json: {schema: {$ref: "#/components/schemas/TopicList"}}}}}
    """
    rows, pagination = reading.latest_page(current_user, _list_page())
    return shapes.topic_list(rows, more_url("/latest", pagination), pagination.per_page, can_create_topic(current_user))


@bp.route("/categories.json")
@page_cache.for_visitors(lambda: ALL_SPACES, members=True)
def categories():
    """The spaces the reader reads, as categories.
    ---
    get:
      summary: Espaces (catégories)
      responses: {"200": {content: {application/json: {schema: {$ref: "#/components/schemas/CategoryList"}}}}}
    """
    spaces = [space for space in readable_spaces(current_user)]
    return {"category_list": {"can_create_category": False, "can_create_topic": can_create_topic(current_user),
                              "categories": [shapes.category(space) for space in spaces]}}


@bp.route("/c/<int:category_id>.json")
@bp.route("/c/<slug>/<int:category_id>.json")
@page_cache.for_visitors(lambda category_id, slug=None: [page_cache.SITE, f"space-{category_id}"], members=True)
def category(category_id, slug=None):
    """A space's topics.
    ---
    get:
      summary: Sujets d'un espace
      parameters: [{name: page, in: query, schema: {type: integer, minimum: 0, maximum: 99999}}]
      responses: {"200": {content: {application/json: {schema: {$ref: "#/components/schemas/TopicList"}}}}}
    """
    space = space_topics(category_id)
    data = reading.space_page(current_user, space, reading.DEFAULT_SORT, None, _list_page())
    listing = shapes.topic_list(data["rows"], more_url(f"/c/{space.slug}/{space.id}", data["pagination"]),
                                data["pagination"].per_page, why_cannot_post(current_user, space) is None)
    listing["category"] = shapes.category(space)
    return listing


@bp.route("/t/<int:topic_id>.json")
@bp.route("/t/<slug>/<int:topic_id>.json")
@page_cache.for_visitors(lambda topic_id, **_: [page_cache.SITE, f"topic-{topic_id}"], members=True)
def topic(topic_id, slug=None):
    """A topic and a page of its posts, in order.
    ---
    get:
      summary: Un sujet et ses messages
      parameters: [{name: page, in: query, schema: {type: integer, minimum: 1, maximum: 99999}}]
      responses: {"200": {content: {application/json: {schema: {$ref: "#/components/schemas/Topic"}}}}}
    """
    topic = get_readable_topic(topic_id)
    return topic_detail(topic, arguments.page(1), why_cannot_reply(current_user, topic) is None)


@bp.route("/posts/<int:post_id>.json")
def post(post_id):
    """A post, with its Markdown.
    ---
    get:
      summary: Un message
      responses: {"200": {content: {application/json: {schema: {$ref: "#/components/schemas/Post"}}}}}
    """
    item = get_visible_post(post_id)
    return shapes.post(reading.post_view(current_user, item), getattr(current_user, "id", None), raw=True)


@bp.route("/tags.json")
@page_cache.for_visitors(lambda: ALL_SPACES, members=True)
def tags():
    """Every tag, with the topics the reader reads under it.
    ---
    get:
      summary: Étiquettes
      responses: {"200": {content: {application/json: {schema: {$ref: "#/components/schemas/Tags"}}}}}
    """
    listed = reading.tags_page(current_user)["tags"]
    return {"tags": [{"id": item.tag.slug, "text": item.tag.name, "name": item.tag.slug, "count": item.topics,
                      "pm_count": 0, "target_tag": None} for item in listed],
            "extras": {"categories": []}}


@bp.route("/tag/<name>.json")
@page_cache.for_visitors(lambda name: ALL_SPACES, members=True)
def tag(name):
    """A tag's topics.
    ---
    get:
      summary: Sujets d'une étiquette
      parameters: [{name: page, in: query, schema: {type: integer, minimum: 0, maximum: 99999}}]
      responses: {"200": {content: {application/json: {schema: {$ref: "#/components/schemas/TopicList"}}}}}
    """
    found = get_tag(name)
    data = reading.tag_page(current_user, found, reading.DEFAULT_SORT, _list_page())
    return shapes.topic_list(data["rows"], more_url(f"/tag/{found.slug}", data["pagination"]),
                             data["pagination"].per_page, can_create_topic(current_user),
                             tags=[{"id": found.slug, "name": found.slug, "text": found.name,
                                    "topic_count": data["pagination"].total, "staff": False}])


@bp.route("/u/<username>.json")
def member(username):
    """A member's profile, as its page shows it.
    ---
    get:
      summary: Profil d'un membre
      responses: {"200": {content: {application/json: {schema: {$ref: "#/components/schemas/Profile"}}}}}
    """
    found = members_shown(username)
    if found is None:
        abort(404)
    return user_profile(found, url_for("accounts.profile", pseudonym=found.pseudonym))


@bp.route("/api/openapi.json")
def openapi_document():
    """This document.
    ---
    get:
      summary: Le document OpenAPI 3.1 de l'API
      responses: {"200": {content: {application/json: {schema: {type: object}}}}}
    """
    return openapi.document(current_app)
