"""Links sent by email that prove who holds an inbox: signed, expiring, single-use.

A token is an itsdangerous signature of a small payload, salted by its purpose (a reset link
cannot serve as a login link). When a link serves, the SHA-256 of its token is written in
``spent_token`` (never the token: a copy of the table opens nothing), in the same transaction
as the change the link makes, and kept until the link would have expired anyway; its primary
key makes a second use fail even when two browsers press the button at once.

Expiry is measured with ``forum.clock.now`` (read through the module, so that tests can move it).
"""
import hashlib
from dataclasses import dataclass
from datetime import timedelta, timezone

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from forum import clock
from forum.errors import Refused
from forum.extensions import db

from .models import SpentToken


@dataclass(frozen=True)
class Purpose:
    salt: str
    max_age: timedelta


CONFIRM = Purpose("agora-inscription", timedelta(days=2))
RESET = Purpose("agora-mot-de-passe", timedelta(hours=1))
LOGIN = Purpose("agora-lien-de-connexion", timedelta(minutes=15))
EMAIL = Purpose("agora-changement-adresse", timedelta(hours=48))


class LinkRefused(Refused):
    """A link that cannot serve: ``reason`` is "forged", "expired" or "spent"; ``purpose`` says
    what a new link would be (the page offers to ask for one)."""

    def __init__(self, purpose, reason, message, status):
        super().__init__(message, status)
        self.purpose, self.reason = purpose, reason


class _ClockSigner(TimestampSigner):
    def get_timestamp(self):
        return int(clock.now().replace(tzinfo=timezone.utc).timestamp())


def _serializer(purpose):
    return URLSafeTimedSerializer(current_app.secret_key, salt=purpose.salt, signer=_ClockSigner)


def _digest(token):
    return hashlib.sha256(token.encode()).hexdigest()


def issue(purpose, **payload):
    """A token for ``purpose`` carrying ``payload`` (small: it travels in a link)."""
    return _serializer(purpose).dumps(payload)


def read(purpose, token):
    """The payload of a valid, unspent ``token``; raises ``LinkRefused``. Spends nothing."""
    token = token or ""
    try:
        payload = _serializer(purpose).loads(token, max_age=int(purpose.max_age.total_seconds()))
    except SignatureExpired:
        raise LinkRefused(purpose, "expired", _("Ce lien a expiré : demandez-en un nouveau."), 410) from None
    except (BadSignature, UnicodeError, ValueError):
        raise LinkRefused(purpose, "forged", _("Ce lien n'est pas valable : il est incomplet ou a été modifié. "
                                               "Copiez-le en entier depuis le courriel, ou demandez-en "
                                               "un nouveau."), 400) from None
    if not isinstance(payload, dict):
        raise LinkRefused(purpose, "forged", _("Ce lien n'est pas valable."), 400)
    if db.session.get(SpentToken, _digest(token)) is not None:
        raise spent(purpose)
    return payload


def spent(purpose):
    return LinkRefused(purpose, "spent", _("Ce lien a déjà servi : chaque lien ne sert qu'une fois. "
                                  "Demandez-en un nouveau si besoin."), 410)


def spend(purpose, token):
    """Read ``token`` and mark it spent in the current transaction (the caller commits with the
    change the link makes); a token spent meanwhile by another request is refused."""
    payload = read(purpose, token)
    moment = clock.now()
    db.session.execute(delete(SpentToken).where(SpentToken.expires_at < moment))
    db.session.add(SpentToken(digest=_digest(token), expires_at=moment + purpose.max_age))
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise spent(purpose) from None
    return payload
