"""Private conversations through the pages: who writes to whom, who reads, who is told."""
import re

import pytest
from sqlalchemy import select

from forum.conversations.models import Conversation, ConversationReport
from forum.extensions import db
from forum.notifications.models import KIND_MESSAGE, Notification

from ..helpers import text


def start(browser, to, title="Une question", body="Bonjour, pouvons-nous en parler ?"):
    return browser.post("/messages/nouveau", {"recipients": to, "title": title, "body": body, "submit": "1"})


def conversation_id(response):
    return int(re.search(r"/messages/(\d+)", response.headers["Location"]).group(1))


def notified(app, member):
    with app.app_context():
        return [(n.kind, n.text) for n in db.session.scalars(select(Notification).where(
            Notification.member_id == member.id, Notification.kind == KIND_MESSAGE))]


def test_two_members_write_to_each_other_and_nobody_else_reads_it(app, people, login):
    alice, bob = login(people.alice), login(people.bob)
    response = start(alice, "Bob", title="Le transport jeudi")
    assert response.status_code == 303
    number = conversation_id(response)
    assert notified(app, people.bob) == [(KIND_MESSAGE, "Le transport jeudi")]
    page = bob.get(f"/messages/{number}")
    assert page.status_code == 200 and "Bonjour, pouvons-nous en parler ?" in text(page)
    assert "Le transport jeudi" in text(bob.get("/messages"))
    answered = bob.post(f"/messages/{number}/repondre", {"body": "Oui, jeudi à 14 h.", "submit": "1"})
    assert answered.status_code == 303 and answered.headers["Location"].endswith("#message-2")
    assert "Oui, jeudi à 14 h." in text(alice.get(f"/messages/{number}"))
    assert len(notified(app, people.alice)) == 1
    # Nobody outside: another member, a moderator, the coordination.
    for outsider in (people.carol, people.mod13, people.coordinator):
        other = login(outsider)
        assert other.get(f"/messages/{number}").status_code == 404
        assert other.get(f"/messages/{number}/message/1/fragment").status_code == 404
        assert other.post(f"/messages/{number}/repondre", {"body": "Intrus", "submit": "1"}).status_code == 404
        assert other.post(f"/messages/{number}/message/1/signaler", {"reason": "x"}).status_code == 404
        assert "Le transport jeudi" not in text(other.get("/messages"))
        assert notified(app, outsider) == []


def test_a_visitor_is_sent_to_the_login_page(client, people, login):
    number = conversation_id(start(login(people.alice), "Bob"))
    for path in ("/messages", f"/messages/{number}", "/messages/nouveau", "/messages/ecrire/coordination"):
        response = client.get(path)
        assert response.status_code in (302, 303) and "/connexion" in response.headers["Location"]


def test_the_fragment_is_one_message_as_the_page_shows_it(people, login):
    alice, bob = login(people.alice), login(people.bob)
    number = conversation_id(start(alice, "Bob", body="Premier **mot**."))
    data = bob.get(f"/messages/{number}/message/1/fragment").get_json()
    assert data["number"] == 1 and "<strong>mot</strong>" in data["html"] and "Alice" in data["announce"]
    assert bob.get(f"/messages/{number}/message/2/fragment").status_code == 404


@pytest.mark.parametrize("typed, message", [
    ("", "Indiquez à qui vous écrivez"),
    ("Personne", "Aucun membre ne s'appelle Personne"),
    ("Alice", "Vous ne pouvez pas vous écrire à vous-même"),
])
def test_bad_recipients_are_refused_at_their_field_with_the_text_kept(people, login, typed, message):
    response = start(login(people.alice), typed, body="Mon texte à ne pas perdre.")
    assert response.status_code == 422
    assert message in text(response) and "Mon texte à ne pas perdre." in text(response)


def test_a_conversation_has_a_bounded_number_of_members(app, people, login, forum):
    app.config["CONVERSATION_MAX_PARTICIPANTS"] = 3
    response = start(login(people.alice), "Bob, Carol, Mod-13", body="À beaucoup.")
    assert response.status_code == 422 and "3 personnes au plus" in text(response)
    assert start(login(people.alice), "Bob, @Carol").status_code == 303


def test_an_empty_message_is_refused_and_the_title_kept(people, login):
    response = start(login(people.alice), "Bob", title="Mon objet", body="   ")
    assert response.status_code == 422 and "Le message est vide" in text(response) and "Mon objet" in text(response)


