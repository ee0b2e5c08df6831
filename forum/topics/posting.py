"""Writing: start a topic, reply, edit, delete. Validate, write, publish events, commit.

Other packages (moderation) take part through *guards*: ``register_guard(app, guard)`` where
``guard(attempt)`` raises ``Refused`` to block a post, or returns ``POST_PENDING`` to hold it
for a moderator's approval, or returns None. Guards belong to one app (``forum.registry``).
"""
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from forum import events, registry
from forum.clock import now
from forum.errors import Forbidden, Invalid
from forum.extensions import db
from forum.permissions import (can_delete_post, can_edit_post, can_see_post, why_cannot_post,
                               why_cannot_reply)
from forum.text.markup import Document
from forum.text.references import render_post
from forum.text.slugs import slugify

from . import attachments, drafts, tagging
from .models import (POST_DELETED, POST_PENDING, POST_VISIBLE, Post, PostRevision, Space,
                     Topic, TopicRead, path_segment)


@dataclass(frozen=True)
class Attempt:
    """What a guard is shown: who wants to write what, where."""
    author: object
    space: Space
    topic: Topic | None
    parent: Post | None
    title: str | None
    body: str
    editing: Post | None = None


def register_guard(app, guard):
    guards = registry.of(app).guards
    if guard not in guards:
        guards.append(guard)


def _run_guards(attempt):
    state = POST_VISIBLE
    for guard in list(registry.of().guards):
        if guard(attempt) == POST_PENDING:
            state = POST_PENDING
    return state


# --- validation -------------------------------------------------------------------------

# C0 control characters other than tab and newline: invisible, invalid in HTML, and NUL is
# refused by PostgreSQL. They are dropped from what members write.
_CONTROL = dict.fromkeys(c for c in range(32) if c not in (9, 10))


def clean_text(text):
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").translate(_CONTROL)


def clean_body(body, field="body"):
    body = clean_text(body).strip("\n")
    if not body.strip():
        raise Invalid({field: _("Le message est vide : écrivez quelques mots.")})
    limit = current_app.config["POST_MAX_CHARS"]
    if len(body) > limit:
        raise Invalid({field: _("Le message est trop long (%(length)s caractères, %(limit)s au plus).",
                                length=len(body), limit=limit)})
    return body


def clean_title(title):
    title = " ".join(clean_text(title).split())
    low, high = current_app.config["TITLE_MIN_CHARS"], current_app.config["TITLE_MAX_CHARS"]
    if len(title) < low:
        raise Invalid({"title": _("Le titre est trop court (%(n)s caractères au moins).", n=low)})
    if len(title) > high:
        raise Invalid({"title": _("Le titre est trop long (%(n)s caractères au plus).", n=high)})
    return title


# --- counters (atomic SQL increments: concurrent writers never lose one) ------------------

def _next_number(topic):
    number = db.session.execute(
        update(Topic).where(Topic.id == topic.id).values(last_number=Topic.last_number + 1)
        .returning(Topic.last_number)).scalar_one()
    db.session.refresh(topic, ["last_number"])
    return number


def _greatest(*values):
    """SQL GREATEST(), which SQLite spells as a many-argument MAX()."""
    return (func.max if db.engine.dialect.name == "sqlite" else func.greatest)(*values)


def _count_published(post, topic, delta):
    """Keep topic and space counters right when ``post`` becomes (or stops being) published."""
    values = {"post_count": Space.post_count + delta}
    if delta > 0:
        values["last_post_at"] = post.created_at
    db.session.execute(update(Space).where(Space.id == topic.space_id).values(**values))
    topic_values = {}
    if not post.is_opening:
        topic_values["reply_count"] = Topic.reply_count + delta
    if delta > 0:
        topic_values.update(last_post_at=_greatest(Topic.last_post_at, post.created_at),
                            last_post_number=_greatest(Topic.last_post_number, post.number),
                            last_post_author_id=post.author_id)
    elif post.number == topic.last_post_number:
        # The last activity shown beside the topic names no author whose post is no longer
        # published: a hidden post's author is named nowhere its text is not shown
        # (forum.permissions.can_see_post_author). Its date stays: lists and counts keep theirs.
        topic_values["last_post_author_id"] = None
    if topic_values:
        db.session.execute(update(Topic).where(Topic.id == topic.id).values(**topic_values))
    db.session.expire(topic, ["reply_count", "last_post_at", "last_post_number", "last_post_author_id"])


