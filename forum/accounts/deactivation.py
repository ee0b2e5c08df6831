"""What the coordination does to an account: deactivate it, reactivate it, change its address.

A deactivated member cannot log in (``Member.is_active`` is false, so Flask-Login refuses them
whatever proved who they are), their sessions end at once (their live connections drop with
``MemberAccessChanged``), and nothing is emailed to them. Their posts stay.

Who may: coordinators and administrators; a coordinator never acts on an administrator, and
nobody deactivates themselves (the coordination would lock itself out). Changing the address,
what logs an account in and where reset links go, is for administrators only; both addresses
are told. Every act is logged (``MemberAdministered``, recorded in the audit log by moderation,
and the application log).
"""
import logging
import smtplib
from types import SimpleNamespace

from flask_babel import gettext as _
from sqlalchemy import select

from forum import events
from forum.clock import now
from forum.errors import Conflict, Forbidden, Invalid, Refused
from forum.extensions import db
from forum.notifications import mail
from forum.permissions import is_coordinator, is_member

from . import sessions
from .models import Member
from .registration import EMAIL_PATTERN, normalize_email

log = logging.getLogger(__name__)

DEACTIVATED = "deactivated"
REACTIVATED = "reactivated"
EMAIL_CHANGED = "email_changed"


def why_cannot_administer(actor, member):
    """None if ``actor`` may deactivate or reactivate ``member``, else why not (in French)."""
    if not is_coordinator(actor):
        return _("Réservé à la coordination.")
    if actor.id == member.id:
        return _("Vous ne pouvez pas désactiver ni réactiver votre propre compte.")
    if member.is_admin and not actor.is_admin:
        return _("Seul un administrateur peut agir sur le compte d'un administrateur.")
    return None


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
    """An administrator gives ``member`` a new address; both addresses are told. Commits."""
    _require(why_cannot_change_email(actor, member))
    address = normalize_email(address)
    if not EMAIL_PATTERN.match(address) or len(address) > 254:
        raise Invalid({"email": _("Cette adresse électronique n'est pas valide.")})
    if address == member.email:
        raise Invalid({"email": _("C'est déjà l'adresse de ce membre.")})
    if db.session.scalar(select(Member.id).where(Member.email == address)) is not None:
        raise Conflict({"email": _("Cette adresse est déjà celle d'un autre compte.")})
    old = member.email
    member.email = address
    _log(actor, member, EMAIL_CHANGED)
    db.session.commit()
    _tell(member, old)
    return member


def _tell(member, old):
    """The new address learns it is now the account's; the old one that it no longer is."""
    _ = mail.gettext_for(member.locale)
    subject = "[Agora] " + _("L'adresse de votre compte a changé")
    for recipient, template in ((member, "email_changed_new"),
                                (SimpleNamespace(pseudonym=member.pseudonym, email=old), "email_changed_old")):
        text, html = mail.render(template, locale=member.locale, member=member, subject=subject,
                                 url=mail.absolute_url("accounts.login"))
        try:
            with mail.transport() as transport:
                transport.send(mail.build(recipient, subject, text, html, category="compte"))
        except (OSError, smtplib.SMTPException):
            log.exception("address change email (%s) for member %s not sent", template, member.id)
