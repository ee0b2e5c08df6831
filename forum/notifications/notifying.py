"""Turning domain events into notifications, in the transaction of the change itself.

Subscribed with ``phase="transaction"``: a notification commits with its post, or not at all.
Each handler only reads, decides, then adds rows; a bug in deciding is logged and never stops
the post from being published.
"""
import functools
import logging
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select, update

from forum import events
from forum.accounts.blocking import blockers_of
from forum.accounts.models import College, Member
from forum.announcements import audience
from forum.clock import now
from forum.extensions import db
from forum.permissions import can_read_post_text
from forum.topics.models import Post, Topic

from . import inbox, preferences, watching
from .models import (DECISION_KINDS, KIND_ANNOUNCEMENT, KIND_COLLEGE, KIND_MENTION, KIND_NOTICE, KIND_POST,
                     KIND_QUOTE, KIND_REPLY, KIND_TOPIC, MAIL_PENDING, MUTED, NORMAL, TRACKING, WATCHING,
                     Notification)

log = logging.getLogger(__name__)

# The level a topic must have, for a member, to be told of each kind of event.
REQUIRED_LEVEL = {KIND_MENTION: NORMAL, KIND_QUOTE: NORMAL, KIND_REPLY: TRACKING,
                  KIND_TOPIC: WATCHING, KIND_POST: WATCHING}
# From the most personal: one post gives each member one notification, of the first kind that applies.
PRIORITY = (KIND_MENTION, KIND_REPLY, KIND_QUOTE, KIND_TOPIC, KIND_POST)


def init_app(app):
    subscribe = functools.partial(events.subscribe, app, phase="transaction")
    subscribe(events.PostPublished, on_post_published)
    subscribe(events.MemberNotice, on_member_notice)
    subscribe(events.CollegeConfirmed, on_college_confirmed)
    subscribe(events.PostStateChanged, on_post_state_changed)
    subscribe(events.PostsMoved, on_posts_moved)
    subscribe(events.MemberAccessChanged, on_member_access_changed)
    subscribe(events.PostEdited, on_post_edited)
    subscribe(events.TopicRead, on_topic_read)
    subscribe(events.TopicAnnounced, on_topic_announced)
    subscribe(events.DecisionReminder, on_decision_reminder)


def _never_breaks_the_change(handler):
    @functools.wraps(handler)
    def guarded(event):
        try:
            rows = handler(event)
        except Exception:
            log.exception("notifications: %s failed on %r; the change goes on without them",
                          handler.__name__, event)
            return
        if rows:
            for row in rows:
                db.session.add(row)
            db.session.flush()
            inbox.announce_counts({row.member_id for row in rows})
    return guarded


def _mail_fields(kind, mode, moment):
    if preferences.wants_mail(mode, kind):
        return {"mail_state": MAIL_PENDING,
                "mail_due_at": moment + timedelta(seconds=current_app.config["NOTIFICATION_EMAIL_DELAY"])}
    return {}


def recipients(event, post, topic):
    """{member id: kind} of everyone a published post concerns, before levels and permissions."""
    wanted = {}

    def offer(member_id, kind):
        if member_id is None or member_id == event.author_id:
            return
        current = wanted.get(member_id)
        if current is None or PRIORITY.index(kind) < PRIORITY.index(current):
            wanted[member_id] = kind

    for member_id in event.mentioned_ids or ():
        offer(member_id, KIND_MENTION)
    parent_author = None
    if event.parent_id:
        parent_author = db.session.scalar(select(Post.author_id).where(Post.id == event.parent_id))
        offer(parent_author, KIND_REPLY)
    if event.quoted_post_ids:
        for author_id in db.session.scalars(select(Post.author_id).where(Post.id.in_(event.quoted_post_ids))):
            offer(author_id, KIND_QUOTE)
    is_new_topic = post.number == 1
    for member_id in watching.watchers(topic, new_topic=is_new_topic):
        offer(member_id, KIND_TOPIC if is_new_topic else KIND_POST)
    # Who blocked the author hears nothing of them: mention, reply, quote or watched topic.
    for member_id in blockers_of(wanted, event.author_id):
        del wanted[member_id]
    return wanted, parent_author