def mark_read(member, topic, number):
    """Remember that ``member`` has read ``topic`` up to post ``number``; the caller commits."""
    read = db.session.get(TopicRead, (member.id, topic.id))
    if read is None:
        db.session.add(TopicRead(member_id=member.id, topic_id=topic.id, last_read_number=number,
                                 updated_at=now()))
    elif number > read.last_read_number:
        read.last_read_number = number
        read.updated_at = now()
    else:
        return False
    events.publish(events.TopicRead(member_id=member.id, topic_id=topic.id, number=number))
    return True


# --- the actions ------------------------------------------------------------------------

def _new_post(topic, author, body, parent, state):
    # Rendered before the number is taken: taking it locks the topic's row until the commit,
    # and every writer of the topic waits behind that lock (tests/scaleout/test_faults.py).
    rendered = render_post(author, body)
    number = _next_number(topic)
    post = Post(topic=topic, topic_id=topic.id, number=number, author=author, author_id=author.id,
                parent_id=parent.id if parent else None,
                depth=parent.depth + 1 if parent else 0,
                path=(parent.path + "/" if parent else "") + path_segment(number),
                source=body, html=rendered.html, state=state, created_at=now())
    post.rendered = rendered        # not stored: what publish_post announces
    db.session.add(post)
    db.session.flush()
    attachments.claim(post, body)
    db.session.add(PostRevision(post_id=post.id, number=1, source=body, editor_id=author.id,
                                created_at=post.created_at,
                                title=topic.title if number == 1 else None))
    return post


def publish_post(post):
    """Count ``post`` as published and announce it (new posts, and approved pending ones)."""
    topic = post.topic
    # A pending post approved later is rendered again: mentions are those known today.
    rendered = getattr(post, "rendered", None) or render_post(post.author, post.source)
    events.publish(events.PostPublished(post_id=post.id, topic_id=topic.id, space_id=topic.space_id,
                                        author_id=post.author_id, parent_id=post.parent_id,
                                        number=post.number, mentioned_ids=rendered.mentioned_ids,
                                        quoted_post_ids=rendered.quoted_post_ids))
    # Counted last: the space's row, locked from here to the commit, is shared by every writer
    # of the space; the subscribers above (notifications, search, moderation) run before it.
    _count_published(post, topic, +1)


def start_topic(author, space, title, body, tag_slugs=(), new_tags=""):
    """Start a topic; ``new_tags`` (comma-separated names) creates tags (forum/topics/tagging.py)."""
    reason = why_cannot_post(author, space)
    if reason:
        raise Forbidden(reason)
    errors = {}
    for field, clean, value in (("title", clean_title, title), ("body", clean_body, body),
                                ("tags", lambda names: tagging.choose_tags(tag_slugs, names, create=False), new_tags)):
        try:
            clean(value)
        except Invalid as refusal:
            errors.update(refusal.fields)
    if errors:
        raise Invalid(errors)
    title, body = clean_title(title), clean_body(body)
    state = _run_guards(Attempt(author, space, None, None, title, body))
    tags = tagging.choose_tags(tag_slugs, new_tags)      # new tags are created once nothing refuses

    created = now()
    topic = Topic(space=space, space_id=space.id, author=author, author_id=author.id, title=title,
                  slug=slugify(title) or "sujet", created_at=created, last_post_at=created,
                  last_post_author_id=author.id, tags=tags)
    db.session.add(topic)
    db.session.flush()
    post = _new_post(topic, author, body, None, state)
    db.session.execute(update(Space).where(Space.id == space.id)
                       .values(topic_count=Space.topic_count + 1))
    tagging.count(tags, +1)
    mark_read(author, topic, post.number)
    drafts.discard(author, drafts.space_key(space))
    drafts.discard(author, drafts.NEW_TOPIC)
    if state == POST_VISIBLE:
        events.publish(events.TopicStarted(topic_id=topic.id, post_id=post.id, space_id=space.id,
                                           author_id=author.id))
        publish_post(post)
    db.session.commit()
    return topic


