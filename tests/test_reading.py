"""Browsing: home, spaces, tags, topics; visibility rules enforced on every page."""
import re

import pytest

from forum.topics.models import Topic

from .helpers import text


@pytest.fixture
def spaces(forum):
    committee13 = forum.committee("13", "Comité des Bouches-du-Rhône")
    committee83 = forum.committee("83", "Comité du Var")
    peers_college = forum.college("Personnes accompagnées", sensitive=True)
    pro_college = forum.college("Professionnels")
    public = forum.space("Espace public")
    members = forum.space("Vie du réseau", visibility="members")
    bureau = forum.space("Bureau 13", visibility="restricted", committees=[committee13])
    peers = forum.space("Entre pairs", visibility="restricted", colleges=[peers_college])
    both = forum.space("Pairs du 13", visibility="restricted", committees=[committee13], colleges=[peers_college])
    return dict(c13=committee13, c83=committee83, peers_college=peers_college, pro_college=pro_college,
                public=public, members=members, bureau=bureau, peers=peers, both=both)


def test_visibility_of_spaces_for_each_kind_of_reader(forum, browser, spaces):
    author = forum.member("Autrice", committees=[spaces["c13"]], college=spaces["peers_college"])
    topics = {name: forum.topic(author, spaces[name], f"Sujet dans {name}") for name in
              ("public", "members", "bureau", "peers", "both")}
    readers = {
        None: {"public"},
        "outsider": {"public", "members"},
        "member13": {"public", "members", "bureau"},
        "peer83": {"public", "members", "peers"},
        "peer13": {"public", "members", "bureau", "peers", "both"},
        "unconfirmed_peer13": {"public", "members", "bureau"},
        "coordinator": {"public", "members", "bureau", "peers", "both"},
    }
    members = {
        "outsider": forum.member("Dehors", committees=[spaces["c83"]], college=spaces["pro_college"]),
        "member13": forum.member("Membre13", committees=[spaces["c13"]], college=spaces["pro_college"]),
        "peer83": forum.member("Pair83", committees=[spaces["c83"]], college=spaces["peers_college"]),
        "peer13": forum.member("Pair13", committees=[spaces["c13"]], college=spaces["peers_college"]),
        "unconfirmed_peer13": forum.member("PairNonConfirme", committees=[spaces["c13"]],
                                           college=spaces["peers_college"], confirmed=False),
        "coordinator": forum.member("Coord", role="coordinator"),
    }
    for reader, allowed in readers.items():
        if reader:
            browser.login(members[reader])
        home = text(browser.get("/"))
        for name, topic in topics.items():
            space_status = browser.get(f"/espace/{spaces[name].slug}").status_code
            topic_status = browser.get(f"/sujet/{topic.id}").status_code
            expected = 200 if name in allowed else 404
            assert (reader, name, space_status, topic_status) == (reader, name, expected, expected)
            assert (f"Sujet dans {name}" in home) == (name in allowed), (reader, name)
        if reader:
            browser.logout()


def test_home_groups_spaces_and_counts_unread_and_new(forum, browser, spaces):
    alice = forum.member("Alice", committees=[spaces["c13"]])
    bob = forum.member("Bob")
    topic = forum.topic(alice, spaces["public"], "Un sujet à lire")
    browser.login(bob)
    home = text(browser.get("/"))
    assert "Comités locaux" in home and "Thèmes transversaux" in home
    assert "1 nouveau" in home
    browser.get(f"/sujet/{topic.id}")
    home = text(browser.get("/"))
    assert "1 nouveau" not in home
    forum.reply(alice, topic, "Du nouveau")
    forum.reply(alice, topic, "Encore du nouveau")
    home = text(browser.get("/"))
    assert "1 sujet non lu" in home
    space_page = text(browser.get(f"/espace/{spaces['public'].slug}"))
    assert "2 non lus" in space_page
    topic_page = text(browser.get(f"/sujet/{topic.id}"))
    assert topic_page.count(">non lu<") == 2
    assert "1 sujet non lu" not in text(browser.get("/"))


