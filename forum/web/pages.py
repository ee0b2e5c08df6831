"""What every page shares: security headers, error pages, template filters, language choice."""
import hashlib
import os
from datetime import timedelta

from flask import current_app, g, make_response, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext, lazy_gettext
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException

from forum import config as settings, dates
from forum.accounts import sessions
from forum.clock import now
from forum.errors import Refused
from forum.extensions import db
from forum.web.links import Links

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; media-src 'self'; object-src 'none'; base-uri 'none'; "
       "form-action 'self'; frame-ancestors 'none'")

ERROR_MESSAGES = {
    400: (lazy_gettext("Requête incorrecte"), lazy_gettext("Le formulaire envoyé est incomplet ou mal formé.")),
    401: (lazy_gettext("Connexion nécessaire"), lazy_gettext("Connectez-vous pour continuer.")),
    403: (lazy_gettext("Accès refusé"), lazy_gettext("Vous n'avez pas le droit de faire cela.")),
    404: (lazy_gettext("Page introuvable"),
          lazy_gettext("Cette page n'existe pas, ou elle ne vous est pas ouverte.")),
    405: (lazy_gettext("Action impossible"), lazy_gettext("Cette adresse ne permet pas cette action.")),
    409: (lazy_gettext("Conflit"), lazy_gettext("Cette action entre en conflit avec l'état actuel.")),
    410: (lazy_gettext("Lien périmé"), lazy_gettext("Ce lien ne fonctionne plus.")),
    413: (lazy_gettext("Envoi trop volumineux"), lazy_gettext("Ce que vous avez envoyé est trop volumineux.")),
    415: (lazy_gettext("Fichier refusé"), lazy_gettext("Ce type de fichier n'est pas accepté ici.")),
    422: (lazy_gettext("Saisie à corriger"), lazy_gettext("Certaines informations sont à corriger.")),
    429: (lazy_gettext("Trop de tentatives"),
          lazy_gettext("Vous avez fait cela trop souvent. Patientez quelques minutes puis réessayez.")),
    500: (lazy_gettext("Erreur du serveur"),
          lazy_gettext("Une erreur inattendue s'est produite. Rien de ce que vous avez écrit n'a été "
                       "publié à moitié ; réessayez dans un instant.")),
    503: (lazy_gettext("Service momentanément indisponible"),
          lazy_gettext("Le forum ne peut pas joindre sa base de données. Réessayez dans quelques instants.")),
}

# Discourse's error_type for each status: its API clients read it (``{"errors": [...], "error_type"}``).
ERROR_TYPES = {400: "invalid_parameters", 401: "not_logged_in", 403: "invalid_access", 404: "not_found",
               405: "invalid_parameters", 409: "conflict", 410: "not_found", 413: "invalid_parameters",
               415: "invalid_parameters", 422: "invalid_parameters", 429: "rate_limit",
               500: "server_error", 503: "server_error"}

# Fields worth giving back to the member when their form could not be accepted.
KEPT_FIELDS = ("title", "body", "bio", "description")


def init_app(app):
    # Outermost, around the Socket.IO middleware too: its transport answers never pass through
    # Flask's hooks, and must not be framed, sniffed or kept by a cache either.
    app.wsgi_app = DefaultHeaders(app.wsgi_app, TRANSPORT_HEADERS)
    app.after_request(_security_headers)
    app.before_request(_touch_last_seen)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Refused, _refused)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(OperationalError, _database_unavailable)
    app.register_error_handler(InterfaceError, _database_unavailable)
    # One formatter for every date of the forum (pages, notices, emails): forum/dates.py.
    app.jinja_env.filters["datetime"] = dates.format_datetime
    app.jinja_env.filters["date"] = dates.format_date
    app.jinja_env.globals["static_url"] = _static_url
    app.jinja_env.globals["get_locale"] = get_locale
    Links(app)
    # A POST (the footer's form, with its CSRF token): an image or a link elsewhere must not
    # switch a reader's language.
    app.add_url_rule("/langue/<code>", "language", _choose_language, methods=["POST"])


TRANSPORT_HEADERS = (
    ("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Cache-Control", "private, no-store"),
)


