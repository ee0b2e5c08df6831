"""A member deletes their account: asked with the password, carried out seven days later.

During the grace period the member may change their mind: with the button of the banner every
page shows them, or with the signed link of the email that confirmed the request (a page with
a button: mail scanners open links). The link works once, and not after the deletion.
``carry_out_due`` (``flask accounts purge``) erases the accounts whose time has come, as the
member chose: anonymised or contributions removed (``forum/accounts/erasure.py``).
"""
import hashlib
import logging
import secrets
import smtplib
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, select
from werkzeug.security import check_password_hash

from forum.clock import now
from forum.errors import Conflict, Invalid, NotFound, Refused
from forum.extensions import db
from forum.notifications import mail

from . import erasure
from .models import Member

log = logging.getLogger(__name__)

GRACE = timedelta(days=7)
SALT = "agora-suppression-annulation"


class DeletionRequest(db.Model):
    """A member's request to delete their account, due at ``due_at`` unless cancelled."""

    __tablename__ = "deletion_request"
    __page_cache__ = "private"   # public pages never show it (forum/web/page_cache.py)
    __erasure__ = "keep"         # tells the cancel link, after the deletion, that it came too late

    id = Column(Integer, primary_key=True)
    member_id = Column(ForeignKey("member.id", ondelete="CASCADE"), nullable=False, index=True)
    mode = Column(String(20), nullable=False)
    # SHA-256 of the cancel link's token: a copy of this table cancels nothing.
    token_hash = Column(String(64), nullable=False, unique=True)
    requested_at = Column(DateTime, nullable=False, default=now)
    due_at = Column(DateTime, nullable=False, index=True)
    cancelled_at = Column(DateTime, nullable=True)
    done_at = Column(DateTime, nullable=True)

    @property
    def is_pending(self):
        return self.cancelled_at is None and self.done_at is None


def _serializer():
    return URLSafeTimedSerializer(current_app.secret_key, salt=SALT)


def _digest(token):
    return hashlib.sha256(token.encode()).hexdigest()


def pending_request(member):
    """The deletion ``member`` asked for and that is still to come, or None."""
    return db.session.scalar(select(DeletionRequest).where(
        DeletionRequest.member_id == member.id, DeletionRequest.cancelled_at.is_(None),
        DeletionRequest.done_at.is_(None)))


def request_deletion(member, password, mode):
    """Schedule the deletion of ``member``'s own account in ``GRACE``; emails the cancel link;
    commits. Returns the request."""
    errors = {}
    if mode not in erasure.MODES:
        errors["mode"] = _("Choisissez ce que deviennent vos messages.")
    if not check_password_hash(member.password_hash, password or ""):
        errors["password"] = _("Le mot de passe ne correspond pas.")
    if errors:
        raise Invalid(errors)
    if pending_request(member) is not None:
        raise Conflict({None: _("La suppression de votre compte est déjà programmée.")})
    moment = now()
    request = DeletionRequest(member_id=member.id, mode=mode, token_hash=_digest(secrets.token_hex(16)),
                              requested_at=moment, due_at=moment + GRACE)
    db.session.add(request)
    db.session.flush()
    token = _serializer().dumps({"r": request.id, "n": secrets.token_urlsafe(8)})
    request.token_hash = _digest(token)
    db.session.commit()
    _send_confirmation(member, request, token)
    return request


def _send_confirmation(member, request, token):
    _ = mail.gettext_for(member.locale)   # the recipient's language, not the request's
    subject = "[Agora] " + _("Suppression de votre compte programmée")
    text, html = mail.render("deletion_scheduled", locale=member.locale, member=member, subject=subject,
                             request=request, removes=request.mode == erasure.MODE_REMOVE,
                             url=mail.absolute_url("deletion.cancel_link", token=token))
    message = mail.build(member, subject, text, html, category="compte")
    try:
        with mail.transport() as transport:
            transport.send(message)
    except (OSError, smtplib.SMTPException):
        # The request stands: the banner of every page still offers to cancel it.
        log.exception("deletion email to member %s not sent", member.id)


def request_of_token(token):
    """The pending request the cancel link ``token`` names; refuses a spent or late link."""
    try:
        data = _serializer().loads(token or "", max_age=int((GRACE + timedelta(days=1)).total_seconds()))
    except SignatureExpired:
        raise Refused(_("Ce lien d'annulation a expiré."), 410) from None
    except BadSignature:
        raise Refused(_("Ce lien d'annulation n'est pas valable."), 400) from None
    request = db.session.get(DeletionRequest, data.get("r")) if isinstance(data, dict) \
        and isinstance(data.get("r"), int) else None
    if request is None or request.token_hash != _digest(token):
        raise Refused(_("Ce lien d'annulation n'est pas valable."), 400)
    if request.done_at is not None:
        raise Refused(_("Trop tard : le compte a déjà été supprimé."), 410)
    if request.cancelled_at is not None:
        raise Refused(_("Ce lien a déjà servi : la suppression est annulée."), 410)
    return request


def check_token(token):
    """The refusal the cancel link ``token`` would meet (None: it still works); writes nothing."""
    try:
        request_of_token(token)
    except Refused as refusal:
        return refusal
    return None


def cancel_by_token(token):
    """Cancel the deletion the email's link names (the link is spent); commits."""
    request = request_of_token(token)
    request.cancelled_at = now()
    db.session.commit()
    return request


def cancel(member):
    """Cancel ``member``'s own pending deletion (the banner's button); commits."""
    request = pending_request(member)
    if request is None:
        raise NotFound(_("Aucune suppression de votre compte n'est programmée."))
    request.cancelled_at = now()
    db.session.commit()
    return request


def due_requests(moment=None):
    return db.session.scalars(select(DeletionRequest).where(
        DeletionRequest.due_at <= (moment or now()), DeletionRequest.cancelled_at.is_(None),
        DeletionRequest.done_at.is_(None)).order_by(DeletionRequest.due_at, DeletionRequest.id)).all()


def carry_out(request):
    """Erase the account of one due request, as its member chose; commits."""
    member = db.session.get(Member, request.member_id)
    request.done_at = now()
    if erasure.is_erased(member):   # erased meanwhile (by an administrator): nothing left to do
        db.session.commit()
        return
    erasure.erase(member, request.mode)


def carry_out_due(moment=None, progress=None):
    """Carry out every due deletion; returns how many. ``progress(n)`` after each one."""
    ids = [request.id for request in due_requests(moment)]
    for request_id in ids:
        carry_out(db.session.get(DeletionRequest, request_id))
        if progress:
            progress(1)
    return len(ids)
