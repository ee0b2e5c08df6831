"""The API's reads: Discourse's shapes, and exactly what the pages show the same person."""
import pytest

from forum.topics.models import POST_HIDDEN

JSON = "application/json; charset=utf-8"


@pytest.fixture
def world(forum):
    author = forum.member("Aline")
    committee = forum.committee("13", "Comité 13")
    insider = forum.member("Bruno", committees=[committee])
    public = forum.space("Accueil des personnes")
    closed = forum.space("Bureau du comité", visibility="restricted", committees=[committee])
    tag = forum.tag("Logement")
    topic = forum.topic(author, public, "Un accueil sans rendez-vous", "Le texte **ouvert**.", tags=[tag])
    answer = forum.reply(insider, topic, "Une réponse lisible.")
    secret = forum.topic(insider, closed, "Le budget du bureau", "Texte xqsecret du bureau.")
    return {"author": author, "insider": insider, "public": public, "closed": closed, "tag": tag,
            "topic": topic, "answer": answer, "secret": secret}


def test_latest_lists_what_the_viewer_reads_in_discourse_s_shape(client, login, world):
    anonymous = client.get("/latest.json")
    assert anonymous.status_code == 200 and anonymous.headers["Content-Type"] == JSON
    listing = anonymous.get_json()
    ids = [topic["id"] for topic in listing["topic_list"]["topics"]]
    assert ids == [world["topic"].id]
    first = listing["topic_list"]["topics"][0]
    assert first["title"] == "Un accueil sans rendez-vous" and first["posts_count"] == 2
    assert first["category_id"] == world["public"].id and first["tags"] == ["logement"]
    assert first["last_poster_username"] == "Bruno" and first["created_at"].endswith("Z")
    assert {user["username"] for user in listing["users"]} == {"Aline", "Bruno"}
    assert listing["topic_list"]["can_create_topic"] is False

    insider = login(world["insider"]).get("/latest.json").get_json()
    assert {topic["id"] for topic in insider["topic_list"]["topics"]} == {world["topic"].id, world["secret"].id}
    assert insider["topic_list"]["can_create_topic"] is True


def test_a_topic_has_its_post_stream_and_a_restricted_one_is_not_found(client, login, world):
    data = client.get(f"/t/{world['topic'].id}.json").get_json()
    assert data["id"] == world["topic"].id and data["category_id"] == world["public"].id
    posts = data["post_stream"]["posts"]
    assert [post["post_number"] for post in posts] == [1, 2]
    assert "<strong>ouvert</strong>" in posts[0]["cooked"] and posts[1]["username"] == "Bruno"
    assert data["post_stream"]["stream"] == [post["id"] for post in posts]
    assert data["details"]["created_by"]["username"] == "Aline"
    same = client.get(f"/t/{world['topic'].slug}/{world['topic'].id}.json").get_json()
    assert same["post_stream"] == data["post_stream"]

    hidden = client.get(f"/t/{world['secret'].id}.json")
    assert hidden.status_code == 404 and hidden.headers["Content-Type"] == JSON
    assert hidden.get_json()["error_type"] == "not_found" and hidden.get_json()["errors"]
    assert "xqsecret" not in hidden.get_data(as_text=True)
    seen = login(world["insider"]).get(f"/t/{world['secret'].id}.json").get_json()
    assert "xqsecret" in seen["post_stream"]["posts"][0]["cooked"]


def test_a_hidden_post_shows_neither_its_text_nor_its_author(app, client, forum, world):
    from forum.extensions import db
    from forum.topics import posting
    from forum.topics.models import Post
    with app.app_context():
        posting.set_post_state(db.session.get(Post, world["answer"].id), POST_HIDDEN)
        db.session.commit()
    for url in (f"/t/{world['topic'].id}.json", f"/posts/{world['answer'].id}.json"):
        text = client.get(url).get_data(as_text=True)
        assert "Une réponse lisible" not in text and "Bruno" not in text, (url, text)
    # Nor do the pages' topic lists name its author as the last to write.
    for url in ("/", f"/espace/{world['public'].slug}", "/latest.json"):
        assert "Bruno" not in client.get(url).get_data(as_text=True), url
    post = client.get(f"/posts/{world['answer'].id}.json").get_json()
    assert post["hidden"] is True and post["raw"] == "" and post["user_id"] is None


