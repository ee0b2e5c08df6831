"""Conversations as their reader sees them (plain data, rules applied): the list of a member's
conversations and group inboxes, one conversation with its messages."""
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from forum.extensions import db
from forum.permissions import is_coordinator
from forum.topics.models import KIND_COMMITTEE, Space

from . import rules
from .models import COORDINATION, MODERATION, Conversation, ConversationParticipant, GroupRead


@dataclass
class Row:
    conversation: Conversation
    unread: int
    as_group: bool      # read as one of its group (the coordination, a comité's moderators)


def group_committees(viewer):
    """The comités whose moderation inbox ``viewer`` reads."""
    spaces = db.session.scalars(select(Space).where(Space.kind == KIND_COMMITTEE).options(
        selectinload(Space.moderators), selectinload(Space.allowed_colleges))).all()
    return [space for space in spaces if rules.in_group(viewer, MODERATION, space)]


def inbox(viewer, limit=200):
    """``viewer``'s conversations and those of their groups, the latest activity first."""
    mine = select(ConversationParticipant.conversation_id).where(ConversationParticipant.member_id == viewer.id)
    wanted = [Conversation.id.in_(mine)]
    if is_coordinator(viewer):
        wanted.append(Conversation.group == COORDINATION)
    committees = [space.id for space in group_committees(viewer)]
    if committees:
        wanted.append((Conversation.group == MODERATION) & Conversation.committee_id.in_(committees))
    found = db.session.scalars(select(Conversation).where(or_(*wanted)).order_by(
        Conversation.last_message_at.desc(), Conversation.id.desc()).limit(limit).options(
        selectinload(Conversation.participants).selectinload(ConversationParticipant.member),
        selectinload(Conversation.committee))).all()
    group_reads = dict(db.session.execute(select(GroupRead.conversation_id, GroupRead.last_read_number).where(
        GroupRead.member_id == viewer.id, GroupRead.conversation_id.in_([c.id for c in found]))).all())
    rows = []
    for conversation in found:
        if not rules.can_read_conversation(viewer, conversation):
            continue        # the query is a shortcut; the rule decides
        as_group = rules.answers_for_group(viewer, conversation)
        own = next((p for p in conversation.participants if p.member_id == viewer.id), None)
        read = group_reads.get(conversation.id, 0) if as_group or own is None else own.last_read_number
        rows.append(Row(conversation, max(conversation.message_count - read, 0), as_group))
    return rows


def recipients_label(conversation, viewer):
    """Who the conversation is with, as its reader sees it."""
    if conversation.is_group:
        group = _("la coordination") if conversation.group == COORDINATION else \
            _("la modération de « %(name)s »", name=conversation.committee.name)
        if conversation.author_id == viewer.id:
            return group
        return _("%(author)s, à %(group)s", author=conversation.author.pseudonym, group=group)
    others = [p.member.pseudonym for p in conversation.participants if p.member_id != viewer.id]
    return ", ".join(others)