def test_a_new_member_writes_only_to_the_groups(app, people, login):
    newcomer = login(people.newcomer)
    page = newcomer.get("/messages/nouveau")
    assert page.status_code == 403 and "premiers jours" in text(page)
    assert start(newcomer, "Alice").status_code == 403
    with app.app_context():
        assert db.session.scalar(select(Conversation.id)) is None
    response = newcomer.post("/messages/ecrire/coordination", {"title": "Je suis perdu", "body": "Comment faire ?",
                                                              "submit": "1"})
    assert response.status_code == 303


def test_a_read_only_member_writes_only_to_the_groups(app, people, login, act):
    from datetime import timedelta
    from forum.accounts.models import Member
    from forum.clock import now
    with app.app_context():
        db.session.get(Member, people.alice.id).silenced_until = now() + timedelta(days=3)
        db.session.commit()
    alice = login(people.alice)
    assert start(alice, "Bob").status_code == 403
    assert alice.post("/messages/ecrire/moderation", {"committee": people.marseille.slug, "title": "Ma sanction",
                                                     "body": "Je voudrais comprendre.", "submit": "1"}).status_code == 303


def test_the_coordination_inbox_is_read_and_answered_by_every_coordinator(app, people, login, forum):
    second = forum.member("Coord2", role="coordinator")
    karim = login(people.alice)
    number = conversation_id(karim.post("/messages/ecrire/coordination", {
        "title": "Je n'arrive pas à publier", "body": "Le bouton ne marche pas.", "submit": "1"}))
    assert [n for n in notified(app, people.coordinator)] == [(KIND_MESSAGE, "Je n'arrive pas à publier")]
    assert len(notified(app, second)) == 1
    coordinator = login(people.coordinator)
    assert "Je n'arrive pas à publier" in text(coordinator.get("/messages"))
    assert coordinator.post(f"/messages/{number}/repondre", {"body": "Essayez de recharger.", "submit": "1"}
                            ).status_code == 303
    page = text(karim.get(f"/messages/{number}"))
    assert "Essayez de recharger." in page and "Coord" in page
    assert "Essayez de recharger." in text(login(second).get(f"/messages/{number}"))
    for outsider in (people.bob, people.mod13):
        assert login(outsider).get(f"/messages/{number}").status_code == 404


def test_a_committee_moderation_inbox_is_read_by_its_moderators_and_the_coordination(app, people, login):
    number = conversation_id(login(people.alice).post("/messages/ecrire/moderation", {
        "committee": people.marseille.slug, "title": "Un message blessant", "body": "Dans le sujet logement.",
        "submit": "1"}))
    assert login(people.mod13).get(f"/messages/{number}").status_code == 200
    assert login(people.coordinator).get(f"/messages/{number}").status_code == 200
    assert login(people.mod06).get(f"/messages/{number}").status_code == 404
    assert login(people.bob).get(f"/messages/{number}").status_code == 404
    assert notified(app, people.mod06) == [] and len(notified(app, people.mod13)) == 1


def test_the_moderation_inbox_needs_a_committee(people, login):
    response = login(people.alice).post("/messages/ecrire/moderation", {"committee": "nulle-part", "title": "Aide",
                                                                       "body": "Texte gardé.", "submit": "1"})
    assert response.status_code == 422 and "Choisissez un comité" in text(response) and "Texte gardé." in text(response)


def test_a_participant_reports_another_s_message_not_their_own(app, people, login):
    alice, bob = login(people.alice), login(people.bob)
    number = conversation_id(start(alice, "Bob", body="Un message déplacé."))
    assert alice.post(f"/messages/{number}/message/1/signaler", {"reason": "moi"}).status_code == 403
    response = bob.post(f"/messages/{number}/message/1/signaler", {"reason": "Propos blessants"})
    assert response.status_code == 303
    with app.app_context():
        reports = db.session.scalars(select(ConversationReport)).all()
        assert [(r.reporter_id, r.reason) for r in reports] == [(people.bob.id, "Propos blessants")]


def test_writes_need_post_and_their_csrf_token(people, login):
    alice = login(people.alice)
    number = conversation_id(start(alice, "Bob"))
    assert alice.get(f"/messages/{number}/repondre").status_code == 405
    assert alice.post(f"/messages/{number}/repondre", {"body": "Sans jeton"}, csrf=False).status_code == 400
    assert alice.post("/messages/nouveau", {"recipients": "Bob", "title": "Sans jeton", "body": "x"},
                      csrf=False).status_code == 400


