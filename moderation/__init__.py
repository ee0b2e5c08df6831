"""Moderation: reports, decisions citing the règlement, appeals, logs, watched words, settings.

Built on the core (``forum``), which never imports it: ``init_app(app)`` registers the pages,
the posting guards, the event subscribers, the permission rules (``permissions``, asked through
``forum.permissions.ask``), the Jinja globals the core templates call when defined, and the
moderation part of the demo.
"""
from forum.devdata import demo as core_demo
from forum.permissions import register_rules

# Importing the view modules adds their routes to ``bp``; importing the decision modules
# registers how each decision is undone (``deciding.reversal``).
from . import models  # noqa: F401  (the tables belong to the one metadata, for migrations)
from . import (cli, coordination_views, demo, display, guards, member_records, message_report_views,  # noqa: F401
               permissions, feed_views, post_decisions, redaction, redaction_views, review_views, sanctions,
               topic_decisions, views)
from .blueprint import bp


def init_app(app):
    app.register_blueprint(bp)
    register_rules(app, permissions)
    guards.init_app(app)
    display.init_app(app)
    redaction_views.init_app(app)
    cli.init_app(app)
    member_records.init_app(app)
    core_demo.register_seeder(app, demo.seed)
