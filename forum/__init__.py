"""Agora, the deliberation forum of the comités locaux: the application factory."""
import importlib
import logging
import os
import secrets

from flask import Flask, has_request_context, request
from flask_babel import lazy_gettext
from flask_login import current_user
from sqlalchemy import event as sa_event
from sqlalchemy.engine import Engine

from . import config as settings, registry
from .extensions import babel, csrf, db, limiter, login_manager, socketio
from .numbers import BoundedIntConverter, TextConverter

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Packages built on the core; each has ``init_app(app)``. The core never imports them.
PACKAGES = ("moderation", "search")

log = logging.getLogger(__name__)


def create_app(test_config=None):
    instance_path = (test_config or {}).get("INSTANCE_PATH") or os.environ.get("FORUM_INSTANCE_PATH")
    app = Flask(__name__, instance_relative_config=True, instance_path=instance_path,
                template_folder=os.path.join(ROOT, "templates"),
                static_folder=os.path.join(ROOT, "static"))
    # Before any route is added: every <int:…> of the app is bounded (forum/numbers.py).
    app.url_map.converters["int"] = BoundedIntConverter
    app.url_map.converters["default"] = app.url_map.converters["string"] = TextConverter   # no NUL
    app.config.from_mapping(settings.defaults())
    app.config.from_prefixed_env("FORUM")
    if test_config:
        app.config.from_mapping(test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    _configure(app)
    registry.init_app(app)   # first: every area and package registers into it

    db.init_app(app)
    if not app.config["WEB_ONLY"]:
        # Alembic (and Mako) weigh ~11 MiB per process: web workers never migrate.
        from flask_migrate import Migrate
        Migrate(app, db, directory=os.path.join(ROOT, "migrations"))
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = lazy_gettext("Connectez-vous pour accéder à cette page.")
    login_manager.localize_callback = str  # the session stores the text in the reader's language
    login_manager.session_protection = "basic"
    babel.init_app(app, locale_selector=_select_locale,
                   default_translation_directories=os.path.join(ROOT, "forum", "translations"))
    csrf.init_app(app)
    limiter.init_app(app)
    from . import realtime

    # async_mode is never auto-detected (a stray eventlet would win); the default origin check
    # (same origin only) stays: never "*" with cookie authentication.
    socketio.init_app(app, async_mode=app.config["SOCKETIO_ASYNC_MODE"],
                      message_queue=app.config["SOCKETIO_MESSAGE_QUEUE"] or app.config["REDIS_URL"],
                      manage_session=False, max_http_buffer_size=realtime.MAX_MESSAGE_BYTES,
                      transports=["websocket"] if app.config["SOCKETIO_WEBSOCKET_ONLY"]
                      else ["polling", "websocket"])

    from .accounts import (data_export_views, deletion_views, invitation_views, recovery_views, twostep_views,
                           views as account_views)
    from .accounts import membership_views  # noqa: F401  (its routes join the accounts blueprint)
    from .accounts import blocking_views  # noqa: F401  (its routes join the accounts blueprint)
    from .charter import views as charter_views
    from .coordination import member_views, views as coordination_views
    from .topics import views as topic_views
    from .web import compression, fragments, metrics, page_cache, pages, probes, request_log, transport
    for blueprint in (topic_views.bp, charter_views.bp, account_views.bp, recovery_views.bp, invitation_views.bp,
                      deletion_views.bp, twostep_views.bp, data_export_views.bp, coordination_views.bp,
                      member_views.bp, probes.bp):
        app.register_blueprint(blueprint)
    # First registered, so it runs last: it compresses the response every other hook finished.
    compression.init_app(app)
    pages.init_app(app)
    page_cache.init_app(app)
    fragments.init_app(app)
    metrics.init_app(app)
    request_log.init_app(app)

    from . import (announcements, api, backups, capitalisation, cli, conversations, decisions, feeds, inbound,
                   meetings, notifications, participation, syntheses, webhooks)
    cli.init_app(app)
    api.init_app(app)
    backups.init_app(app)
    realtime.init_app(app)
    notifications.init_app(app)
    decisions.init_app(app)
    syntheses.init_app(app)
    capitalisation.init_app(app)
    participation.init_app(app)
    meetings.init_app(app)
    conversations.init_app(app)
    feeds.init_app(app)
    announcements.init_app(app)
    webhooks.init_app(app)
    inbound.init_app(app)

    for name in app.config.get("PACKAGES", PACKAGES):
        importlib.import_module(name).init_app(app)
    transport.init_app(app)   # last: it wraps the WSGI app Socket.IO wrapped
    return app


def _configure(app):
    config = app.config
    if not config.get("SQLALCHEMY_DATABASE_URI"):
        config["SQLALCHEMY_DATABASE_URI"] = config["DATABASE_URL"] or \
            "sqlite:///" + os.path.join(app.instance_path, "agora.db")
    config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True})
    if config["SOCKETIO_ASYNC_MODE"] not in ("threading", "gevent"):
        raise RuntimeError("FORUM_SOCKETIO_ASYNC_MODE must be threading or gevent (eventlet is unmaintained).")
    if config["REGISTRATION_MODE"] not in ("open", "invitation", "approval"):
        raise RuntimeError("FORUM_REGISTRATION_MODE must be open, invitation or approval.")
    if config["SECRET_KEY"] == settings.DEV_SECRET_KEY and not (app.debug or app.testing):
        raise RuntimeError("FORUM_SECRET_KEY is the development key: set a random secret.")
    if not config["SECRET_KEY"]:
        config["SECRET_KEY"] = settings.DEV_SECRET_KEY if app.testing else _instance_secret(app)
    config["RATELIMIT_STORAGE_URI"] = config.get("RATELIMIT_STORAGE_URI") or config["REDIS_URL"] or "memory://"
    config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    # Redis down: count in memory meanwhile (per process) rather than fail the request; back to
    # Redis when it answers again.
    config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    config.setdefault("RATELIMIT_SWALLOW_ERRORS", True)
    config["SESSION_COOKIE_HTTPONLY"] = True
    config["SESSION_COOKIE_SAMESITE"] = "Lax"
    config["REMEMBER_COOKIE_HTTPONLY"] = True
    config["REMEMBER_COOKIE_SAMESITE"] = "Lax"
    # Unset (None): forum/web/transport.py marks them Secure by the request's scheme and host.
    config["REMEMBER_COOKIE_SECURE"] = bool(config["SESSION_COOKIE_SECURE"])
    config["WTF_CSRF_TIME_LIMIT"] = None  # a long reply must not expire while being written
    for folder, default in (("SEARCH_INDEX_DIR", "search-index"), ("UPLOAD_DIR", "uploads")):
        config[folder] = config[folder] or os.path.join(app.instance_path, default)


def _instance_secret(app):
    """A random key kept in the instance folder: `make run` works without configuration."""
    path = os.path.join(app.instance_path, "secret_key")
    if not os.path.exists(path):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
        log.warning("generated a secret key in %s; set FORUM_SECRET_KEY on several machines", path)
    with open(path) as handle:
        return handle.read().strip()


def _select_locale():
    """The member's setting, else the ``lang`` cookie of the footer link, else French.

    Outside a request (a command, the email thread) there is no one to ask: French; emails
    choose their recipient's locale themselves (``notifications.mail.render``)."""
    if not has_request_context():
        return settings.SETTINGS["BABEL_DEFAULT_LOCALE"][0]
    if current_user and current_user.is_authenticated and current_user.locale:
        return current_user.locale
    lang = request.cookies.get("lang")
    return lang if lang in settings.LOCALES else settings.SETTINGS["BABEL_DEFAULT_LOCALE"][0]


@sa_event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """SQLite, hardened: WAL (readers never wait for the writer), a busy timeout, foreign keys."""
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
