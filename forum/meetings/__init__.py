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
    from . import (attendance_views, calendar_views, cli, emailing, models, reminders,  # noqa: F401
                   travel_review, travel_views, views)
    from .blueprint import bp
    app.register_blueprint(bp)
    app.jinja_env.globals.update(meeting_from_decision=views.from_decision_link)
    cli.init_app(app)
    emailing.init_app(app)
    reminders.init_app(app)
    travel_review.init_app(app)
