"""Inviting people by email: one address or many (forum/accounts/invitation_import.py), resending
and revoking, and the invitation email.

An invitation names an address, the comités it grants and the collège it confirms. Its link is a
token signed with itsdangerous; only the token's SHA-256 is stored, so a copy of the table opens
nothing, and a new token (resending) leaves the old link dead. Who may invite to which comité is
asked of forum/permissions.py. Accepting is forum/accounts/acceptance.py.
"""
import hashlib
import logging
import secrets
import smtplib
from collections import namedtuple
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from forum.clock import now
from forum.config import LOCALES
from forum.errors import Conflict, Forbidden, Invalid, NotFound
from forum.extensions import db
from forum.notifications import mail
from forum.permissions import can_invite, can_invite_to, can_manage_invitation, is_coordinator
from forum.topics.models import KIND_COMMITTEE, Space

from .invitation_models import PENDING, Invitation
from .models import College, Member
from .registration import EMAIL_PATTERN, normalize_email

log = logging.getLogger(__name__)

SALT = "agora-invitation"
LIFETIME = timedelta(days=14)
LISTED_AT_MOST = 500

# Who the email goes to: the address alone for someone without an account.
Addressee = namedtuple("Addressee", "pseudonym email locale")


def _serializer():
    return URLSafeTimedSerializer(current_app.secret_key, salt=SALT)


def token_digest(token):
    return hashlib.sha256((token or "").encode()).hexdigest()


def read_token(token, max_age):
    """The invitation id a token names (itsdangerous errors propagate)."""
    data = _serializer().loads(token or "", max_age=max_age)
    return data.get("i") if isinstance(data, dict) else None


def _new_token(invitation):
    """A fresh link for ``invitation``, valid for 14 days: the previous one stops working."""
    token = _serializer().dumps({"i": invitation.id, "n": secrets.token_urlsafe(12)})
    invitation.token_hash = token_digest(token)
    invitation.expires_at = now() + LIFETIME
    return token


def find_committee(reference):
    """A comité by its département code (``13``) or its slug, else None."""
    reference = (reference or "").strip()
    if not reference:
        return None
    return db.session.scalar(select(Space).where(
        Space.kind == KIND_COMMITTEE, or_(Space.department == reference, Space.slug == reference.lower())))


def invitable_committees(viewer):
    """The comités ``viewer`` may invite to (every comité for the command line: ``None``)."""
    committees = db.session.scalars(select(Space).where(Space.kind == KIND_COMMITTEE)
                                    .order_by(Space.position)).all()
    return [c for c in committees if viewer is None or can_invite_to(viewer, c)]


def account_of(email):
    return db.session.scalar(select(Member).where(Member.email == normalize_email(email)))


def _check(inviter, email, committee_refs, college_ref):
    """(email, comités, collège) of a valid invitation, else Invalid / Conflict / Forbidden."""
    if inviter is not None and not can_invite(inviter):
        raise Forbidden(_("Seuls la coordination et les modérateurs d'un comité peuvent inviter."))
    email = normalize_email(email)
    if not EMAIL_PATTERN.match(email) or len(email) > 254:
        raise Invalid({"email": _("Adresse électronique non valable : « %(email)s ».", email=email)})
    committees = []
    for reference in committee_refs:
        committee = find_committee(reference)
        if committee is None:
            raise Invalid({"committees": _("Comité inconnu : « %(ref)s ».", ref=reference.strip())})
        if inviter is not None and not can_invite_to(inviter, committee):
            raise Invalid({"committees": _("Vous ne pouvez pas inviter au comité « %(name)s ».",
                                           name=committee.name)}, 403)
        if committee not in committees:
            committees.append(committee)
    if not committees and inviter is not None and not is_coordinator(inviter):
        raise Invalid({"committees": _("Choisissez au moins un de vos comités.")})
    college = db.session.scalar(select(College).where(College.slug == (college_ref or "").strip().lower()))
    if college is None:
        raise Invalid({"college": _("Collège inconnu : « %(ref)s ».", ref=(college_ref or "").strip())})
    member = account_of(email)
    if member is not None and all(c.id in member.committee_ids for c in committees):
        raise Conflict({"email": _("« %(email)s » est déjà membre de ces comités.", email=email)})
    if any(i.state == PENDING for i in db.session.scalars(select(Invitation).where(Invitation.email == email))):
        raise Conflict({"email": _("Une invitation attend déjà « %(email)s » : renvoyez-la depuis la liste.",
                                   email=email)})
    return email, committees, college


