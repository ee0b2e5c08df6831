"""Decisions taken together in a topic (« décisions »): proposals and polls, ballots, results
per collège without exposing a small group, closing, outcomes and action items.

Part of the core (``create_app`` calls ``init_app``). Modules:

- ``models``: polls, options, voters, ballots and their history, outcomes, action items;
- ``kinds``: what each kind asks and accepts (the ballot's shape, fixed options);
- ``tally``: counting each kind, overall and per collège; ``protection``: the small-group rule (both pure);
- ``rules``: who may open, vote, see the tally, close, write the outcome;
- ``voting``: opening a decision with a reply, casting and changing a ballot;
- ``results``: the overall tally while open, the final table per collège at closing;
- ``display`` (a decision as one reader sees it) and ``tally_view`` (its results part, the same
  for every reader who sees it the same way, kept once per state of its topic; the voters' page);
- ``closing``: closing by hand and when due (thread and cron), anonymity sealed at closing;
- ``outcomes``: the outcome of a closed decision and its action items; ``followup``: a space's
  follow-up page as plain data; ``reminders``: reminders as notifications, the digest's parts;
- ``blueprint`` and its view modules: ``opening_views`` (opening, editing before the first
  ballot), ``ballot_views`` (the decision's block, voting, history), ``outcome_views``
  (closing, outcome, action items, the comité's follow-up page), ``export_views`` (results as CSV);
- ``export``: the results table as CSV rows (what the page shows, with the suppression);
- ``member_records``: a member's ballots and actions in their archive; erasure;
- ``cli``: `flask decisions …`.
"""


from forum.notifications import mailing

from . import kinds, tally_view


def init_app(app):
    # Views register their routes; models are part of the one metadata.
    from . import (ballot_views, cli, closing, export_views, member_records, models,  # noqa: F401
                   opening_views, outcome_views, reminders)
    from .blueprint import bp
    app.register_blueprint(bp)
    cli.init_app(app)
    member_records.init_app(app)
    app.jinja_env.globals.update(poll_head_html=tally_view.head_html, poll_results_html=tally_view.shared_html,
                                 option_label=kinds.option_label)
    # Closing dates are kept by the web process's background thread, and by cron elsewhere.
    mailing.register_periodic(app, closing.close_due, every=60)
    outcome_views.init_app(app)
    reminders.init_app(app)
