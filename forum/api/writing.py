"""What the API writes, read from Discourse's parameters: a new topic or a reply (``POST
/posts.json``), an edit (``PUT /posts/{id}.json``). The writing itself is forum/topics/posting.py's,
with every guard the pages have (règlement, rate of posting, read-only, approval, watched words).

Parameters come as a form (what Discourse's clients send) or as a JSON object. Unknown names,
wrong types and missing fields are refused before anything is written."""
from flask import request
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from forum.errors import Invalid, NotFound
from forum.extensions import db
from forum.numbers import parse_int
from forum.permissions import can_read_space, can_see_post, can_read_topic
from forum.topics import posting
from forum.topics.models import Post, Space, Topic

CREATE_FIELDS = {"title", "raw", "category", "topic_id", "reply_to_post_number", "tags", "tags[]", "archetype"}
EDIT_FIELDS = {"post[raw]", "post[edit_reason]", "raw", "edit_reason"}


def parameters(allowed):
    """The request's parameters as a MultiDict of strings; 400 on a JSON body that is not an object
    or holds something else than text, numbers or lists of text; 400 naming an unknown field."""
    if request.is_json:
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            raise Invalid(_("Le corps de la requête doit être un objet JSON."), status=400)
        values = MultiDict()
        for name, value in _flatten(body):
            values.add(name, value)
    else:
        values = MultiDict(request.form)
        values.update(MultiDict(request.args))
        values.pop("csrf_token", None)   # a browser's session write carries it (checked before)
    unknown = sorted(name for name in values if name not in allowed)
    if unknown:
        raise Invalid(_("Paramètre inconnu : %(name)s.", name=unknown[0]), status=400)
    return values


def _flatten(body, prefix=None):
    """``{"post": {"raw": …}}`` as Discourse's form names (``post[raw]``); lists as repeated names."""
    for name, value in body.items():
        key = f"{prefix}[{name}]" if prefix else str(name)
        if isinstance(value, dict) and prefix is None:
            yield from _flatten(value, key)
        elif isinstance(value, list) and all(isinstance(item, str) for item in value):
            for item in value:
                yield key, item
        elif isinstance(value, (str, int)) and not isinstance(value, bool):
            yield key, str(value)
        elif value is not None:
            raise Invalid(_("Le paramètre %(name)s n'a pas le bon type.", name=key), status=400)


def _number(values, name):
    raw = values.get(name)
    if raw in (None, ""):
        return None
    number = parse_int(raw)
    if number is None or number < 1:
        raise Invalid({name: _("Le paramètre %(name)s doit être un nombre entier positif.", name=name)}, status=400)
    return number


def create(author, values):
    """A reply when ``topic_id`` is given (to ``reply_to_post_number``, else the topic), else a new
    topic in the space ``category``; returns the post written."""
    if values.get("archetype", "regular") != "regular":
        raise Invalid({"archetype": _("Seuls les sujets ordinaires peuvent être créés ici.")})
    topic_id = _number(values, "topic_id")
    body = values.get("raw", "")
    if topic_id is not None:
        topic = db.session.get(Topic, topic_id)
        if topic is None or not can_read_topic(author, topic):
            raise NotFound(_("Ce sujet n'existe pas, ou il ne vous est pas ouvert."))
        return posting.reply(author, topic, body, _parent(author, topic, _number(values, "reply_to_post_number")))
    space_id = _number(values, "category")
    space = db.session.get(Space, space_id) if space_id is not None else None
    if space is None or not can_read_space(author, space):
        raise Invalid({"category": _("Choisissez un espace (category) qui vous est ouvert.")})
    tags = values.getlist("tags[]") + values.getlist("tags")
    topic = posting.start_topic(author, space, values.get("title", ""), body, tag_slugs=tags)
    return db.session.scalars(select(Post).where(Post.topic_id == topic.id, Post.number == 1)).one()


def _parent(author, topic, number):
    if number is None:
        return None
    parent = db.session.scalar(select(Post).where(Post.topic_id == topic.id, Post.number == number))
    if parent is None or not can_see_post(author, parent):
        raise Invalid({"reply_to_post_number": _("Ce message n'existe pas dans ce sujet.")})
    return parent


def edit(editor, post, values):
    body = values.get("post[raw]", values.get("raw"))
    if body is None:
        raise Invalid({"raw": _("Le nouveau texte (post[raw]) manque.")})
    return posting.edit_post(editor, post, body)
