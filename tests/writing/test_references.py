"""Mentions, hashtags and quotes through the real posting path, and what the events carry."""
import re

import pytest

from forum import events
from forum.topics.models import Post

from ..helpers import text


@pytest.fixture
def published(committed_events):
    return committed_events(events.PostPublished, events.PostEdited).seen


def test_mentions_link_known_members_and_reach_the_event(forum, browser, place, published):
    space, alice, bob, topic = place
    karim = forum.member("Karim")
    browser.login(alice)
    response = browser.post(f"/sujet/{topic.id}/repondre", {
        "body": "Merci @bob et @Karim ! @Inconnu-Total, @Alice et alice@exemple.fr", "submit": "1"})
    assert response.status_code == 303
    page = text(browser.get(response.headers["Location"], follow_redirects=True))
    assert '<a class="mention" href="/membre/Bob" rel="nofollow ugc noopener">@bob</a>' in page
    assert '<a class="mention" href="/membre/Karim" rel="nofollow ugc noopener">@Karim</a>' in page
    assert "@Inconnu-Total," in page and 'href="/membre/Inconnu-Total"' not in page
    last = [e for e in published if isinstance(e, events.PostPublished)][-1]
    assert last.mentioned_ids == (bob.id, karim.id)       # the author is not notified of herself


def test_hashtags_link_spaces_the_author_may_read_and_tags(forum, browser, place):
    space, alice, bob, topic = place
    hidden_committee = forum.committee("06", name="Comité 06 caché")
    bureau = forum.space("Bureau secret", visibility="restricted", committees=[hidden_committee])
    forum.tag("Logement")
    browser.login(alice)
    body = f"Voir #{space.slug}, #logement, #{bureau.slug} et #nimporte-quoi"
    response = browser.post(f"/sujet/{topic.id}/repondre", {"body": body, "submit": "1"})
    page = text(browser.get(response.headers["Location"], follow_redirects=True))
    assert f'<a class="hashtag" href="/espace/{space.slug}" rel="nofollow ugc noopener">#{space.slug}</a>' in page
    assert '<a class="hashtag" href="/etiquette/logement" rel="nofollow ugc noopener">#logement</a>' in page
    # Alice may not read the restricted space: its hashtag says nothing about it.
    assert f'href="/espace/{bureau.slug}"' not in page and f"#{bureau.slug} et" in page
    assert "#nimporte-quoi</p>" in page


def test_quote_button_without_javascript_prefills_the_reply(forum, browser, place, published):
    space, alice, bob, topic = place
    original = forum.reply(bob, topic, "Les permanences **itinérantes** marchent bien.")
    browser.login(alice)
    page = text(browser.get(f"/sujet/{topic.id}"))
    link = f'/sujet/{topic.id}/repondre?a={original.id}&citer={original.id}'
    assert f'href="{link.replace("&", "&amp;")}"' in browser.get(f"/sujet/{topic.id}").get_data(as_text=True)
    form = text(browser.get(link))
    # Words in the reply box, not a code: a Markdown quote opened by its attribution.
    quote = (f"> [Bob](/message/{original.id}) a écrit :\n>\n"
             "> Les permanences **itinérantes** marchent bien.")
    assert quote in form and "[quote" not in form
    response = browser.post(f"/sujet/{topic.id}/repondre", {
        "body": quote + "\n\nJe confirme.", "parent": str(original.id), "submit": "1"})
    assert response.status_code == 303
    page = text(browser.get(response.headers["Location"], follow_redirects=True))
    assert (f'<blockquote class="quote">\n<p class="quote-source"><cite><a href="/message/{original.id}" '
            'rel="nofollow ugc noopener">Bob</a></cite></p>\n<p>Les permanences <strong>itinérantes</strong>') in page
    last = [e for e in published if isinstance(e, events.PostPublished)][-1]
    assert last.quoted_post_ids == (original.id,)


def test_quoting_a_post_one_cannot_read_reveals_nothing(forum, browser, place, published):
    space, alice, bob, topic = place
    committee = forum.committee("13", name="Comité 13 fermé")
    insider = forum.member("Initie", committees=[committee])
    bureau = forum.space("Bureau du comité", visibility="restricted", committees=[committee])
    secret_topic = forum.topic(insider, bureau, "Sujet confidentiel", body="Le secret bien gardé.")
    secret = forum.opening(secret_topic)
    browser.login(alice)
    # The no-JS quote link with an unreadable post: nothing of it comes back.
    page = text(browser.get(f"/sujet/{topic.id}/repondre?citer={secret.id}"))
    assert "secret bien gardé" not in page and "Initie" not in page
    # Typing the quote by hand: it shows what Alice typed, without a link to the post.
    response = browser.post(f"/sujet/{topic.id}/repondre", {
        "body": f'[quote="Quelquun, post:{secret.id}"]\nInventé\n[/quote]', "submit": "1"})
    html = text(browser.get(response.headers["Location"], follow_redirects=True))
    assert f"/message/{secret.id}" not in html and "<cite>Quelquun</cite>" in html
    assert "secret bien gardé" not in html
    last = [e for e in published if isinstance(e, events.PostPublished)][-1]
    assert last.quoted_post_ids == ()
    # A hidden post of a readable topic cannot be quoted either.
    with forum.app.app_context():
        from forum.extensions import db
        from forum.topics import posting
        hidden = db.session.get(Post, forum.reply(bob, topic, "Propos masqué.").id)
        posting.set_post_state(hidden, "hidden")
        db.session.commit()
        hidden_id = hidden.id
    assert "Propos masqué" not in text(browser.get(f"/sujet/{topic.id}/repondre?citer={hidden_id}"))


def test_edit_announces_only_new_mentions(forum, browser, place, published):
    space, alice, bob, topic = place
    karim = forum.member("Karim")
    post = forum.reply(alice, topic, "Bonjour @Bob")
    browser.login(alice)
    response = browser.post(f"/message/{post.id}/modifier", {"body": "Bonjour @Bob et @Karim", "submit": "1"})
    assert response.status_code == 303
    edited = [e for e in published if isinstance(e, events.PostEdited)][-1]
    assert edited.mentioned_ids == (karim.id,)


def test_preview_renders_mentions_without_publishing(forum, browser, place):
    space, alice, bob, topic = place
    browser.login(alice)
    response = browser.post(f"/sujet/{topic.id}/repondre", {"body": "Aperçu pour @Bob", "preview": "1"})
    assert response.status_code == 200
    page = text(response)
    assert '<h2 id="titre-apercu">Aperçu</h2>' in page and 'class="mention" href="/membre/Bob"' in page
    assert len(re.findall(r'id="message-\d+"', text(browser.get(f"/sujet/{topic.id}")))) == 1


def test_rerender_command(app, forum, place):
    space, alice, bob, topic = place
    post = forum.reply(alice, topic, "Salut @Zoe")
    forum.member("Zoe")                   # registers after being mentioned
    with app.app_context():
        from forum.extensions import db
        assert "/membre/Zoe" not in db.session.get(Post, post.id).html
    result = app.test_cli_runner().invoke(args=["forum", "rerender", "--batch-size", "1"])
    assert result.exit_code == 0, result.output
    assert "1 messages modifiés" in result.output
    with app.app_context():
        from forum.extensions import db
        assert '<a class="mention" href="/membre/Zoe"' in db.session.get(Post, post.id).html
