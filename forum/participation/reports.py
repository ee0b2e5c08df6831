"""Reports kept between requests, keyed by the content versions of what they count.

A report reads every post of its scope and period; the figures change only when something in
its spaces does (a post, a topic, a decision: ``space-N``) or when a member's collège or
account does (``site``), and the page cache's versions say exactly that
(forum/web/page_cache.py). Periods are whole months that have ended, so most reports asked
for again are found here. One store per app (never a module global: two apps in one process
never share one), bounded in entries.
"""
import threading
from collections import OrderedDict

from flask import current_app
from flask_babel import get_locale

from forum import clock
from forum.web import page_cache

from . import counting, report

STORE = "agora_participation_reports"
MAX_REPORTS = 64


class _Store:
    def __init__(self):
        self.reports = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            found = self.reports.get(key)
            if found is not None:
                self.reports.move_to_end(key)
            return found

    def put(self, key, value):
        with self.lock:
            self.reports[key] = value
            while len(self.reports) > MAX_REPORTS:
                self.reports.popitem(last=False)


def init_app(app):
    app.extensions[STORE] = _Store()


def report_for(scope, period):
    """The report of ``scope`` over ``period``, computed once per state of its spaces."""
    versions = page_cache.current_versions([page_cache.SITE, *(f"space-{i}" for i in scope.space_ids)])
    committee = scope.committee.id if scope.committee is not None else None
    # Labels (« Autres collèges (…) ») are written in the reader's language.
    # Which topics count as unanswered moves with the clock for seven days after the period.
    answer_window = min(period.end, clock.now() - counting.UNANSWERED_AFTER).date()
    key = (tuple(scope.space_ids), committee, period.first_month, period.months, str(get_locale()),
           answer_window, versions)
    store = current_app.extensions[STORE]
    found = store.get(key)
    if found is None:
        found = report.build(scope, period)
        store.put(key, found)
    return found
