"""Joining and signing in: registration, authentication, passwords."""
import re
import secrets

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from forum import events
from forum.charter import versions as charter
from forum.clock import now
from forum.errors import Conflict, Invalid
from forum.extensions import db
from forum.numbers import parse_ids, parse_int
from forum.text import group_mentions
from forum.text.pseudonyms import (PSEUDONYM_PATTERN, mixes_scripts, pseudonym_key, pseudonym_suggestion,
                                   pseudonym_skeleton)
from forum.topics.models import KIND_COMMITTEE, Space

from . import approval, membership, sessions, welcome
from .models import College, Member

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
SHOW_COLLEGE_CHOICES = ("default", "yes", "no")
PASSWORD_MAX_CHARS = 200


def normalize_email(email):
    return (email or "").strip().lower()


def hash_password(password):
    return generate_password_hash(password, method=current_app.config["PASSWORD_METHOD"])


def check_pseudonym(pseudonym):
    if not PSEUDONYM_PATTERN.match(pseudonym or ""):
        suggestion = pseudonym_suggestion(pseudonym)
        if suggestion:
            raise Invalid({"pseudonym": _("Un pseudonyme ne contient pas d'espace (on le tape après @ pour "
                                          "mentionner quelqu'un) : essayez « %(suggestion)s ».",
                                          suggestion=suggestion)})
        raise Invalid({"pseudonym": _("Le pseudonyme doit compter de 3 à 30 caractères : lettres, "
                                      "chiffres, point, tiret ou tiret bas, commençant et finissant "
                                      "par une lettre ou un chiffre.")})
    if mixes_scripts(pseudonym):
        raise Invalid({"pseudonym": _("Un pseudonyme ne peut pas mélanger plusieurs alphabets.")})
    if group_mentions.is_reserved(pseudonym):
        raise Invalid({"pseudonym": _("Ce pseudonyme est réservé aux mentions de groupe (@coordination, "
                                      "@comite-…, @moderation-…, @college-…) : choisissez-en un autre.")})


def pseudonym_clash(pseudonym):
    """Why ``pseudonym`` cannot be taken (another member's name, or one looking like it), or None."""
    if db.session.scalar(select(Member.id).where(Member.pseudonym_key == pseudonym_key(pseudonym))):
        return _("Ce pseudonyme est déjà pris : choisissez-en un autre.")
    if db.session.scalar(select(Member.id).where(
            Member.pseudonym_skeleton == pseudonym_skeleton(pseudonym))):
        return _("Ce pseudonyme ressemble trop à celui d'un autre membre : choisissez-en un autre.")
    return None


def check_password(password):
    low = current_app.config["PASSWORD_MIN_CHARS"]
    if len(password or "") < low:
        raise Invalid({"password": _("Le mot de passe doit compter au moins %(n)s caractères.", n=low)})
    if len(password) > PASSWORD_MAX_CHARS:
        raise Invalid({"password": _("Le mot de passe doit compter au plus %(n)s caractères.",
                                      n=PASSWORD_MAX_CHARS)})


def _collect(errors, check, *args):
    try:
        return check(*args)
    except Invalid as refusal:
        errors.update(refusal.fields)


def _find_college(college_id):
    college_id = parse_int(college_id, 1)
    college = db.session.get(College, college_id) if college_id else None
    if college is None:
        raise Invalid({"college": _("Choisissez votre collège dans la liste.")})
    return college


def _find_committees(committee_ids):
    ids = parse_ids(committee_ids)
    committees = db.session.scalars(
        select(Space).where(Space.id.in_(ids), Space.kind == KIND_COMMITTEE)).all() if ids else []
    if len(committees) != len(set(committee_ids or ())):
        raise Invalid({"committees": _("Un des comités choisis n'existe pas.")})
    return committees


def register(pseudonym, email, password, college_id, committee_ids=(), show_college="default",
             adheres_convention=False, accepts_charter=False):
    """Create a member and email them the
    link that logs them in; their collège and the comités they ticked become requests that wait
    for a decision (forum/accounts/membership.py). An address that has an account already gets an email saying so and
    no new account (None). Registration never logs in by itself: its answer must not tell
    whether the address was known (forum/accounts/welcome.py)."""
    approval.check_registration_open()
    pseudonym = (pseudonym or "").strip()
    email = normalize_email(email)
    errors = {}
    _collect(errors, check_pseudonym, pseudonym)
    if not EMAIL_PATTERN.match(email) or len(email) > 254:
        errors["email"] = _("Cette adresse électronique n'est pas valide (exemple : prenom@exemple.fr).")
    _collect(errors, check_password, password)
    college = _collect(errors, _find_college, college_id)
    committees = _collect(errors, _find_committees, committee_ids)
    if show_college not in SHOW_COLLEGE_CHOICES:
        errors["show_college"] = _("Choisissez si votre collège est affiché.")
    if not adheres_convention:
        errors["adheres_convention"] = _("L'adhésion à la convention est nécessaire pour participer.")
    version = charter.current_version()
    if version is not None and not accepts_charter:
        errors["accepts_charter"] = _("L'acceptation du règlement de fonctionnement est nécessaire.")
    if errors:
        raise Invalid(errors)
    if clash := pseudonym_clash(pseudonym):
        # Pseudonyms are public (profiles, posts): saying one is taken, or too like one, tells nothing new.
        raise Conflict({"pseudonym": clash})
    password_hash = hash_password(password)   # in both cases below: the time taken tells nothing either
    known = db.session.scalar(select(Member).where(Member.email == email))
    if known is not None:
        # The same answer as for a new address; only the owner of the address learns, by email.
        welcome.send_already_registered(known)
        return None

    shown = {"yes": True, "no": False, "default": not college.sensitive}[show_college]
    member = Member(pseudonym=pseudonym, pseudonym_key=pseudonym_key(pseudonym), email=email,
                    password_hash=password_hash, college=college, college_confirmed=False,
                    show_college=shown, created_at=now(), convention_signed_at=now(),
                    email_confirmation_required=True, awaiting_approval=approval.mode() == approval.APPROVAL)
    db.session.add(member)
    db.session.flush()
    membership.request_college(member, college)
    for committee in committees:   # asked, not granted: nothing restricted opens yet
        membership.request_committee(member, committee, commit=False)
    if version is not None:
        charter.record_acceptance(member, version)
    events.publish(events.MemberRegistered(member_id=member.id))
    db.session.commit()
    welcome.send_confirmation(member)
    return member


# A hash to check against when the login matches nobody, so that timing does not tell.
_DUMMY_HASH = None


def find_by_login(login):
    login = (login or "").strip()
    if "@" in login:
        return db.session.scalar(select(Member).where(Member.email == normalize_email(login)))
    return db.session.scalar(select(Member).where(Member.pseudonym_key == pseudonym_key(login)))


def authenticate(login, password):
    """The member whose email or pseudonym and password match, or None."""
    global _DUMMY_HASH
    member = find_by_login(login)
    if member is None:
        _DUMMY_HASH = _DUMMY_HASH or hash_password(secrets.token_hex(8))
        check_password_hash(_DUMMY_HASH, password or "")
        return None
    if not check_password_hash(member.password_hash, password or ""):
        return None
    return member


def change_password(member, current, new, keep=None):
    """A new password ends every other session of ``member`` (all but ``keep``, this browser's)."""
    if not check_password_hash(member.password_hash, current or ""):
        raise Invalid({"current_password": _("Le mot de passe actuel ne correspond pas.")})
    check_password(new)
    member.password_hash = hash_password(new)
    sessions.end_sessions(member, keep)
    db.session.commit()
