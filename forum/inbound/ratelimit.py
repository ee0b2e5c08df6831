"""The site's posting rate limit, applied to replies by email.

The same setting as the reply form (``FORUM_RATELIMIT_POSTING``, or ``…_NEW_MEMBER`` during a
member's first days), in Flask-Limiter's storage under a key of its own: like the form, only
replies that were posted count. Shared between processes only with ``FORUM_REDIS_URL`` (each
`flask mail receive` is a new process: with memory storage it counts nothing).
"""
import logging
from datetime import timedelta

import limits as limits_library
from flask import current_app

from forum.clock import now
from forum.extensions import limiter

log = logging.getLogger(__name__)


def _items(member):
    config = current_app.config
    new = member.created_at is not None and member.created_at > now() - timedelta(days=config["NEW_MEMBER_DAYS"])
    setting = config["RATELIMIT_POSTING_NEW_MEMBER" if new else "RATELIMIT_POSTING"]
    return limits_library.parse_many(setting) if setting else []


def _enabled():
    return bool(current_app.config["RATELIMIT_ENABLED"])


def allowed(member):
    if not _enabled():
        return True
    try:
        return all(limiter.limiter.test(item, "inbound-posting", str(member.id)) for item in _items(member))
    except Exception:      # noqa: BLE001 - storage unreachable: the form's limit behaves the same way
        log.exception("inbound posting rate limit not checked")
        return True


def count(member):
    if not _enabled():
        return
    try:
        for item in _items(member):
            limiter.limiter.hit(item, "inbound-posting", str(member.id))
    except Exception:      # noqa: BLE001 - see allowed()
        log.exception("inbound posting rate limit not counted")
