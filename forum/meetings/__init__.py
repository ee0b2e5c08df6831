"""Meetings of a comité (« réunions »): scheduling, agenda, registration and waiting list,
calendars, attendance, travel costs and minutes.

Part of the core (``create_app`` calls ``init_app``). Modules:

- ``models``: meetings, agenda items, registrations, attendance, travel claims, calendar feeds;
- ``rules``: who sees a meeting, organises it, registers, sees the online link, the needs,
  the list, the travel costs (asked by every path out);
- ``scheduling``: creating, changing and cancelling a meeting (times typed in Europe/Paris);
- ``registering``: registering, the waiting list moved up in order (also when a registered
  member's account is erased), cancelling, needs;
- ``display``: a meeting as one reader sees it (plain data, rules applied); a space's list;
- ``agenda`` (and ``agenda_mail``): the ordre du jour, its points proposed, accepted, ordered, mailed;
- ``minutes``: the compte rendu, the decisions of its points, « En faire une synthèse »;
- ``upcoming``: when the lists of meetings to come change by the clock; ``digest_part``: the
  digest's « Prochaines réunions »;
- ``from_decision``: a meeting prepared from a closed « date de réunion » decision;
- ``calendar``: ``.ics`` of one meeting, a member's feed, the files emails carry (icalendar);
  ``feeds``: the private feed's token (kept hashed), made, replaced, deleted;
- ``emailing``: emails of a cancelled or moved meeting, of a place freed; ``reminders``: two
  days and two hours before (background thread and ``flask meetings remind``: ``cli``);
- ``attendance``: who came, recorded by the organisers; ``signin_sheet``: the sign-in sheet (PDF);
- ``travel``: travel costs declared by a participant, their receipt; ``travel_review``: the
  coordination's decisions, the CSV for the accounting, a member's claims in their archive and
  at erasure;
- ``forms``, ``travel_forms``, ``blueprint`` and its view modules.
"""


def init_app(app):
    # Views register their routes; models are part of the one metadata.
    from . import (agenda_views, attendance_views, calendar_views, cli, emailing, minutes_views,  # noqa: F401
                   models, registering, reminders, travel_review, travel_views, views)
    # At call time, like the views: the digest's part « Prochaines réunions ».
    from . import digest_part
    from .blueprint import bp
    app.register_blueprint(bp)
    app.jinja_env.globals.update(meeting_from_decision=views.from_decision_link)
    cli.init_app(app)
    emailing.init_app(app)
    registering.init_app(app)
    reminders.init_app(app)
    travel_review.init_app(app)
    digest_part.init_app(app)
