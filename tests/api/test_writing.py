"""The API's writes with a session (a browser's script): Discourse's parameters, every guard of
the pages, Discourse's errors for bad input, and nothing written when refused."""
import json

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.topics.models import Post, Topic

from ..helpers import snapshot


@pytest.fixture
def world(forum):
    committee = forum.committee("13", "Comité 13")
    writer = forum.member("Aline", committees=[committee])
    other = forum.member("Bruno")
    public = forum.space("Accueil des personnes")
    closed = forum.space("Bureau du comité", visibility="restricted", committees=[committee])
    tag = forum.tag("Logement")
    topic = forum.topic(other, public, "Un accueil sans rendez-vous")
    return {"writer": writer, "other": other, "public": public, "closed": closed, "topic": topic, "tag": tag}


def send(browser, method, url, payload=None, as_json=True, csrf=True, **kwargs):
    headers = {"X-CSRFToken": browser.token()} if csrf else {}
    if as_json:
        return browser.client.open(url, method=method, data=json.dumps(payload), headers=headers,
                                   content_type="application/json", **kwargs)
    return browser.client.open(url, method=method, data=payload, headers=headers, **kwargs)


def posts(app):
    with app.app_context():
        return db.session.scalar(select(func.count(Post.id)))


def test_a_reply_and_a_topic_are_written_as_discourse_clients_send_them(app, login, world):
    browser = login(world["writer"])
    reply = send(browser, "POST", "/posts.json", {"topic_id": world["topic"].id, "raw": "Je réponds **ici**."})
    assert reply.status_code == 200, reply.get_data(as_text=True)
    data = reply.get_json()
    assert data["post_number"] == 2 and data["raw"] == "Je réponds **ici**." and "<strong>ici</strong>" in data["cooked"]
    answer = send(browser, "POST", "/posts", {"topic_id": str(world["topic"].id), "raw": "Et encore.",
                                              "reply_to_post_number": "2"}, as_json=False)
    assert answer.status_code == 200 and answer.get_json()["reply_to_post_number"] == 2

    started = send(browser, "POST", "/posts.json", {"title": "Un sujet écrit par un outil", "raw": "Son texte.",
                                                    "category": world["closed"].id, "tags": ["logement"]})
    assert started.status_code == 200, started.get_data(as_text=True)
    with app.app_context():
        topic = db.session.get(Topic, started.get_json()["topic_id"])
        assert topic.space_id == world["closed"].id and [t.slug for t in topic.tags] == ["logement"]

    edited = send(browser, "PUT", f"/posts/{data['id']}.json", {"post": {"raw": "Je réponds autrement."}})
    assert edited.status_code == 200 and edited.get_json()["post"]["raw"] == "Je réponds autrement."
    again = send(browser, "PUT", f"/posts/{data['id']}", {"post[raw]": "Troisième version."}, as_json=False)
    assert again.get_json()["post"]["version"] == 3


def test_a_session_write_without_its_csrf_token_writes_nothing(app, login, world):
    browser = login(world["writer"])
    before = snapshot(app)
    refused = send(browser, "POST", "/posts.json", {"topic_id": world["topic"].id, "raw": "Sans jeton."}, csrf=False)
    assert refused.status_code == 400 and refused.get_json()["error_type"] == "invalid_parameters"
    assert snapshot(app) == before


@pytest.mark.parametrize("payload,status,words", [
    ({"topic_id": "{topic}", "raw": ""}, 422, "message"),
    ({"topic_id": "{topic}"}, 422, "message"),
    ({"topic_id": -3, "raw": "Texte."}, 400, "topic_id"),
    ({"topic_id": "abc", "raw": "Texte."}, 400, "topic_id"),
    ({"topic_id": 99999999999999999999999, "raw": "Texte."}, 400, "topic_id"),
    ({"topic_id": {"id": 1}, "raw": "Texte."}, 400, "topic_id"),
    ({"topic_id": "{topic}", "raw": ["a", 1]}, 400, "raw"),
    ({"topic_id": "{topic}", "raw": "Texte.", "user_id": 1}, 400, "user_id"),
    ({"topic_id": 987654, "raw": "Texte."}, 404, None),
    ({"topic_id": "{topic}", "raw": "Texte.", "reply_to_post_number": 40}, 422, "n'existe pas"),
    ({"title": "Un titre correct", "raw": "Texte."}, 422, "espace"),
    ({"title": "Un titre correct", "raw": "Texte.", "category": "{closed}", "archetype": "private_message"},
     422, "ordinaires"),
    ({"title": "", "raw": "Texte.", "category": "{public}"}, 422, "titre"),
    ({"title": "Un titre correct", "raw": "Texte.", "category": "{public}", "tags": ["x" * 300]}, 422, None),
])
def test_bad_input_is_a_discourse_error_with_its_status_and_writes_nothing(app, login, world, payload, status, words):
    ids = {"topic": world["topic"].id, "closed": world["closed"].id, "public": world["public"].id}
    filled = {k: (int(v.format(**ids)) if isinstance(v, str) and v.startswith("{") else v) for k, v in payload.items()}
    browser = login(world["writer"])
    before = snapshot(app)
    answer = send(browser, "POST", "/posts.json", filled)
    assert answer.status_code == status, answer.get_data(as_text=True)
    body = answer.get_json()
    assert body["errors"] and body["error_type"] in ("invalid_parameters", "not_found")
    if words:
        assert words in body["errors"][0], body
    assert snapshot(app) == before


def test_malformed_or_huge_bodies_are_refused(app, login, world):
    browser = login(world["writer"])
    before = posts(app)
    for body in ("{not json", "[1, 2]", "\"texte\"", "null"):
        answer = browser.client.post("/posts.json", data=body, content_type="application/json",
                                     headers={"X-CSRFToken": browser.token()})
        assert answer.status_code == 400 and answer.get_json()["errors"], body
    huge = send(browser, "POST", "/posts.json", {"topic_id": world["topic"].id, "raw": "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)})
    assert huge.status_code == 413 and huge.get_json()["errors"]
    assert posts(app) == before


def test_who_may_not_cannot(app, client, login, world, forum):
    theirs = forum.reply(world["other"], world["topic"], "Le message de Bruno.")
    browser = login(world["writer"])
    before = snapshot(app)
    refused = send(browser, "PUT", f"/posts/{theirs.id}.json", {"post": {"raw": "Changé par Aline."}})
    assert refused.status_code == 403 and refused.get_json()["error_type"] == "invalid_access"
    outsider = login(world["other"])
    secret = forum.topic(world["writer"], world["closed"], "Le budget du bureau")
    hidden = send(outsider, "POST", "/posts.json", {"topic_id": secret.id, "raw": "J'entre."})
    assert hidden.status_code == 404
    snapshot_after = snapshot(app)
    closed_topic = send(outsider, "POST", "/posts.json", {"title": "Un sujet du bureau", "raw": "Texte.",
                                                          "category": world["closed"].id})
    assert closed_topic.status_code == 422 and snapshot(app) == snapshot_after
    anonymous = client.post("/posts.json", json={"topic_id": world["topic"].id, "raw": "Anonyme."})
    assert anonymous.status_code in (400, 403)
    assert client.put(f"/posts/{theirs.id}.json", json={"post": {"raw": "Anonyme."}}).status_code in (400, 403)
    with app.app_context():
        assert db.session.get(Post, theirs.id).source == "Le message de Bruno."
    assert before is not None
