"""A member's notifications: counting, listing (permissions applied), marking read."""
from dataclasses import dataclass

from flask import url_for
from flask_babel import gettext as flask_gettext
from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from forum import events
from forum.clock import now
from forum.extensions import db
from forum import permissions
from forum.permissions import can_read_post_text
from forum.text.excerpts import excerpt
from forum.topics.models import Post, Topic
from forum.topics.reading import Pagination, clamp_page

from .mail import site_url
from .models import (KIND_ACTION_DUE, KIND_ANNOUNCEMENT, KIND_MENTION, KIND_OUTCOME_REVIEW, KIND_POST, KIND_QUOTE,
                     KIND_MESSAGE, KIND_REPLY, KIND_SYNTHESIS, KIND_SYNTHESIS_EDITOR, KIND_TOPIC, KIND_VOTE_REMINDER, Notification)

PER_PAGE = 30
# What showing a notification needs, loaded in a few IN queries for a whole list.
LOAD = (selectinload(Notification.actor),
        selectinload(Notification.topic).selectinload(Topic.space),
        selectinload(Notification.post).selectinload(Post.topic).selectinload(Topic.space))


def unread_count(member_id):
    return db.session.scalar(select(func.count(Notification.id)).where(
        Notification.member_id == member_id, Notification.read_at.is_(None))) or 0


def unread_counts(member_ids):
    """{member id: unread count} for several members in one query (zero included)."""
    counts = dict.fromkeys(member_ids, 0)
    if counts:
        counts.update(db.session.execute(
            select(Notification.member_id, func.count(Notification.id))
            .where(Notification.member_id.in_(list(counts)), Notification.read_at.is_(None))
            .group_by(Notification.member_id)).all())
    return counts


def announce_counts(member_ids):
    """Publish the new absolute unread count of each member (for live header counters)."""
    for member_id, unread in sorted(unread_counts(set(member_ids)).items()):
        events.publish(events.NotificationsChanged(member_id=member_id, unread=unread))


def sentence(kind, actor, title, space="", text="", gettext=None):
    """A sentence saying what happened (without the excerpt), in the reader's language:
    ``gettext`` is the recipient's for an email (``mail.gettext_for``), the request's otherwise.
    ``text`` (notices) is stored, hence French."""
    _ = gettext or flask_gettext
    actor = actor or _("Quelqu'un")
    if kind == KIND_REPLY:
        return _("%(actor)s vous a répondu dans « %(title)s »", actor=actor, title=title)
    if kind == KIND_MENTION:
        return _("%(actor)s vous a mentionné dans « %(title)s »", actor=actor, title=title)
    if kind == KIND_QUOTE:
        return _("%(actor)s vous a cité dans « %(title)s »", actor=actor, title=title)
    if kind == KIND_TOPIC:
        return _("Nouveau sujet de %(actor)s dans %(space)s : « %(title)s »",
                 actor=actor, space=space, title=title)
    if kind == KIND_POST:
        return _("Nouveau message de %(actor)s dans « %(title)s »", actor=actor, title=title)
    if kind == KIND_ANNOUNCEMENT:
        return _("Annonce de la coordination dans %(space)s : « %(title)s »", space=space, title=title)
    if kind == KIND_VOTE_REMINDER:
        return _("Plus que 24 heures pour voter : « %(question)s », dans « %(title)s »", question=text, title=title)
    if kind == KIND_OUTCOME_REVIEW:
        return _("Le moment est venu de revoir la décision « %(question)s », dans « %(title)s »",
                 question=text, title=title)
    if kind == KIND_SYNTHESIS:
        return _("Nouvelle synthèse publiée : « %(title)s »", title=text)
    if kind == KIND_SYNTHESIS_EDITOR:
        return _("%(actor)s vous invite à rédiger la synthèse « %(title)s »", actor=actor, title=text)
    if kind == KIND_MESSAGE:
        return _("%(actor)s vous a écrit : « %(title)s »", actor=actor, title=text)
    if kind == KIND_ACTION_DUE:
        return _("Une action vous attend : « %(what)s », dans « %(title)s »", what=text, title=title)
    return text or _("Notification")


def describe(notification, gettext=None):
    topic = notification.topic
    return sentence(notification.kind, notification.actor.pseudonym if notification.actor else None,
                    topic.title if topic else "", topic.space.name if topic else "", notification.text, gettext)


@dataclass
class Item:
    """A notification as its member sees it."""
    notification: Notification
    text: str
    excerpt: str

    @property
    def id(self):
        return self.notification.id

    @property
    def is_read(self):
        return self.notification.is_read

    @property
    def created_at(self):
        return self.notification.created_at


def readable(member, notification):
    """A notification about a post is shown only while its member may read the post."""
    post = notification.post
    if notification.kind in (KIND_SYNTHESIS, KIND_SYNTHESIS_EDITOR):   # its package says whether it may still be read
        return permissions.ask("may_read_synthesis_notice", member, notification)
    if notification.kind == KIND_MESSAGE:
        return permissions.ask("may_read_conversation_notice", member, notification)
    if notification.post_id is None:
        return True
    return post is not None and post.is_visible and can_read_post_text(member, post)


def page(member, number=1):
    """One page of ``member``'s notifications, newest first, with their unread count."""
    query = select(Notification).where(Notification.member_id == member.id)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    pagination = Pagination(clamp_page(number), PER_PAGE, total)
    rows = db.session.scalars(query.options(*LOAD).order_by(Notification.id.desc())
                              .limit(PER_PAGE).offset(pagination.offset)).all()
    items = [Item(n, describe(n), excerpt(n.post.html) if n.post_id and n.post else "")
             for n in rows if readable(member, n)]
    return {"items": items, "pagination": pagination, "unread": unread_count(member.id)}


def notice_path(notification):
    """The site path a notice leads to, or None: a member is never led off-site."""
    url = notification.url or ""
    base = site_url("/")
    if url.startswith(base):
        url = url[len(base) - 1:]
    return url if url.startswith("/") and not url.startswith("//") else None


def target_url(notification):
    """Where a notification leads (a path on this site)."""
    if notification.post_id:
        return url_for("topics.post", post_id=notification.post_id)
    if notification.topic_id:
        return url_for("topics.topic", topic_id=notification.topic_id)
    return notice_path(notification) or url_for("notifications.index")


def mark_read(member, notification):
    """Mark one of ``member``'s notifications read; the count is announced; commits."""
    if notification.member_id != member.id:
        return False
    if notification.read_at is None:
        notification.read_at = now()
        announce_counts([member.id])
        db.session.commit()
        return True
    return False


def mark_all_read(member):
    """Mark every notification of ``member`` read; commits."""
    changed = db.session.execute(
        update(Notification).where(Notification.member_id == member.id, Notification.read_at.is_(None))
        .values(read_at=now())).rowcount
    announce_counts([member.id])
    db.session.commit()
    return changed


def latest_id(member_id):
    return db.session.scalar(select(func.max(Notification.id)).where(Notification.member_id == member_id)) or 0