@_never_breaks_the_change
def on_post_published(event):
    post = db.session.get(Post, event.post_id)
    if post is None or not post.is_visible:
        return []
    topic = post.topic
    wanted, parent_author = recipients(event, post, topic)
    if not wanted:
        return []
    levels = watching.topic_levels(topic, wanted, posted_ids={parent_author} - {None})
    members = {m.id: m for m in db.session.scalars(select(Member).where(Member.id.in_(wanted)))}
    modes = preferences.email_modes(wanted)
    moment = now()
    rows = []
    for member_id, kind in wanted.items():
        member = members.get(member_id)
        level = levels.get(member_id, MUTED)
        if member is None or not member.is_active or level < REQUIRED_LEVEL[kind]:
            continue
        if not can_read_post_text(member, post):
            continue
        rows.append(Notification(member_id=member_id, kind=kind, actor_id=event.author_id, topic_id=topic.id,
                                 post_id=post.id, created_at=moment, **_mail_fields(kind, modes[member_id], moment)))
    return rows


@_never_breaks_the_change
def on_post_edited(event):
    """Members newly mentioned by an edit are told, as if the post had just been published."""
    if not event.mentioned_ids:
        return []
    post = db.session.get(Post, event.post_id)
    if post is None or not post.is_visible:
        return []
    already = set(db.session.scalars(select(Notification.member_id).where(
        Notification.post_id == post.id, Notification.kind.not_in(DECISION_KINDS))))
    mentioned = set(event.mentioned_ids) - already - {post.author_id}
    # Neither the editor nor the author may reach, by an edit, who blocked them.
    mentioned -= blockers_of(mentioned, event.editor_id) | blockers_of(mentioned, post.author_id)
    members = {m.id: m for m in db.session.scalars(select(Member).where(Member.id.in_(mentioned)))}
    levels = watching.topic_levels(post.topic, members, posted_ids=set())
    modes = preferences.email_modes(members)
    moment = now()
    return [Notification(member_id=member.id, kind=KIND_MENTION, actor_id=event.editor_id, topic_id=post.topic_id,
                         post_id=post.id, created_at=moment, **_mail_fields(KIND_MENTION, modes[member.id], moment))
            for member in members.values()
            if member.is_active and levels.get(member.id, MUTED) >= REQUIRED_LEVEL[KIND_MENTION]
            and can_read_post_text(member, post)]


@_never_breaks_the_change
def on_topic_announced(event):
    """Every active member who may read the announcement and is in its audience (every member,
    or the comités chosen) is told, whatever they watch: it is tied to the opening post, so it
    goes if that post is hidden (``on_post_state_changed``)."""
    topic = db.session.get(Topic, event.topic_id)
    opening = db.session.scalar(select(Post).where(Post.topic_id == event.topic_id, Post.number == 1))
    if topic is None or opening is None or not opening.is_visible:
        return []
    committees = audience.committees_of([topic.id]).get(topic.id)
    readers = [member for member in db.session.scalars(select(Member).where(Member.id != event.actor_id))
               if member.is_active and can_read_post_text(member, opening) and audience.reaches(member, committees)]
    already = set(db.session.scalars(select(Notification.member_id).where(
        Notification.post_id == opening.id, Notification.kind == KIND_ANNOUNCEMENT)))
    modes = preferences.email_modes([member.id for member in readers])
    moment = now()
    return [Notification(member_id=member.id, kind=KIND_ANNOUNCEMENT, actor_id=event.actor_id, topic_id=topic.id,
                         post_id=opening.id, created_at=moment,
                         **_mail_fields(KIND_ANNOUNCEMENT, modes[member.id], moment))
            for member in readers if member.id not in already]


