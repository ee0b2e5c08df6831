"""pydiscourse, a Discourse client library for Python, used against a running Agora as its
users use it: list the latest topics and the categories, read a topic, reply, start a topic,
edit, search, read one's notifications. Nothing in it knows it is not talking to Discourse."""
import pytest
from pydiscourse import DiscourseClient
from pydiscourse.exceptions import DiscourseClientError

from forum.accounts.models import Member
from forum.api import keys
from forum.extensions import db


@pytest.fixture
def agora(app, forum, live_server):
    committee = forum.committee("13", "Comité 13")
    aline = forum.member("Aline", committees=[committee])
    public = forum.space("Accueil des personnes")
    closed = forum.space("Bureau du comité", visibility="restricted", committees=[committee])
    topic = forum.topic(forum.member("Bruno"), public, "Un accueil sans rendez-vous", "Les permanences du mardi.")
    secret = forum.topic(aline, closed, "Le budget du bureau", "Texte réservé au bureau.")
    with app.app_context():
        _row, key = keys.create(db.session.get(Member, aline.id), "write", "pydiscourse")
        _row, read_key = keys.create(db.session.get(Member, aline.id), "read", "lecture")
    return {"url": live_server.url, "key": key, "read_key": read_key, "public": public, "closed": closed,
            "topic": topic, "secret": secret}


def test_a_discourse_client_reads_writes_and_searches(agora):
    client = DiscourseClient(agora["url"], api_username="Aline", api_key=agora["key"])

    latest = client.latest_topics()["topic_list"]["topics"]
    assert {topic["id"] for topic in latest} == {agora["topic"].id, agora["secret"].id}
    categories = {category["id"] for category in client.categories()}
    assert {agora["public"].id, agora["closed"].id} <= categories

    topic = client.topic(agora["topic"].slug, agora["topic"].id)
    assert topic["title"] == "Un accueil sans rendez-vous"
    assert "mardi" in topic["post_stream"]["posts"][0]["cooked"]

    reply = client.create_post("Nous aussi, le jeudi matin.", topic_id=agora["topic"].id)
    assert reply["topic_id"] == agora["topic"].id and reply["username"] == "Aline"
    started = client.create_post("Qui vient à la plénière ?", category_id=agora["closed"].id,
                                 title="Plénière de janvier")
    assert started["post_number"] == 1
    edited = client.update_post(reply["id"], "Nous aussi, le jeudi après-midi.")
    assert edited["post"]["raw"] == "Nous aussi, le jeudi après-midi."

    found = client.search("jeudi")
    assert [post["id"] for post in found["posts"]] == [reply["id"]]
    assert client._get("/session/current.json")["current_user"]["username"] == "Aline"
    assert isinstance(client._get("/notifications.json")["notifications"], list)


def test_a_discourse_client_is_refused_what_the_member_may_not(agora):
    visitor = DiscourseClient(agora["url"], api_username="", api_key="")
    assert {t["id"] for t in visitor.latest_topics()["topic_list"]["topics"]} == {agora["topic"].id}
    with pytest.raises(DiscourseClientError):
        visitor.topic(agora["secret"].slug, agora["secret"].id)

    reader = DiscourseClient(agora["url"], api_username="Aline", api_key=agora["read_key"])
    assert reader.topic(agora["secret"].slug, agora["secret"].id)["id"] == agora["secret"].id
    with pytest.raises(DiscourseClientError) as refused:
        reader.create_post("Avec une clé de lecture.", topic_id=agora["topic"].id)
    assert refused.value.response.status_code == 403

    impostor = DiscourseClient(agora["url"], api_username="Bruno", api_key=agora["key"])
    with pytest.raises(DiscourseClientError) as refused:
        impostor.latest_topics()
    assert refused.value.response.status_code == 403
