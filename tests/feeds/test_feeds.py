"""Atom feeds (forum/feeds/), read back by feedparser: what visitors read, the private address
(made, replaced, deleted, refused), a member who left a comité, hidden, withdrawn and erased
texts, bad input, the visitors' cache and the rate limits."""
import re

import feedparser
import pytest
from sqlalchemy import func, select

from forum.accounts import erasure, membership
from forum.charter import versions as charter
from forum.clock import now
from forum.extensions import db
from forum.feeds.models import FeedToken
from forum.topics.models import POST_HIDDEN, Member, Post, Space

from moderation import post_decisions, redaction

from ..helpers import Browser, Forum, text

SECRET = "xqsecretbureau"


def parse(response):
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/atom+xml"
    feed = feedparser.parse(response.get_data())
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    return feed


def topic_ids(feed):
    return {int(re.search(r"/sujet/(\d+)", e.id).group(1)) for e in feed.entries}


def make_token(browser):
    """A new private address (the page shows it once); its prefix ``/flux/prive/<token>``."""
    assert browser.get("/preferences/flux").status_code == 200
    page = text(browser.post("/preferences/flux/nouvelle-adresse", {"submit": "1"}))
    url = re.search(r'id="adresse-flux" type="text" readonly value="([^"]+)"', page).group(1)
    return re.search(r"(/flux/prive/[^/]+)/recents\.atom$", url).group(1)


@pytest.fixture
def world(forum):
    committee = forum.committee("13")
    bureau = forum.space("Bureau du 13", visibility="restricted", committees=[committee])
    public = forum.space("Thème public")
    author = forum.member("autrice", committees=[committee])
    reader = forum.member("lectrice", committees=[committee])
    tag = forum.tag("Logement")
    open_topic = forum.topic(author, public, "Sujet ouvert", "Texte public lisible.", tags=[tag])
    secret_topic = forum.topic(author, bureau, f"Sujet {SECRET}", f"Texte {SECRET}", tags=[tag])
    reply = forum.reply(reader, open_topic, "Réponse lisible de la lectrice.")
    return dict(committee=committee, bureau=bureau, public=public, author=author, reader=reader, tag=tag,
                open_topic=open_topic, secret_topic=secret_topic, reply=reply)


def test_visitors_feeds_parse_and_never_show_a_restricted_space(app, world):
    client = app.test_client()
    urls = ["/flux/recents.atom", "/flux/syntheses.atom", f"/flux/espace/{world['public'].slug}.atom",
            f"/flux/etiquette/{world['tag'].slug}.atom", f"/flux/sujet/{world['open_topic'].id}.atom",
            f"/flux/espace/{world['public'].slug}/syntheses.atom", f"/flux/espace/{world['public'].slug}/decisions.atom"]
    for url in urls:
        response = client.get(url)
        feed = parse(response)
        assert SECRET not in response.get_data(as_text=True), url
        assert feed.feed.links and any(link.rel == "self" for link in feed.feed.links)
    latest = parse(client.get("/flux/recents.atom"))
    assert topic_ids(latest) == {world["open_topic"].id}
    entry = latest.entries[0]
    assert entry.title == "Sujet ouvert" and entry.author == "autrice"
    assert "Texte public lisible." in entry.content[0].value and entry.content[0].type == "text/html"
    assert topic_ids(parse(client.get(f"/flux/etiquette/{world['tag'].slug}.atom"))) == {world["open_topic"].id}
    posts = parse(client.get(f"/flux/sujet/{world['open_topic'].id}.atom"))
    assert [e.author for e in posts.entries] == ["lectrice", "autrice"]     # newest first
    for url in (f"/flux/espace/{world['bureau'].slug}.atom", f"/flux/sujet/{world['secret_topic'].id}.atom",
                f"/flux/espace/{world['bureau'].slug}/syntheses.atom",
                f"/flux/espace/{world['bureau'].slug}/decisions.atom"):
        assert client.get(url).status_code == 404, url


def test_a_logged_in_browser_still_gets_the_visitors_feed(app, login, world):
    browser = login(world["reader"])
    body = browser.get("/flux/recents.atom").get_data(as_text=True)
    assert SECRET not in body and "Sujet ouvert" in body
    assert browser.get(f"/flux/espace/{world['bureau'].slug}.atom").status_code == 404


