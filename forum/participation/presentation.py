"""A report said in words, charts and tables: what the page, the CSV and the SVG files show.

Every figure about people comes from ``grouping`` (the small-group rule applied); the words
only ever name a collège, space or period that a table shows on its own.
"""
from flask_babel import format_date, format_percent, gettext as _, ngettext

from forum.decisions.protection import K

from .charts import Bar, Chart

def people(count):
    """A count of people as the page says it: under K it is never written as a number."""
    if 0 < count < K:
        return _("moins de 5")
    return str(count)


def share(part, whole):
    return format_percent(part / whole) if whole else format_percent(0)


def month_name(first_day):
    return format_date(first_day, "MMMM y")


def bucket_label(bucket, long=False):
    """« mars 2026 »; a week by its first and last days (« 3–9 nov. », « 27 oct.–2 nov. »), so
    that a week cut by the period's start or end reads as shorter (« 1 nov. »)."""
    if bucket.monthly:
        return format_date(bucket.first_day, "MMMM y" if long else "MMM y")
    last = bucket.last_day
    if long:
        return _("semaine du %(day)s", day=format_date(bucket.first_day, "d MMMM y"))
    if last == bucket.first_day:
        return format_date(last, "d MMM")
    first = format_date(bucket.first_day, "d" if last.month == bucket.first_day.month else "d MMM")
    return f"{first}–{format_date(last, 'd MMM')}"


def charts(report):
    """The report's charts, in the page's order: those with a figure to draw."""
    return [chart for chart in _all_charts(report) if _drawable(chart)]


def withheld(report):
    """The charts whose every figure the small-group rule keeps back: only their title and
    summary are said (an empty drawing, table and downloads would only puzzle)."""
    return [chart for chart in _all_charts(report) if not _drawable(chart)]


def _drawable(chart):
    return any(bar.value for bar in chart.bars)


def _all_charts(report):
    found = []
    if report.posts and not report.few:
        found += [_posts_by_college(report), _people_by_college(report)]
        if report.committees is not None and not report.committees.only_total:
            found.append(_by_space(report.committees, "espaces", _("Messages par comité et espace régional")))
        if report.themes is not None and not report.themes.only_total:
            found.append(_by_space(report.themes, "themes", _("Messages par thème")))
        found.append(_series(report))
    if report.polls and report.voters.people >= K and not report.voters.only_total:
        found.append(_voters(report))
    return [chart for chart in found if chart is not None]


def _college_bars(grouped, value):
    return tuple(Bar(row.label, value(row)) for row in grouped.rows)


def _posts_by_college(report):
    grouped = report.colleges
    if grouped.only_total:
        summary = _("Trop peu de personnes par collège pour les montrer séparément : "
                    "seul le total est donné (%(posts)s messages).", posts=grouped.posts)
        return Chart("colleges", _("Messages par collège"), summary, _("messages"), _("Collège"), ())
    first = next(row for row in grouped.rows if not row.merged)
    sentence = _("%(college)s : %(share)s des messages sur la période.", college=first.label,
                 share=share(first.posts, grouped.posts))
    before = next((row for row in report.previous_colleges.rows if row.key == first.key), None)
    if before is not None and report.previous_colleges.posts:
        sentence = _("%(college)s : %(share)s des messages sur la période, contre %(before)s la période "
                     "précédente.", college=first.label, share=share(first.posts, grouped.posts),
                     before=share(before.posts, report.previous_colleges.posts))
    top = max((row for row in grouped.rows if not row.merged), key=lambda row: row.posts)
    if top is not first:
        sentence += " " + _("Le collège qui a le plus écrit : %(college)s (%(share)s).", college=top.label,
                            share=share(top.posts, grouped.posts))
    return Chart("colleges", _("Messages par collège"), sentence, _("messages"), _("Collège"),
                 _college_bars(grouped, lambda row: row.posts))


def _people_by_college(report):
    grouped = report.colleges
    if grouped.only_total:
        return None
    summary = ngettext("%(num)s personne a écrit sur la période.", "%(num)s personnes ont écrit sur la période.",
                       grouped.people)
    return Chart("contributeurs", _("Contributeurs par collège"), summary, _("personnes"), _("Collège"),
                 _college_bars(grouped, lambda row: row.people))


def _by_space(grouped, key, title):
    shown = [row for row in grouped.rows if not row.merged]
    top = max(shown, key=lambda row: row.posts)
    summary = _("L'espace le plus actif : %(space)s (%(posts)s messages, %(share)s).", space=top.label,
                posts=top.posts, share=share(top.posts, grouped.posts))
    if any(row.merged for row in grouped.rows):
        summary += " " + _("Les espaces où moins de 5 personnes ont écrit sont regroupés.")
    return Chart(key, title, summary, _("messages"), _("Espace"), _college_bars(grouped, lambda row: row.posts))


def _series(report):
    grouped, buckets = report.series, report.buckets
    values = {row.key: row.posts for row in grouped.rows if not row.merged}
    monthly = buckets[0].monthly
    bars = tuple(Bar(bucket_label(b), None, _("regroupé")) if i in grouped.merged_keys
                 else Bar(bucket_label(b), values.get(i, 0)) for i, b in enumerate(buckets))
    title = _("Messages par mois") if monthly else _("Messages par semaine")
    if not values:
        summary = _("Trop peu de personnes par période pour montrer son évolution : %(posts)s messages en tout.",
                    posts=grouped.posts)
        return Chart("temps", title, summary, _("messages"), _("Mois") if monthly else _("Semaine"), bars, "vertical")
    best = max(values, key=values.get)
    summary = _("La période la plus active : %(when)s (%(posts)s messages).",
                when=bucket_label(buckets[best], long=True), posts=values[best])
    merged = next((row for row in grouped.rows if row.merged), None)
    if merged is not None:
        summary += " " + _("Les périodes « regroupé » comptent ensemble %(posts)s messages de %(people)s "
                           "personnes (moins de 5 dans certaines d'entre elles).", posts=merged.posts,
                           people=merged.people)
    return Chart("temps", title, summary, _("messages"), _("Mois") if monthly else _("Semaine"), bars, "vertical")


def _voters(report):
    grouped = report.voters
    summary = ngettext("%(num)s décision close sur la période.", "%(num)s décisions closes sur la période.",
                       len(report.polls))
    summary += " " + _("%(people)s personnes ont voté, dans l'ensemble.", people=grouped.people)
    return Chart("votants", _("Votants par collège"), summary, _("personnes"), _("Collège"),
                 _college_bars(grouped, lambda row: row.people))


def chart_named(report, key):
    return next((chart for chart in charts(report) if chart.key == key), None)
