"""The conversations' editor is the topics' one (forum/topics/editor.py): drafts kept per member
and place, restored and discarded once sent; a preview; files joined to a message, downloaded
only by the conversation's readers."""
import io
import os
import re

from sqlalchemy import select

from forum.accounts import erasure
from forum.accounts.models import Member
from forum.extensions import db
from forum.topics.attachments import Attachment
from forum.topics.drafts import Draft

from ..helpers import detach, text
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


# --- attachments -------------------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def with_file(browser, url, fields, name="compte-rendu.pdf", content=PDF):
    return browser.post(url, {**fields, "fichiers": [(io.BytesIO(content), name)]},
                        content_type="multipart/form-data")


def files(app):
    with app.app_context():
        return [detach(a) for a in db.session.scalars(select(Attachment).order_by(Attachment.id))]


def test_a_file_joined_to_a_message_is_downloaded_by_the_conversation_s_readers_only(app, people, login, client):
    alice, bob = login(people.alice), login(people.bob)
    number = conversation_id(start(alice, "Bob"))
    sent = with_file(bob, f"/messages/{number}/repondre", {"body": "Le compte rendu :", "submit": "1"})
    assert sent.status_code == 303
    [attachment] = files(app)
    assert attachment.post_id is None and attachment.conversation_message_id is not None
    page = text(alice.get(f"/messages/{number}"))
    assert attachment.url in page and "compte-rendu.pdf (PDF" in page
    for reader in (alice, bob):
        download = reader.get(attachment.url)
        assert download.status_code == 200 and download.get_data() == PDF
    # A member of the same comité, a moderator of it, the coordination, a visitor: nothing.
    for outsider in (people.carol, people.mod13, people.coordinator):
        assert login(outsider).get(attachment.url).status_code == 404
    assert client.get(attachment.url).status_code == 404


def test_a_reported_message_s_file_opens_to_the_coordination_and_no_other(app, people, login):
    """A reported image is what the coordination must see: the files of the messages its report
    page shows (the reported one and its neighbours) open to it, the others stay closed."""
    alice, bob = login(people.alice), login(people.bob)
    number = conversation_id(start(alice, "Bob"))
    for body in ("Premier fichier", "Deuxième", "Troisième", "Quatrième fichier"):
        assert with_file(bob, f"/messages/{number}/repondre", {"body": body, "submit": "1"}).status_code == 303
    first, *_, last = files(app)
    coordinator = login(people.coordinator)
    assert coordinator.get(last.url).status_code == 404
    # Alice reports Bob's last message (number 5): its page shows messages 4 to 5.
    assert alice.post(f"/messages/{number}/message/5/signaler", {"reason": "Image choquante"}).status_code == 303
    assert coordinator.get(last.url).status_code == 200
    assert coordinator.get(first.url).status_code == 404          # message 2: not on the report's page
    for outsider in (people.carol, people.mod13):
        assert login(outsider).get(last.url).status_code == 404


def test_a_letter_s_file_is_read_by_the_group_it_is_written_to(app, people, login):
    letter = with_file(login(people.alice), "/messages/ecrire/moderation", {
        "committee": people.marseille.slug, "title": "Une pièce", "body": "Voici", "submit": "1"})
    assert letter.status_code == 303
    [attachment] = files(app)
    for reader in (people.alice, people.mod13, people.coordinator):
        assert login(reader).get(attachment.url).status_code == 200
    for outsider in (people.bob, people.mod06):
        assert login(outsider).get(attachment.url).status_code == 404


def test_before_sending_only_the_uploader_downloads_the_file(app, people, login):
    alice, bob = login(people.alice), login(people.bob)
    number = conversation_id(start(alice, "Bob"))
    preview = with_file(alice, f"/messages/{number}/repondre", {"body": "Brouillon avec pièce", "preview": "1"})
    assert preview.status_code == 200
    [attachment] = files(app)
    assert attachment.conversation_message_id is None and attachment.post_id is None
    # The link is in the text kept in the box, and in the draft.
    assert attachment.url in textarea(text(preview))
    assert attachment.url in drafts_of(app, people.alice)[f"conversation-{number}"][1]
    assert alice.get(attachment.url).status_code == 200
    assert bob.get(attachment.url).status_code == 404
    alice.post(f"/messages/{number}/repondre", {"body": textarea(text(preview)), "submit": "1"})
    assert bob.get(attachment.url).status_code == 200


