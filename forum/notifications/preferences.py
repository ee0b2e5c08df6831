"""Members' email choices, and the signed links that unsubscribe without logging in."""
from flask import current_app
from flask_babel import gettext as _, lazy_gettext
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select

from forum.accounts.models import Member
from forum.clock import now
from forum.errors import Invalid, NotFound
from forum.extensions import db

from .models import DIRECT_KINDS, EMAIL_ALL, EMAIL_DIRECT, EMAIL_MODES, EMAIL_NEVER, MailPreference

DEFAULT_MODE = EMAIL_DIRECT
DEFAULT_DIGEST = True
MODE_LABELS = {
    EMAIL_ALL: lazy_gettext("Toutes mes notifications, peu après qu'elles arrivent"),
    EMAIL_DIRECT: lazy_gettext("Seulement ce qui me concerne directement : réponses, mentions, décisions"),
    EMAIL_NEVER: lazy_gettext("Jamais (je consulte mes notifications sur le site)"),
}

SCOPE_DIGEST = "resume"
SCOPE_NOTIFICATIONS = "notifications"
SCOPES = (SCOPE_DIGEST, SCOPE_NOTIFICATIONS)
_SALT = "agora-desabonnement"


def wants_mail(mode, kind):
    if mode == EMAIL_ALL:
        return True
    if mode == EMAIL_DIRECT:
        return kind in DIRECT_KINDS
    return False


def get(member_id):
    """The member's choices (a row with the defaults, not added, when they never chose)."""
    row = db.session.get(MailPreference, member_id)
    return row or MailPreference(member_id=member_id, email_mode=DEFAULT_MODE, digest=DEFAULT_DIGEST,
                                 college_mentions=False)


def email_modes(member_ids):
    """{member id: email mode} in one query."""
    modes = dict.fromkeys(member_ids, DEFAULT_MODE)
    if modes:
        modes.update(db.session.execute(select(MailPreference.member_id, MailPreference.email_mode)
                                        .where(MailPreference.member_id.in_(list(modes)))).all())
    return modes


def _row(member_id):
    row = db.session.get(MailPreference, member_id)
    if row is None:
        row = MailPreference(member_id=member_id, email_mode=DEFAULT_MODE, digest=DEFAULT_DIGEST,
                             college_mentions=False)
        db.session.add(row)
    return row


def save(member, email_mode, digest, college_mentions=None):
    """Record ``member``'s choices (``college_mentions``: None keeps it); commits."""
    if email_mode not in EMAIL_MODES:
        raise Invalid({"email_mode": _("Choisissez quand recevoir des courriels dans la liste.")})
    row = _row(member.id)
    row.email_mode, row.digest, row.updated_at = email_mode, bool(digest), now()
    if college_mentions is not None:
        row.college_mentions = bool(college_mentions)
    db.session.commit()
    return row


# --- one-click unsubscribe (RFC 8058) ------------------------------------------------------

def _serializer():
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def unsubscribe_token(member_id, scope):
    """A signed token naming a member and what they stop receiving; it does not expire
    (emails are read late), and it can do nothing but unsubscribe."""
    assert scope in SCOPES
    return _serializer().dumps([member_id, scope])


def read_token(token):
    """(member id, scope) of a valid token; ``NotFound`` for anything else."""
    try:
        member_id, scope = _serializer().loads(token)
    except (BadSignature, TypeError, ValueError):
        raise NotFound(_("Ce lien de désabonnement n'est pas valide. Vous pouvez choisir vos "
                         "courriels dans vos préférences, une fois connecté."))
    if not isinstance(member_id, int) or scope not in SCOPES:
        raise NotFound(_("Ce lien de désabonnement n'est pas valide."))
    return member_id, scope


def unsubscribe(member_id, scope):
    """Stop the digest, or notification emails, for ``member_id``; commits. Idempotent."""
    if db.session.get(Member, member_id) is None:
        raise NotFound(_("Ce lien de désabonnement ne correspond à aucun compte."))
    row = _row(member_id)
    if scope == SCOPE_DIGEST:
        row.digest = False
    else:
        row.email_mode = EMAIL_NEVER
    row.updated_at = now()
    db.session.commit()
    return row
