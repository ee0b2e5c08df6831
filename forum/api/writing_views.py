"""The API's writes: ``POST /posts.json`` (a topic or a reply) and ``PUT /posts/{id}.json`` (an
edit), also without ``.json`` as Discourse's clients call them. Refusals are Discourse's errors
(forum/web/pages.py), with the status of the domain's refusal."""
from flask import abort
from flask_login import current_user

from forum.extensions import limiter
from forum.permissions import is_member
from forum.topics import reading
from forum.topics.finding import get_visible_post
from forum.web.ratelimits import member_key, posting_limit

from . import shapes, writing
from .blueprint import bp


def _written(response):
    return response.status_code == 200


def _author():
    if not is_member(current_user):
        abort(403)
    return current_user


@bp.route("/posts.json", methods=["POST"])
@bp.route("/posts", methods=["POST"])
@limiter.limit(posting_limit, key_func=member_key, deduct_when=_written)
def create_post():
    """A reply (``topic_id``) or a new topic (``title``, ``category``).
    ---
    post:
      summary: Écrire un message ou ouvrir un sujet
      security: [{ApiKey: [], ApiUsername: []}]
      requestBody: {content: {application/json: {schema: {$ref: "#/components/schemas/NewPost"}}}}
      responses: {"200": {content: {application/json: {schema: {$ref: "#/components/schemas/Post"}}}}}
    """
    author = _author()
    post = writing.create(author, writing.parameters(writing.CREATE_FIELDS))
    return shapes.post(reading.post_view(author, post), author.id, raw=True)


@bp.route("/posts/<int:post_id>.json", methods=["PUT"])
@bp.route("/posts/<int:post_id>", methods=["PUT"])
@limiter.limit(posting_limit, key_func=member_key, deduct_when=_written)
def edit_post(post_id):
    """A new text for one's own post.
    ---
    put:
      summary: Modifier son message
      security: [{ApiKey: [], ApiUsername: []}]
      requestBody: {content: {application/json: {schema: {$ref: "#/components/schemas/PostEdit"}}}}
      responses: {"200": {content: {application/json: {schema: {$ref: "#/components/schemas/EditedPost"}}}}}
    """
    editor = _author()
    post = writing.edit(editor, get_visible_post(post_id), writing.parameters(writing.EDIT_FIELDS))
    return {"post": shapes.post(reading.post_view(editor, post), editor.id, raw=True)}
