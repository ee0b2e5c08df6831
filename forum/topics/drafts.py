"""Drafts: what a member is writing, kept on the server until it is published.

One draft per member and place: a reply to a topic (``topic-<id>``), a new topic in a space
(``space-<id>``) or a new topic whose space is not chosen yet (``new-topic``); in the private
conversations (forum/conversations/), an answer (``conversation-<id>``), a new conversation with
members (``conversation-new``) or a letter to a group (``conversation-coordination``,
``conversation-moderation``). Saved by the
"Prévisualiser" and "Enregistrer le brouillon" buttons (no JavaScript needed) and by the
editor's autosave; restored when the member comes back; discarded when the post is published.
"""
from flask_babel import gettext as _
from sqlalchemy import (Column, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint,
                        select)

from forum.clock import now
from forum.errors import Forbidden, Invalid
from forum.extensions import db
from forum.permissions import ask, can_read_space, can_read_topic, is_member

NEW_TOPIC = "new-topic"
NEW_CONVERSATION = "conversation-new"
GROUP_LETTERS = {"coordination": "conversation-coordination", "moderation": "conversation-moderation"}
# Drafts are not posts: a generous limit, only there to keep rows bounded.
MAX_DRAFT_CHARS = 100_000


class Draft(db.Model):
    __page_cache__ = "private"   # public pages never show it (forum/web/page_cache.py)

    id = Column(Integer, primary_key=True)
    member_id = Column(ForeignKey("member.id", ondelete="CASCADE"), nullable=False)
    key = Column(String(40), nullable=False)
    title = Column(String(300), nullable=False, default="")
    body = Column(Text, nullable=False, default="")
    # The post a reply answers (a reply page opened from a post's "Répondre").
    parent_id = Column(Integer, nullable=True)
    updated_at = Column(DateTime, nullable=False, default=now)

    __table_args__ = (UniqueConstraint("member_id", "key", name="uq_draft_member_key"),)


def topic_key(topic):
    return f"topic-{topic.id}"


def space_key(space):
    return f"space-{space.id}" if space is not None else NEW_TOPIC


def conversation_key(conversation):
    return f"conversation-{conversation.id}"


def load(member, key):
    if not is_member(member):
        return None
    return db.session.scalar(select(Draft).where(Draft.member_id == member.id, Draft.key == key))


def save(member, key, body, title="", parent_id=None):
    """Keep (or, when empty, forget) ``member``'s draft at ``key``; commits."""
    if not is_member(member):
        raise Forbidden(_("Connectez-vous pour enregistrer un brouillon."))
    body = (body or "").replace("\r\n", "\n").replace("\x00", "")
    title = (title or "").replace("\x00", "")[:300]
    if len(body) > MAX_DRAFT_CHARS:
        raise Invalid({"body": _("Le brouillon est trop long (%(n)s caractères au plus).", n=MAX_DRAFT_CHARS)})
    draft = load(member, key)
    if not body.strip() and not title.strip():
        if draft is not None:
            db.session.delete(draft)
            db.session.commit()
        return None
    if draft is None:
        draft = Draft(member_id=member.id, key=key)
        db.session.add(draft)
    draft.body, draft.title, draft.parent_id, draft.updated_at = body, title, parent_id, now()
    db.session.commit()
    return draft


def discard(member, key):
    """Forget the draft (when its post is published); the caller commits. Through the ORM, not
    one DELETE: the member's kept pages show their drafts, and only the ORM's flush bumps their
    version (forum/web/page_cache.py)."""
    for draft in db.session.scalars(select(Draft).where(Draft.member_id == member.id, Draft.key == key)):
        db.session.delete(draft)


def key_for(member, kind, target):
    """Check that ``member`` may write a draft there and return its key.

    ``kind`` is "topic" (``target`` a Topic), "space" (a Space), "new-topic" (None),
    "conversation" (``target`` a conversation's id), "conversation-new" (None) or "letter"
    (``target`` the group: "coordination", "moderation").
    """
    if kind == "topic" and target is not None and can_read_topic(member, target):
        return topic_key(target)
    if kind == "space" and target is not None and can_read_space(member, target):
        return space_key(target)
    if kind == NEW_TOPIC:
        return NEW_TOPIC
    # The conversations' rule is asked through the registry: forum/conversations imports the
    # editor, which imports this module (forum/conversations/__init__.py registers it).
    if kind == "conversation" and target and ask("may_read_conversation", member, target):
        return f"conversation-{target}"
    if kind == NEW_CONVERSATION and is_member(member):
        return NEW_CONVERSATION
    if kind == "letter" and target in GROUP_LETTERS and is_member(member):
        return GROUP_LETTERS[target]
    raise Invalid({"key": _("Brouillon sans destination.")}, status=404)
