"""/participation (the coordination's page), /espace/<slug>/participation (a comité's), and
each chart as CSV or SVG. Thin: the rules live in ``rules``, the figures in ``report``."""
from flask_login import login_required

from . import pages
from .blueprint import bp


@bp.get("/participation", endpoint="forum")
@login_required
def forum_page():
    return pages.page(pages.scope_asked())


@bp.get("/espace/<slug>/participation", endpoint="committee")
@login_required
def committee_page(slug):
    return pages.page(pages.scope_asked(slug))


@bp.get("/participation/graphique/<key>.<any(csv, svg):kind>", endpoint="forum_chart")
@login_required
def forum_chart(key, kind):
    return pages.chart_file(pages.scope_asked(), key, kind)


@bp.get("/espace/<slug>/participation/graphique/<key>.<any(csv, svg):kind>", endpoint="committee_chart")
@login_required
def committee_chart(slug, key, kind):
    return pages.chart_file(pages.scope_asked(slug), key, kind)


@bp.get("/participation/tableaux.csv", endpoint="forum_tables")
@login_required
def forum_tables():
    return pages.report_file(pages.scope_asked())


@bp.get("/espace/<slug>/participation/tableaux.csv", endpoint="committee_tables")
@login_required
def committee_tables(slug):
    return pages.report_file(pages.scope_asked(slug))
