"""The registration mode (``FORUM_REGISTRATION_MODE``) and the coordination's approval of new accounts.

- ``open``: anyone registers (the registration link confirms the address and logs in);
- ``invitation``: the registration page explains how to be invited and refuses the form;
  joining is by invitation only (forum/accounts/invitations.py);
- ``approval``: anyone registers, but the account waits (``Member.awaiting_approval``, which
  makes it inactive: no login, no rights) until the coordination approves it; refused, it is
  deleted. The member is emailed either way.
"""

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from forum.errors import Forbidden, NotFound
from forum.extensions import db
from forum.notifications import mail
from forum.permissions import is_coordinator

from . import mailer
from .models import Member

OPEN, INVITATION, APPROVAL = "open", "invitation", "approval"
MODES = (OPEN, INVITATION, APPROVAL)


def mode():
    return current_app.config["REGISTRATION_MODE"]


def check_registration_open():
    if mode() == INVITATION:
        raise Forbidden(_("L'inscription se fait sur invitation : demandez-en une à la coordination."))


def awaiting():
    """The accounts waiting for approval, oldest first."""
    return db.session.scalars(select(Member).where(Member.awaiting_approval.is_(True))
                              .order_by(Member.created_at, Member.id)).all()


def _waiting(actor, member_id):
    if not is_coordinator(actor):
        raise Forbidden(_("Réservé à la coordination."))
    member = db.session.get(Member, member_id)
    if member is None or not member.awaiting_approval:
        raise NotFound(_("Ce compte n'attend pas d'approbation."))
    return member


def approve(actor, member_id):
    """The account can log in from now on; its owner is told by email. Commits."""
    member = _waiting(actor, member_id)
    member.awaiting_approval = False
    db.session.commit()
    gettext = mail.gettext_for(member.locale)
    _send(member, "registration_approved", "[Agora] " + gettext("Votre compte est ouvert"),
          url=mail.absolute_url("accounts.login"))
    return member


def refuse(actor, member_id):
    """The account is deleted (it never could log in, so it holds nothing); its owner is told. Commits."""
    member = _waiting(actor, member_id)
    gettext = mail.gettext_for(member.locale)
    _send(member, "registration_refused", "[Agora] " + gettext("Votre demande d'inscription"))
    pseudonym = member.pseudonym
    db.session.delete(member)
    db.session.commit()
    return pseudonym


def _send(member, template, subject, **context):
    text, html = mail.render(template, locale=member.locale, member=member, subject=subject, **context)
    # A mail server down is logged, never shown: the answer must not differ by address.
    mailer.send_now(mail.build(member, subject, text, html, category="inscription"))