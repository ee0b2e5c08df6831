"""What the coordination does to an account: deactivate and reactivate it, change its address,
send a reset link, erase it at its owner's request.

A deactivated member cannot log in (``Member.is_active`` is false, so Flask-Login refuses them
whatever proved who they are), their sessions end at once (their live connections drop with
``MemberAccessChanged``), and nothing is emailed to them. Their posts stay.

Who may: coordinators and administrators; a coordinator never acts on an administrator, and
nobody deactivates themselves (the coordination would lock itself out). Changing the address,
what logs an account in and where reset links go, is for administrators only, and verified (the
link goes to the new address); both addresses are told. Every act is logged (``MemberAdministered``, recorded in the audit log by moderation,
and the application log).
"""
import logging

from flask_babel import gettext as _

from forum import events
from forum.clock import now
from forum.errors import Forbidden, Refused
from forum.extensions import db
from forum.permissions import is_coordinator, is_member

from . import addresses, erasure, recovery, sessions

log = logging.getLogger(__name__)

DEACTIVATED = "deactivated"
REACTIVATED = "reactivated"
EMAIL_CHANGE_SENT = "email_change_sent"
RESET_LINK_SENT = "reset_link_sent"
ERASED = "erased"


def why_cannot_administer(actor, member):
    """None if ``actor`` may deactivate or reactivate ``member``, else why not (in French)."""
    if not is_coordinator(actor):
        return _("Réservé à la coordination.")
    if actor.id == member.id:
        return _("Vous ne pouvez pas désactiver ni réactiver votre propre compte.")
    if member.is_admin and not actor.is_admin:
        return _("Seul un administrateur peut agir sur le compte d'un administrateur.")
    return None


def why_cannot_send_reset(actor, member):
    """None if ``actor`` may send ``member`` a reset link from the administration, else why not."""
    if not is_coordinator(actor):
        return _("Réservé à la coordination.")
    if member.is_admin and not actor.is_admin:
        return _("Seul un administrateur peut agir sur le compte d'un administrateur.")
    if erasure.is_erased(member):
        return _("Ce compte a été effacé.")
    if member.is_deactivated:
        return _("Ce compte est désactivé : réactivez-le d'abord.")
    return None


def why_cannot_erase(actor, member):
    """None if ``actor`` may erase ``member`` from the administration, else why not: the
    coordination only, never its own account (that is the member's own page), and erasure's
    rule on top (a coordinator never erases an administrator)."""
    if not is_coordinator(actor):
        return _("Réservé à la coordination.")
    if actor.id == member.id:
        return _("Pour effacer votre propre compte, passez par vos préférences.")
    return erasure.why_cannot_erase(actor, member)


def why_cannot_change_email(actor, member):
    if not (is_member(actor) and actor.is_admin):
        return _("Seul un administrateur peut changer l'adresse d'un membre.")
    return None


def refuse(reason):
    """Raise the refusal ``reason`` (from a ``why_cannot_…``) as a 403."""
    raise Forbidden(reason)


def _require(reason):
    if reason is not None:
        refuse(reason)


def _log(actor, member, action):
    events.publish(events.MemberAdministered(actor_id=actor.id, member_id=member.id, action=action))
    log.info("member %s: %s by member %s", member.id, action, actor.id)


def deactivate(actor, member):
    """Deactivate ``member``'s account and end their sessions; commits."""
    _require(why_cannot_administer(actor, member))
    if member.is_deactivated:
        raise Refused(_("Ce compte est déjà désactivé."), 409)
    member.deactivated_at = now()
    sessions.end_sessions(member)       # publishes MemberAccessChanged: live connections drop
    _log(actor, member, DEACTIVATED)
    db.session.commit()
    return member


def send_reset_link(actor, member):
    """Email ``member`` a link to choose a new password (a member who cannot get back in asked
    the coordination); commits."""
    _require(why_cannot_send_reset(actor, member))
    if not recovery.send_reset_link(member):
        raise Refused(_("Plusieurs liens ont déjà été envoyés à ce compte : réessayez dans une heure."), 429)
    _log(actor, member, RESET_LINK_SENT)
    db.session.commit()
    return member


def erase(actor, member, mode):
    """Erase ``member``'s account on their request to the coordination (``mode``: anonymise
    their posts or remove them, forum/accounts/erasure.py); the act is logged in the same
    transaction, by the member's id only."""
    _require(why_cannot_erase(actor, member))
    _log(actor, member, ERASED)
    return erasure.erase(member, mode, actor=actor)


def reactivate(actor, member):
    """Let ``member`` log in again; commits."""
    _require(why_cannot_administer(actor, member))
    if not member.is_deactivated:
        raise Refused(_("Ce compte est déjà actif."), 409)
    member.deactivated_at = None
    events.publish(events.MemberAccessChanged(member_id=member.id))
    _log(actor, member, REACTIVATED)
    db.session.commit()
    return member


def change_email(actor, member, address):
    """An administrator starts changing ``member``'s address: the link goes to the new address,
    which becomes the account's only when it is followed (verified, like a member's own change:
    forum/accounts/addresses.py); both addresses are told who asked. Logged; commits."""
    _require(why_cannot_change_email(actor, member))
    addresses.change_email(actor, member, address)
    _log(actor, member, EMAIL_CHANGE_SENT)
    db.session.commit()
    return member