def invite(inviter, email, committee_refs=(), college_ref=None, locale=None, transport=None):
    """Invite ``email`` to ``committee_refs`` (département codes or slugs) with the collège
    ``college_ref`` (a slug), and send the email; ``inviter`` None is the command line. Commits."""
    email, committees, college = _check(inviter, email, list(committee_refs), college_ref)
    invitation = Invitation(email=email, committees=committees, college=college, created_at=now(),
                            inviter_id=inviter.id if inviter is not None else None,
                            locale=locale if locale in LOCALES else None, expires_at=now() + LIFETIME)
    db.session.add(invitation)
    db.session.flush()
    token = _new_token(invitation)
    db.session.commit()
    send(invitation, token, transport)
    return invitation


def find(viewer, invitation_id):
    """The invitation ``viewer`` may manage (404 for the others: they need not know it exists)."""
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or not can_manage_invitation(viewer, invitation):
        raise NotFound(_("Cette invitation n'existe pas."))
    return invitation


def resend(viewer, invitation_id):
    """A new link and 14 more days; the old link no longer works. Commits and sends."""
    invitation = find(viewer, invitation_id)
    if invitation.accepted_at is not None or invitation.revoked_at is not None:
        raise Conflict(_("Cette invitation a déjà été acceptée ou retirée : elle ne peut plus être renvoyée."))
    token = _new_token(invitation)
    db.session.commit()
    return send(invitation, token)


def revoke(viewer, invitation_id):
    invitation = find(viewer, invitation_id)
    if invitation.accepted_at is not None:
        raise Conflict(_("Cette invitation a déjà été acceptée."))
    if invitation.revoked_at is None:
        invitation.revoked_at, invitation.token_hash = now(), None
        db.session.commit()
    return invitation


def visible(viewer):
    """The invitations ``viewer`` may manage, newest first."""
    query = select(Invitation).options(selectinload(Invitation.committees)) \
        .order_by(Invitation.created_at.desc(), Invitation.id.desc()).limit(LISTED_AT_MOST)
    if not is_coordinator(viewer):
        # Narrowed in SQL so that the newest invitations of others do not fill the page; the
        # rule itself stays can_manage_invitation, asked below.
        moderated = [c.id for c in invitable_committees(viewer)]
        query = query.where(or_(Invitation.inviter_id == viewer.id,
                                Invitation.committees.any(Space.id.in_(moderated))))
    return [i for i in db.session.scalars(query) if can_manage_invitation(viewer, i)]


def addressee(invitation):
    member = account_of(invitation.email)
    if member is not None:
        return Addressee(member.pseudonym, member.email, member.locale or invitation.locale)
    return Addressee("", invitation.email, invitation.locale)


def send(invitation, token, transport=None):
    """Email the invitation in its recipient's language; records ``sent_at`` (None if the mail
    server refused: the list shows it, and it can be resent). True when sent."""
    to = addressee(invitation)
    gettext = mail.gettext_for(to.locale)
    subject = "[Agora] " + gettext("Invitation à rejoindre Agora")
    url = mail.absolute_url("invitations.accept", token=token)
    text, html = mail.render("invitation", locale=to.locale, invitation=invitation, subject=subject,
                             url=url, inviter=invitation.inviter, member=to)
    message = mail.build(to, subject, text, html, category="invitation")
    try:
        if transport is not None:
            transport.send(message)
        else:
            with mail.transport() as own:
                own.send(message)
    except (OSError, smtplib.SMTPException):
        log.exception("invitation %s not sent", invitation.id)
        invitation.sent_at = None
        db.session.commit()
        return False
    invitation.sent_at = now()
    db.session.commit()
    return True


def purge_unanswered(limit):
    """Delete the invitations never accepted that expired or were withdrawn before ``limit``:
    the address of someone who did not join is not kept (docs/privacy.md); commits. Returns
    how many went."""
    stale = db.session.scalars(select(Invitation).where(
        Invitation.accepted_at.is_(None),
        or_(Invitation.expires_at < limit, Invitation.revoked_at < limit))).all()
    for invitation in stale:
        db.session.delete(invitation)
    db.session.commit()
    return len(stale)
