"""Accepting an invitation: a new account with its comités and collège granted, or the comités
added to the account the address already has.

A link is refused with a French reason: forged (400), expired, revoked, replaced by a newer one
or already used (410). Accepting claims the invitation with one conditional UPDATE
(``… WHERE accepted_at IS NULL``): of two acceptances at once, on PostgreSQL as on SQLite, one
changes the row and the other finds it taken, so one account is created.
"""
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from forum import events
from forum.charter import versions as charter
from forum.clock import now
from forum.errors import Conflict, Invalid, Refused
from forum.extensions import db
from forum.text.pseudonyms import pseudonym_key

from . import invitations, membership
from .invitation_models import Invitation
from .models import Member
from .registration import SHOW_COLLEGE_CHOICES, check_password, check_pseudonym, hash_password, pseudonym_clash

# Signatures older than this are refused before the row is read (the row's expiry decides within it).
MAX_AGE = int(invitations.LIFETIME.total_seconds()) + 3600


def _gone(message):
    return Refused(message, 410)


def find(token):
    """The pending invitation a link names, else a refusal saying why."""
    try:
        invitation_id = invitations.read_token(token, MAX_AGE)
    except SignatureExpired:
        raise _gone(_("Cette invitation a expiré : demandez à la personne qui vous a invité de la renvoyer.")) \
            from None
    except BadSignature:
        raise Refused(_("Ce lien d'invitation n'est pas valable : vérifiez qu'il est complet.")) from None
    invitation = db.session.get(Invitation, invitation_id) if isinstance(invitation_id, int) else None
    if invitation is None:
        raise Refused(_("Ce lien d'invitation n'est pas valable : vérifiez qu'il est complet."))
    if invitation.accepted_at is not None:
        raise _gone(_("Cette invitation a déjà servi : connectez-vous avec votre pseudonyme et votre mot de passe."))
    if invitation.revoked_at is not None:
        raise _gone(_("Cette invitation a été retirée."))
    if invitation.token_hash != invitations.token_digest(token):
        raise _gone(_("Ce lien a été remplacé par un plus récent : utilisez le dernier courriel reçu."))
    if invitation.expires_at <= now():
        raise _gone(_("Cette invitation a expiré : demandez à la personne qui vous a invité de la renvoyer."))
    return invitation


def _claim(invitation, token):
    """Take the invitation for this acceptance, once: False if another one took it first."""
    result = db.session.execute(
        update(Invitation).where(Invitation.id == invitation.id, Invitation.accepted_at.is_(None),
                                 Invitation.revoked_at.is_(None),
                                 Invitation.token_hash == invitations.token_digest(token))
        .values(accepted_at=now(), token_hash=None).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        db.session.rollback()
        raise _gone(_("Cette invitation a déjà servi : connectez-vous avec votre pseudonyme et votre mot de passe."))


def _check_form(pseudonym, password, show_college, adheres_convention, accepts_charter):
    errors = {}
    for check, value in ((check_pseudonym, pseudonym), (check_password, password)):
        try:
            check(value)
        except Invalid as refusal:
            errors.update(refusal.fields)
    if show_college not in SHOW_COLLEGE_CHOICES:
        errors["show_college"] = _("Choisissez si votre collège est affiché.")
    if not adheres_convention:
        errors["adheres_convention"] = _("L'adhésion à la convention est nécessaire pour participer.")
    if charter.current_version() is not None and not accepts_charter:
        errors["accepts_charter"] = _("L'acceptation du règlement de fonctionnement est nécessaire.")
    if errors:
        raise Invalid(errors)
    if clash := pseudonym_clash(pseudonym):
        raise Conflict({"pseudonym": clash})


def accept_as_new(token, pseudonym, password, show_college="default", adheres_convention=False,
                  accepts_charter=False):
    """Create the invited account: the address counts as confirmed, the collège as confirmed,
    the comités as granted. Commits; returns the member (the view logs them in)."""
    invitation = find(token)
    if invitations.account_of(invitation.email) is not None:
        raise Conflict(_("Cette adresse a déjà un compte : connectez-vous pour accepter l'invitation."))
    pseudonym = (pseudonym or "").strip()
    _check_form(pseudonym, password, show_college, adheres_convention, accepts_charter)
    password_hash = hash_password(password)
    college, committees, email = invitation.college, list(invitation.committees), invitation.email
    _claim(invitation, token)
    shown = {"yes": True, "no": False, "default": not (college and college.sensitive)}[show_college]
    member = Member(pseudonym=pseudonym, pseudonym_key=pseudonym_key(pseudonym), email=email,
                    password_hash=password_hash, college=college, college_confirmed=college is not None,
                    show_college=shown, committees=committees, created_at=now(), convention_signed_at=now(),
                    email_confirmed_at=now(), locale=invitation.locale)
    db.session.add(member)
    try:
        db.session.flush()
    except IntegrityError:
        # The address or the pseudonym was taken meanwhile: nothing of this acceptance stays.
        db.session.rollback()
        raise Conflict(_("Ce pseudonyme ou cette adresse vient d'être pris : choisissez un autre pseudonyme "
                         "ou connectez-vous.")) from None
    if (version := charter.current_version()) is not None:
        charter.record_acceptance(member, version)
    db.session.execute(update(Invitation).where(Invitation.id == invitation.id)
                       .values(accepted_by_id=member.id).execution_options(synchronize_session=False))
    events.publish(events.MemberRegistered(member_id=member.id))
    db.session.commit()
    return member


def accept_as_member(token, member):
    """Grant the invited comités to ``member``, whose address the invitation names. Commits."""
    invitation = find(token)
    if member.email != invitation.email:
        raise Refused(_("Cette invitation est adressée à une autre adresse que celle de votre compte."), 403)
    committees, college = list(invitation.committees), invitation.college
    _claim(invitation, token)
    membership.grant_invited(member, committees, college, invitation.inviter_id)
    db.session.execute(update(Invitation).where(Invitation.id == invitation.id)
                       .values(accepted_by_id=member.id).execution_options(synchronize_session=False))
    db.session.commit()
    return member
