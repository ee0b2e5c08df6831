"""The OpenAPI 3.1 document: every route of the API in it, and schemathesis run against a live
Agora with it (positive and negative data): no server error, no answer outside its schema, no
undocumented status, bad data refused."""
import os
import re
import subprocess
import sys

import pytest

from forum.accounts.models import Member
from forum.api import keys, openapi
from forum.extensions import db
from forum.topics.models import Post

ST = os.path.join(os.path.dirname(sys.executable), "st")


def test_every_route_of_the_api_is_documented(app):
    document = app.test_client().get("/api/openapi.json").get_json()
    assert document["openapi"] == "3.1.0"
    paths = {re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule) for rule in app.url_map.iter_rules()
             if openapi.is_api(rule)}
    assert set(document["paths"]) == paths
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            assert operation["summary"] and "200" in operation["responses"], (path, method)


@pytest.fixture
def populated(app, forum):
    committee = forum.committee("13", "Comité 13")
    member = forum.member("Aline", committees=[committee])
    public = forum.space("Accueil des personnes")
    closed = forum.space("Bureau", visibility="restricted", committees=[committee])
    tag = forum.tag("Logement")
    topic = forum.topic(member, public, "Un accueil sans rendez-vous", "Le texte **ouvert**.", tags=[tag])
    forum.reply(member, topic, "Une réponse.")
    forum.topic(member, closed, "Le budget du bureau", "Texte du bureau.")
    return member


def schemathesis(url, *options):
    command = [ST, "run", f"{url}/api/openapi.json", "--url", url, "--checks", "all", "--mode", "all",
               "--max-examples", "25", "--generation-deterministic", "--request-timeout", "20",
               "--suppress-health-check", "all", "--no-color", *options]
    run = subprocess.run(command, capture_output=True, text=True, timeout=1500)
    with open(os.environ.get("AGORA_SCHEMATHESIS_LOG", os.devnull), "a") as log:
        log.write(run.stdout + run.stderr)
    return run


def test_schemathesis_finds_no_server_error_and_no_answer_outside_the_schema(live_server, populated):
    run = schemathesis(live_server.url)
    assert run.returncode == 0, run.stdout[-12000:] + run.stderr[-3000:]
    assert re.search(r"\d+ generated, \d+ passed", run.stdout), run.stdout[-3000:]


def test_schemathesis_with_a_member_s_write_key(app, live_server, populated):
    """As a member with a read/write key: the writes run too. A body the schema allows may still
    be refused by what the pages refuse (a title too short, a closed topic, a reply to no post):
    422 is then the right answer, so the check that every schema-valid body is accepted is off."""
    with app.app_context():
        _row, key = keys.create(db.session.get(Member, populated.id), "write", "schemathesis")
    run = schemathesis(live_server.url, "-H", f"Api-Key: {key}", "-H", "Api-Username: Aline",
                       "--exclude-checks", "positive_data_acceptance")
    assert run.returncode == 0, run.stdout[-12000:] + run.stderr[-3000:]
    assert "Authentication failed" not in run.stdout
    with app.app_context():   # the writes did run: posts were written through the API
        assert db.session.query(Post).count() > 3
