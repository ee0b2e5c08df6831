"""Requests authenticated by an API key, as Discourse's: ``Api-Key`` (and ``Api-Username``)
headers instead of the session cookie.

A request carrying ``Api-Key`` is the key's, whole: its session cookie is neither read nor
written (``KeySessions``), ``current_user`` is the member the key acts as (set before any other
hook asks), so every permission check applies unchanged (a suspended member's key reads what a
visitor reads). It needs no CSRF token: it carries no cookie credential a third-party page could
make a browser send (forum/extensions.py), and without CORS headers no other origin can send the
header at all. A request with the session cookie still needs its token on every write.

Refused, with Discourse's shape (``invalid_access``, 403) and before the view runs: a malformed,
unknown or revoked key, a username that is not the key's member, a read key on anything but GET
and HEAD. Each key has its own rate limit (``RATELIMIT_API_KEY``; 429 with Retry-After).

Discourse's older ``api_key`` and ``api_username`` query parameters are refused (400): a key in
an address stays in server logs, proxies, the browser's history and Referer headers.
"""
import logging
import time

import limits
from flask import current_app, g, request
from flask.sessions import SecureCookieSessionInterface
from flask_babel import gettext as _
from werkzeug.exceptions import TooManyRequests

from forum.errors import Forbidden, Refused
from forum.extensions import limiter

from . import keys

log = logging.getLogger(__name__)

KEY_HEADER = "Api-Key"
USERNAME_HEADER = "Api-Username"
QUERY_PARAMETERS = ("api_key", "api_username")
READ_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_HEADERS = "Api-Key, Api-Username, Content-Type"
CORS_METHODS = "GET, POST, PUT, DELETE"


def carries_key(incoming):
    return KEY_HEADER in incoming.headers


class KeySessions(SecureCookieSessionInterface):
    """Flask's cookie sessions, but a request with an API key gets an empty session, never saved."""

    def open_session(self, app, incoming):
        if carries_key(incoming):
            return self.session_class()
        return super().open_session(app, incoming)

    def save_session(self, app, session, response):
        if carries_key(request):
            return
        super().save_session(app, session, response)


def authenticate_request():
    """The first hook of every request: a key's request acts as its member, or is refused."""
    if any(name in request.args for name in QUERY_PARAMETERS):
        raise Refused(_("Passez la clé d'API dans l'en-tête Api-Key (et le nom dans Api-Username), jamais "
                        "dans l'adresse : une adresse reste dans les journaux et l'historique."), 400)
    if not carries_key(request):
        return
    g._login_user = current_app.login_manager.anonymous_user()   # Flask-Login's slot, until accepted
    try:
        credential = keys.authenticate(request.headers[KEY_HEADER].strip(), request.headers.get(USERNAME_HEADER))
    except keys.KeyRefused as refusal:
        log.info("api key refused: %s", refusal.reason)
        raise
    _count(credential.key)
    if request.method not in READ_METHODS and not keys.may_write(credential):
        raise Forbidden(_("Cette clé d'API ne permet que la lecture."))
    keys.note_use(credential)
    g._login_user, g.authenticated_by_key, g.api_key_id = credential.member, True, credential.key.id


def _count(row):
    """The key's own rate limit (Flask-Limiter's storage); a storage down counts nothing."""
    setting = current_app.config["RATELIMIT_API_KEY"]
    if not current_app.config["RATELIMIT_ENABLED"] or not setting:
        return
    # Counted by the key's hash (a part): unique across databases, unlike its row's number.
    identity = row.key_hash[:32]
    try:
        strategy = limiter.limiter
        for item in limits.parse_many(setting):
            if not strategy.hit(item, "api-key", identity):
                reset = strategy.get_window_stats(item, "api-key", identity).reset_time
                raise TooManyRequests(retry_after=max(1, int(reset - time.time()) + 1))
    except TooManyRequests:
        raise
    except Exception:  # the limiter's storage is unreachable: serve rather than refuse every tool
        log.exception("api key rate limit not counted")


def allowed_origins():
    value = current_app.config["API_CORS_ORIGINS"] or ()
    if isinstance(value, str):
        value = value.replace(",", " ").split()
    return {origin.rstrip("/") for origin in value}


def cross_origin(response):
    """CORS for the JSON API, only to the origins ``API_CORS_ORIGINS`` lists (none by default);
    never with credentials: another origin's page uses a key, never the member's cookie."""
    origin = request.headers.get("Origin")
    if origin and request.path.endswith(".json") and origin.rstrip("/") in allowed_origins():
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Allow-Headers"] = CORS_HEADERS
        response.headers["Access-Control-Allow-Methods"] = CORS_METHODS
        response.headers.add("Vary", "Origin")
    return response


def init_app(app):
    if type(app.session_interface) is SecureCookieSessionInterface:
        app.session_interface = KeySessions()
    # First of all the hooks: the limiter, the request log, two-step login and every view ask
    # ``current_user``, which must be the key's member from the start.
    app.before_request_funcs.setdefault(None, []).insert(0, authenticate_request)
    app.after_request(cross_origin)
