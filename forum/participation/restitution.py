"""What a synthesis's skeleton takes from participation: the comité's participation by collège
over the ended months its debate spans, as Markdown (the chart's table and summary, the
small-group rule applied), with a link to the page for the drawings.

As a table, not a picture: a synthesis is Markdown written by members, whose sanitizer lets no
SVG in, and a published synthesis is read by people who may not see the comité's page. The
figures enter the text once, when the skeleton is made, and the editors keep or cut them.
"""
from flask import has_request_context, url_for
from flask_babel import get_locale, gettext as _

from forum import dates

from . import charts, periods, presentation, reports, rules


def _markdown_cell(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


def committee_lines(viewer, space, since, until):
    """Markdown lines for the skeleton of a debate of ``space`` written from ``since`` to
    ``until`` (stored datetimes), or [] when there is nothing to show: not a comité, a viewer
    who may not see its participation, no ended month, too few people."""
    if not rules.may_see_committee(viewer, space):
        return []
    first, last = (periods.current_month(dates.local(moment)) for moment in (since, until))
    running = periods.current_month()
    last = min(last, periods.add_months(running, -1))
    if last < first:
        return []
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    period = periods.Period(first, min(months, periods.MAX_MONTHS), periods.CUSTOM)
    report = reports.report_for(rules.committee_scope(viewer, space), period)
    chart = presentation.chart_named(report, "colleges")
    if chart is None or not chart.bars:
        return []
    when = presentation.month_name(period.first_month)
    if period.months > 1:
        when = _("de %(first)s à %(last)s", first=when, last=presentation.month_name(period.last_month))
    lines = ["## " + _("La participation au comité"), "",
             _("%(space)s, %(when)s (mois terminés).", space=space.name, when=when) + " " + chart.summary, "",
             f"| {_markdown_cell(chart.label_header)} | {_markdown_cell(chart.unit)} |", "|---|---:|"]
    lines += [f"| {_markdown_cell(label)} | {_markdown_cell(value)} |" for label, value in charts.table_rows(chart, str(get_locale() or "fr"))]
    lines.append("")
    if has_request_context():    # the demo prepares its skeleton from the command line: no link then
        link = url_for("participation.committee", slug=space.slug, **period.query())
        lines += [_("Les graphiques : [la participation du comité](%(link)s).", link=link), ""]
    return lines
