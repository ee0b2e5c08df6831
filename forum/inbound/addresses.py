"""Reply addresses: ``reponse+<token>@<domain>``, the domain from ``FORUM_INBOUND_EMAIL_DOMAIN``."""
from email.utils import getaddresses

from flask import current_app

from . import tokens

PREFIX = "reponse+"


def domain():
    return (current_app.config.get("INBOUND_EMAIL_DOMAIN") or "").strip().lower()


def enabled():
    return bool(domain())


def reply_address(post_id, member_id):
    """The address where ``member_id`` answers ``post_id`` by email; None when replying by email
    is off."""
    if not enabled():
        return None
    token = tokens.make(post_id, member_id)
    return f"{PREFIX}{token}@{domain()}" if token else None


def token_text(address):
    """The token part of one of our reply addresses, or None if ``address`` is not one."""
    local, _, host = (address or "").strip().strip("<>").rpartition("@")
    if not enabled() or host.lower() != domain() or not local.lower().startswith(PREFIX):
        return None
    return local[len(PREFIX):]


def is_ours(address):
    """An address of the forum's inbound domain (looping mail, never answered)."""
    return enabled() and (address or "").strip().lower().rpartition("@")[2] == domain()


def find_token_text(recipients):
    """The first token among ``recipients`` (envelope addresses, or header values)."""
    for value in recipients:
        for _name, address in getaddresses([value]):
            found = token_text(address)
            if found:
                return found
    return None
