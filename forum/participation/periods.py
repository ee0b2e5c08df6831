"""The periods participation is counted over: whole calendar months that have ended.

Why whole, ended months: a table that moves every day (the current month, "the last 30 days")
is a new release at each refresh, and two releases subtract: yesterday's figures per collège
taken from today's give one day's posts of a collège, often one person's, whose collège a
member may have chosen not to show. Months that have ended no longer move, and the smallest
difference two periods can give is a whole month of a collège's activity (docs/participation.md).

Months are counted in the forum's time zone (Europe/Paris): a post written on 31 March at
23:30 in Marseille belongs to March. Boundaries are stored-form datetimes (naive UTC).
"""
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from flask_babel import gettext as _

from forum import clock, dates
from forum.errors import Invalid

LAST_MONTH = "mois"
LAST_QUARTER = "trimestre"
LAST_YEAR = "annee"
CUSTOM = "perso"
PRESETS = (LAST_MONTH, LAST_QUARTER, LAST_YEAR, CUSTOM)
DEFAULT = LAST_QUARTER
PRESET_MONTHS = {LAST_MONTH: 1, LAST_QUARTER: 3, LAST_YEAR: 12}

MAX_MONTHS = 36           # longer periods are cut to their last 36 months, with a message
WEEKLY_UP_TO = 3          # periods of up to 3 months are drawn week by week, longer ones by month

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def add_months(month, count):
    """The first day of the month ``count`` months after (before, if negative) ``month``."""
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def _utc(day):
    """Midnight of ``day`` in the forum's time zone, as a stored (naive UTC) datetime."""
    moment = datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(dates.zone_name()))
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


@dataclass(frozen=True)
class Bucket:
    """One bar of a time series: [start, end) in stored form, and its first local day."""
    first_day: date
    last_day: date           # a week cut by the period's end ends before Sunday
    start: datetime
    end: datetime
    monthly: bool


@dataclass(frozen=True)
class Period:
    first_month: date        # the first day of its first month
    months: int              # whole months, at least 1
    preset: str = DEFAULT
    notice: str = ""         # why the period asked for was changed, in the reader's language

    @property
    def end_month(self):
        """The first day of the month after the period."""
        return add_months(self.first_month, self.months)

    @property
    def last_month(self):
        return add_months(self.first_month, self.months - 1)

    @property
    def start(self):
        return _utc(self.first_month)

    @property
    def end(self):
        return _utc(self.end_month)

    def previous(self):
        """The period of the same length just before (the comparison of the summaries)."""
        return Period(add_months(self.first_month, -self.months), self.months, CUSTOM)

    def buckets(self):
        """The bars of its time series: weeks (Monday to Sunday, cut at the period's ends) for
        a period of up to three months, months for longer ones."""
        if self.months > WEEKLY_UP_TO:
            firsts = [add_months(self.first_month, i) for i in range(self.months)]
            return [Bucket(day, add_months(day, 1) - timedelta(days=1), _utc(day), _utc(add_months(day, 1)), True)
                    for day in firsts]
        buckets, day, last = [], self.first_month, self.end_month
        while day < last:
            following = min(day + timedelta(days=7 - day.weekday()), last)
            buckets.append(Bucket(day, following - timedelta(days=1), _utc(day), _utc(following), False))
            day = following
        return buckets

    def query(self):
        """The query string that asks for this period again (links, downloads)."""
        if self.preset != CUSTOM:
            return {"periode": self.preset}
        return {"periode": CUSTOM, "de": f"{self.first_month:%Y-%m}", "a": f"{self.last_month:%Y-%m}"}


def current_month(today=None):
    """The first day of the month running now, in the forum's time zone."""
    moment = today or dates.local(clock.now())
    return date(moment.year, moment.month, 1)


def parse(args, today=None):
    """The period a query string asks for (``periode``, and ``de``/``a`` as YYYY-MM for a
    chosen one). Raises Invalid (422) for a month that is not one, or an end before the start;
    a period reaching into the running month, or longer than MAX_MONTHS, is cut with a notice."""
    running = current_month(today)
    preset = args.get("periode") or DEFAULT
    if preset not in PRESETS:
        raise Invalid({"periode": _("Choisissez une période de la liste.")})
    if preset != CUSTOM:
        months = PRESET_MONTHS[preset]
        return Period(add_months(running, -months), months, preset)
    first, last = _month(args, "de"), _month(args, "a")
    if last < first:
        raise Invalid({"a": _("La fin de la période est avant son début.")})
    notice = ""
    if last >= running:
        last = add_months(running, -1)
        notice = _("Seuls les mois terminés sont comptés : la période s'arrête au mois dernier.")
        if last < first:
            raise Invalid({"de": _("Cette période n'est pas encore terminée : choisissez des mois passés.")})
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    if months > MAX_MONTHS:
        first, months = add_months(last, 1 - MAX_MONTHS), MAX_MONTHS
        notice = _("Une période compte au plus %(n)s mois : seuls les %(n)s derniers sont montrés.", n=MAX_MONTHS)
    return Period(first, months, CUSTOM, notice)


def _month(args, field):
    match = _MONTH.match((args.get(field) or "").strip())
    if match is None or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 2000:
        raise Invalid({field: _("Indiquez un mois qui existe : l'année puis le mois, "
                                "par exemple 2026-03 pour mars 2026.")})
    return date(int(match.group(1)), int(match.group(2)), 1)
