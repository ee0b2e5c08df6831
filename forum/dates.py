"""How the forum writes a moment: one formatter for pages, notices and emails, in both languages.

Times are stored as naive UTC (``forum.clock.now``) and always shown in the forum's time zone
(``BABEL_DEFAULT_TIMEZONE``, Europe/Paris): "9 déc. 2026 à 04:37", "Dec 9, 2026, 04:37". A
sanction's end read on a page, in the in-app notice and in the email is the same text.

Hand-rolled from Babel's month names rather than Babel's general formatter: it runs for every
post of a page, and the general formatter costs ten times more.
"""
from datetime import timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import get_month_names
from flask import current_app, has_app_context
from flask_babel import get_locale

DEFAULT_ZONE = "Europe/Paris"

# Babel's abbreviated month names of the two interface languages, written out: loading Babel's
# locale data for them costs each web process 4 MiB.
MONTHS = {
    "fr": ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}


@lru_cache(maxsize=8)
def _month_names(locale):
    if locale in MONTHS:
        return dict(enumerate(MONTHS[locale], start=1))
    return dict(get_month_names("abbreviated", locale=locale))


@lru_cache(maxsize=4)
def _zone(name):
    return ZoneInfo(name)


def zone_name():
    return current_app.config.get("BABEL_DEFAULT_TIMEZONE", DEFAULT_ZONE) if has_app_context() else DEFAULT_ZONE


def local(value):
    """A stored UTC time in the forum's time zone (an aware datetime)."""
    return value.replace(tzinfo=timezone.utc).astimezone(_zone(zone_name()))


def _locale(locale):
    if locale:
        return str(locale)
    current = get_locale() if has_app_context() else None
    return str(current) if current else "fr"


def format_datetime(value, locale=None):
    """"9 déc. 2026 à 04:37" (French), "Dec 9, 2026, 04:37" (English); "" for None.

    ``locale`` defaults to the reader's (the request's, or the one ``force_locale`` set).
    """
    if not value:
        return ""
    locale = _locale(locale)
    joint = ", " if locale == "en" else " à "
    return f"{format_date(value, locale)}{joint}{local(value):%H:%M}"


def format_date(value, locale=None):
    """"9 déc. 2026", "Dec 9, 2026"; "" for None."""
    if not value:
        return ""
    locale = _locale(locale)
    moment = local(value)
    month = _month_names(locale)[moment.month]
    if locale == "en":
        return f"{month} {moment.day}, {moment.year}"
    return f"{moment.day} {month} {moment.year}"


@lru_cache(maxsize=4)
def _wide_month_names(locale):
    return dict(get_month_names("wide", locale=locale))


def format_period(start, end, locale=None):
    """The two ends of a period, in full: ("23 novembre", "30 novembre 2026"), or in English
    ("November 23", "November 30, 2026"), for « du … au … »."""
    locale = _locale(locale)
    start, end = local(start), local(end)
    months = _wide_month_names(locale)
    if locale == "en":
        return f"{months[start.month]} {start.day}", f"{months[end.month]} {end.day}, {end.year}"
    return f"{start.day} {months[start.month]}", f"{end.day} {months[end.month]} {end.year}"
