"""Syntheses (« synthèses »): documents a comité writes together from its debates, reviews,
approves, publishes to its peers and transmits to the HCTS, and exports (PDF, ODT, Markdown,
HTML); and the capitalisation page where published syntheses and resources are found again.
"""
from forum import events, permissions
from forum.topics import history

from . import announcing, cli, export, lifecycle, member_records, reading, rules


def init_app(app):
    # Models are part of the one metadata; views register their routes on the blueprint.
    from . import lifecycle_views, models, views, writing_views  # noqa: F401 (they register themselves)
    from .blueprint import bp
    app.register_blueprint(bp)
    cli.init_app(app)
    member_records.init_app(app)
    events.subscribe(app, events.PollClosed, lifecycle.on_poll_closed, phase="transaction")
    events.subscribe(app, events.SynthesisPublished, announcing.on_published, phase="transaction")
    permissions.register_rules(app, {"may_read_synthesis_notice": announcing.may_read_notice})
    app.add_template_global(reading.citing, "syntheses_citing")
    app.add_template_global(export.status_label, "synthesis_status")
    app.add_template_global(rules.why_cannot_start, "synthesis_cannot_start")
    app.add_template_global(history.changed_lines)
    app.add_template_global(export.format_choices, "synthesis_formats")
