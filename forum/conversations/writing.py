"""Starting a conversation (with members, or to a group), answering it, reading it, reporting a
message. Each function checks its rule (``rules``), writes in the caller's session and commits.
Members are told by a notification (emailed as they chose), never by anything others see."""
import re

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from forum import events
from forum.accounts import blocking, mailer
from forum.accounts.models import ROLE_ADMIN, ROLE_COORDINATOR, Member
from forum.clock import now
from forum.errors import Forbidden, Invalid
from forum.extensions import db
from forum.notifications import mail
from forum.notifications.models import KIND_MESSAGE
from forum.notifications.notifying import notify_members
from forum.permissions import is_member
from forum.text.pseudonyms import pseudonym_key
from forum.text.references import render_post
from forum.topics import attachments, drafts
from forum.topics.models import KIND_COMMITTEE, Space
from forum.topics.posting import clean_body, clean_title

from . import rules
from .models import (COORDINATION, MODERATION, Conversation, ConversationMessage, ConversationParticipant,
                     ConversationReport, GroupRead)

_SEPARATORS = re.compile(r"[\s,;]+")
REASON_MAX_CHARS = 1000


def conversation_path(conversation, number=None):
    return f"/messages/{conversation.id}" + (f"#message-{number}" if number else "")


def find_recipients(sender, typed):
    """The members named in ``typed`` (pseudonyms, separated by commas or spaces, ``@`` allowed):
    each must exist and be reachable by ``sender``, else ``Invalid`` at the field, naming them."""
    names = [name.lstrip("@") for name in _SEPARATORS.split(typed or "") if name.lstrip("@")]
    keys = list(dict.fromkeys(pseudonym_key(name) for name in names))
    if not keys:
        raise Invalid({"recipients": _("Indiquez à qui vous écrivez : un ou plusieurs pseudonymes.")})
    limit = current_app.config["CONVERSATION_MAX_PARTICIPANTS"]
    if len(keys) + 1 > limit:
        raise Invalid({"recipients": _("Une conversation réunit %(limit)s personnes au plus, vous compris : "
                                       "pour écrire à beaucoup de membres, ouvrez un sujet.", limit=limit)})
    found = {m.pseudonym_key: m for m in db.session.scalars(select(Member).where(Member.pseudonym_key.in_(keys)))}
    unknown = [name for name in names if pseudonym_key(name) not in found]
    if unknown:
        raise Invalid({"recipients": _("Aucun membre ne s'appelle %(names)s.", names=", ".join(unknown))})
    members = [found[key] for key in keys]
    reasons = [reason for reason in (rules.why_cannot_reach(sender, m) for m in members) if reason]
    if reasons:
        raise Invalid({"recipients": " ".join(reasons)})
    return members


def _add_message(conversation, author, body):
    body = clean_body(body)
    number = conversation.message_count + 1
    message = ConversationMessage(conversation=conversation, number=number, author_id=author.id, source=body,
                                  html=render_post(author, body).html, created_at=now())
    db.session.add(message)
    conversation.message_count = number
    conversation.last_message_at = message.created_at
    return message


def start(sender, recipients, title, body):
    """A private conversation between ``sender`` and ``recipients`` (from ``find_recipients``)."""
    reason = rules.why_cannot_write_privately(sender)
    if reason:
        raise Forbidden(reason)
    conversation = Conversation(title=clean_title(title), author_id=sender.id, message_count=0)
    db.session.add(conversation)
    for member in [sender, *recipients]:
        conversation.participants.append(ConversationParticipant(member_id=member.id))
    return _published(conversation, sender, body, drafts.NEW_CONVERSATION)


def committee_for_group(slug):
    """The comité whose moderation a member writes to, or ``Invalid``."""
    space = db.session.scalar(select(Space).where(Space.slug == (slug or ""), Space.kind == KIND_COMMITTEE))
    if space is None:
        raise Invalid({"committee": _("Choisissez un comité de la liste.")})
    return space


def write_to_group(sender, group, committee, title, body):
    """A conversation with a group inbox: any member, even read-only or new, may write one."""
    if not is_member(sender):
        raise Forbidden(_("Connectez-vous pour écrire un message."))
    return open_group_conversation(sender, group, committee, title, body)


