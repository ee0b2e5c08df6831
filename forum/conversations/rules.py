"""Who may read, start and answer conversations, and write to a group: asked by every path out
(the pages, the notifications and their emails). Nothing else reads these tables.

Why these rules (Discourse gates personal messages for the same reasons: harassment by private
message, spam from new accounts; the people most exposed here are *personnes accompagnées*):

- a member may always write to a group inbox: the coordination, the moderation of a comité;
- a new member (``NEW_MEMBER_DAYS``) writes only to group inboxes, as does a read-only member;
- a private conversation has at most ``CONVERSATION_MAX_PARTICIPANTS`` members.
"""
import re
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _

from forum.accounts import blocking
from forum.clock import now
from forum.extensions import db
from forum.permissions import can_moderate, is_coordinator, is_member

from . import reports
from .models import COORDINATION, MODERATION, Conversation, ConversationMessage

_PATH = re.compile(r"^/messages/(\d{1,12})(?:#message-\d{1,12})?$")


def in_group(viewer, group, committee):
    """Is ``viewer`` one of the group a group conversation is written to?"""
    if group == COORDINATION:
        return is_coordinator(viewer)
    if group == MODERATION:
        return committee is not None and can_moderate(viewer, committee)
    return False


def can_read_conversation(viewer, conversation):
    if not is_member(viewer):
        return False
    if viewer.id in conversation.member_ids:
        return True
    return in_group(viewer, conversation.group, conversation.committee)


def answers_for_group(viewer, conversation):
    """Does ``viewer`` read ``conversation`` as one of its group (not as its author)?"""
    return conversation.is_group and viewer.id not in conversation.member_ids and \
        in_group(viewer, conversation.group, conversation.committee)


def is_new(member):
    return member.created_at > now() - timedelta(days=current_app.config["NEW_MEMBER_DAYS"])


def why_cannot_write_privately(sender):
    """None if ``sender`` may start a private conversation with other members, else why."""
    if not is_member(sender):
        return _("Connectez-vous pour écrire un message.")
    if sender.is_silenced:
        return _("Votre compte est en lecture seule : vous pouvez écrire à la coordination ou à la "
                 "modération de votre comité.")
    if is_new(sender) and not (sender.is_coordinator or sender.is_admin):
        return _("Pendant vos %(days)s premiers jours, vous pouvez écrire à la coordination ou à la modération "
                 "d'un comité, pas encore aux autres membres.", days=current_app.config["NEW_MEMBER_DAYS"])
    return None


def why_cannot_reach(sender, recipient):
    """None if ``sender`` may write to ``recipient`` privately, else why (in French)."""
    if recipient.id == sender.id:
        return _("Vous ne pouvez pas vous écrire à vous-même.")
    if not recipient.is_active:
        return _("%(name)s ne peut pas recevoir de messages en ce moment.", name=recipient.pseudonym)
    return blocking.why_cannot_message(sender, recipient)


def why_cannot_answer(viewer, conversation):
    """None if ``viewer`` may add a message to ``conversation``, else why."""
    if not can_read_conversation(viewer, conversation):
        return _("Cette conversation ne vous est pas ouverte.")
    if conversation.is_group:
        return None
    if viewer.is_silenced:
        return _("Votre compte est en lecture seule : vous pouvez écrire à la coordination ou à la "
                 "modération de votre comité.")
    # A refusal of private messages is for new conversations; a block also ends the answers.
    others = [p.member for p in conversation.participants if p.member_id != viewer.id]
    if others and all(not other.is_active or blocking.has_blocked(other, viewer) for other in others):
        return _("Plus personne dans cette conversation ne peut recevoir vos messages.")
    return None


def why_suspended_cannot_write(member, conversation=None):
    """None if ``member``, suspended and proven (``forum/accounts/signin.suspended_member``), may
    write a new letter to the coordination, or, with ``conversation``, read and answer it: their
    own letters to the coordination, and nothing else (issue 21)."""
    if member is None or not member.is_suspended or member.is_deactivated:
        return _("Saisissez d'abord votre identifiant et votre mot de passe.")
    if conversation is not None and (conversation.group != COORDINATION or member.id not in conversation.member_ids):
        return _("Cette conversation ne vous est pas ouverte.")
    return None


def may_read_notice(member, notification):
    """A message's notification names its conversation only while its member may read it."""
    found = _PATH.match(notification.url or "")
    conversation = db.session.get(Conversation, int(found.group(1))) if found else None
    return conversation is not None and can_read_conversation(member, conversation)


def may_read_by_id(member, conversation_id):
    """For the core, which cannot import this module (registered as ``may_read_conversation``):
    a draft's place (forum/topics/drafts.py)."""
    conversation = db.session.get(Conversation, conversation_id)
    return conversation is not None and can_read_conversation(member, conversation)


def may_read_message(member, message_id):
    """Registered as ``may_read_conversation_message``: a message's attachments follow it
    (``permissions.can_download_attachment``), and open to the coordination on a report's page."""
    message = db.session.get(ConversationMessage, message_id)
    if message is None:
        return False
    return can_read_conversation(member, message.conversation) or reports.shows(member, message)
