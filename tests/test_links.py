"""link_url and url_template (forum/web/links.py) give what url_for gives, script root included."""
import os
import re

import pytest
from flask import url_for


@pytest.mark.parametrize("script_root", ["", "/forum"])
def test_link_url_is_url_for_at_the_cost_of_a_format(app, script_root):
    link_url = app.jinja_env.globals["link_url"]
    cases = [("topics.post", {"post_id": 42}), ("topics.revisions", {"post_id": 7}),
             ("topics.reply", {"topic_id": 3, "a": 12}), ("topics.reply", {"topic_id": 3, "a": 12, "citer": 12}),
             ("accounts.profile", {"pseudonym": "Nadia.M"}), ("moderation.report", {"post_id": 5})]
    with app.test_request_context("/", base_url=f"http://localhost{script_root}/"):
        for endpoint, values in cases * 2:   # the second time from the kept template
            assert link_url(endpoint, **values) == url_for(endpoint, **values)
        # Values are quoted whole, as path segments; braces in a value stay data.
        assert link_url("accounts.profile", pseudonym="a b/{0}") == script_root + "/membre/a%20b%2F%7B0%7D"


def test_url_template_leaves_named_placeholders_for_scripts(app):
    url_template = app.jinja_env.globals["url_template"]
    with app.test_request_context("/", base_url="http://localhost/forum/"):
        assert url_template("realtime.post_fragment", "post_id") == "/forum/message/{post_id}/fragment"
        assert url_template("realtime.topic_row", "topic_id") == "/forum/sujet/{topic_id}/ligne"


def test_no_script_writes_a_path_of_the_site(app):
    """The scripts get their URLs from the page (data- attributes), never by hand."""
    folder = os.path.join(app.static_folder, "js")
    for name in os.listdir(folder):
        with open(os.path.join(folder, name), encoding="utf-8") as handle:
            source = re.sub(r"/\*.*?\*/|//[^\n]*", "", handle.read(), flags=re.S)   # code, not comments
        assert not re.search(r"""["'](/(?:message|sujet|brouillon|piece-jointe|activite|espace|membre)\b)""", source), name