def test_hidden_and_withdrawn_texts_never_appear(app, forum, world):
    hidden = forum.reply(world["author"], world["open_topic"], "Propos masque xqmasque.")
    with app.app_context():
        post = db.session.get(Post, hidden.id)
        post.state = POST_HIDDEN
        db.session.commit()
    client = app.test_client()
    for url in (f"/flux/sujet/{world['open_topic'].id}.atom", "/flux/recents.atom"):
        body = client.get(url).get_data(as_text=True)
        assert "xqmasque" not in body
    feed = parse(client.get(f"/flux/sujet/{world['open_topic'].id}.atom"))
    assert f"/message/{hidden.id}" not in {e.link for e in feed.entries}


def test_a_withdrawn_version_never_appears(app, forum, world):
    """The current text withdrawn (personal data): the placeholder takes its place everywhere."""
    coordinator = forum.member("coordination", role="coordinator")
    forum.charter()
    with app.app_context():
        article = str(charter.current_version().articles[0].id)
        redaction.redact(db.session.get(Member, coordinator.id), db.session.get(Post, world["reply"].id), 1,
                         "third_party", [article])
    for url in (f"/flux/sujet/{world['open_topic'].id}.atom", "/flux/recents.atom"):
        body = app.test_client().get(url).get_data(as_text=True)
        assert "Réponse lisible de la lectrice" not in body, url
    feed = parse(app.test_client().get(f"/flux/sujet/{world['open_topic'].id}.atom"))
    assert "données personnelles" in feed.entries[0].content[0].value


def test_an_erased_author_is_never_named(app, forum, world):
    with app.app_context():
        erasure.anonymise(db.session.get(Member, world["reader"].id))
    body = app.test_client().get(f"/flux/sujet/{world['open_topic'].id}.atom").get_data(as_text=True)
    assert "lectrice" not in body and "Ancien membre" in body


def test_the_private_address_shows_what_the_member_reads_now(app, login, world):
    browser = login(world["reader"])
    prefix = make_token(browser)
    visitor = app.test_client()      # a feed reader: no session
    response = visitor.get(prefix + "/recents.atom")
    feed = parse(response)
    assert topic_ids(feed) == {world["open_topic"].id, world["secret_topic"].id}
    assert response.headers["Cache-Control"] == "private, no-store"
    assert any(link.href.endswith(prefix + "/recents.atom") for link in feed.feed.links if link.rel == "self")
    assert topic_ids(parse(visitor.get(f"{prefix}/espace/{world['bureau'].slug}.atom"))) == {world["secret_topic"].id}
    assert SECRET in visitor.get(f"{prefix}/sujet/{world['secret_topic'].id}.atom").get_data(as_text=True)
    # She leaves the comité: its restricted space's entries go at the next request.
    with app.app_context():
        member = db.session.get(Member, world["reader"].id)
        membership.leave(member, db.session.get(Space, world["committee"].id))
    assert topic_ids(parse(visitor.get(prefix + "/recents.atom"))) == {world["open_topic"].id}
    assert visitor.get(f"{prefix}/espace/{world['bureau'].slug}.atom").status_code == 404
    assert visitor.get(f"{prefix}/sujet/{world['secret_topic'].id}.atom").status_code == 404


def test_replaced_deleted_unknown_and_garbage_tokens_answer_404(app, login, world):
    browser = login(world["reader"])
    first = make_token(browser)
    second = make_token(browser)
    client = app.test_client()
    assert client.get(first + "/recents.atom").status_code == 404
    assert client.get(second + "/recents.atom").status_code == 200
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(FeedToken)) == 1
        stored = db.session.scalar(select(FeedToken.token_hash))
    assert second.rsplit("/", 1)[1] not in stored          # kept hashed
    browser.post("/preferences/flux/supprimer", {"submit": "1"})
    assert client.get(second + "/recents.atom").status_code == 404
    for token in ("inconnu", "x" * 5000, "%00", "é" * 50, "-1"):
        assert client.get(f"/flux/prive/{token}/recents.atom").status_code == 404, token


def test_a_suspended_member_s_address_answers_404(app, login, world):
    from datetime import timedelta
    prefix = make_token(login(world["reader"]))
    with app.app_context():
        db.session.get(Member, world["reader"].id).suspended_until = now() + timedelta(days=2)
        db.session.commit()
    assert app.test_client().get(prefix + "/recents.atom").status_code == 404


