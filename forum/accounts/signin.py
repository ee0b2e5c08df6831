"""The one way a browser becomes logged in, whatever proved who the member is.

A password, the registration link and, later, other proofs (a reset link, a login link) all
end here, so that what logging in means (a new ``MemberSession``, the Flask-Login cookie, and
any further step a member's account asks for) is decided in one place.

A member with two-step login on is not logged in by the first proof: the browser gets a
*pending* state (in the signed Flask session; five minutes; bound to the member and to their
password hash, so a new password voids it) and the two-step page asks for a code, whose
acceptance calls ``finish_login``.

A suspended member is never logged in, but once they have proved who they are (their password, a
login link), this browser may write to the coordination and read its answers for a while: the
*suspended proof* (in the signed Flask session; 30 minutes; bound to the member and their
password hash like the pending state). ``forum/conversations/suspended.py`` is its only reader.
"""
import hashlib
from datetime import datetime, timedelta

from flask import current_app, request, session, url_for
from flask_babel import gettext as _
from flask_login import login_user
from itsdangerous import BadSignature, URLSafeSerializer

from forum import dates
from forum.clock import now
from forum.errors import Refused
from forum.extensions import db
from forum.web.navigation import safe_next

from . import sessions, twostep
from .models import Member

PENDING_KEY = "deux_etapes"
PENDING_SALT = "agora-deux-etapes"
PENDING_LIFETIME = timedelta(minutes=5)
SUSPENDED_KEY = "compte_suspendu"
SUSPENDED_SALT = "agora-compte-suspendu"
SUSPENDED_LIFETIME = timedelta(minutes=30)
EPOCH = datetime(1970, 1, 1)   # the pending state's time, in whole seconds since (naive UTC, as now())


def why_cannot_log_in(member):
    """Why ``member``, whatever proved who they are, may not log in now (deactivated by the
    coordination, suspended, registration awaiting approval), or None."""
    if member.is_deactivated:
        # The address itself: a person locked out has no page of the site to find it on.
        return _("Ce compte est désactivé. Pour le retrouver, écrivez à la coordination : %(address)s.",
                 address=current_app.config["CONTACT_EMAIL"])
    if member.is_suspended:
        return _("Votre compte est suspendu jusqu'au %(when)s.", when=dates.format_datetime(member.suspended_until))
    if member.awaiting_approval:
        return _("Votre compte attend l'approbation de la coordination : un courriel vous dira sa réponse.")
    return None


def complete_login(member, remember=False, next_url=None):
    """Log ``member`` in, in this browser, or ask for the next step first; commits.

    Returns where the browser goes now: ``next_url`` (a same-site path) or the home page once
    logged in; the two-step page when the account asks for a code (nothing is logged in yet);
    the two-step settings when the forum requires it of this member and it is off."""
    next_url = safe_next(next_url)
    if twostep.is_enabled(member):
        session[PENDING_KEY] = pending_token(member, remember, next_url)
        return url_for("two_step.login")
    finish_login(member, remember)
    if twostep.must_enrol(member):
        return url_for("two_step.settings")
    return next_url or url_for("topics.home")


def finish_login(member, remember=False):
    """Open the session and set the cookie: every step is done; commits."""
    session.pop(PENDING_KEY, None)
    forget_suspended()
    sessions.open_session(member, request.user_agent.string)
    login_user(member, remember=remember)


# --- the state between the two steps ---------------------------------------------------------

def _serializer(salt=PENDING_SALT):
    return URLSafeSerializer(current_app.secret_key, salt=salt)


def _fingerprint(member):
    # The password hash itself never goes into the cookie (signed, not encrypted): a digest of it.
    return hashlib.sha256(member.password_hash.encode()).hexdigest()[:16]


def _seconds(moment=None):
    return int(((moment or now()) - EPOCH).total_seconds())


def pending_token(member, remember=False, next_url=None, moment=None):
    """The signed pending state of ``member`` (``moment``: when the first step was passed)."""
    issued = _seconds(moment)
    return _serializer().dumps({"m": member.id, "p": _fingerprint(member), "r": bool(remember),
                                "n": next_url or "", "t": issued})


def has_pending():
    return PENDING_KEY in session


def pending_member():
    """(member, remember, next_url) of this browser's pending state; ``Refused`` (410 when it
    expired or no longer holds, 400 when malformed) otherwise."""
    token = session.get(PENDING_KEY)
    if token is None:
        raise Refused(_("Aucune connexion n'est en cours : saisissez votre identifiant et votre mot de passe."), 410)
    try:
        data = _serializer().loads(token)
    except BadSignature:
        session.pop(PENDING_KEY, None)
        raise Refused(_("Cette connexion n'est pas valable : saisissez à nouveau votre mot de passe."), 400) from None
    member = db.session.get(Member, data.get("m")) if isinstance(data, dict) and isinstance(data.get("m"), int) \
        else None
    issued = data.get("t") if isinstance(data, dict) else None
    if member is None or not isinstance(issued, int) or data.get("p") != _fingerprint(member) \
            or now() - (EPOCH + timedelta(seconds=issued)) > PENDING_LIFETIME:
        session.pop(PENDING_KEY, None)
        raise Refused(_("Votre connexion a expiré (elle dure 5 minutes) : saisissez à nouveau votre "
                        "mot de passe."), 410)
    return member, bool(data.get("r")), safe_next(data.get("n"))


def pending_member_id():
    """The member id the pending state names, unchecked (a rate-limit key), or None."""
    try:
        data = _serializer().loads(session.get(PENDING_KEY) or "")
    except BadSignature:
        return None
    return data.get("m") if isinstance(data, dict) else None


# --- a suspended member's proof -----------------------------------------------------------------

def remember_suspended(member, moment=None):
    """``member``, suspended, proved who they are in this browser: keep it for a while (issue 21:
    « un membre suspendu peut encore écrire à la coordination »). Nothing is logged in."""
    session[SUSPENDED_KEY] = _serializer(SUSPENDED_SALT).dumps(
        {"m": member.id, "p": _fingerprint(member), "t": _seconds(moment)})


def suspended_member():
    """The member this browser proved to be, while they are still suspended (neither deactivated
    nor back to normal: then they log in) and the proof is less than 30 minutes old and names
    their current password; else None (and the proof is forgotten)."""
    token = session.get(SUSPENDED_KEY)
    if token is None:
        return None
    try:
        data = _serializer(SUSPENDED_SALT).loads(token)
    except BadSignature:
        data = None
    member = db.session.get(Member, data["m"]) if isinstance(data, dict) and isinstance(data.get("m"), int) \
        else None
    issued = data.get("t") if isinstance(data, dict) else None
    if member is None or not isinstance(issued, int) or data.get("p") != _fingerprint(member) \
            or now() - (EPOCH + timedelta(seconds=issued)) > SUSPENDED_LIFETIME \
            or not member.is_suspended or member.is_deactivated:
        forget_suspended()
        return None
    return member


def forget_suspended():
    """This browser no longer holds a suspended member's proof (« Terminer », a real login)."""
    session.pop(SUSPENDED_KEY, None)
