"""The ways back into an account by email: a forgotten password, a login link, the
confirmation link sent again.

Every request answers the same whether or not the address has an account (being a member says
something here: collèges of people receiving support): the work done is the same, and the
email leaves from a thread (forum/accounts/mailer.py), so neither the page nor its timing tells.
Each account receives at most ``RATELIMIT_ACCOUNT_LINKS`` such emails, whoever asks; beyond,
nothing is sent and nothing is said (a 429 would tell that the account exists).
"""
import hashlib
import logging

from flask import current_app
from flask_babel import gettext as _
from limits import parse_many
from sqlalchemy import select

from forum import clock
from forum.errors import Invalid
from forum.extensions import db, limiter
from forum.notifications import mail

from . import mailer, registration, sessions, tokens, welcome
from .mailer import N_
from .models import Member

log = logging.getLogger(__name__)

# Who is named in the email composed for an unknown address (then dropped unsent): the same work.
_NOBODY = mailer.Recipient("membre", "personne@agora.invalid")


def account_allows(member):
    """Count one more account email to ``member``; False once ``RATELIMIT_ACCOUNT_LINKS`` is spent."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return True
    granted = [limiter.limiter.hit(item, "account-links", str(member.id))
               for item in parse_many(current_app.config["RATELIMIT_ACCOUNT_LINKS"])]
    if not all(granted):
        log.warning("account email to member %s not sent: too many asked", member.id)
    return all(granted)


def find_by_email(email):
    address = registration.normalize_email(email)
    if not address or len(address) > 254:
        return None
    return db.session.scalar(select(Member).where(Member.email == address))


def _password_mark(member):
    """A fingerprint of the password: a reset link dies once the password changed, by any means."""
    return hashlib.sha256(member.password_hash.encode()).hexdigest()[:16]


# --- messages ------------------------------------------------------------------------------

def _reset_message(member):
    _ = mail.gettext_for(member.locale)
    token = tokens.issue(tokens.RESET, m=member.id, p=_password_mark(member) if member.id else "")
    return mailer.compose(member, "account_link", N_("Choisir un nouveau mot de passe"),
                          url=mail.absolute_url("recovery.reset_password", token=token),
                          button=_("Choisir un nouveau mot de passe"),
                          paragraphs=[_("Pour choisir un nouveau mot de passe, ouvrez ce lien. Il sert une "
                                        "seule fois, pendant une heure :"),
                                      _("Votre ancien mot de passe reste valable tant que vous n'en avez pas "
                                        "choisi un nouveau.")],
                          footer=_("Vous n'avez rien demandé ? Ignorez ce courriel : rien ne change sur "
                                   "votre compte."))


def _login_message(member):
    _ = mail.gettext_for(member.locale)
    token = tokens.issue(tokens.LOGIN, m=member.id)
    return mailer.compose(member, "account_link", N_("Votre lien de connexion"),
                          url=mail.absolute_url("recovery.login_by_link", token=token),
                          button=_("Me connecter"),
                          paragraphs=[_("Pour vous connecter sans mot de passe, ouvrez ce lien. Il sert une "
                                        "seule fois, pendant quinze minutes :")],
                          footer=_("Vous n'avez rien demandé ? Ignorez ce courriel : personne ne peut "
                                   "se connecter sans ce lien."))


def _confirmation_message(member):
    _ = mail.gettext_for(member.locale)
    return mailer.compose(member, "account_link", N_("Confirmez votre inscription"),
                          url=mail.absolute_url("accounts.confirm", token=welcome.confirmation_token(member)),
                          button=_("Confirmer mon adresse"),
                          paragraphs=[_("Pour confirmer votre adresse et vous connecter, ouvrez ce lien "
                                        "(valable deux jours, une seule fois) :")],
                          footer=_("Vous n'avez pas demandé d'inscription ? Ignorez ce courriel."))


def _answer(member, build, wanted=lambda member: True):
    """Compose the email in every case; send it only to an account that wants it and may have it."""
    message = build(member if member is not None else _NOBODY)
    if member is not None and wanted(member) and account_allows(member):
        mailer.send_soon(message)
        return True
    return False


# --- asking --------------------------------------------------------------------------------

def _checked(email):
    """The address typed, if it looks like one (saying so tells nothing about accounts)."""
    if not registration.EMAIL_PATTERN.match(registration.normalize_email(email)):
        raise Invalid({"email": _("Saisissez une adresse électronique complète (exemple : prenom@exemple.fr).")})
    return find_by_email(email)


def request_reset(email):
    """"Mot de passe oublié ?": a reset link to ``email`` if it is a member's; the same otherwise."""
    return _answer(_checked(email), _reset_message)


def request_login_link(email):
    """"Recevoir un lien de connexion": a login link to ``email`` if it is a member's."""
    return _answer(_checked(email), _login_message)


def request_confirmation(email):
    """"Renvoyer le lien de confirmation": only to an account still waiting for it."""
    return _answer(_checked(email), _confirmation_message, wanted=awaits_confirmation)


def send_reset_link(member):
    """Send ``member`` a reset link (also for the administration's "envoyer un lien de
    réinitialisation"); False when the account's email limit is reached (nothing sent)."""
    if not account_allows(member):
        return False
    mailer.send_soon(_reset_message(member))
    return True


def send_login_link(member):
    if not account_allows(member):
        return False
    mailer.send_soon(_login_message(member))
    return True


def awaits_confirmation(member):
    """A registered account whose address was never confirmed (password login waits for it)."""
    return bool(member.email_confirmation_required) and member.email_confirmed_at is None


# --- following a link ----------------------------------------------------------------------

def _member_of(payload, purpose):
    member = db.session.get(Member, payload.get("m")) if isinstance(payload.get("m"), int) else None
    if member is None:
        raise tokens.spent(purpose)
    return member


def check_reset(token):
    """The member a reset link names, if it may still serve (nothing spent): for the GET page."""
    payload = tokens.read(tokens.RESET, token)
    member = _member_of(payload, tokens.RESET)
    if payload.get("p") != _password_mark(member):
        raise tokens.spent(tokens.RESET)
    return member


def reset_password(token, new_password):
    """Set a new password with a reset link: every session ends, the address counts as
    confirmed (the link reached it). Returns the member, for ``complete_login``; commits."""
    registration.check_password(new_password)      # before spending: a short password keeps the link
    check_reset(token)
    member = _member_of(tokens.spend(tokens.RESET, token), tokens.RESET)
    member.password_hash = registration.hash_password(new_password)
    member.email_confirmed_at = member.email_confirmed_at or clock.now()
    sessions.end_sessions(member)
    db.session.commit()
    return member


def check_login_link(token):
    return _member_of(tokens.read(tokens.LOGIN, token), tokens.LOGIN)


def use_login_link(token):
    """The member a login link names (the link is spent, the address confirmed); commits."""
    member = _member_of(tokens.spend(tokens.LOGIN, token), tokens.LOGIN)
    member.email_confirmed_at = member.email_confirmed_at or clock.now()
    db.session.commit()
    return member