def open_group_conversation(sender, group, committee, title, body):
    """The conversation ``sender`` writes to a group, whoever checked they may."""
    if group not in (COORDINATION, MODERATION) or (group == MODERATION) != (committee is not None):
        raise Invalid({"committee": _("Choisissez à qui vous écrivez.")})
    conversation = Conversation(title=clean_title(title), author_id=sender.id, group=group, committee=committee,
                                message_count=0)
    db.session.add(conversation)
    conversation.participants.append(ConversationParticipant(member_id=sender.id))
    return _published(conversation, sender, body, drafts.GROUP_LETTERS[group])


def answer(viewer, conversation, body):
    reason = rules.why_cannot_answer(viewer, conversation)
    if reason:
        raise Forbidden(reason)
    return add_answer(viewer, conversation, body)


def add_answer(viewer, conversation, body):
    """``viewer``'s message in ``conversation``, whoever checked they may write there."""
    # The row is locked (PostgreSQL) so that two answers at once get two numbers.
    db.session.execute(select(Conversation.id).where(Conversation.id == conversation.id).with_for_update())
    db.session.refresh(conversation, ["message_count"])
    return _published(conversation, viewer, body, drafts.conversation_key(conversation))


def _published(conversation, author, body, draft_key):
    message = _add_message(conversation, author, body)
    db.session.flush()
    attachments.claim_for_message(message, message.source)
    drafts.discard(author, draft_key)
    _mark(author, conversation, message.number)
    told = readers(conversation) - {author.id}
    if not conversation.is_group:   # a member who blocked the author is not told (a group inbox always is)
        told -= blocking.blockers_of(told, author.id)
    notify_members(told, KIND_MESSAGE, actor_id=author.id, text=conversation.title,
                   url=conversation_path(conversation, message.number))
    events.publish(events.ConversationMessageAdded(conversation_id=conversation.id, number=message.number,
                                                   member_ids=tuple(sorted(told))))
    db.session.commit()
    _tell_suspended(conversation, author)
    return message


def _tell_suspended(conversation, author):
    """The suspended author of a letter to the coordination gets no notification until the
    suspension ends: an email tells them an answer awaits (forum/conversations/suspended.py)."""
    if conversation.group != COORDINATION:
        return
    for participant in conversation.participants:
        member = participant.member
        if member.id != author.id and member.is_suspended and not member.is_deactivated and member.email:
            subject = mail.gettext_for(member.locale)(mailer.N_("La coordination vous a répondu"))
            text, html = mail.render("letter_answered", locale=member.locale, member=member, subject=subject,
                                     url=mail.absolute_url("accounts.login"))
            mailer.send_now(mail.build(member, "[Agora] " + subject, text, html, category="compte"))


def readers(conversation):
    """Ids of every active member who reads ``conversation`` (its participants, its group)."""
    members = [p.member for p in conversation.participants]
    if conversation.is_group:
        staff = db.session.scalars(select(Member).where(Member.role.in_((ROLE_COORDINATOR, ROLE_ADMIN)))).all()
        moderators = list(conversation.committee.moderators) if conversation.committee else []
        members += [m for m in staff + moderators if rules.in_group(m, conversation.group, conversation.committee)]
    return {m.id for m in members if m.is_active}


def _mark(member, conversation, number):
    """``member`` has read ``conversation`` up to message ``number``."""
    model = ConversationParticipant if member.id in conversation.member_ids else GroupRead
    row = db.session.get(model, (conversation.id, member.id))
    if row is None:
        row = GroupRead(conversation_id=conversation.id, member_id=member.id)
        db.session.add(row)
    row.last_read_number = max(row.last_read_number or 0, number)


def mark_read(member, conversation):
    _mark(member, conversation, conversation.message_count)
    db.session.commit()


def report(reporter, message, reason):
    """A participant reports ``message`` to the coordination (not their own)."""
    conversation = message.conversation
    if not rules.can_read_conversation(reporter, conversation) or message.author_id == reporter.id:
        raise Forbidden(_("Vous ne pouvez signaler que le message d'un autre membre, dans vos conversations."))
    reason = " ".join((reason or "").split())
    if len(reason) > REASON_MAX_CHARS:
        raise Invalid({"reason": _("Le motif est trop long (%(n)s caractères au plus).", n=REASON_MAX_CHARS)})
    db.session.add(ConversationReport(message_id=message.id, reporter_id=reporter.id, reason=reason))
    db.session.commit()