class DefaultHeaders:
    """WSGI middleware: adds each of ``headers`` to an answer that does not carry it already."""

    def __init__(self, wsgi_app, headers):
        self.wsgi_app, self.headers = wsgi_app, headers

    def __call__(self, environ, start_response):
        def start(status, headers, exc_info=None):
            present = {name.lower() for name, _value in headers}
            headers = list(headers) + [(name, value) for name, value in self.headers if name.lower() not in present]
            return start_response(status, headers, exc_info)
        return self.wsgi_app(environ, start)


def _security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "geolocation=(), camera=(), microphone=(), interest-cohort=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if current_user and current_user.is_authenticated:
        # Pages shown to a member are theirs alone: no shared cache may keep them.
        headers.setdefault("Cache-Control", "private, no-store")
    return response


def _touch_last_seen():
    """Record activity at most once every 5 minutes (a write per page would serialize SQLite).
    A tool's request with an API key is not the member on the site (their notification emails
    wait while they are): the key notes its own last use (forum/api/keys.py)."""
    if request.endpoint == "static" or not current_user.is_authenticated or g.get("authenticated_by_key"):
        return
    moment = now()
    stale = current_user.last_seen_at is None or moment - current_user.last_seen_at > timedelta(minutes=5)
    if stale:
        current_user.last_seen_at = moment
    if sessions.touch(current_user, moment) or stale:
        db.session.commit()


def _render_error(status, message=None, **context):
    title, default = ERROR_MESSAGES.get(status, (gettext("Erreur"), gettext("Une erreur s'est produite.")))
    if request.path.endswith(".json") or request.path.startswith(current_app.extensions.get("agora_json_prefixes", ())) \
            or request.accept_mimetypes.best == "application/json":
        text = str(message or default)
        # Discourse's shape (``errors``, ``error_type``) and Agora's first one (``error``, ``status``).
        return make_response({"errors": [text], "error_type": ERROR_TYPES.get(status, "unknown"),
                              "error": text, "status": status, **context}, status)
    return make_response(render_template("error.html", status=status, title=title,
                                         message=message or default, **context), status)


def _http_error(error):
    if error.code in (301, 302, 303, 307, 308) or error.code is None:
        return error
    wait = int(getattr(error, "retry_after", None) or 0) if error.code == 429 else 0
    # Discourse's clients wait ``extras.wait_seconds`` before trying again (pydiscourse does).
    response = _render_error(error.code, None, **({"extras": {"wait_seconds": wait}} if wait else {}))
    if error.code == 405 and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    if wait:
        response.headers["Retry-After"] = str(wait)
    return response


def _refused(refusal):
    return _render_error(refusal.status, refusal.message)


def _csrf_error(error):
    kept = {name: request.form.get(name) for name in KEPT_FIELDS if request.form.get(name)}
    return _render_error(400, gettext("Le formulaire a expiré ou ne vient pas de ce site : rien n'a "
                                      "été enregistré. Votre texte est recopié ci-dessous ; rechargez "
                                      "la page du formulaire pour l'envoyer à nouveau."), kept=kept)


def _database_unavailable(error):
    current_app.logger.error("database unavailable: %s", error)
    try:
        db.session.rollback()
    except Exception:  # the connection may be gone as well
        pass
    response = _render_error(503)
    response.headers["Retry-After"] = "10"
    return response


def _static_url(filename):
    """Static URL with a content hash, so that browsers may cache it for long."""
    cache = current_app.extensions.setdefault("agora_static_hashes", {})
    if filename not in cache or current_app.debug:
        path = os.path.join(current_app.static_folder, filename)
        try:
            with open(path, "rb") as handle:
                cache[filename] = hashlib.sha256(handle.read()).hexdigest()[:10]
        except OSError:
            cache[filename] = "0"
    return url_for("static", filename=filename, v=cache[filename])


def _choose_language(code):
    target = request.referrer if request.referrer and request.referrer.startswith(request.host_url) else None
    response = redirect(target or url_for("topics.home"))
    if code in settings.LOCALES:
        response.set_cookie("lang", code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
        if current_user.is_authenticated:
            current_user.locale = code
            db.session.commit()
    return response

