"""A member's private messages in their « Mes données » archive, and at their erasure: the
conversations stay readable by the others, signed "Ancien membre N" (the erasure rewrites the
name); when the member chose to remove their contributions, their messages are emptied (their
files are deleted with the member's others, by forum/accounts/erasure.py)."""
from flask_babel import lazy_gettext
from sqlalchemy import select, update

from forum import events
from forum.accounts import portability
from forum.accounts.erasure import MODE_REMOVE, FormerMember
from forum.extensions import db

from .models import Conversation, ConversationMessage

LABELS = {"conversation": lazy_gettext("Conversation"), "number": lazy_gettext("N°"),
          "created_at": lazy_gettext("Écrit le"), "text": lazy_gettext("Texte")}


def archived(member):
    """The messages the member wrote (those of the others are theirs to export)."""
    rows = db.session.execute(select(Conversation.title, ConversationMessage.number, ConversationMessage.created_at,
                                     ConversationMessage.source).join(Conversation).where(
        ConversationMessage.author_id == member.id).order_by(ConversationMessage.id)).all()
    return [{"conversation": title, "number": number, "created_at": portability.iso(created), "text": source}
            for title, number, created, source in rows]


def on_member_erased(event):
    mode = db.session.scalar(select(FormerMember.mode).where(FormerMember.member_id == event.member_id))
    if mode == MODE_REMOVE:
        db.session.execute(update(ConversationMessage).where(ConversationMessage.author_id == event.member_id)
                           .values(source="", html=""))


def init_app(app):
    portability.register_section(app, "messages-prives", lazy_gettext("Vos messages privés"), archived, LABELS)
    events.subscribe(app, events.MemberErased, on_member_erased, phase="transaction")
