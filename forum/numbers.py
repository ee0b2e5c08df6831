"""Integers from outside (an address, a form, a query string), bounded once, here.

Every id or count a visitor types goes through ``parse_int`` (forms, query strings) or, in
an address, through ``BoundedIntConverter``, which replaces Flask's ``int`` converter for the
whole app. Every id column is an ``INTEGER``: PostgreSQL's holds 2^31 - 1 and answers a range
error past it (SQLite's past 2^63 - 1: ``OverflowError``); a number in ``timedelta`` arithmetic
overflows too: a 404 or a French refusal, never a 500.
"""
import re

from werkzeug.routing import IntegerConverter, UnicodeConverter

# The widest id column: PostgreSQL's INTEGER (schemathesis found /c/9223372036854775806.json a 500).
MAX_INT = 2**31 - 1
# ASCII digits only: str.isdigit() also accepts "²" or "١", which int() refuses or reads.
_DECIMAL = re.compile(r"[+-]?[0-9]{1,20}")


def parse_int(value, minimum=0, maximum=MAX_INT):
    """``value`` (text or int) as an int in ``minimum..maximum``; None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    else:
        text = "" if value is None else str(value).strip()
        if not _DECIMAL.fullmatch(text):
            return None
        number = int(text)
    return number if minimum <= number <= maximum else None


def parse_ids(values):
    """The ids among ``values`` (from a multiple choice), as a set: the others are left out,
    for the caller to refuse by comparing counts."""
    return {number for number in (parse_int(value, 1) for value in values or ()) if number is not None}


class TextConverter(UnicodeConverter):
    """Flask's default ``<…>`` and ``<string:…>``, without NUL: a NUL in an address segment
    (``/espace/%00``) matches no route (404), where PostgreSQL refuses it in any query (a 500)."""

    def __init__(self, map, *args, **kwargs):
        super().__init__(map, *args, **kwargs)
        self.regex = self.regex.replace("[^/]", "[^/\x00]", 1)


class BoundedIntConverter(IntegerConverter):
    """Flask's ``<int:…>``, bounded by MAX_INT: an id past it matches no route (404)."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_INT, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)
