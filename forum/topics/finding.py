"""The space, topic or post a viewer asked for, if they may read it: else 404, as if it did
not exist (an outsider never learns what lies in a space not open to them)."""
from flask import abort
from flask_login import current_user
from sqlalchemy import select

from forum.extensions import db
from forum.permissions import can_read_space, can_see_post

from .models import Post, Space, Tag, Topic


def get_readable_space(slug, viewer=None):
    """``viewer``: the current user unless given (a private feed's member, forum/feeds/)."""
    space = db.session.scalar(select(Space).where(Space.slug == slug))
    if space is None or not can_read_space(current_user if viewer is None else viewer, space):
        abort(404)
    return space


def get_readable_topic(topic_id, viewer=None):
    topic = db.session.get(Topic, topic_id)
    if topic is None or not can_read_space(current_user if viewer is None else viewer, topic.space):
        abort(404)
    return topic


def get_visible_post(post_id):
    post = db.session.get(Post, post_id)
    if post is None or not can_see_post(current_user, post):
        abort(404)
    return post


def get_post_for(post_id, rule):
    """The post, if the viewer sees it (else 404) and ``rule(viewer, post)`` allows the act (else 403)."""
    post = get_visible_post(post_id)
    if not rule(current_user, post):
        abort(403)
    return post


def get_tag(slug):
    tag = db.session.scalar(select(Tag).where(Tag.slug == slug))
    if tag is None:
        abort(404)
    return tag
