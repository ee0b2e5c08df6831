"""Moderation: reports, decisions citing the règlement, appeals, logs, watched words, settings.

Built on the core (``forum``), which never imports it: ``init_app(app)`` registers the pages,
the posting guards, the event subscribers, the Jinja globals the core templates call when
defined, and the moderation part of the demo.
"""
from . import models  # noqa: F401  (the tables belong to the one metadata, for migrations)


def init_app(app):
    from forum.devdata import demo as core_demo

    from . import (coordination_views, demo, display, guards, post_decisions, review_views,  # noqa: F401
                   sanctions, topic_decisions, views)
    app.register_blueprint(views.bp)
    guards.init_app(app)
    display.init_app(app)
    core_demo.register_seeder(app, demo.seed)