def test_bad_input_is_404_never_500(app, world):
    client = app.test_client()
    for url in ("/flux/espace/inconnu.atom", "/flux/etiquette/inconnue.atom", "/flux/sujet/0.atom",
                "/flux/sujet/99999999.atom", "/flux/sujet/9223372036854775808.atom", "/flux/sujet/-1.atom",
                "/flux/espace/inconnu/syntheses.atom", "/flux/espace/inconnu/decisions.atom",
                f"/flux/espace/{world['public'].slug}/journal-de-moderation.atom",
                "/flux/prive/x/espace/inconnu/journal-de-moderation.atom", "/flux/etiquette/%00.atom",
                "/flux/espace/%00.atom", "/flux/espace/a%00b/decisions.atom", "/flux/prive/%00/recents.atom"):
        assert client.get(url).status_code == 404, url


def test_visitors_feeds_are_kept_and_follow_each_write(app, forum, world):
    client = app.test_client()
    url = f"/flux/sujet/{world['open_topic'].id}.atom"
    client.get(url)
    kept = client.get(url)
    assert kept.headers.get("X-Agora-Cache") == "hit" and kept.mimetype == "application/atom+xml"
    parse(kept)
    forum.reply(world["author"], world["open_topic"], "Nouvelle réponse xqnouvelle.")
    fresh = client.get(url)
    assert fresh.headers.get("X-Agora-Cache") is None and "xqnouvelle" in fresh.get_data(as_text=True)


def test_feeds_are_rate_limited(app_factory):
    app = app_factory(RATELIMIT_ENABLED=True)
    forum = Forum(app)
    member = forum.member()
    browser = Browser(app.test_client())
    browser.login(member)
    prefix = make_token(browser)
    statuses = [app.test_client().get(prefix + "/recents.atom").status_code for _ in range(121)]
    assert statuses[:120] == [200] * 120 and statuses[120] == 429


def test_pages_link_to_their_feeds(app, login, world):
    visitor = app.test_client()
    home = text(visitor.get("/"))
    assert '<link rel="alternate" type="application/atom+xml"' in home and 'href="/flux/recents.atom"' in home
    assert "S'abonner (flux Atom)" in home or "S&#39;abonner (flux Atom)" in home
    bureau = text(login(world["reader"]).get(f"/espace/{world['bureau'].slug}"))
    assert 'href="/flux/espace/' not in bureau and 'href="/preferences/flux"' in bureau
    public = text(visitor.get(f"/espace/{world['public'].slug}"))
    assert f'href="/flux/espace/{world["public"].slug}.atom"' in public


def test_the_moderation_log_feed_is_its_page_and_never_a_hidden_text(app, forum, login, world):
    topic = forum.topic(world["author"], world["public"], "Titre xqtitre", "Ouverture xqouverture")
    reply = forum.reply(world["author"], world["open_topic"], "Propos xqcache")
    forum.charter()      # the articles a decision cites (published once the posts are written)
    coordinator = forum.member("coordination", role="coordinator")
    with app.app_context():
        article = str(charter.current_version().articles[0].id)
        moderator = db.session.get(Member, coordinator.id)
        for post_id in (forum.opening(topic).id, reply.id):
            post_decisions.hide(moderator, db.session.get(Post, post_id), [article], "Hors charte.")
    browser = login(world["reader"])
    page = text(browser.get(f"/espace/{world['public'].slug}/journal-de-moderation"))
    prefix = make_token(browser)
    response = app.test_client().get(f"{prefix}/espace/{world['public'].slug}/journal-de-moderation.atom")
    feed = parse(response)
    body = response.get_data(as_text=True)
    assert len(feed.entries) == page.count("<tr>") - 1 == 2
    for hidden in ("xqtitre", "xqouverture", "xqcache", "autrice"):
        assert hidden not in body, hidden
    assert "sujet masqué" in body and "Sujet ouvert" in body
    aliases = set(re.findall(r"membre [A-Z2-7]{6}", page))
    assert aliases and all(alias in body for alias in aliases)
    # No public address: the page is for members.
    assert app.test_client().get(f"/flux/espace/{world['public'].slug}/journal-de-moderation.atom").status_code == 404


def test_a_visitor_s_feed_is_limited_per_network(app_factory):
    app = app_factory(RATELIMIT_ENABLED=True)
    client = app.test_client()
    statuses = [client.get("/flux/recents.atom").status_code for _ in range(601)]
    assert statuses[:600] == [200] * 600 and statuses[600] == 429