@_never_breaks_the_change
def on_decision_reminder(event):
    """Whatever they watch: each named member still active who may see the decision's post."""
    post = db.session.get(Post, event.post_id)
    if post is None or not post.is_visible or event.kind not in DECISION_KINDS:
        return []
    members = db.session.scalars(select(Member).where(Member.id.in_(set(event.member_ids)))).all()
    members = [member for member in members if member.is_active and can_read_post_text(member, post)]
    modes = preferences.email_modes([member.id for member in members])
    moment = now()
    return [Notification(member_id=member.id, kind=event.kind, topic_id=event.topic_id, post_id=post.id,
                         text=(event.text or "")[:2000], created_at=moment,
                         **_mail_fields(event.kind, modes[member.id], moment))
            for member in members]


@_never_breaks_the_change
def on_topic_read(event):
    """Reading a topic marks read the notifications about the posts read (a decision's
    reminders stay: having read the decision is not having voted)."""
    read_posts = select(Post.id).where(Post.topic_id == event.topic_id, Post.number <= event.number)
    changed = db.session.execute(
        update(Notification).where(Notification.member_id == event.member_id, Notification.read_at.is_(None),
                                   Notification.post_id.in_(read_posts), Notification.kind.not_in(DECISION_KINDS))
        .values(read_at=now())).rowcount
    if changed:
        inbox.announce_counts([event.member_id])


@_never_breaks_the_change
def on_member_notice(event):
    moment = now()
    mode = preferences.email_modes([event.member_id])[event.member_id]
    return [Notification(member_id=event.member_id, kind=KIND_NOTICE, actor_id=event.actor_id,
                         text=(event.text or "")[:2000], url=(event.url or "")[:500], created_at=moment,
                         **_mail_fields(KIND_NOTICE, mode, moment))]


@_never_breaks_the_change
def on_college_confirmed(event):
    college = db.session.get(College, event.college_id)
    moment = now()
    mode = preferences.email_modes([event.member_id])[event.member_id]
    text = f"Votre collège « {college.name} » est confirmé par la coordination." if college else \
        "Votre collège est confirmé par la coordination."
    return [Notification(member_id=event.member_id, kind=KIND_COLLEGE, text=text, url="/preferences",
                         created_at=moment, **_mail_fields(KIND_COLLEGE, mode, moment))]


@_never_breaks_the_change
def on_post_state_changed(event):
    """A post that is no longer visible takes its notifications with it."""
    if event.state == "visible":
        return
    members = set(db.session.scalars(select(Notification.member_id).where(Notification.post_id == event.post_id)))
    if members:
        db.session.execute(delete(Notification).where(Notification.post_id == event.post_id))
        inbox.announce_counts(members)


@_never_breaks_the_change
def on_posts_moved(event):
    if event.post_ids:
        db.session.execute(update(Notification).where(Notification.post_id.in_(event.post_ids))
                           .values(topic_id=event.topic_id))


@_never_breaks_the_change
def on_member_access_changed(event):
    """A member who may read less loses the notifications about what they can no longer read."""
    member = db.session.get(Member, event.member_id)
    if member is None:
        return
    gone = [n.id for n in db.session.scalars(
        select(Notification).options(*inbox.LOAD)
        .where(Notification.member_id == member.id, Notification.post_id.is_not(None)))
        if not inbox.readable(member, n)]
    if gone:
        db.session.execute(delete(Notification).where(Notification.id.in_(gone)))
        inbox.announce_counts([member.id])



def notify_members(member_ids, kind, *, actor_id, text, url):
    """Notifications of a package's own (a private message: ``forum/conversations/``), one per
    member, emailed as each member chose; added in the caller's transaction, counts announced."""
    member_ids = sorted(set(member_ids))
    if not member_ids:
        return
    moment = now()
    modes = preferences.email_modes(member_ids)
    for member_id in member_ids:
        db.session.add(Notification(member_id=member_id, kind=kind, actor_id=actor_id, text=text[:2000], url=url,
                                    created_at=moment, **_mail_fields(kind, modes[member_id], moment)))
    db.session.flush()
    inbox.announce_counts(member_ids)
