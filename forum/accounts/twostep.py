"""Two-step login: a code from an authenticator app (TOTP, RFC 6238) after the first proof.

A member turns it on from their settings: the page shows a new secret (a QR code drawn here as
SVG, and the secret written out for typing), and a first code from the app proves the app holds
it. Ten recovery codes are then shown once; only their hashes are kept and each works once.
A code is accepted for the current 30-second step and the steps either side (clocks drift), and
never for a step at or before the last one accepted: a code seen over a shoulder is spent.

Where the forum requires it (``TWO_STEP_REQUIRED_FOR_STAFF``), administrators, coordinators
and space moderators must turn it on before anything else (``must_enrol``).
Logging in itself (the pending state between the two steps) is ``forum/accounts/signin.py``.
"""
import base64
import hashlib
import hmac
import io
import logging
import re
import secrets
import smtplib
import time

import pyotp
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, or_, select, update
from werkzeug.security import check_password_hash

from forum import permissions
from forum.errors import Conflict, Invalid, Refused
from forum.extensions import db
from forum.notifications import mail

from . import sessions
from .twostep_models import RecoveryCode, TwoStepLogin

log = logging.getLogger(__name__)

ISSUER = "Agora"
RECOVERY_CODES = 10
STEP_SECONDS = 30
DRIFT_STEPS = 1            # a code of the step before or after the current one still works
TOTP_PATTERN = re.compile(r"^[0-9]{6}$")
RECOVERY_PATTERN = re.compile(r"^[0-9a-f]{16}$")
SEPARATORS = re.compile(r"[\s\-]+")


class WrongCode(Refused):
    """A well-formed code that is not right (or already used): counted by the rate limits."""

    status = 401


def settings_of(member):
    return db.session.get(TwoStepLogin, member.id)


def is_enabled(member):
    return member is not None and settings_of(member) is not None


def must_enrol(member):
    """Staff without two-step login, where the forum requires it of them."""
    return bool(current_app.config["TWO_STEP_REQUIRED_FOR_STAFF"]) and permissions.holds_a_role(member) \
        and not is_enabled(member)


def remaining_recovery_codes(member):
    return db.session.scalar(select(func.count()).select_from(RecoveryCode)
                             .where(RecoveryCode.member_id == member.id))


# --- enrolment -------------------------------------------------------------------------------

def new_secret():
    return pyotp.random_base32()   # 160 bits, as RFC 4226 recommends


def provisioning_uri(member, secret):
    return pyotp.TOTP(secret).provisioning_uri(name=member.pseudonym, issuer_name=ISSUER)


