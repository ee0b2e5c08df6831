"""API keys: made (the clear key returned once), listed, revoked, and checked on each request.

A member makes keys for their own tools on their settings page (« Clés d'API »); an
administrator makes them from the command line, for a member or global (``flask api``). Only the
key's SHA-256 is kept. ``authenticate`` answers who a request with ``Api-Key`` (and
``Api-Username``) acts as, or raises ``KeyRefused``: one message whatever the reason (a tool
learns nothing about which keys exist), the reason kept for the log and the tests.

Keys die with their member: deactivation revokes them, erasure deletes them (the rows cascade,
and ``forget_member`` says so in the erasure's transaction).
"""
import hashlib
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import gettext as _, lazy_gettext
from sqlalchemy import delete, func, select, update

from forum import events, permissions
from forum.accounts import erasure, portability
from forum.accounts.models import Member
from forum.clock import now
from forum.errors import Conflict, Forbidden, Invalid, NotFound
from forum.extensions import db
from forum.text.pseudonyms import pseudonym_key

from .key_models import READ, SCOPES, ApiKey

log = logging.getLogger(__name__)

KEY_BYTES = 32                          # 64 hexadecimal characters, as Discourse's keys
KEY_SHAPE = re.compile(r"[0-9a-f]{64}")
LABEL_MAX = 100
USERNAME_MAX = 100                      # longer than any pseudonym
MAX_LIVE_KEYS = 25                      # per member: more is a mistake, or an attempt to fill the table
USE_PRECISION = timedelta(minutes=1)    # last_used_at is written at most once a minute per key
DEACTIVATED = "deactivated"             # MemberAdministered.action (forum/accounts/deactivation.py)


class KeyRefused(Forbidden):
    """A request's key opens nothing. ``reason``: malformed, unknown, revoked, no_username,
    no_such_member, wrong_username."""

    def __init__(self, reason):
        # Discourse's words: "The API username or key is invalid."
        super().__init__(_("Vous n'avez pas le droit de voir cette ressource : la clé d'API ou le nom "
                           "d'utilisateur (Api-Username) n'est pas valable."))
        self.reason = reason


@dataclass(frozen=True)
class Credential:
    """Who a key-authenticated request acts as, and with which key."""
    member: Member
    key: ApiKey


def key_hash(key):
    return hashlib.sha256((key or "").encode()).hexdigest()


def _checked(scope, label):
    # Control characters go (PostgreSQL's text refuses NUL), runs of spaces become one.
    label = "".join(char for char in (label or "") if ord(char) >= 32 and ord(char) != 127 or char in "\t\n")
    label = " ".join(label.split())
    if scope not in SCOPES:
        raise Invalid({"scope": _("Choisissez ce que la clé permet : lire, ou lire et écrire.")})
    if len(label) > LABEL_MAX:
        raise Invalid({"label": _("Le nom de la clé tient en %(count)s caractères au plus.", count=LABEL_MAX)})
    return scope, label


def _make(member, scope, label, created_by):
    scope, label = _checked(scope, label)
    key = secrets.token_hex(KEY_BYTES)
    row = ApiKey(member_id=member.id if member is not None else None, created_by_id=created_by,
                 scope=scope, label=label, key_hash=key_hash(key), created_at=now())
    db.session.add(row)
    db.session.commit()
    log.info("api key %s made (%s) for %s", row.id, scope, f"member {member.id}" if member else "any member")
    return row, key


def create(member, scope, label=""):
    """A new key of ``member`` for their own tools (the settings page). Commits; returns
    ``(row, key)``: the clear key, never shown again."""
    if not permissions.is_member(member):
        raise Forbidden(_("Connectez-vous pour gérer vos clés d'API."))
    live = db.session.scalar(select(func.count()).select_from(ApiKey).where(
        ApiKey.member_id == member.id, ApiKey.revoked_at.is_(None)))
    if live >= MAX_LIVE_KEYS:
        raise Conflict({None: _("Vous avez déjà %(count)s clés actives : révoquez celles qui ne servent plus "
                                "avant d'en créer une autre.", count=MAX_LIVE_KEYS)})
    return _make(member, scope, label, member.id)


def create_by_administrator(scope, label="", member=None):
    """A key made from the command line: acting as ``member``, or global (``member`` None: the
    ``Api-Username`` header names the member). Commits; returns ``(row, key)``."""
    if member is not None and (member.is_deactivated or erasure.is_erased(member)):
        raise Invalid({"member": _("Ce compte est désactivé ou effacé.")})
    return _make(member, scope, label, None)


