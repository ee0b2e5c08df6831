"""Whether a page's feed is for visitors (its public address) or only private: asked by the
pages' « S'abonner (flux Atom) » links and ``<link rel="alternate">`` (templates/feeds/_macros.html)."""
from flask import current_app
from sqlalchemy import select

from forum.extensions import db
from forum.permissions import can_read_space
from forum.topics.models import Space


def for_visitors(space=None):
    """A visitor reads the feed of ``space`` (a space or its slug; none: the whole forum, a tag):
    the rule of the pages, ``can_read_space``, for an anonymous reader."""
    if isinstance(space, str):
        space = db.session.scalar(select(Space).where(Space.slug == space))
        if space is None:
            return False
    return space is None or can_read_space(current_app.login_manager.anonymous_user(), space)
