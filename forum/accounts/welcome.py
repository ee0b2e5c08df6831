"""The emails of registration, and the signed link that confirms an address.

Registration answers the same whether the address is new or already has an account, so that
the form tells no one who is a member (a sensitive fact here: collèges of people receiving
support). Either way an email goes to the address: for a new account, a link that confirms it
and logs the member in; for a known one, a note that someone tried, with the login page.
"""
import logging
import smtplib

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from forum.clock import now
from forum.errors import Refused
from forum.extensions import db
from forum.notifications import mail

from .models import Member

log = logging.getLogger(__name__)

SALT = "agora-inscription"
# A confirmation link works once, for two days.
LINK_MAX_AGE = 2 * 24 * 3600


def _serializer():
    return URLSafeTimedSerializer(current_app.secret_key, salt=SALT)


def confirmation_token(member):
    # The address is signed too: a link sent to an address no longer the member's is void.
    return _serializer().dumps({"m": member.id, "e": member.email})


def confirm(token):
    """The member a confirmation link names, now confirmed (the link is spent); commits."""
    try:
        data = _serializer().loads(token or "", max_age=LINK_MAX_AGE)
    except SignatureExpired:
        raise Refused(_("Ce lien de confirmation a expiré : connectez-vous avec votre adresse et "
                        "votre mot de passe."), 410) from None
    except BadSignature:
        raise Refused(_("Ce lien de confirmation n'est pas valable."), 400) from None
    member = db.session.get(Member, data.get("m")) if isinstance(data, dict) else None
    if member is None or member.email != data.get("e") or member.email_confirmed_at is not None:
        raise Refused(_("Ce lien de confirmation a déjà servi : connectez-vous avec votre adresse et "
                        "votre mot de passe."), 410)
    member.email_confirmed_at = now()
    db.session.commit()
    return member


def send_confirmation(member):
    _ = mail.gettext_for(member.locale)   # the recipient's language, not the request's
    url = mail.absolute_url("accounts.confirm", token=confirmation_token(member))
    _send(member, "registration_confirm", "[Agora] " + _("Confirmez votre inscription"), url=url)


def send_already_registered(member):
    """Someone registered with the address of ``member``: tell them, and where to log in."""
    _ = mail.gettext_for(member.locale)
    _send(member, "registration_exists", "[Agora] " + _("Une inscription avec votre adresse"),
          url=mail.absolute_url("accounts.login"))


def _send(member, template, subject, **context):
    text, html = mail.render(template, locale=member.locale, member=member, subject=subject, **context)
    message = mail.build(member, subject, text, html, category="inscription")
    try:
        with mail.transport() as transport:
            transport.send(message)
    except (OSError, smtplib.SMTPException):
        # The answer must not differ by address: a mail server down is logged, never shown.
        log.exception("registration email to member %s not sent", member.id)
