"""What each event sends: its JSON, built for the viewer a webhook reads as (``rules.viewer_of``),
or nothing when that viewer may not read it. Field names follow Discourse's webhook payloads
(``{"topic": …}``, ``{"post": …}``, ``{"user": …}``) where Discourse has the event; personal
data is the pseudonym as pages show it, no more.

The subscribers run inside the transaction of the change (``phase="transaction"``): the
deliveries they write commit or roll back with it (an outbox), and nothing is sent here.
"""
import json
import uuid

from sqlalchemy import select

from forum import events, permissions
from forum.accounts.models import Member
from forum.decisions import rules as decision_rules
from forum.decisions.models import Poll
from forum.extensions import db
from forum.notifications.mail import absolute_url
from forum.syntheses import rules as synthesis_rules
from forum.syntheses.models import Synthesis, SynthesisVersion
from forum.topics.models import POST_HIDDEN, Post, Topic

from . import rules
from .models import (DECISION_CLOSED, MEMBER_JOINED, POST_CREATED, POST_HIDDEN as HIDDEN_EVENT, PENDING,
                     SYNTHESIS_PUBLISHED, TOPIC_CREATED, Webhook, WebhookDelivery)


def iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z") if moment else None


def _author(viewer, post):
    if not permissions.can_see_post_author(viewer, post):
        return None
    return post.author.pseudonym


def topic_body(viewer, topic):
    opening = db.session.scalar(select(Post).where(Post.topic_id == topic.id, Post.number == 1))
    if opening is None or not permissions.can_read_topic(viewer, topic) \
            or not permissions.can_read_post_text(viewer, opening):
        return None
    return {"topic": {"id": topic.id, "title": topic.title, "slug": topic.slug, "created_at": iso(topic.created_at),
                      "category_id": topic.space_id, "category_name": topic.space.name,
                      "posts_count": topic.reply_count + 1, "tags": [tag.name for tag in topic.tags],
                      "created_by": {"username": _author(viewer, opening)},
                      "url": absolute_url("topics.topic", topic_id=topic.id)}}


def post_body(viewer, post):
    if not permissions.can_read_post_text(viewer, post):
        return None
    topic = post.topic
    parent = db.session.get(Post, post.parent_id) if post.parent_id else None
    # A topic whose opening post is hidden keeps its title out, as the public moderation log does.
    opening = post if post.number == 1 else db.session.scalar(
        select(Post).where(Post.topic_id == topic.id, Post.number == 1))
    titled = opening is not None and permissions.can_read_post_text(viewer, opening)
    return {"post": {"id": post.id, "topic_id": topic.id, "topic_title": topic.title if titled else None,
                     "topic_slug": topic.slug if titled else None,
                     "category_id": topic.space_id, "post_number": post.number,
                     "reply_to_post_number": parent.number if parent else None,
                     "username": _author(viewer, post), "created_at": iso(post.created_at),
                     "cooked": post.html,     # the HTML pages show (the Markdown may hold what it drops)
                     "url": absolute_url("topics.post", post_id=post.id)}}


def hidden_body(viewer, post):
    """A post hidden by moderation: that it is, never its text, its author or (the opening post)
    its topic's title."""
    if not permissions.can_see_post(viewer, post) or post.state != POST_HIDDEN:
        return None
    return {"post": {"id": post.id, "topic_id": post.topic_id, "category_id": post.topic.space_id,
                     "post_number": post.number, "hidden": True, "url": absolute_url("topics.post", post_id=post.id)}}


def decision_body(viewer, poll):
    if not decision_rules.can_see_poll(viewer, poll):
        return None
    return {"decision": {"id": poll.id, "topic_id": poll.topic_id, "category_id": poll.topic.space_id,
                         "question": poll.question, "kind": poll.kind, "closed_at": iso(poll.closed_at),
                         "url": absolute_url("decisions.show", poll_id=poll.id),
                         "topic_url": absolute_url("topics.topic", topic_id=poll.topic_id)}}


def synthesis_body(viewer, synthesis, version):
    if not (synthesis.is_published and synthesis_rules.can_read(viewer, synthesis)):
        return None
    return {"synthesis": {"id": synthesis.id, "title": version.title, "version": version.number,
                          "category_id": synthesis.space_id, "published_at": iso(version.published_at),
                          "approved_how": version.approved_how,
                          "url": absolute_url("syntheses.show", synthesis_id=synthesis.id)}}


