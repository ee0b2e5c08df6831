"""The conversations' editor is the topics' one (forum/topics/editor.py): drafts kept per member
and place, restored and discarded once sent; a preview; files joined to a message, downloaded
only by the conversation's readers."""
import re

from sqlalchemy import select

from forum.extensions import db
from forum.topics.drafts import Draft

from ..helpers import text
from .test_conversations import conversation_id, start


def textarea(page):
    return re.search(r'<textarea id="body"[^>]*>([^<]*)</textarea>', page).group(1)


def drafts_of(app, member):
    with app.app_context():
        return {d.key: (d.title, d.body) for d in db.session.scalars(select(Draft).where(Draft.member_id == member.id))}


def autosave(browser, place, body, **fields):
    return browser.client.post("/brouillon", data={"lieu": place, "body": body, **fields},
                               headers={"X-CSRFToken": browser.token(), "Accept": "application/json"})


# --- drafts ------------------------------------------------------------------------------------

def test_an_answer_s_draft_is_kept_restored_and_discarded_once_sent(app, people, login):
    alice, bob = login(people.alice), login(people.bob)
    number = conversation_id(start(alice, "Bob"))
    saved = bob.post(f"/messages/{number}/repondre", {"body": "Je réfléchis encore", "save_draft": "1"})
    assert saved.status_code == 200 and "Brouillon enregistré." in text(saved)
    assert drafts_of(app, people.bob) == {f"conversation-{number}": ("", "Je réfléchis encore")}
    page = text(bob.get(f"/messages/{number}"))
    assert textarea(page) == "Je réfléchis encore" and "Brouillon repris" in page
    # Alice, in the same conversation, has a box of her own.
    assert textarea(text(alice.get(f"/messages/{number}"))) == ""
    sent = bob.post(f"/messages/{number}/repondre", {"body": "Je réfléchis encore, mais oui.", "submit": "1"})
    assert sent.status_code == 303 and drafts_of(app, people.bob) == {}
    assert textarea(text(bob.get(f"/messages/{number}"))) == ""


def test_the_preview_shows_the_message_as_sent_and_keeps_the_draft(app, people, login):
    alice = login(people.alice)
    number = conversation_id(start(alice, "Bob"))
    body = "Un **mot** important\n\n- un\n- deux"
    preview = alice.post(f"/messages/{number}/repondre", {"body": body, "preview": "1"})
    assert preview.status_code == 200
    page = text(preview)
    shown = re.search(r'<section class="preview".*?<div class="post-body">(.*?)</div>\s*</section>', page, re.S).group(1)
    assert "<strong>mot</strong>" in shown and "<li>deux</li>" in shown
    assert textarea(page) == body       # still in the box, nothing sent
    with app.app_context():
        from forum.conversations.models import Conversation
        assert db.session.get(Conversation, number).message_count == 1
    assert drafts_of(app, people.alice) == {f"conversation-{number}": ("", body)}
    alice.post(f"/messages/{number}/repondre", {"body": body, "submit": "1"})
    with app.app_context():
        from forum.conversations.models import ConversationMessage
        sent = db.session.scalar(select(ConversationMessage).where(ConversationMessage.conversation_id == number,
                                                                   ConversationMessage.number == 2))
        assert sent.html.strip() == shown.strip()       # the preview was the message


def test_a_new_conversation_s_draft_keeps_its_subject_and_text(app, people, login):
    alice = login(people.alice)
    response = alice.post("/messages/nouveau", {"recipients": "Bob", "title": "Jeudi", "body": "Bonjour Bob",
                                                "save_draft": "1"})
    assert response.status_code == 200
    assert drafts_of(app, people.alice) == {"conversation-new": ("Jeudi", "Bonjour Bob")}
    page = text(alice.get("/messages/nouveau"))
    assert 'value="Jeudi"' in page and textarea(page) == "Bonjour Bob"
    assert 'enctype="multipart/form-data"' in page and 'name="fichiers"' in page
    assert start(alice, "Bob", title="Jeudi", body="Bonjour Bob").status_code == 303
    assert drafts_of(app, people.alice) == {}


def test_a_letter_to_a_group_has_a_draft_of_its_own(app, people, login):
    alice = login(people.alice)
    alice.post("/messages/ecrire/coordination", {"title": "Une question", "body": "À la coordination",
                                                 "save_draft": "1"})
    alice.post("/messages/ecrire/moderation", {"committee": people.marseille.slug, "title": "Signalement",
                                               "body": "À la modération", "save_draft": "1"})
    assert drafts_of(app, people.alice) == {"conversation-coordination": ("Une question", "À la coordination"),
                                            "conversation-moderation": ("Signalement", "À la modération")}
    assert textarea(text(alice.get("/messages/ecrire/coordination"))) == "À la coordination"
    assert textarea(text(alice.get("/messages/nouveau"))) == ""
    sent = alice.post("/messages/ecrire/coordination", {"title": "Une question", "body": "À la coordination",
                                                        "submit": "1"})
    assert sent.status_code == 303
    assert set(drafts_of(app, people.alice)) == {"conversation-moderation"}


def test_the_autosave_writes_the_drafts_of_conversations(app, people, login):
    alice = login(people.alice)
    number = conversation_id(start(alice, "Bob"))
    assert autosave(alice, f"conversation-{number}", "Autosauvé").get_json()["saved"] is True
    assert autosave(alice, "nouvelle-conversation", "Lettre", title="Objet").status_code == 200
    assert autosave(alice, "lettre-moderation", "À la modération").status_code == 200
    assert drafts_of(app, people.alice) == {f"conversation-{number}": ("", "Autosauvé"),
                                            "conversation-new": ("Objet", "Lettre"),
                                            "conversation-moderation": ("", "À la modération")}
    assert textarea(text(alice.get(f"/messages/{number}"))) == "Autosauvé"
    assert autosave(alice, "lettre-inconnue", "x").status_code == 404


def test_the_autosave_refuses_a_conversation_the_member_cannot_read(app, people, login):
    number = conversation_id(start(login(people.alice), "Bob"))
    letter = conversation_id(login(people.bob).post("/messages/ecrire/moderation", {
        "committee": people.marseille.slug, "title": "Au comité", "body": "Texte", "submit": "1"}))
    for outsider in (people.carol, people.mod06, people.coordinator):
        browser = login(outsider)
        refused = autosave(browser, f"conversation-{number}", "Intrus")
        assert refused.status_code == 404 and "error" in refused.get_json()
        assert autosave(browser, "conversation-999999", "Intrus").status_code == 404
        if outsider is not people.coordinator:      # the coordination reads the comités' letters
            assert autosave(browser, f"conversation-{letter}", "Intrus").status_code == 404
        assert drafts_of(app, outsider) == {}
    # The comité's moderator reads the letter, so may keep a draft of an answer to it.
    assert autosave(login(people.mod13), f"conversation-{letter}", "Réponse en cours").status_code == 200
    # A visitor: the login page, nothing written.
    anonymous = app.test_client()
    assert anonymous.post("/brouillon", data={"lieu": f"conversation-{number}", "body": "x"}).status_code in (302, 400)
