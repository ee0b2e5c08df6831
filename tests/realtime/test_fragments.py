"""What live pages fetch after a hint: permission-checked fragments and absolute counters."""
from forum.accounts.models import Member
from forum.extensions import db
from forum.topics import posting
from forum.topics.models import Post, Space, Topic

from ..helpers import Browser


def test_post_fragment_is_the_article_of_the_topic_page(client, forum):
    space = forum.space("Jeunesse")
    author = forum.member("Nadia")
    topic = forum.topic(author, space, "Les jeunes majeurs")
    first = forum.reply(author, topic, "Première réponse, **importante**.")
    deep = forum.reply(author, topic, "Réponse à la réponse.", parent=first)
    data = client.get(f"/message/{first.id}/fragment").get_json()
    assert data["post_id"] == first.id and data["parent_id"] == forum.opening(topic).id
    assert data["html"].startswith(f'<article class="post post-visible" id="message-{first.number}"')
    assert "<strong>importante</strong>" in data["html"] and "en réponse à" not in data["html"]
    assert data["announce"] == "Nouvelle réponse de Nadia."
    # Shown flat (deeper than the tree, or chronological): it says what it answers.
    assert "en réponse à" in client.get(f"/message/{deep.id}/fragment?plat=1").get_json()["html"]
    assert "en réponse à" in client.get(f"/message/{deep.id}/fragment?vue=chrono").get_json()["html"]


def test_hidden_post_fragment_is_its_placeholder_for_others(app, client, forum):
    space = forum.space("Éthique")
    author = forum.member("Auteur")
    topic = forum.topic(author, space, "Un sujet à modérer")
    post = forum.reply(author, topic, "Un propos déplacé.")
    moderator = forum.member("Moderatrice")
    with app.app_context():
        held = db.session.get(Space, space.id)
        held.moderators.append(db.session.get(Member, moderator.id))
        db.session.commit()
    with app.app_context():
        posting.set_post_state(db.session.get(Post, post.id), "hidden")
        db.session.commit()
    html = client.get(f"/message/{post.id}/fragment").get_json()["html"]
    assert "Message masqué par la modération." in html and "Un propos déplacé." not in html
    browser = Browser(app.test_client())
    browser.login(moderator)
    assert "Un propos déplacé." in browser.get(f"/message/{post.id}/fragment").get_json()["html"]


def test_fragments_of_unreadable_places_do_not_exist(app, client, forum):
    comite = forum.committee("06")
    bureau = forum.space("Bureau 06", visibility="restricted", committees=[comite])
    insider, outsider = forum.member("Dedans", committees=[comite]), forum.member("Dehors")
    topic = forum.topic(insider, bureau, "Réunion du bureau")
    post = forum.reply(insider, topic, "Ordre du jour confidentiel.")
    with app.app_context():   # pending: its author and moderators only
        pending = posting.reply(db.session.get(Member, insider.id), db.session.get(Topic, topic.id), "En attente.")
        posting.set_post_state(pending, "pending")
        db.session.commit()
        pending_id = pending.id
    browser = Browser(app.test_client())
    browser.login(outsider)
    for url in (f"/message/{post.id}/fragment", f"/sujet/{topic.id}/ligne"):
        assert client.get(url).status_code == 404
        assert browser.get(url).status_code == 404
    assert client.get("/message/999999/fragment").status_code == 404
    inside = Browser(app.test_client())
    inside.login(insider)
    assert inside.get(f"/message/{post.id}/fragment").status_code == 200
    assert inside.get(f"/message/{pending_id}/fragment").status_code == 200
    other = Browser(app.test_client())
    other.login(forum.member("Collegue", committees=[comite]))
    assert other.get(f"/message/{pending_id}/fragment").status_code == 404
    assert other.get(f"/message/{post.id}/fragment").headers["Cache-Control"] == "private, no-store"


def test_topic_row_carries_the_unread_marker_of_the_viewer(app, forum):
    space = forum.space("Territoires")
    author, reader = forum.member("Autrice"), forum.member("Lectrice")
    topic = forum.topic(author, space, "Le non-recours aux droits")
    browser = Browser(app.test_client())
    browser.login(reader)
    data = browser.get(f"/sujet/{topic.id}/ligne").get_json()
    assert data["topic_id"] == topic.id and data["space_id"] == space.id
    assert f'data-topic-id="{topic.id}"' in data["html"] and "nouveau" in data["html"]
    browser.get(f"/sujet/{topic.id}")              # read it
    forum.reply(author, topic, "Du nouveau.")
    assert "1 non lu" in browser.get(f"/sujet/{topic.id}/ligne").get_json()["html"]


def test_activity_counters_are_absolute_and_only_for_readable_spaces(app, client, forum):
    comite = forum.committee("84")
    public = forum.space("Espace public")
    bureau = forum.space("Bureau 84", visibility="restricted", committees=[comite])
    member = forum.member("Membre84", committees=[comite])
    forum.topic(member, public, "Un sujet public")
    forum.topic(member, bureau, "Un sujet du bureau")
    anonymous = {s["id"]: s for s in client.get("/activite.json").get_json()["spaces"]}
    assert public.id in anonymous and bureau.id not in anonymous
    assert anonymous[public.id]["topics"] == 1 and anonymous[public.id]["posts"] == 1
    browser = Browser(app.test_client())
    browser.login(forum.member("Lecteur84", committees=[comite]))
    mine = {s["id"]: s for s in browser.get("/activite.json").get_json()["spaces"]}
    assert mine[bureau.id]["new"] == 1 and "1 nouveau" in mine[bureau.id]["html"]


def test_bench_hook_emits_to_bench_rooms_only_when_enabled(app_factory, forum):
    app = app_factory(BENCH_HOOKS=True)
    client = app.test_client()
    assert client.post("/_bench/emit", json={"room": "topic:1", "seq": 1}).status_code == 422
    from forum.extensions import socketio
    watcher = socketio.test_client(app, flask_test_client=app.test_client())
    assert watcher.emit("join", {"room": "bench"}, callback=True) == {"ok": True}
    assert watcher.emit("join", {"room": "topic:1"}, callback=True)["ok"] is False
    watcher.get_received()
    assert client.post("/_bench/emit", json={"room": "bench", "seq": 7, "event": "bench", "pad": 3}).status_code == 200
    assert app.extensions["agora_realtime"].flush()
    assert [p["args"][0] for p in watcher.get_received()] == [{"seq": 7, "pad": "xxx"}]
    # Not from another address (the test client's address is 127.0.0.1 unless told otherwise).
    far = client.post("/_bench/emit", json={"room": "bench", "seq": 8},
                      environ_overrides={"REMOTE_ADDR": "192.0.2.10"})
    assert far.status_code == 404
    watcher.disconnect()
