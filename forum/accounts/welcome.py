"""The emails of registration, and the signed link that confirms an address
(signed, expiring and single-use: forum/accounts/tokens.py).

Registration answers the same whether the address is new or already has an account, so that
the form tells no one who is a member (a sensitive fact here: collèges of people receiving
support). Either way an email goes to the address: for a new account, a link that confirms it
and logs the member in; for a known one, a note that someone tried, with the login page.
"""
from forum.clock import now
from forum.extensions import db
from forum.notifications import mail

from . import mailer, tokens
from .models import Member


def confirmation_token(member):
    # The address is signed too: a link sent to an address no longer the member's is void.
    return tokens.issue(tokens.CONFIRM, m=member.id, e=member.email)


def check(token):
    """The member a confirmation link names, if it may still serve (nothing spent)."""
    data = tokens.read(tokens.CONFIRM, token)
    member = db.session.get(Member, data.get("m")) if isinstance(data.get("m"), int) else None
    if member is None or member.email != data.get("e") or member.email_confirmed_at is not None:
        raise tokens.spent(tokens.CONFIRM)
    return member


def confirm(token):
    """The member a confirmation link names, now confirmed (the link is spent); commits."""
    member = check(token)
    tokens.spend(tokens.CONFIRM, token)
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
    # A mail server down is logged, never shown: the answer must not differ by address.
    mailer.send_now(mail.build(member, subject, text, html, category="inscription"))