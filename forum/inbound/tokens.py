"""The token of a reply address: which post, for which member, issued which day, signed.

``reponse+<token>@<domain>``: the token is lowercase base32 (some mail servers fold the case
of a local part) of a version byte, the post's id, the member's id and the day the email was
written, followed by the first 10 bytes of an HMAC-SHA256 of those under a key derived from
the app's secret. 21 bytes, 34 characters: the local part stays far below RFC 5321's 64.
Nothing is stored: the signature proves the forum wrote the address, the day gives its age
(``FORUM_INBOUND_EMAIL_TOKEN_DAYS``), and posting checks again everything the member may do
(a member who left the space cannot use an address they were sent before).
"""
import base64
import binascii
import hashlib
import hmac
import struct
from dataclasses import dataclass
from datetime import date

from flask import current_app

from forum.clock import now

VERSION = 1
_LAYOUT = struct.Struct(">BIIH")     # version, post id, member id, day
_SIGNATURE_BYTES = 10
EPOCH = date(2020, 1, 1)
LENGTH = 34                           # characters of a token


@dataclass(frozen=True)
class Token:
    post_id: int
    member_id: int
    day: int

    @property
    def issued_on(self):
        return date.fromordinal(EPOCH.toordinal() + self.day)


def _key():
    # Its own key, derived: a reply address signed with the session key could not be told
    # apart from anything else the secret signs.
    return hashlib.sha256(b"agora inbound reply address\0" + str(current_app.config["SECRET_KEY"]).encode()).digest()


def _sign(payload):
    return hmac.new(_key(), payload, hashlib.sha256).digest()[:_SIGNATURE_BYTES]


def today():
    return (now().date() - EPOCH).days


def make(post_id, member_id, day=None):
    """The token for ``member_id`` to answer ``post_id`` (None when an id does not fit)."""
    day = today() if day is None else day
    if not (0 <= post_id < 2 ** 32 and 0 <= member_id < 2 ** 32 and 0 <= day < 2 ** 16):
        return None
    payload = _LAYOUT.pack(VERSION, post_id, member_id, day)
    return base64.b32encode(payload + _sign(payload)).decode("ascii").rstrip("=").lower()


def read(text):
    """The ``Token`` written in ``text``, or None if it is not one the forum signed."""
    text = (text or "").strip().upper()
    if len(text) != LENGTH:
        return None
    try:
        raw = base64.b32decode(text + "=" * (-len(text) % 8))
    except (binascii.Error, ValueError):
        return None
    if base64.b32encode(raw).decode("ascii").rstrip("=") != text:
        return None           # the unused low bits of the last character changed: not ours
    payload, signature = raw[:_LAYOUT.size], raw[_LAYOUT.size:]
    if len(signature) != _SIGNATURE_BYTES or not hmac.compare_digest(signature, _sign(payload)):
        return None
    version, post_id, member_id, day = _LAYOUT.unpack(payload)
    if version != VERSION:
        return None
    return Token(post_id, member_id, day)


def expired(token):
    return today() - token.day > current_app.config["INBOUND_EMAIL_TOKEN_DAYS"]