def qr_code_data_uri(member, secret):
    """The provisioning address as an SVG QR code, in a ``data:`` URI for an ``<img>``: no file,
    no script, and the CSP allows ``img-src data:``. Drawn on white, so that a dark theme
    leaves it readable by a camera."""
    # Only the page that turns two-step login on draws a QR code: no other process imports it.
    import qrcode
    import qrcode.image.svg
    image = qrcode.make(provisioning_uri(member, secret), image_factory=qrcode.image.svg.SvgPathFillImage,
                        box_size=10, border=4)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def written_secret(secret):
    """The secret in groups of four, as authenticator apps ask for it when typed."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def enable(member, secret, code):
    """Turn two-step login on with ``secret``, once ``code`` shows the app holds it; ends the
    member's other sessions (they passed one step only) and tells them by email; commits.
    Returns the recovery codes, to show once."""
    if is_enabled(member):
        raise Conflict(_("La connexion en deux étapes est déjà activée."))
    if not secret or not re.fullmatch(r"[A-Z2-7]{16,64}", secret):
        raise Refused(_("La page d'activation a expiré : rechargez-la et scannez le nouveau code QR."), 410)
    step = _matching_step(secret, _totp_code(code), after=None)
    if step is None:
        raise WrongCode(_("Ce code ne correspond pas : vérifiez l'heure de votre téléphone et saisissez le "
                          "code affiché maintenant par l'application."))
    db.session.add(TwoStepLogin(member_id=member.id, secret=secret, last_time_step=step))
    codes = _replace_recovery_codes(member)
    sessions.end_sessions(member, keep=member.current_session)
    db.session.commit()
    _tell(member, enabled=True)
    return codes


def regenerate_recovery_codes(member, password):
    """Ten new recovery codes (the old ones stop working); commits."""
    if not is_enabled(member):
        raise Conflict(_("La connexion en deux étapes n'est pas activée."))
    _check_password(member, password)
    codes = _replace_recovery_codes(member)
    db.session.commit()
    return codes


def disable(member, password, code):
    """Turn two-step login off: the password and a code (or a recovery code); commits."""
    settings = settings_of(member)
    if settings is None:
        raise Conflict(_("La connexion en deux étapes n'est pas activée."))
    _check_password(member, password)
    verify(member, code)
    turn_off(member)


def turn_off(member):
    """Turn two-step login off without asking anything (``disable`` asks; an administrator's
    command, for a member who lost their phone and their recovery codes); commits, tells them."""
    db.session.execute(delete(TwoStepLogin).where(TwoStepLogin.member_id == member.id))
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.member_id == member.id))
    db.session.commit()
    _tell(member, enabled=False)


def _check_password(member, password):
    if not check_password_hash(member.password_hash, password or ""):
        raise Invalid({"password": _("Mot de passe incorrect.")}, status=401)


def _replace_recovery_codes(member):
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.member_id == member.id))
    codes = [secrets.token_hex(8) for _i in range(RECOVERY_CODES)]
    db.session.add_all(RecoveryCode(member_id=member.id, code_hash=_digest(code)) for code in codes)
    return ["-".join(code[i:i + 4] for i in range(0, 16, 4)) for code in codes]


# --- checking a code -------------------------------------------------------------------------

def verify(member, code):
    """Accept ``code`` (from the app, or a recovery code) for ``member``, and spend it; the caller
    commits. Returns ``"app"`` or ``"recovery"``; raises ``Invalid`` (malformed) or ``WrongCode``."""
    settings = settings_of(member)
    if settings is None:
        raise Conflict(_("La connexion en deux étapes n'est pas activée."))
    typed = SEPARATORS.sub("", code or "").lower()
    if TOTP_PATTERN.match(typed):
        step = _matching_step(settings.secret, typed, after=settings.last_time_step)
        # One statement that only moves forward: of two requests with one code, one wins.
        spent = None if step is None else db.session.execute(
            update(TwoStepLogin).where(TwoStepLogin.member_id == member.id,
                                       or_(TwoStepLogin.last_time_step.is_(None), TwoStepLogin.last_time_step < step))
            .values(last_time_step=step))
        if spent is None or spent.rowcount != 1:
            raise WrongCode(_("Ce code n'est pas le bon, ou il a déjà servi : saisissez le code affiché "
                              "maintenant par votre application."))
        return "app"
    if RECOVERY_PATTERN.match(typed):
        spent = db.session.execute(delete(RecoveryCode).where(RecoveryCode.member_id == member.id,
                                                              RecoveryCode.code_hash == _digest(typed)))
        if spent.rowcount != 1:   # two requests at once: one of them deletes the row
            raise WrongCode(_("Ce code de secours n'est pas valable, ou il a déjà servi."))
        return "recovery"
    raise Invalid({"code": _("Saisissez les 6 chiffres affichés par votre application, ou un code de "
                             "secours (16 caractères).")})


def _totp_code(code):
    typed = SEPARATORS.sub("", code or "")
    if not TOTP_PATTERN.match(typed):
        raise Invalid({"code": _("Saisissez les 6 chiffres affichés par votre application.")})
    return typed


def _matching_step(secret, typed, after):
    """The time step ``typed`` is the code of (the current one or those beside it), later than
    ``after``; None when none is."""
    totp = pyotp.TOTP(secret)
    current = int(time.time()) // STEP_SECONDS
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if (after is None or step > after) and hmac.compare_digest(totp.generate_otp(step), typed):
            return step
    return None


def _digest(code):
    return hashlib.sha256(code.encode()).hexdigest()


# --- telling the member ----------------------------------------------------------------------

def _tell(member, enabled):
    """An email each time two-step login is turned on or off: if it was not them, they know."""
    _ = mail.gettext_for(member.locale)   # the recipient's language, not the request's
    subject = "[Agora] " + (_("Connexion en deux étapes activée") if enabled
                            else _("Connexion en deux étapes désactivée"))
    text, html = mail.render("two_step_changed", locale=member.locale, member=member, subject=subject,
                             enabled=enabled, url=mail.absolute_url("accounts.settings", _anchor="sessions"))
    try:
        with mail.transport() as transport:
            transport.send(mail.build(member, subject, text, html, category="securite"))
    except (OSError, smtplib.SMTPException):
        # The change is made: a mail server down must not undo it nor show an error.
        log.exception("two-step login email to member %s not sent", member.id)