def member_body(viewer, member):
    """A new member: the pseudonym, as their public profile shows it."""
    return {"user": {"username": member.pseudonym, "created_at": iso(member.created_at),
                     "url": absolute_url("accounts.profile", pseudonym=member.pseudonym)}}


# --- from the domain events to the outbox -----------------------------------------------------

def _queue(name, space_id, subject, build):
    """A delivery of ``name`` to every active webhook that chose it, covers ``space_id`` and may
    read what ``build(viewer)`` returns (None: not for that viewer)."""
    event_id = str(uuid.uuid4())
    for webhook in db.session.scalars(select(Webhook).where(Webhook.active.is_(True)).order_by(Webhook.id)):
        if not webhook.wants(name) or not rules.covers(webhook, space_id):
            continue
        body = build(rules.viewer_of(webhook))
        if body is None:
            continue
        db.session.add(WebhookDelivery(webhook_id=webhook.id, event=name, event_id=event_id,
                                       subject_type=subject[0], subject_id=subject[1], state=PENDING,
                                       payload=json.dumps(body, ensure_ascii=False, separators=(",", ":"))))


def on_topic_started(event):
    topic = db.session.get(Topic, event.topic_id)
    _queue(TOPIC_CREATED, event.space_id, ("topic", topic.id), lambda viewer: topic_body(viewer, topic))


def on_post_published(event):
    post = db.session.get(Post, event.post_id)
    _queue(POST_CREATED, event.space_id, ("post", post.id), lambda viewer: post_body(viewer, post))


def on_post_state_changed(event):
    if event.state != POST_HIDDEN:
        return
    post = db.session.get(Post, event.post_id)
    _queue(HIDDEN_EVENT, event.space_id, ("post", post.id), lambda viewer: hidden_body(viewer, post))


def on_poll_closed(event):
    poll = db.session.get(Poll, event.poll_id)
    _queue(DECISION_CLOSED, event.space_id, ("decision", poll.id), lambda viewer: decision_body(viewer, poll))


def on_synthesis_published(event):
    synthesis = db.session.get(Synthesis, event.synthesis_id)
    version = db.session.get(SynthesisVersion, event.version_id)
    _queue(SYNTHESIS_PUBLISHED, event.space_id, ("synthesis", synthesis.id),
           lambda viewer: synthesis_body(viewer, synthesis, version))


def on_member_registered(event):
    member = db.session.get(Member, event.member_id)
    _queue(MEMBER_JOINED, None, ("member", member.id), lambda viewer: member_body(viewer, member))


SUBSCRIBERS = ((events.TopicStarted, on_topic_started), (events.PostPublished, on_post_published),
               (events.PostStateChanged, on_post_state_changed), (events.PollClosed, on_poll_closed),
               (events.SynthesisPublished, on_synthesis_published), (events.MemberRegistered, on_member_registered))


def still_readable(webhook, delivery):
    """Checked again when a delivery leaves: a post hidden or a topic moved meanwhile is not sent."""
    viewer = rules.viewer_of(webhook)
    if delivery.subject_type == "post":
        post = db.session.get(Post, delivery.subject_id)
        if post is None or not rules.covers(webhook, post.topic.space_id):
            return False
        if delivery.event == POST_CREATED:
            return permissions.can_read_post_text(viewer, post)
        return permissions.can_see_post(viewer, post)
    if delivery.subject_type == "topic":
        topic = db.session.get(Topic, delivery.subject_id)
        return topic is not None and rules.covers(webhook, topic.space_id) and topic_body(viewer, topic) is not None
    if delivery.subject_type == "decision":
        poll = db.session.get(Poll, delivery.subject_id)
        return poll is not None and rules.covers(webhook, poll.topic.space_id) \
            and decision_rules.can_see_poll(viewer, poll)
    if delivery.subject_type == "synthesis":
        synthesis = db.session.get(Synthesis, delivery.subject_id)
        return synthesis is not None and rules.covers(webhook, synthesis.space_id) \
            and synthesis_rules.can_read(viewer, synthesis)
    if delivery.subject_type == "member":
        return db.session.get(Member, delivery.subject_id) is not None
    return True
