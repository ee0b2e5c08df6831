"""Drafts: kept on the server per member and place, restored, discarded once published."""
import re

from sqlalchemy import func, select

from forum.extensions import db
from forum.topics.drafts import Draft

from ..helpers import text


def textarea(page):
    return re.search(r'<textarea id="body"[^>]*>([^<]*)</textarea>', page).group(1)


def drafts_of(app, member):
    with app.app_context():
        return db.session.scalars(select(Draft).where(Draft.member_id == member.id)).all()


def test_save_button_keeps_the_reply_and_the_topic_page_restores_it(app, browser, place):
    space, alice, bob, topic = place
    browser.login(alice)
    response = browser.post(f"/sujet/{topic.id}/repondre", {"body": "Début de ma réponse", "save_draft": "1"})
    assert response.status_code == 200 and "Brouillon enregistré." in text(response)
    assert textarea(text(browser.get(f"/sujet/{topic.id}"))) == "Début de ma réponse"
    assert textarea(text(browser.get(f"/sujet/{topic.id}/repondre"))) == "Début de ma réponse"
    assert "Brouillon repris" in text(browser.get(f"/sujet/{topic.id}/repondre"))
    # Another member sees none of it.
    browser.logout()
    browser.login(bob)
    assert textarea(text(browser.get(f"/sujet/{topic.id}"))) == ""
    assert "Début de ma réponse" not in text(browser.get(f"/sujet/{topic.id}/repondre"))


def test_preview_saves_the_draft_and_publishing_discards_it(app, browser, place):
    space, alice, bob, topic = place
    browser.login(alice)
    assert browser.post(f"/sujet/{topic.id}/repondre", {"body": "Texte prévisualisé", "preview": "1"}).status_code == 200
    assert [d.body for d in drafts_of(app, alice)] == ["Texte prévisualisé"]
    assert browser.post(f"/sujet/{topic.id}/repondre", {"body": "Texte prévisualisé", "submit": "1"}).status_code == 303
    assert drafts_of(app, alice) == []
    assert textarea(text(browser.get(f"/sujet/{topic.id}"))) == ""


def test_reply_to_a_post_keeps_its_parent(forum, app, browser, place):
    space, alice, bob, topic = place
    first = forum.reply(bob, topic, "Une réponse de Bob")
    browser.login(alice)
    browser.post(f"/sujet/{topic.id}/repondre", {"body": "À Bob", "parent": str(first.id), "save_draft": "1"})
    page = text(browser.get(f"/sujet/{topic.id}/repondre"))
    assert textarea(page) == "À Bob" and f'name="parent" type="hidden" value="{first.id}"' in page
    # The topic page's box answers the topic itself: it does not take a draft meant for a post.
    assert textarea(text(browser.get(f"/sujet/{topic.id}"))) == ""


def test_new_topic_draft_with_title(app, browser, place):
    space, alice, bob, topic = place
    browser.login(alice)
    url = f"/espace/{space.slug}/nouveau-sujet"
    response = browser.post(url, {"title": "Titre en cours", "space": space.slug, "body": "Corps en cours",
                                  "save_draft": "1"})
    assert response.status_code == 200
    page = text(browser.get(url))
    assert 'value="Titre en cours"' in page and textarea(page) == "Corps en cours"
    assert textarea(text(browser.get("/nouveau-sujet"))) == ""       # another place
    response = browser.post(url, {"title": "Titre en cours", "space": space.slug, "body": "Corps en cours",
                                  "submit": "1"})
    assert response.status_code == 303 and drafts_of(app, alice) == []


def test_autosave_endpoint(app, browser, place):
    space, alice, bob, topic = place
    browser.login(alice)
    token = browser.token()
    response = browser.client.post("/brouillon", data={"lieu": f"sujet-{topic.id}", "body": "Autosauvé"},
                                   headers={"X-CSRFToken": token})
    assert response.status_code == 200 and response.get_json()["saved"] is True
    assert textarea(text(browser.get(f"/sujet/{topic.id}"))) == "Autosauvé"
    # Without the CSRF token: refused, nothing saved.
    refused = browser.client.post("/brouillon", data={"lieu": f"sujet-{topic.id}", "body": "Pirate"})
    assert refused.status_code == 400 and drafts_of(app, alice)[0].body == "Autosauvé"
    # An empty text forgets the draft.
    browser.client.post("/brouillon", data={"lieu": f"sujet-{topic.id}", "body": "  "}, headers={"X-CSRFToken": token})
    assert drafts_of(app, alice) == []
    # A place one may not read, or no place: 404, in JSON.
    missing = browser.client.post("/brouillon", data={"lieu": "sujet-999999", "body": "x"},
                                  headers={"X-CSRFToken": token, "Accept": "application/json"})
    assert missing.status_code == 404 and "error" in missing.get_json()
    assert browser.client.post("/brouillon", data={"lieu": "n-importe", "body": "x"},
                               headers={"X-CSRFToken": token}).status_code == 404


def test_autosave_refuses_topics_the_member_cannot_read(forum, app, browser, place):
    committee = forum.committee("13")
    insider = forum.member("Initie", committees=[committee])
    bureau = forum.space("Bureau", visibility="restricted", committees=[committee])
    secret = forum.topic(insider, bureau, "Sujet du bureau")
    space, alice, bob, topic = place
    browser.login(alice)
    response = browser.client.post("/brouillon", data={"lieu": f"sujet-{secret.id}", "body": "x"},
                                   headers={"X-CSRFToken": browser.token()})
    assert response.status_code == 404 and drafts_of(app, alice) == []


def test_anonymous_autosave_is_refused(app, browser, place):
    """With a valid CSRF token, so that the login check is what refuses: no draft is written."""
    response = browser.post("/brouillon", {"lieu": "nouveau-sujet", "body": "x"})
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Draft)) == 0
