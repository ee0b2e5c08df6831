"""Webhooks (issue 22): administrators send the forum's events to other tools, signed as
Discourse signs them ([Webhooks](../../docs/webhooks.md)).

Part of the core (``create_app`` calls ``init_app``). Modules:

- ``models``: webhooks and their deliveries (the outbox, kept as each webhook's log);
- ``rules``: who manages them (administrators), who a webhook reads as (a visitor, or a reader
  of the one space it is scoped to);
- ``addresses``: where a webhook may send (http/https, not this machine nor a private network);
- ``payloads``: each event's JSON for that viewer; the subscribers that write deliveries in the
  transaction of the change;
- ``sending``: the background sender (signature, timeout, retries with backoff, automatic
  disabling, pruning of the log); ``cli``: ``flask webhooks deliver``;
- ``forgetting``: an erased member's deliveries leave the logs;
- ``managing``: create, change, disable, enable, delete, send again (audited);
- ``display``, ``forms``, ``views``: /coordination/webhooks.
"""
from forum import events
from forum.notifications import mailing

from . import cli, forgetting, payloads, sending

EVERY = 0       # the background thread's every turn (it sleeps up to a minute, or is woken)
PRUNE_EVERY = 3600


def init_app(app):
    # Views register their routes; models are part of the one metadata.
    from . import models, views  # noqa: F401
    app.register_blueprint(views.bp)
    cli.init_app(app)
    for event_type, handler in payloads.SUBSCRIBERS:
        events.subscribe(app, event_type, handler, phase="transaction")
        events.subscribe(app, event_type, sending.wake)
    events.subscribe(app, events.WebhookAdministered, sending.wake)
    events.subscribe(app, events.MemberErased, forgetting.on_member_erased, phase="transaction")
    mailing.register_periodic(app, sending.periodic, every=EVERY)
    mailing.register_periodic(app, sending.prune_periodic, every=PRUNE_EVERY)
