"""Numbers from outside never reach the database unbounded: an id past 2^31 in an address is a
404, a number in a form or a query string a French refusal, never a 500 (SQLite's
OverflowError, PostgreSQL's range error, timedelta's overflow).

The routes are read from the app's URL map: a route added later is walked without editing
this test.
"""
import re

import pytest
from werkzeug.routing import AnyConverter, IntegerConverter

from forum.numbers import MAX_INT, parse_ids, parse_int

from .helpers import Browser

BAD = [2**31, 2**62, 2**63, 2**64, 10**25, -1]   # 2^31: past PostgreSQL's INTEGER
PLACEHOLDER = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")


def int_rules(app):
    """Every rule with an ``<int:…>`` argument."""
    return [rule for rule in app.url_map.iter_rules()
            if any(isinstance(converter, IntegerConverter) for converter in rule._converters.values())]


def path_of(rule, number):
    """The rule's path with every int argument set to ``number`` and the others to a word."""
    def fill(match):
        converter = rule._converters[match.group(2)]
        if isinstance(converter, IntegerConverter):
            return str(number)
        # ``<any(a, b):act>`` takes only its words (the webhooks' disable and enable).
        return sorted(converter.items)[0] if isinstance(converter, AnyConverter) else "x"
    return PLACEHOLDER.sub(fill, rule.rule)


def form_data(number):
    """Every numeric field of the forum's forms at once, set to ``number``."""
    value = str(number)
    return {"parent": value, "lieu": f"sujet-{value}", "college": value, "colleges": value,
            "committees": value, "articles": value, "reports": value, "reason": value, "level": value,
            "duration": value, "unit": "jours", "minutes": value, "report_threshold": value,
            "approve_first_posts": value, "space": value, "role": "member", "outcome": "upheld",
            "title": "Un titre assez long", "body": "Un texte assez long pour être accepté.",
            "justification": "Une justification.", "submit": "1"}


def test_the_int_converter_is_bounded_app_wide(app):
    rules = int_rules(app)
    assert len(rules) > 20
    with app.test_request_context():
        adapter = app.url_map.bind("localhost")
        for rule in rules:
            # The rule's own method: a GET and a POST route may share a path (the agenda's page and
            # proposing a point), and OPTIONS or HEAD would match either.
            method = min(rule.methods - {"HEAD", "OPTIONS"})
            assert adapter.match(path_of(rule, MAX_INT), method=method)[0] == rule.endpoint
            for number in BAD:
                with pytest.raises(Exception) as refused:
                    endpoint, _args = adapter.match(path_of(rule, number), method=method)
                    assert endpoint != rule.endpoint      # another route may match the path, never this one
                    raise LookupError
                assert refused.type is not AssertionError, (rule.rule, number)


@pytest.mark.parametrize("who", ["anonymous", "coordinator"])
def test_no_int_route_answers_500_past_2_63(app, forum, client, who):
    browser = Browser(client)
    if who == "coordinator":
        browser.login(forum.member("Coordinatrice", role="coordinator"))
    failures = []
    for rule in int_rules(app):
        for number in BAD:
            path = path_of(rule, number)
            if "GET" in rule.methods:
                status = browser.get(path).status_code
                if status >= 500:
                    failures.append(("GET", path, status))
            if "POST" in rule.methods:
                status = browser.post(path, form_data(number)).status_code
                if status >= 500:
                    failures.append(("POST", path, status))
        assert browser.get("/aide").status_code == 200          # the next request is served
    assert failures == []


@pytest.mark.parametrize("number", [2**31, 2**63, 10**25, -1, "²", "١٢", "1e5", " 7 ", "x" * 5000])
def test_numeric_fields_and_query_strings_never_answer_500(app, forum, browser, number):
    """Every numeric field and query parameter of the pages of a coordinator, with a topic to
    act on: the pages refuse or ignore the number."""
    space = forum.space()
    coordinator = forum.member("Coordinatrice", role="coordinator")
    topic = forum.topic(coordinator, space)
    post = forum.reply(coordinator, topic)
    member = forum.member()
    browser.login(coordinator)
    value = str(number)
    gets = [f"/?page={value}", f"/espace/{space.slug}?page={value}", f"/sujet/{topic.id}?page={value}",
            f"/sujet/{topic.id}/repondre?a={value}", f"/sujet/{topic.id}/repondre?citer={value}",
            f"/message/{post.id}/versions?de={value}&a={value}", f"/notifications?page={value}",
            f"/recherche?q=texte&page={value}", f"/search.json?q=texte&page={value}",
            f"/moderation/journal?espace={value}&page={value}", f"/moderation/journal.csv?espace={value}",
            f"/espace/{space.slug}/journal-de-moderation?page={value}"]
    for path in gets:
        assert browser.get(path).status_code < 500, path
    posts = [f"/sujet/{topic.id}/repondre", "/nouveau-sujet", "/brouillon", f"/message/{post.id}/signaler",
             f"/moderation/messages/{post.id}/masquer", f"/moderation/sujets/{topic.id}/mode-lent",
             f"/moderation/sujets/{topic.id}/deplacer", f"/moderation/espaces/{space.slug}/reglages",
             f"/coordination/membres/{member.id}", f"/coordination/espaces/{space.id}",
             f"/moderation/membres/{member.id}/suspendre", f"/moderation/membres/{member.id}/lecture-seule",
             f"/suivi/sujet/{topic.id}", "/preferences", "/preferences/courriels"]
    for path in posts:
        status = browser.post(path, form_data(number)).status_code
        assert status < 500, (path, status)
        assert browser.get("/aide").status_code == 200, path    # no session left to roll back
    visitor = Browser(app.test_client())
    data = dict(form_data(number), pseudonym="Nouvelle", email="nouvelle@exemple.fr", password="un mot de passe")
    assert visitor.post("/inscription", data).status_code < 500


def test_parse_int():
    assert parse_int("12") == 12 and parse_int(" 12 ") == 12 and parse_int(12) == 12
    assert parse_int(str(MAX_INT)) == MAX_INT and parse_int(str(MAX_INT + 1)) is None
    assert parse_int("-1") is None and parse_int("-1", minimum=-5) == -1
    for bad in ("", None, "abc", "1.5", "1e5", "²", "١٢", "9" * 5000, True):
        assert parse_int(bad) is None, bad
    assert parse_int("5", 1, 4) is None and parse_int("4", 1, 4) == 4
    assert parse_ids(["1", "x", str(10**25), "3", "0"]) == {1, 3}
