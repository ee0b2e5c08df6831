"""What the areas and the packages built on the core register with one app.

One ``Registry`` per app, in ``app.extensions["agora"]`` (made first by ``create_app``), never
in module globals: two apps in one process (tests, benchmarks) never share a subscriber, a
guard or a seeder. The modules that own each kind keep the API that fills it:

- ``events.subscribe(app, event_type, handler, phase=…)``: event subscribers, per phase;
- ``posting.register_guard(app, guard)``: posting guards (``forum/topics/posting.py``);
- ``demo.register_seeder(app, seeder)``: parts of the demo (``forum/devdata/demo.py``);
- ``portability.register_section(app, …)``: sections of a member's data archive
  (``forum/accounts/portability.py``);
- ``mailing.register_periodic(app, task, every)``: upkeep the web process's background thread
  runs every ``every`` seconds, besides its cron command (``forum/notifications/mailing.py``);
- ``digest.register_part(app, build)``: parts of each member's weekly digest
  (``forum/notifications/digest.py``; the decisions awaiting one's vote).

What runs reads the registry of ``current_app``.
"""
from collections import defaultdict

from flask import current_app

KEY = "agora"
PHASES = ("transaction", "commit")


class Registry:
    def __init__(self):
        # {phase: {event type: [handler, …]}}, in registration order.
        self.subscribers = {phase: defaultdict(list) for phase in PHASES}
        self.guards = []
        self.seeders = []
        self.export_sections = []
        self.periodic = []
        self.digest_parts = []


def init_app(app):
    app.extensions[KEY] = Registry()


def of(app=None):
    """The registry of ``app`` (by default the current app)."""
    return (current_app if app is None else app).extensions[KEY]