def keys_of(member):
    """``member``'s keys, the newest first (revoked ones too: their dates stay shown)."""
    return db.session.scalars(select(ApiKey).where(ApiKey.member_id == member.id)
                              .order_by(ApiKey.created_at.desc(), ApiKey.id.desc())).all()


def global_keys():
    return db.session.scalars(select(ApiKey).where(ApiKey.member_id.is_(None)).order_by(ApiKey.id)).all()


def _revoke(row):
    if row.is_revoked:
        raise Conflict({None: _("Cette clé est déjà révoquée.")})
    row.revoked_at = now()
    db.session.commit()
    log.info("api key %s revoked", row.id)
    return row


def revoke(member, key_id):
    """Revoke ``member``'s key ``key_id`` (another member's key is not found). Commits."""
    row = db.session.get(ApiKey, key_id) if isinstance(key_id, int) else None
    if row is None or not permissions.is_member(member) or row.member_id != member.id:
        raise NotFound(_("Cette clé n'existe pas."))
    return _revoke(row)


def revoke_by_administrator(key_id):
    """Revoke any key (the command line). Commits."""
    row = db.session.get(ApiKey, key_id)
    if row is None:
        raise NotFound(_("Cette clé n'existe pas."))
    return _revoke(row)


def member_named(username):
    """The member whose pseudonym is ``username`` (case-folded), or None (also for what no
    pseudonym can be: too long, control characters, which PostgreSQL's text refuses)."""
    username = (username or "").strip()
    if len(username) > USERNAME_MAX or any(ord(char) < 32 or ord(char) == 127 for char in username):
        return None
    key = pseudonym_key(username)
    return db.session.scalar(select(Member).where(Member.pseudonym_key == key)) if key else None


def authenticate(key, username=None):
    """The ``Credential`` of ``key`` acting as ``username`` (the ``Api-Username`` header: required
    by a global key, and if given to a member's key, that member's pseudonym); else ``KeyRefused``.
    Writes nothing (``note_use`` does, once the request is accepted)."""
    if not key or not KEY_SHAPE.fullmatch(key):
        raise KeyRefused("malformed")
    row = db.session.scalar(select(ApiKey).where(ApiKey.key_hash == key_hash(key)))
    if row is None:
        raise KeyRefused("unknown")
    if row.is_revoked:
        raise KeyRefused("revoked")
    if row.is_global:
        if not username:
            raise KeyRefused("no_username")
        member = member_named(username)
        if member is None or member.is_deactivated or erasure.is_erased(member):
            raise KeyRefused("no_such_member")
    else:
        member = row.member
        if username and pseudonym_key(username.strip()) != member.pseudonym_key:
            raise KeyRefused("wrong_username")
    return Credential(member=member, key=row)


def may_write(credential):
    return credential.key.scope != READ


def note_use(credential):
    """Record the key's use, at most once a minute (a write per request would serialize SQLite)."""
    row, moment = credential.key, now()
    if row.last_used_at is None or moment - row.last_used_at >= USE_PRECISION:
        row.last_used_at = moment
        db.session.commit()


def revoke_member_keys(event):
    """A deactivated account's keys stop at once (in the deactivation's transaction)."""
    if event.action == DEACTIVATED:
        db.session.execute(update(ApiKey).where(ApiKey.member_id == event.member_id, ApiKey.revoked_at.is_(None))
                           .values(revoked_at=now()))


def forget_member(event):
    """An erased account's keys go (the cascade of forum/accounts/erasure.py does it too)."""
    db.session.execute(delete(ApiKey).where(ApiKey.member_id == event.member_id))


ARCHIVE_LABELS = {"label": lazy_gettext("Nom"), "scope": lazy_gettext("Permet"),
                  "created_at": lazy_gettext("Créée le"), "last_used_at": lazy_gettext("Dernière utilisation"),
                  "revoked_at": lazy_gettext("Révoquée le")}


def archived(member):
    """The member's keys in their « Mes données » archive (never the key: only its hash is kept)."""
    return [{"label": row.label, "scope": row.scope, "created_at": portability.iso(row.created_at),
             "last_used_at": portability.iso(row.last_used_at), "revoked_at": portability.iso(row.revoked_at)}
            for row in keys_of(member)]


def init_app(app):
    portability.register_section(app, "cles-api", lazy_gettext("Vos clés d'API"), archived, ARCHIVE_LABELS)
    events.subscribe(app, events.MemberAdministered, revoke_member_keys, phase="transaction")
    events.subscribe(app, events.MemberErased, forget_member, phase="transaction")
