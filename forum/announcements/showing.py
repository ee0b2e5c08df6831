"""The announcements a viewer sees on the home page, dismissing one, and the clock.

An announcement leaves the home page at its end date, with nothing written: the kept pages
(``forum/web/page_cache.py``) add ``next_change()`` to their key. It stays pinned and marked in
its space until a moderator unpins it (the space's page, notifications and digest are unchanged).
"""
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _, lazy_gettext
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from forum.accounts import portability
from forum.clock import now
from forum.errors import Conflict, Forbidden, NotFound
from forum.extensions import db
from forum.permissions import can_read_topic, is_member
from forum.text.excerpts import excerpt
from forum.topics.models import POST_VISIBLE, Post, Topic

from . import audience
from .models import AnnouncementDismissal

HOME_LIMIT = 5
EXCERPT_CHARS = 200
EXPORT_TITLE = lazy_gettext("Annonces que vous avez masquées")
EXPORT_LABELS = {"topic_id": lazy_gettext("Sujet (numéro)"), "title": lazy_gettext("Titre"),
                 "dismissed_at": lazy_gettext("Masquée le")}


@dataclass(frozen=True)
class Shown:
    """One announcement on the home page, as the viewer sees it."""
    topic: Topic
    excerpt: str
    announced_at: datetime
    last_day: datetime           # a moment of the last day it is on the home page (``|date`` shows the day)


def _current(moment):
    return (select(Topic).join(Post, (Post.topic_id == Topic.id) & (Post.number == 1))
            .where(Topic.announced_at.is_not(None), Topic.announced_until > moment, Post.state == POST_VISIBLE))


def current(viewer, limit=HOME_LIMIT):
    """The announcements ``viewer`` may read, addressed to them, not ended, not dismissed; newest first."""
    moment = now()
    query = _current(moment).options(selectinload(Topic.space))
    if is_member(viewer):
        query = query.where(~select(AnnouncementDismissal.topic_id).where(
            AnnouncementDismissal.topic_id == Topic.id, AnnouncementDismissal.member_id == viewer.id).exists())
    topics = [topic for topic in db.session.scalars(query.order_by(Topic.announced_at.desc(), Topic.id.desc()))
              if can_read_topic(viewer, topic)]
    committees = audience.committees_of([topic.id for topic in topics])
    topics = [topic for topic in topics if audience.reaches(viewer, committees.get(topic.id))][:limit]
    openings = dict(db.session.execute(select(Post.topic_id, Post.html).where(
        Post.topic_id.in_([topic.id for topic in topics]), Post.number == 1)).all()) if topics else {}
    return [Shown(topic, excerpt(openings.get(topic.id), EXCERPT_CHARS), topic.announced_at,
                  audience.last_moment(topic.announced_until)) for topic in topics]


def next_change(moment=None):
    """The soonest end of a current announcement, as text for a cache key; "" when there is none."""
    soonest = db.session.scalar(select(func.min(Topic.announced_until)).where(
        Topic.announced_at.is_not(None), Topic.announced_until > (moment or now())))
    return soonest.isoformat() if soonest is not None else ""


def dismiss(member, topic_id):
    """``member`` hides announcement ``topic_id`` from their home page; commits. Only an
    announcement they are shown can be dismissed (else 404: it says nothing of the others)."""
    if not is_member(member):
        raise Forbidden(_("Connectez-vous pour masquer une annonce."))
    if topic_id not in {shown.topic.id for shown in current(member, limit=None)}:
        if db.session.get(AnnouncementDismissal, (topic_id, member.id)) is not None:
            raise Conflict({None: _("Vous avez déjà masqué cette annonce.")})
        raise NotFound(_("Cette annonce n'existe pas ou n'est plus sur l'accueil."))
    db.session.add(AnnouncementDismissal(topic_id=topic_id, member_id=member.id, dismissed_at=now()))
    db.session.commit()


def exported(member):
    """The member's dismissals, for their data archive (titles of topics they may still read)."""
    rows = db.session.execute(select(AnnouncementDismissal, Topic).join(Topic, Topic.id == AnnouncementDismissal.topic_id)
                              .where(AnnouncementDismissal.member_id == member.id)
                              .order_by(AnnouncementDismissal.dismissed_at)).all()
    return [{"topic_id": topic.id, "title": topic.title if can_read_topic(member, topic) else None,
             "dismissed_at": portability.iso(row.dismissed_at)} for row, topic in rows]


def init_app(app):
    portability.register_section(app, "annonces-masquees", EXPORT_TITLE, exported, EXPORT_LABELS)
