"""A withdrawn version leaves the index at once, with both backends (results and suggestions)."""
from forum.extensions import db
from forum.topics.models import Post
from moderation import redaction

WORDS = ("Lenoir", "Bellevue", "1961")


def test_withdrawn_words_are_found_by_no_one(world, forum, finder, act, app):
    topic = forum.topic(world.alice, world.theme, "Accompagnement d'un retraité isolé",
                        body="M. Lenoir, né en 1961, vit seul impasse Bellevue depuis l'hiver.")
    post = forum.opening(topic)
    viewers = (None, world.alice, world.bob, world.mod, world.coordinator)
    assert all(finder.ids(viewer, "Lenoir") == [post.id] for viewer in viewers)   # the test can fail
    act(redaction.redact, world.mod, post, 1, "third_party", [world.articles[1]])
    with app.app_context():
        assert db.session.get(Post, post.id).source.startswith("*Texte retiré le")
    for viewer in viewers:
        for word in WORDS:
            found = finder.results(viewer, word)
            assert [item.post.id for item in found.items] == [], (viewer, word)
            assert found.suggestion is None
        assert finder.results(viewer, "Lenoire").suggestion is None
        assert finder.ids(viewer, "retraité") == [post.id]    # the title stays: it was not withdrawn
    response = app.test_client().get("/recherche?q=Bellevue")
    assert response.status_code == 200 and "Aucun message trouvé." in response.get_data(as_text=True)


def test_a_withdrawn_earlier_version_was_never_searchable_and_stays_so(world, forum, finder, act, app):
    topic = forum.topic(world.alice, world.theme, "Visite à domicile", body="Chez M. Lenoir, impasse Bellevue.")
    post = forum.opening(topic)
    with app.app_context():
        from forum.accounts.models import Member
        from forum.topics import posting
        posting.edit_post(db.session.get(Member, world.alice.id), db.session.get(Post, post.id),
                          "Chez une personne âgée du quartier.")
    act(redaction.redact, world.alice, post, 1)
    for viewer in (None, world.alice, world.coordinator):
        assert finder.ids(viewer, "Lenoir") == [] and finder.ids(viewer, "personne âgée") == [post.id]