def test_a_refused_file_keeps_the_text_and_the_files_before_it(app, people, login):
    alice = login(people.alice)
    number = conversation_id(start(alice, "Bob"))
    refused = alice.post(f"/messages/{number}/repondre", {
        "body": "Mon texte", "submit": "1",
        "fichiers": [(io.BytesIO(PDF), "bon.pdf"), (io.BytesIO(b"MZ not a document"), "virus.exe")]},
        content_type="multipart/form-data")
    assert refused.status_code == 422
    page = text(refused)
    assert "« virus.exe » n'est pas d'un type accepté" in page
    assert textarea(page).startswith("Mon texte") and files(app)[0].url in textarea(page)


def test_a_file_is_claimed_once_by_a_post_or_a_message_never_by_another(forum, app, people, login):
    space = forum.space("Vie du réseau", visibility="members")
    topic = forum.topic(people.carol, space, "Un sujet")
    alice = login(people.alice)
    number = conversation_id(start(alice, "Bob"))
    with_file(alice, f"/messages/{number}/repondre", {"body": "Privé", "submit": "1"})
    [private] = files(app)
    # Bob, who read it, names it in a public post; Alice herself too: it stays the message's.
    for author in (people.bob, people.alice):
        forum.reply(author, topic, f"Regardez ![x]({private.url})")
    assert files(app)[0].post_id is None and files(app)[0].conversation_message_id == private.conversation_message_id
    assert login(people.carol).get(private.url).status_code == 404
    # The other way: a file a post holds is not taken by a message naming it.
    with_file(alice, f"/sujet/{topic.id}/repondre", {"body": "Public", "submit": "1"}, name="public.pdf")
    public = files(app)[1]
    assert public.post_id is not None
    alice.post(f"/messages/{number}/repondre", {"body": f"Le même : [p]({public.url})", "submit": "1"})
    assert files(app)[1].conversation_message_id is None
    assert login(people.carol).get(public.url).status_code == 200
    # Nor is another member's unclaimed file taken by a message naming it.
    with_file(login(people.carol), f"/sujet/{topic.id}/repondre", {"body": "x", "preview": "1"}, name="carol.pdf")
    carols = files(app)[2]
    login(people.bob).post(f"/messages/{number}/repondre", {"body": f"[c]({carols.url})", "submit": "1"})
    assert files(app)[2].conversation_message_id is None and files(app)[2].post_id is None


def test_erasing_a_member_who_removes_their_messages_removes_their_files(app, people, login):
    alice, bob = login(people.alice), login(people.bob)
    number = conversation_id(start(alice, "Bob"))
    with_file(alice, f"/messages/{number}/repondre", {"body": "Pièce d'Alice", "submit": "1"})
    with_file(bob, f"/messages/{number}/repondre", {"body": "Pièce de Bob", "submit": "1"}, name="bob.pdf")
    alices, bobs = files(app)
    with app.app_context():
        path = db.session.get(Attachment, alices.id).path()
        erasure.remove_contributions(db.session.get(Member, people.alice.id))
    assert not os.path.exists(path) and [a.id for a in files(app)] == [bobs.id]
    assert bob.get(alices.url).status_code == 404 and bob.get(bobs.url).status_code == 200
    assert "Message retiré à la demande de son auteur." in text(bob.get(f"/messages/{number}"))


def test_erasing_a_member_who_keeps_their_messages_keeps_their_files(app, people, login):
    alice, bob = login(people.alice), login(people.bob)
    number = conversation_id(start(alice, "Bob"))
    with_file(alice, f"/messages/{number}/repondre", {"body": "Pièce d'Alice", "submit": "1"})
    with_file(alice, f"/messages/{number}/repondre", {"body": "Pas envoyée", "preview": "1"}, name="brouillon.pdf")
    sent, unsent = files(app)
    with app.app_context():
        erasure.anonymise(db.session.get(Member, people.alice.id))
    assert [a.id for a in files(app)] == [sent.id]      # the unsent one goes, as for posts
    assert bob.get(sent.url).status_code == 200