def test_space_sorting_tag_filter_and_pagination(forum, browser, spaces, app):
    app.config["TOPICS_PER_PAGE"] = 2
    alice = forum.member("Alice")
    tag = forum.tag("Logement")
    old = forum.topic(alice, spaces["public"], "Le plus ancien sujet", tags=[tag])
    busy = forum.topic(alice, spaces["public"], "Le sujet animé")
    new = forum.topic(alice, spaces["public"], "Le plus récent sujet", tags=[tag])
    for _ in range(3):
        forum.reply(alice, busy, "Réponse")
    forum.reply(alice, old, "Relance")

    def titles(url):
        return re.findall(r'<h3 class="topic-title"><a href="[^"]+">([^<]+)</a>', text(browser.get(url)))

    slug = spaces["public"].slug
    assert titles(f"/espace/{slug}") == ["Le plus ancien sujet", "Le sujet animé"]
    assert titles(f"/espace/{slug}?page=2") == ["Le plus récent sujet"]
    assert titles(f"/espace/{slug}?tri=recents") == ["Le plus récent sujet", "Le sujet animé"]
    assert titles(f"/espace/{slug}?tri=reponses")[0] == "Le sujet animé"
    assert titles(f"/espace/{slug}?etiquette=logement") == ["Le plus ancien sujet", "Le plus récent sujet"]
    assert browser.get(f"/espace/{slug}?etiquette=inconnue").status_code == 404
    assert titles("/etiquette/logement") == ["Le plus ancien sujet", "Le plus récent sujet"]
    assert browser.get(f"/espace/{slug}?page=abc").status_code == 200
    assert browser.get(f"/espace/{slug}?tri=<script>").status_code == 200
    assert new.id


def test_tag_page_hides_topics_of_unreadable_spaces(forum, browser, spaces):
    alice = forum.member("Alice", committees=[spaces["c13"]])
    tag = forum.tag("Participation")
    forum.topic(alice, spaces["bureau"], "Sujet secret du bureau", tags=[tag])
    forum.topic(alice, spaces["public"], "Sujet public", tags=[tag])
    page = text(browser.get("/etiquette/participation"))
    assert "Sujet public" in page and "Sujet secret du bureau" not in page


def test_pending_posts_are_shown_to_their_author_only(forum, browser, spaces, app):
    from forum.extensions import db
    from forum.topics import posting
    from forum.topics.models import POST_PENDING, Post
    alice = forum.member("Alice")
    bob = forum.member("Bob")
    topic = forum.topic(alice, spaces["public"])
    post = forum.reply(bob, topic, "En attente d'approbation")
    with app.app_context():
        posting.set_post_state(db.session.get(Post, post.id), POST_PENDING)
        db.session.commit()
        assert db.session.get(Topic, topic.id).reply_count == 0
    assert "En attente d'approbation" not in text(browser.get(f"/sujet/{topic.id}"))
    assert browser.get(f"/message/{post.id}").status_code == 404
    browser.login(bob)
    assert "En attente d'approbation" in text(browser.get(f"/sujet/{topic.id}"))


def test_profile_lists_only_readable_contributions(forum, browser, spaces):
    alice = forum.member("Alice", committees=[spaces["c13"]])
    forum.topic(alice, spaces["bureau"], "Contribution au bureau")
    forum.topic(alice, spaces["public"], "Contribution publique")
    page = text(browser.get("/membre/alice"))
    assert "Contribution publique" in page and "Contribution au bureau" not in page
    assert browser.get("/membre/inconnu").status_code == 404


def test_topic_with_100_posts_weighs_under_150_kb(forum, browser, spaces):
    alice = forum.member("Alice")
    bob = forum.member("Bob")
    topic = forum.topic(alice, spaces["public"], body="Un message d'ouverture de longueur ordinaire. " * 6)
    parent = None
    for index in range(99):
        body = f"Réponse numéro {index} : je partage notre expérience de terrain sur ce sujet. " * 3
        post = forum.reply(bob if index % 2 else alice, topic, body, parent=parent if index % 3 else None)
        parent = post
    browser.login(alice)
    response = browser.get(f"/sujet/{topic.id}")
    assert response.status_code == 200
    assert text(response).count('class="post ') == 100
    assert len(response.data) < 150 * 1024, len(response.data)
