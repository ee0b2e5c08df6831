"""Notifications: in-app notifications, watch levels, notification emails, the weekly digest.

Part of the core (``create_app`` calls ``init_app``). Modules:

- ``models``: notifications (their email outbox state), watch levels, email choices, digests sent;
- ``watching``: the level in force for a member and a topic, space or tag;
- ``notifying``: domain events → notifications, in the transaction of the change;
- ``inbox``: counting, listing and marking read; announces ``NotificationsChanged``;
- ``mail``: absolute links, multipart messages, SMTP and file transports;
- ``mailing``: the notification email outbox and its sender (thread or cron);
- ``digest``: ``compose(member, since, until)``, pure; ``weekly``: sending it, idempotently;
- ``preferences``: email choices and signed unsubscribe tokens; ``views``, ``forms``, ``cli``.
"""
import logging

from flask import before_render_template, current_app, request
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.exc import SQLAlchemyError

from forum import events
from forum.web import metrics, page_cache

from .inbox import unread_count

log = logging.getLogger(__name__)


def init_app(app):
    from . import cli, health, mailing, models, notifying, views  # noqa: F401  (models: one metadata)
    notifying.init_app(app)
    events.subscribe(app, events.NotificationsChanged, mailing.wake_worker)
    app.register_blueprint(views.bp)
    cli.init_app(app)
    before_render_template.connect(views.watch_context, app)
    app.jinja_env.globals["notification_counter"] = notification_counter
    page_cache.register_hole(app, notification_counter)
    health.register(app, metrics.register_reading)
    if app.config.get("NOTIFICATION_EMAIL_THREAD"):
        # Started by the first request: `flask db upgrade` and other commands start no thread.
        @app.before_request
        def _start_email_sender():
            if "agora_mail_worker" not in app.extensions:
                mailing.worker(app)


def notification_counter():
    """The header's notification counter (``#compteur-notifications``) for the member reading,
    empty for a visitor. Others' posts change it without touching the member's versions: it is
    a hole of their kept pages (forum/web/page_cache.py), rendered again on every request."""
    if not current_user or not current_user.is_authenticated:
        return Markup("")
    try:
        count = unread_count(current_user.id)
    except SQLAlchemyError:      # the error page of a database outage still renders
        log.warning("notification counter unavailable", exc_info=True)
        count = 0
    # Rendered once per count and language (the template alone, without the context processors
    # a page's rendering runs): it is asked on every page a member reads.
    key = (count, str(get_locale()), request.script_root)
    kept = current_app.extensions.setdefault("agora_notification_counters", {})
    if key not in kept:
        if len(kept) > 1000:
            kept.clear()
        kept[key] = Markup(current_app.jinja_env.get_template("_notification_counter.html").render(count=count))
    return kept[key]