@pytest.mark.parametrize("mode, shown", [("anonymise", "Je témoigne ici."), ("remove", "Message retiré à la demande")])
def test_an_erased_member_s_conversations_stay_readable_by_the_others(app, people, login, mode, shown):
    from forum.accounts import erasure
    from forum.accounts.models import Member
    number = conversation_id(start(login(people.alice), "Bob", body="Je témoigne ici."))
    with app.app_context():
        erasure.erase(db.session.get(Member, people.alice.id), mode)
    page = text(login(people.bob).get(f"/messages/{number}"))
    assert shown in page and "Ancien membre" in page and "Alice" not in page
    if mode == "remove":
        assert "Je témoigne ici." not in page


def test_a_member_s_messages_are_in_their_archive(app, people, login):
    from forum.accounts import portability
    from forum.accounts.models import Member
    start(login(people.alice), "Bob", title="Mon objet", body="Mon texte à moi.")
    with app.app_context():
        archive = portability.collect(db.session.get(Member, people.alice.id))
        theirs = portability.collect(db.session.get(Member, people.bob.id))
    assert [(m["conversation"], m["text"]) for m in archive["messages-prives"]] == [("Mon objet", "Mon texte à moi.")]
    assert theirs["messages-prives"] == []


def test_a_member_who_refuses_messages_is_reached_only_by_moderators_and_the_coordination(app, people, login, act):
    from forum.accounts import blocking
    from forum.accounts.models import Member
    with app.app_context():
        blocking.set_refuses_messages(db.session.get(Member, people.bob.id), True)
    response = start(login(people.alice), "Bob", body="Texte gardé.")
    assert response.status_code == 422 and "Bob refuse les messages privés" in text(response)
    assert "Texte gardé." in text(response)
    for staff in (people.mod13, people.coordinator):
        assert start(login(staff), "Bob").status_code == 303


def test_a_blocked_member_can_neither_start_nor_go_on(app, people, login):
    from forum.accounts import blocking
    from forum.accounts.models import Member
    alice = login(people.alice)
    number = conversation_id(start(alice, "Bob"))
    with app.app_context():
        blocking.block(db.session.get(Member, people.bob.id), db.session.get(Member, people.alice.id))
    refused = start(alice, "Bob", body="Encore moi.")
    assert refused.status_code == 422 and "Bob ne reçoit pas vos messages privés" in text(refused)
    answer = alice.post(f"/messages/{number}/repondre", {"body": "Tu es là ?", "submit": "1"})
    assert answer.status_code == 403 and "Plus personne" in text(answer)
    # Bob still writes to Alice in their conversation, and to the coordination.
    assert login(people.bob).post(f"/messages/{number}/repondre", {"body": "Stop.", "submit": "1"}).status_code == 303


def test_in_a_conversation_of_three_a_member_who_blocked_the_author_is_not_told(app, people, login):
    from forum.accounts import blocking
    from forum.accounts.models import Member
    bob = login(people.bob)
    number = conversation_id(start(bob, "Alice, Carol", title="À trois"))
    with app.app_context():
        blocking.block(db.session.get(Member, people.carol.id), db.session.get(Member, people.alice.id))
    assert login(people.alice).post(f"/messages/{number}/repondre", {"body": "Moi aussi.", "submit": "1"}
                                    ).status_code == 303
    assert len(notified(app, people.carol)) == 1     # Bob's opening only
    assert len(notified(app, people.bob)) == 1       # Alice's answer
    assert "Moi aussi." in text(login(people.carol).get(f"/messages/{number}"))


def test_a_message_s_notification_names_it_only_while_its_member_may_read_it(app, people, login):
    from forum.topics.models import Space
    login(people.alice).post("/messages/ecrire/moderation", {
        "committee": people.marseille.slug, "title": "Lettre xqlettre", "body": "Pour la modération.", "submit": "1"})
    moderator = login(people.mod13)
    assert "Lettre xqlettre" in text(moderator.get("/notifications"))
    with app.app_context():   # no longer a moderator of the comité: the letter is not theirs to read
        space = db.session.get(Space, people.marseille.id)   # held: a collection only weakly refers to it
        space.moderators.clear()
        db.session.commit()
    page = text(moderator.get("/notifications"))
    assert page and "xqlettre" not in page
