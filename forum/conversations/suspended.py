"""A suspended member writes to the coordination, and nothing else (issue 21).

A suspension keeps the member out: no login, no page, no notification. Yet it is when they most
need to explain themselves or ask why. So once they have proved who they are (password or login
link: ``forum/accounts/signin.suspended_member``), their browser may, for 30 minutes, list their
own letters to the coordination, read them with the answers, answer them and write a new one.
When someone answers such a letter, an email tells them (``writing``), since the notification
waits for the suspension's end.
"""
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from forum.errors import Forbidden
from forum.extensions import db

from . import rules, writing
from .models import COORDINATION, Conversation, ConversationParticipant


def letters(member):
    """``member``'s conversations with the coordination, the latest activity first."""
    if rules.why_suspended_cannot_write(member):
        return []
    return db.session.scalars(select(Conversation).join(ConversationParticipant).where(
        ConversationParticipant.member_id == member.id, Conversation.group == COORDINATION)
        .order_by(Conversation.last_message_at.desc(), Conversation.id.desc())
        .options(selectinload(Conversation.participants))).all()


def readable_letter(member, conversation_id):
    """The letter ``member`` may read, or None."""
    conversation = db.session.get(Conversation, conversation_id)
    if conversation is None or rules.why_suspended_cannot_write(member, conversation):
        return None
    return conversation


def write_letter(member, title, body):
    if reason := rules.why_suspended_cannot_write(member):
        raise Forbidden(reason)
    return writing.open_group_conversation(member, COORDINATION, None, title, body)


def answer_letter(member, conversation, body):
    if reason := rules.why_suspended_cannot_write(member, conversation):
        raise Forbidden(reason)
    return writing.add_answer(member, conversation, body)


def mark_read(member, conversation):
    writing.mark_read(member, conversation)


def unread(member, conversation):
    own = next((p for p in conversation.participants if p.member_id == member.id), None)
    return max(conversation.message_count - (own.last_read_number if own else 0), 0)


def proof_ended():
    return _("Vous n'êtes plus identifié : saisissez à nouveau votre identifiant et votre mot de passe.")
