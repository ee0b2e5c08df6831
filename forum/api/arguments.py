"""The API's query arguments, read strictly: a value outside what the OpenAPI document says is a
400 naming the argument (the pages, read by people, take the nearest page instead)."""
from flask import request
from flask_babel import gettext as _

from forum.errors import Invalid
from forum.numbers import parse_int

LAST_PAGE = 99999


def page(minimum):
    """The ``page`` argument: Discourse's lists count from 0, a topic's posts from 1."""
    raw = request.args.get("page")
    if raw is None:
        return minimum
    number = parse_int(raw)
    if number is None or not minimum <= number <= LAST_PAGE:
        raise Invalid({"page": _("Le paramètre page doit être un nombre entier de %(low)s à %(high)s.",
                                 low=minimum, high=LAST_PAGE)}, status=400)
    return number
