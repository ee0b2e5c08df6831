"""A decision's results as a spreadsheet (CSV): the table the page shows, nothing more.

Only where the viewer may see the tally; once closed, the per-collège table stored at closing
(``Poll.results``) with its suppression as it is (collèges of fewer than five voters, and those
hidden with them, only within « autres collèges »); while open, the overall tally alone. No
voter is ever named, not even for named decisions (the page shows them; the export is the table).

For spreadsheet users in France: UTF-8 with a byte-order mark, semicolons, decimal commas; and
safe from formula injection (a cell starting with ``= + - @``, a tab or a carriage return is
prefixed with an apostrophe: option labels are typed by members).
"""
import csv
import io

from flask_babel import gettext as _
from sqlalchemy import select

from forum.accounts.models import College
from forum.errors import Forbidden, NotFound
from forum.extensions import db
from forum.text.slugs import slugify

from . import kinds, results, rules
from .models import MEETING, RANKED, SCORE

# The figures of each option, per kind (keys of the tally's option entries).
MEASURES = {SCORE: ("points", "mean"), MEETING: ("yes", "maybe", "no"), RANKED: ("borda", "first")}
VOTES = ("votes",)


def measure_label(key):
    return {"votes": _("Voix"), "points": _("Points"), "mean": _("Moyenne"), "yes": _("Oui"),
            "maybe": _("Peut-être"), "no": _("Non"), "borda": _("Points Borda"),
            "first": _("Premiers choix")}[key]


DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def check(viewer, poll):
    """404 where the decision cannot be seen, 403 while its results are hidden from ``viewer``."""
    if poll is None or not rules.can_see_poll(viewer, poll):
        raise NotFound(_("Cette décision n'existe pas ou vous ne pouvez pas la voir."))
    if not rules.can_see_tally(viewer, poll):
        raise Forbidden(_("Les résultats de cette décision ne sont pas encore visibles pour vous."))


def groups(poll):
    """[(group name, tally)] as shown: everyone, then the shown collèges, then « autres collèges »."""
    everyone = _("Ensemble")
    table = poll.results
    if table is None:
        return [(everyone, results.current(poll))]
    names = dict(db.session.execute(select(College.id, College.name)).all())
    shown = [] if table.get("only_total") else [(names.get(college, "?"), tally)
                                                for college, tally in table.get("colleges") or []]
    if table.get("others"):
        parts = [names.get(c, "?") for c in table.get("others_colleges") or [] if c is not None]
        if table.get("others_unassigned"):
            parts.append(_("membres sans collège"))
        merged = ", ".join(parts)
        label = _("Autres collèges (%(names)s)", names=merged) if merged else _("Autres collèges")
        shown.append((label, table["others"]))
    return [(everyone, table["overall"]), *shown]


def rows(viewer, poll):
    """The table's rows, header first: one row per group and option."""
    check(viewer, poll)
    measures = MEASURES.get(poll.kind, VOTES)
    header = [_("Groupe"), _("Votants"), _("Option")] + [measure_label(key) for key in measures]
    table = [header]
    for name, tally in groups(poll):
        options = tally.get("options") or {}
        for option in poll.options:
            figures = options.get(str(option.position)) or options.get(option.position) or {}
            table.append([name, _number(tally.get("voters")), kinds.option_label(poll, option)]
                         + [_number(figures.get(key)) for key in measures])
    return table


def _number(value):
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}".replace(".", ",")
    return str(value)


def safe(cell):
    cell = str(cell)
    return "'" + cell if cell.startswith(DANGEROUS) else cell


def to_csv(table):
    """UTF-8 with BOM, semicolons (a French spreadsheet opens it as a table)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for row in table:
        writer.writerow([safe(cell) for cell in row])
    return "\ufeff" + out.getvalue()


def filename(poll):
    return f"resultats-decision-{poll.id}-{slugify(poll.question, 50) or 'decision'}.csv"
