"""Fuzzing (Hypothesis) of the API's writes with Discourse's parameter names, as JSON and as a
form: any value, any type, unknown names. No answer is a 500, and a refused write writes nothing.
(``tests/test_fuzz.py`` fuzzes every address of the API with the others.)"""
import json

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import func, select

from forum.extensions import db
from forum.topics.models import Post, Topic

NAMES = ("title", "raw", "category", "topic_id", "reply_to_post_number", "tags", "tags[]", "archetype",
         "post", "post[raw]", "post[edit_reason]", "raw", "user_id", "created_at", "csrf_token")
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(min_value=-2 ** 70, max_value=2 ** 70),
                    st.floats(allow_nan=True), st.text(max_size=30),
                    st.sampled_from(["1", "0", "-1", "", "\x00", "é" * 400, "x" * 70000, "9223372036854775808"]))
JSON_VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                            st.dictionaries(st.text(max_size=8), inner, max_size=3)),
                           max_leaves=6)


@pytest.fixture
def writer(app, forum, login):
    member = forum.member("Aline")
    space = forum.space("Accueil")
    topic = forum.topic(member, space, "Un sujet pour le fuzzing")
    return login(member), topic


def _counts(app):
    with app.app_context():
        return db.session.scalar(select(func.count(Post.id))), db.session.scalar(select(func.count(Topic.id)))


def test_no_parameter_makes_a_500(app, writer):
    browser, topic = writer
    headers = {"X-CSRFToken": browser.token()}

    @settings(max_examples=80, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(payload=st.one_of(st.dictionaries(st.sampled_from(NAMES), JSON_VALUES, max_size=5), JSON_VALUES),
           as_form=st.booleans(), method=st.sampled_from(["POST", "PUT"]))
    def fuzz(payload, as_form, method):
        url = "/posts.json" if method == "POST" else f"/posts/{topic.id}.json"
        before = _counts(app)
        if as_form and isinstance(payload, dict):
            form = {k: v if isinstance(v, str) else json.dumps(v) for k, v in payload.items() if v is not None}
            response = browser.client.open(url, method=method, data=form, headers=headers)
        else:
            response = browser.client.open(url, method=method, data=json.dumps(payload), headers=headers,
                                           content_type="application/json")
        assert response.status_code < 500, (method, payload, response.status_code)
        assert response.get_json()["errors"] if response.status_code >= 400 else True
        if response.status_code != 200:
            assert _counts(app) == before, (method, payload)

    fuzz()
