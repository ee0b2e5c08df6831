"""The OpenAPI 3.1 document: every route of the API in it, and schemathesis run against a live
Agora with it (positive and negative data): no server error, no answer outside its schema, no
undocumented status, bad data refused."""
import os
import re
import subprocess
import sys

import pytest

from forum.api import openapi

ST = os.path.join(os.path.dirname(sys.executable), "st")


def test_every_route_of_the_api_is_documented(app):
    document = app.test_client().get("/api/openapi.json").get_json()
    assert document["openapi"] == "3.1.0"
    paths = {re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule) for rule in app.url_map.iter_rules()
             if openapi.is_api(rule.endpoint)}
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


def schemathesis(url, *headers):
    command = [ST, "run", f"{url}/api/openapi.json", "--url", url, "--checks", "all", "--mode", "all",
               "--max-examples", "25", "--generation-deterministic", "--request-timeout", "20",
               "--suppress-health-check", "all", "--no-color"]
    for header in headers:
        command += ["-H", header]
    return subprocess.run(command, capture_output=True, text=True, timeout=1500)


def test_schemathesis_finds_no_server_error_and_no_answer_outside_the_schema(live_server, populated):
    run = schemathesis(live_server.url)
    with open(os.environ.get("AGORA_SCHEMATHESIS_LOG", os.devnull), "w") as log:
        log.write(run.stdout + run.stderr)
    assert run.returncode == 0, run.stdout[-12000:] + run.stderr[-3000:]