def test_a_post_has_its_markdown_and_a_restricted_one_is_not_found(client, login, world):
    post = client.get(f"/posts/{world['answer'].id}.json").get_json()
    assert post["raw"] == "Une réponse lisible." and post["topic_id"] == world["topic"].id
    secret_post = world["secret"].id
    assert client.get(f"/t/{secret_post}.json").status_code == 404


def test_categories_are_the_readable_spaces(client, login, world):
    anonymous = [c["id"] for c in client.get("/categories.json").get_json()["category_list"]["categories"]]
    assert world["public"].id in anonymous and world["closed"].id not in anonymous
    insider = login(world["insider"]).get("/categories.json").get_json()["category_list"]["categories"]
    closed = next(c for c in insider if c["id"] == world["closed"].id)
    assert closed["read_restricted"] is True and closed["slug"] == world["closed"].slug

    listing = client.get(f"/c/{world['public'].slug}/{world['public'].id}.json").get_json()
    assert [t["id"] for t in listing["topic_list"]["topics"]] == [world["topic"].id]
    assert client.get(f"/c/{world['public'].id}.json").get_json()["category"]["id"] == world["public"].id
    assert client.get(f"/c/{world['closed'].id}.json").status_code == 404


def test_tags_count_only_readable_topics(client, login, world, forum):
    forum.topic(world["insider"], world["closed"], "Un sujet fermé étiqueté", tags=[world["tag"]])
    tags = client.get("/tags.json").get_json()["tags"]
    assert next(t for t in tags if t["id"] == "logement")["count"] == 1
    assert login(world["insider"]).get("/tags.json").get_json()["tags"][0]["count"] == 2
    listing = client.get("/tag/logement.json").get_json()
    assert [t["id"] for t in listing["topic_list"]["topics"]] == [world["topic"].id]
    assert client.get("/tag/inconnue.json").status_code == 404


def test_a_member_s_profile_lists_only_what_the_viewer_reads(client, login, world):
    profile = client.get("/u/Bruno.json").get_json()["user"]
    assert profile["username"] == "Bruno" and "email" not in profile
    assert [post["topic_id"] for post in profile["recent_posts"]] == [world["topic"].id]
    insider = login(world["insider"]).get("/u/Bruno.json").get_json()["user"]
    assert {post["topic_id"] for post in insider["recent_posts"]} == {world["topic"].id, world["secret"].id}
    assert client.get("/u/personne.json").status_code == 404
    assert client.get("/u/bruno@test.agora.localhost.json").status_code == 404


def test_notifications_are_the_member_s_own(client, login, world, forum):
    forum.reply(world["insider"], world["topic"], "Je réponds à @Aline ici.")
    assert client.get("/notifications.json").status_code == 403
    data = login(world["author"]).get("/notifications.json").get_json()
    kinds = {item["notification_type"] for item in data["notifications"]}
    assert kinds & {1, 2} and all(item["user_id"] == world["author"].id for item in data["notifications"])
    assert login(world["insider"]).get("/notifications.json").get_json()["notifications"] == []


@pytest.mark.parametrize("url", ["/t/0.json", "/t/99999999999999999999.json", "/posts/-1.json", "/c/x/0.json",
                                 "/latest.json?page=-5", "/latest.json?page=abc", "/t/1.json?page=zz",
                                 "/tag/%00.json", "/u/%20.json"])
def test_bad_addresses_are_discourse_errors_never_a_server_error(client, world, url):
    response = client.get(url)
    assert response.status_code in (400, 404), (url, response.status_code)
    assert response.get_json()["error_type"] == ("not_found" if response.status_code == 404 else "invalid_parameters")
    if response.status_code == 400:
        assert "page" in response.get_json()["errors"][0]


def test_search_answers_in_discourse_s_shape_with_the_same_totals(client, login, world):
    anonymous = client.get("/search.json", query_string={"q": "texte"}).get_json()
    assert anonymous["grouped_search_result"]["term"] == "texte"
    assert [post["topic_id"] for post in anonymous["posts"]] == [world["topic"].id]
    assert anonymous["total"] == len(anonymous["posts"]) == 1
    assert anonymous["topics"][0]["id"] == world["topic"].id and "xqsecret" not in str(anonymous)
    insider = login(world["insider"]).get("/search.json", query_string={"q": "texte"}).get_json()
    assert {post["topic_id"] for post in insider["posts"]} == {world["topic"].id, world["secret"].id}
    assert insider["grouped_search_result"]["post_ids"] == [post["id"] for post in insider["posts"]]
