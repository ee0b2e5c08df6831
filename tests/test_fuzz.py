"""Fuzzing (Hypothesis) of every route's address parts, query parameters and form fields with
huge, negative, non-numeric, unicode, NUL and overlong values: no answer is ever a 500.

The routes come from the URL map and the field names from every form class, so a new route or
field is fuzzed without editing this test."""
import re
from datetime import timedelta
from urllib.parse import quote

import pytest
from flask_wtf import FlaskForm
from hypothesis import HealthCheck, given, settings, strategies as st

from forum import create_app, dates
from forum.clock import now
from forum.extensions import db
from forum.meetings import scheduling
from forum.syntheses import lifecycle, writing
from forum.topics.models import Member, Space

from .helpers import Browser

SKIPPED = {
    "static": "files of the site",
    "realtime.bench_emit": "the benchmark's hook, off unless configured",
    "accounts.logout": "would end the fuzzing session (logout is tested on its own)",
}
PARAMETER = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
# Query parameters the pages read (a page, a sort, a view, the search filters, a next…).
QUERY_NAMES = ("page", "tri", "vue", "a", "de", "citer", "next", "etiquette", "q", "auteur", "espace", "tag",
               "college", "apres", "avant", "titre", "statut", "since", "depuis", "action", "lieu", "parent",
               "comite", "etat", "role", "version", "texte", "periode")

NUMBERS = st.one_of(st.integers(min_value=-2 ** 70, max_value=2 ** 70).map(str),
                    st.sampled_from(["0", "-1", "2147483647", "2147483648", "9223372036854775807", "9223372036854775808",
                                     "18446744073709551616", "10000000000000000000000000", "1e9", "0x10", "NaN", "", " 1", "1.5"]))
TEXTS = st.one_of(st.text(max_size=40), st.sampled_from(["\x00", "a\x00b", "%00", "../../etc/passwd", "<script>",
                                                         "é" * 300, "x" * 20000, "\ud7ff", "\u202e", "Ω≈ç√"]))
VALUES = st.one_of(NUMBERS, TEXTS)


def _routes():
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    return sorted((rule.rule, rule.endpoint, tuple(sorted(rule.methods - {"HEAD", "OPTIONS"})))
                  for rule in app.url_map.iter_rules() if rule.endpoint not in SKIPPED)


def _field_names():
    names, classes = set(), list(FlaskForm.__subclasses__())
    while classes:
        form = classes.pop()
        classes.extend(form.__subclasses__())
        names.update(name for name, value in vars(form).items()
                     if hasattr(value, "field_class") or type(value).__name__ == "UnboundField")
    return sorted(names - {"csrf_token"})


ROUTES = _routes()


@pytest.fixture
def coordinator_browser(app, forum):
    """A coordinator (every page opens to them) in a small world of one of each thing."""
    coordinator = forum.member("Coordination", role="coordinator")
    space = forum.space("Espace")
    topic = forum.topic(coordinator, space)
    forum.reply(coordinator, topic)
    with app.app_context():     # a synthesis in review (its pages, forms and exports)
        member = db.session.get(Member, coordinator.id)
        synthesis = writing.start(member, db.session.get(Space, space.id), "Synthèse", "## Partie\n\nTexte.")
        lifecycle.ask_review(member, synthesis)
        # A meeting (its page, forms, registration); /reunion/1 and its neighbours exist.
        start = dates.local(now() + timedelta(days=3))
        scheduling.schedule(member, db.session.get(Space, space.id), scheduling.MeetingInput(
            title="Réunion", day=f"{start:%Y-%m-%d}", start="14:00", end="16:00", address="Ici"))
    browser = Browser(app.test_client())
    browser.login(coordinator)
    return browser


def _address(rule, values):
    return PARAMETER.sub(lambda match: quote(values.pop(0) if values else "1", safe=""), rule)


@pytest.mark.parametrize("rule,endpoint,methods", ROUTES, ids=[f"{e}:{r}" for r, e, m in ROUTES])
def test_no_input_makes_a_500(coordinator_browser, rule, endpoint, methods):
    fields = _field_names()

    @settings(max_examples=12, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(parts=st.lists(VALUES, min_size=3, max_size=3),
           query=st.dictionaries(st.sampled_from(QUERY_NAMES), VALUES, max_size=3),
           form=st.dictionaries(st.sampled_from(fields), VALUES, max_size=6))
    def fuzz(parts, query, form):
        url = _address(rule, list(parts))
        for method in methods:
            if method == "GET":
                response = coordinator_browser.get(url, query_string=query)
            else:
                response = coordinator_browser.post(url, {**form, "submit": "1"}, query_string=query)
            assert response.status_code < 500, (method, url, query, form, response.status_code)

    fuzz()
