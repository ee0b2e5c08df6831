"""Participation (« participation »): who takes part, where, and how it moves, for the
coordination (the whole forum) and for each comité, over whole months that have ended.

Part of the core (``create_app`` calls ``init_app``). Modules:

- ``periods``: the periods counted (whole, ended months; presets and chosen months);
- ``counting``: the raw counts, one aggregation per question (never shown as such);
- ``grouping``: rows of people and posts under the small-group rule (the decisions' ``protect``);
- ``report``: a scope's report over a period, plain data; ``reports``: kept per content versions;
- ``presentation``: the report said in words, charts and tables; ``charts``: the SVG drawings;
- ``rules``: who sees which scope (asked by the page, its CSV and its SVG);
- ``pages``, ``blueprint``, ``views``: the pages.

Design: docs/participation.md.
"""

from . import charts, reports, rules


def init_app(app):
    # Views register their routes on the blueprint.
    from . import views  # noqa: F401
    from .blueprint import bp
    app.register_blueprint(bp)
    reports.init_app(app)
    charts.init_app(app)
    app.add_template_global(rules.may_see_committee_page, "may_see_participation")
