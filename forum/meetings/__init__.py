"""Meetings of a comité (« réunions »): scheduling, agenda, registration and waiting list,
calendars, attendance, travel costs and minutes.

Part of the core (``create_app`` calls ``init_app``). Modules:

- ``models``: meetings, agenda items, registrations, attendance, travel claims, calendar feeds;
- ``rules``: who sees a meeting, organises it, registers, sees the online link, the needs,
  the list, the travel costs (asked by every path out);
- ``scheduling``: creating, changing and cancelling a meeting (times typed in Europe/Paris);
- ``registering``: registering, the waiting list moved up in order, cancelling, needs;
- ``display``: a meeting as one reader sees it (plain data, rules applied); a space's list;
- ``agenda`` (and ``agenda_mail``): the ordre du jour, its points proposed, accepted, ordered, mailed;
- ``minutes``: the compte rendu, the decisions of its points, « En faire une synthèse »;
- ``upcoming``: when the lists of meetings to come change by the clock; ``digest_part``: the
  digest's « Prochaines réunions »;
- ``forms``, ``blueprint`` and its view modules.
"""


def init_app(app):
    # Views register their routes; models are part of the one metadata.
    from . import agenda_views, minutes_views, models, views  # noqa: F401
    # At call time, like the views: the parts of the meeting page and of the digest.
    from . import agenda, digest_part, display, minutes
    from .blueprint import bp
    app.register_blueprint(bp)
    for section in (("agenda", agenda.section), ("minutes", minutes.section)):
        if section not in display.SECTIONS:     # the list is the module's: one app after another
            display.SECTIONS.append(section)
    digest_part.init_app(app)
