"""What the participation views answer alike: the scope asked for (or 404), the period (or the
page again with the message at its field, 422), and the chart files (CSV, SVG)."""
from flask import Response, abort, render_template, request
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import select

from forum.decisions.export import to_csv
from forum.errors import Invalid
from forum.extensions import db
from forum.text.slugs import slugify
from forum.topics.models import Space

from . import charts, periods, presentation, reports, rules


def scope_asked(slug=None):
    """The forum (no slug) or a comité, if the viewer may see its participation; else 404."""
    if slug is None:
        if not rules.may_see_forum(current_user):
            abort(404)
        return rules.forum_scope(current_user)
    space = db.session.scalar(select(Space).where(Space.slug == slug))
    if not rules.may_see_committee(current_user, space):
        abort(404)
    return rules.committee_scope(current_user, space)


HELPERS = {"people": presentation.people, "share": presentation.share, "format_month": presentation.month_name}


def page(scope):
    try:
        period = periods.parse(request.args)
    except Invalid as refused:
        return render_template("participation/page.html", scope=scope, report=None, period=None,
                               errors=refused.fields, chosen=request.args, **HELPERS), 422
    report = reports.report_for(scope, period)
    return render_template("participation/page.html", scope=scope, report=report, period=period,
                           charts=presentation.charts(report), withheld=presentation.withheld(report), errors={}, chosen=period.query(), **HELPERS)


def _file_name(scope, period, what):
    place = slugify(scope.committee.name, 40) if scope.committee else "agora"
    return f"participation-{place}-{what}-{period.first_month:%Y-%m}-{period.last_month:%Y-%m}"


def _csv_rows(chart):
    # Plain integers: a spreadsheet reads "12 345" (with its thin space) as text.
    return [(bar.label, bar.hidden_text if bar.value is None else bar.value) for bar in chart.bars]


def _download(body, mimetype, name):
    response = Response(body, mimetype=mimetype)
    if mimetype == "text/csv":
        response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _file_period():
    """The period a file asks for; a bad one is 422 in plain text (a file has no form)."""
    try:
        return periods.parse(request.args)
    except Invalid as refused:
        abort(Response(" ".join(refused.fields.values()), 422, mimetype="text/plain"))


def report_file(scope):
    """Every table of the page in one CSV, for a report: each chart's title and summary, then
    its rows, a blank line between them (the same numbers as the page, nothing smaller)."""
    period = _file_period()
    table = []
    for chart in presentation.charts(reports.report_for(scope, period)):
        table += [(chart.title, chart.summary), (chart.label_header, chart.unit), *_csv_rows(chart), ()]
    return _download(to_csv(table).encode("utf-8"), "text/csv", _file_name(scope, period, "tableaux") + ".csv")


def chart_file(scope, key, kind):
    """One chart as CSV (its table) or SVG (for a report); 404 for a chart the page does not
    show (a table of fewer than five people is not a chart at all), 422 for a bad period."""
    period = _file_period()
    chart = presentation.chart_named(reports.report_for(scope, period), key)
    if chart is None:
        abort(404)
    name = f"{_file_name(scope, period, chart.key)}.{kind}"
    if kind == "csv":
        return _download(to_csv([(chart.label_header, chart.unit), *_csv_rows(chart)]).encode("utf-8"),
                         "text/csv", name)
    return _download(charts.svg(chart, standalone=True, locale=str(get_locale() or "fr")), "image/svg+xml", name)
