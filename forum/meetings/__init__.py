"""Meetings of a comité (« réunions »): scheduling, agenda, registration and waiting list,
calendars, attendance, travel costs and minutes.

Part of the core (``create_app`` calls ``init_app``). Modules:

- ``models``: meetings, agenda items, registrations, attendance, travel claims, calendar feeds;
- ``rules``: who sees a meeting, organises it, registers, sees the online link, the needs,
  the list, the travel costs (asked by every path out);
- ``scheduling``: creating, changing and cancelling a meeting (times typed in Europe/Paris);
- ``registering``: registering, the waiting list moved up in order, cancelling, needs;
- ``display``: a meeting as one reader sees it (plain data, rules applied); a space's list;
- ``from_decision``: a meeting prepared from a closed « date de réunion » decision;
- ``forms``, ``blueprint`` and its view modules.
"""


def init_app(app):
    # Views register their routes; models are part of the one metadata.
    from . import models, views  # noqa: F401
    from .blueprint import bp
    app.register_blueprint(bp)
    app.jinja_env.globals.update(meeting_from_decision=views.from_decision_link)
