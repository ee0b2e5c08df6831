"""One log line per request, for operators: its id, route, status and duration, and who asked,
hashed.

``FORUM_LOG_FORMAT=json`` (set by gunicorn.conf.py) writes each as one JSON object on the
logger ``agora.requests``; ``text`` (the default, for `make run`) as a short line. What is left
out, on purpose: the path and the query (a member's pseudonym is in some paths, a search in
others), the address (rate limits have it, logs need not keep it) and the member's id, which
is replaced by an HMAC of it under the secret key: the lines of one member can be followed,
nobody can be named from them. The request id comes from ``X-Request-Id`` when a trusted proxy
sets it (``PROXY_COUNT`` > 0; nginx's ``$request_id``), else is made here, and goes back in the
answer's ``X-Request-Id``.
"""
import hashlib
import hmac
import json
import logging
import re
import time
import uuid

from flask import current_app, g, request
from flask_login import current_user

log = logging.getLogger("agora.requests")
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def init_app(app):
    app.before_request(_start)
    app.after_request(_write)
    if not log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False


def member_digest(member_id):
    """The member as the logs name them: 16 hex digits of an HMAC under the secret key."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"member:{member_id}".encode(), hashlib.sha256).hexdigest()[:16]


def _start():
    given = request.headers.get("X-Request-Id", "")
    trusted = int(current_app.config["PROXY_COUNT"] or 0) > 0 and REQUEST_ID.match(given)
    g.agora_request_id = given if trusted else uuid.uuid4().hex
    g.agora_request_started = time.perf_counter()


def _write(response):
    started = g.pop("agora_request_started", None)
    if started is None or request.endpoint == "static":
        return response
    request_id = g.get("agora_request_id")
    response.headers.setdefault("X-Request-Id", request_id)
    member = member_digest(current_user.id) if current_user and current_user.is_authenticated else None
    entry = {"request_id": request_id, "method": request.method, "route": request.endpoint or "unknown",
             "status": response.status_code, "duration_ms": round(1000 * (time.perf_counter() - started), 1),
             "member": member}
    if current_app.config["LOG_FORMAT"] == "json":
        log.info(json.dumps(entry, separators=(",", ":")))
    else:
        log.info("%(method)s %(route)s %(status)s %(duration_ms)s ms%(who)s",
                 dict(entry, who=f" membre {member}" if member else ""))
    return response