def reply(author, topic, body, parent=None, attach=None):
    """Reply to ``parent`` (a post of ``topic``), or to the topic itself when ``parent`` is None.

    ``attach(post)``, when given, runs before the commit: what the reply carries (a decision
    opened with it, a ballot's reason: forum/decisions/) is written in the same transaction."""
    reason = why_cannot_reply(author, topic)
    if reason:
        raise Forbidden(reason)
    if parent is None:
        parent = db.session.scalars(select(Post).where(Post.topic_id == topic.id, Post.number == 1)).one()
    elif parent.topic_id != topic.id:
        raise Invalid({"parent": _("Ce message n'appartient pas à ce sujet : impossible d'y répondre ici.")})
    elif not can_see_post(author, parent):
        raise Invalid({"parent": _("Le message auquel vous répondez n'existe pas.")})
    body = clean_body(body)
    state = _run_guards(Attempt(author, topic.space, topic, parent, None, body))
    post = _new_post(topic, author, body, parent, state)
    mark_read(author, topic, post.number)
    drafts.discard(author, drafts.topic_key(topic))
    if attach is not None:
        attach(post)
    if state == POST_VISIBLE:
        publish_post(post)
    db.session.commit()
    return post


def apply_edit(post, editor, body, title=None, note=""):
    """Record a new revision of ``post`` (no permission check: callers check)."""
    body = clean_body(body)
    topic = post.topic
    title_changed = False
    if post.is_opening and title is not None:
        title = clean_title(title)
        title_changed = title != topic.title
    if body == post.source and not title_changed:
        return post
    number = post.revision_count + 1
    db.session.add(PostRevision(post_id=post.id, number=number, source=body, editor_id=editor.id,
                                created_at=now(), note=note or "",
                                title=title if post.is_opening else None))
    before = set(Document(post.source).mentioned_keys())
    rendered = render_post(post.author, body)
    post.source, post.html = body, rendered.html
    post.revision_count, post.edited_at = number, now()
    attachments.claim(post, body)
    newly = _newly_mentioned(rendered, before)
    if title_changed:
        topic.title, topic.slug = title, slugify(title) or "sujet"
        events.publish(events.TopicChanged(topic_id=topic.id, space_id=topic.space_id))
    events.publish(events.PostEdited(post_id=post.id, topic_id=topic.id, space_id=topic.space_id,
                                     editor_id=editor.id, revision=number, mentioned_ids=newly))
    db.session.commit()
    return post


def _newly_mentioned(rendered, keys_before):
    """Members mentioned by the new text and not by the old one (ids, in order): by a name or
    a group's handle the old text did not have."""
    by = rendered.mentioned_by or {}
    return tuple(i for i in rendered.mentioned_ids if by.get(i) not in keys_before)


def removes_only(before, after):
    """Does ``after`` only take words out of ``before``?

    The rule of a read-only member's edit (``edit_post``): a *word* is a run of characters
    between blanks (spaces, line breaks); ``after`` must be ``before``'s words with some left
    out, the rest unchanged and in the same order. Blanks between the words kept may change
    (joining two paragraphs adds nothing); a word shortened, replaced or added is not a removal,
    nor is a file attached (its link is new text).
    """
    kept = iter(before.split())
    return all(any(word == old for old in kept) for word in after.split())


def edit_post(editor, post, body, title=None):
    if not can_edit_post(editor, post):
        raise Forbidden(_("Vous ne pouvez pas modifier ce message."))
    if editor.is_silenced:
        # Read-only: the author may still take out of their post what should not be there
        # (someone's personal data), but add nothing.
        new_title = clean_title(title) if post.is_opening and title is not None else None
        if not removes_only(post.source, clean_body(body)) or \
                (new_title is not None and not removes_only(post.topic.title, new_title)):
            raise Invalid({"body": _("Votre compte est en lecture seule : vous pouvez retirer des mots de votre "
                                     "message (des données personnelles, par exemple), mais pas en ajouter ni en "
                                     "changer.")}, status=403)
    _run_guards(Attempt(editor, post.topic.space, post.topic, post.parent, title, clean_body(body),
                        editing=post))
    return apply_edit(post, editor, body, title)


def set_post_state(post, state):
    """Move ``post`` to ``state``, keeping counters right and announcing it; the caller commits.

    Text is never removed here: placeholders are a matter of display.
    """
    if post.state == state:
        return post
    was_published = post.state == POST_VISIBLE
    post.state, post.state_changed_at = state, now()
    topic = post.topic
    if was_published and state != POST_VISIBLE:
        _count_published(post, topic, -1)
    elif not was_published and state == POST_VISIBLE:
        publish_post(post)
        return post
    events.publish(events.PostStateChanged(post_id=post.id, topic_id=topic.id,
                                           space_id=topic.space_id, state=state))
    return post


def delete_post(member, post):
    """The author's own (soft) deletion: "message supprimé par son auteur" stays in the tree."""
    if not can_delete_post(member, post):
        raise Forbidden(_("Vous ne pouvez pas supprimer ce message."))
    set_post_state(post, POST_DELETED)
    db.session.commit()
    return post
