"""A suspended member writes to the coordination, and nothing else (issue 21): after their
password (or a login link) proved who they are, for 30 minutes, in that browser only."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.accounts.models import Member
from forum.clock import now
from forum.conversations.models import COORDINATION, Conversation
from forum.extensions import db

from ..helpers import PASSWORD, Browser, email_text, sent_emails, text

LETTERS = "/messages/compte-suspendu"


def suspend(app, member, days=3):
    with app.app_context():
        db.session.get(Member, member.id).suspended_until = now() + timedelta(days=days)
        db.session.commit()


def proven(app, member, password=PASSWORD):
    """A browser where ``member`` typed their password (and was refused: suspended)."""
    browser = Browser(app.test_client())
    response = browser.post("/connexion", {"login": member.pseudonym, "password": password, "submit": "1"})
    assert response.status_code == 403
    return browser, response


def write(browser, title="Je conteste ma suspension", body="Je n'ai insulté personne, je citais un courrier."):
    return browser.post(LETTERS, {"title": title, "body": body, "submit": "1"})


def letter_id(response):
    return int(re.search(r"/messages/compte-suspendu/(\d+)", response.headers["Location"]).group(1))


@pytest.fixture
def suspended(app, people):
    suspend(app, people.alice)
    return people.alice


def test_a_suspended_member_writes_to_the_coordination_who_answers_and_they_read_it(app, people, suspended,
                                                                                    login):
    browser, refused = proven(app, suspended)
    assert "suspendu" in text(refused) and f'href="{LETTERS}" class="button">Écrire à la coordination' in text(refused)
    assert "30 minutes" in text(browser.get(LETTERS))
    response = write(browser)
    assert response.status_code == 303
    number = letter_id(response)
    with app.app_context():
        conversation = db.session.get(Conversation, number)
        assert (conversation.group, conversation.author_id) == (COORDINATION, suspended.id)
    coordinator = login(people.coordinator)
    assert "Je n'ai insulté personne" in text(coordinator.get(f"/messages/{number}"))
    answered = coordinator.post(f"/messages/{number}/repondre", {"body": "Nous regardons cela.", "submit": "1"})
    assert answered.status_code == 303
    told = sent_emails(app, suspended.email)
    assert len(told) == 1 and "La coordination vous a répondu" in str(told[0]["Subject"])
    assert "Nous regardons cela" not in email_text(told[0])      # the answer itself stays on the site
    assert "1 non lu" in text(browser.get(LETTERS))
    page = text(browser.get(f"{LETTERS}/{number}"))
    assert "Nous regardons cela." in page and "Signaler" not in page
    again = browser.post(f"{LETTERS}/{number}", {"body": "Merci, j'attends.", "submit": "1"})
    assert again.status_code == 303 and again.headers["Location"].endswith("#message-3")
    assert "Merci, j'attends." in text(coordinator.get(f"/messages/{number}"))
    assert browser.get(LETTERS).headers["Cache-Control"] == "private, no-store"


def test_a_suspended_member_reaches_nothing_else(app, people, suspended, login):
    bob = login(people.bob)
    private = bob.post("/messages/nouveau", {"recipients": "Alice", "title": "Entre nous", "body": "Salut",
                                            "submit": "1"})
    # Alice was suspended: nobody may write to her privately while it lasts.
    assert private.status_code == 422
    suspend(app, people.alice, days=-1)
    private = bob.post("/messages/nouveau", {"recipients": "Alice", "title": "Entre nous", "body": "Salut",
                                            "submit": "1"})
    private_id = int(re.search(r"/messages/(\d+)", private.headers["Location"]).group(1))
    to_moderation = login(people.alice).post("/messages/ecrire/moderation", {
        "committee": people.marseille.slug, "title": "Au comité", "body": "Bonjour", "submit": "1"})
    moderation_id = int(re.search(r"/messages/(\d+)", to_moderation.headers["Location"]).group(1))
    suspend(app, people.alice)
    browser, _refused = proven(app, people.alice)
    # Her private conversation and her letter to a comité's moderation: not through this door.
    for number in (private_id, moderation_id):
        assert browser.get(f"{LETTERS}/{number}").status_code == 404
        assert browser.post(f"{LETTERS}/{number}", {"body": "x", "submit": "1"}).status_code == 404
        assert browser.get(f"/messages/{number}").status_code in (302, 401)
    # Another member's letter to the coordination neither.
    others = login(people.carol).post("/messages/ecrire/coordination", {"title": "Question", "body": "Bonjour",
                                                                        "submit": "1"})
    assert browser.get(f"{LETTERS}/{letter_id_from_messages(others)}").status_code == 404
    # Logged out everywhere else: the home page offers to log in, the inbox sends to the login page.
    assert "Se déconnecter" not in text(browser.get("/"))
    assert browser.get("/messages").status_code in (302, 401)
    assert "Au comité" not in text(browser.get(LETTERS)) and "Entre nous" not in text(browser.get(LETTERS))


def letter_id_from_messages(response):
    return int(re.search(r"/messages/(\d+)", response.headers["Location"]).group(1))


def test_without_the_proof_no_letter_is_shown_or_written(app, people, suspended):
    browser, _refused = proven(app, suspended)
    number = letter_id(write(browser))
    stranger = Browser(app.test_client())
    for response in (stranger.get(LETTERS), stranger.get(f"{LETTERS}/{number}"), write(stranger),
                     stranger.post(f"{LETTERS}/{number}", {"body": "x", "submit": "1"})):
        assert response.status_code == 403
        assert "saisissez à nouveau votre identifiant" in text(response)
    # A wrong password proves nothing.
    guesser = Browser(app.test_client())
    assert guesser.post("/connexion", {"login": suspended.pseudonym, "password": "devine", "submit": "1"}
                        ).status_code == 401
    assert guesser.get(LETTERS).status_code == 403


def test_the_proof_ends_after_30_minutes_with_a_new_password_with_the_suspension_and_on_demand(
        app, people, suspended, monkeypatch):
    import forum.accounts.signin as signin
    browser, _refused = proven(app, suspended)
    assert browser.get(LETTERS).status_code == 200
    later = now() + timedelta(minutes=31)
    monkeypatch.setattr(signin, "now", lambda: later)
    assert browser.get(LETTERS).status_code == 403
    monkeypatch.undo()

    browser, _refused = proven(app, suspended)
    with app.app_context():
        from forum.accounts.registration import hash_password
        db.session.get(Member, suspended.id).password_hash = hash_password("un-autre-mot-de-passe")
        db.session.commit()
    assert browser.get(LETTERS).status_code == 403

    browser, _refused = proven(app, suspended, password="un-autre-mot-de-passe")
    suspend(app, suspended, days=-1)           # the suspension is over: she logs in as everyone
    assert browser.get(LETTERS).status_code == 403
    suspend(app, suspended)
    with app.app_context():
        db.session.get(Member, suspended.id).deactivated_at = now()
        db.session.commit()
    assert browser.get(LETTERS).status_code == 403

    with app.app_context():
        db.session.get(Member, suspended.id).deactivated_at = None
        db.session.commit()
    browser, _refused = proven(app, suspended, password="un-autre-mot-de-passe")
    ended = browser.post(f"{LETTERS}/terminer", {})
    assert ended.status_code == 303
    assert browser.get(LETTERS).status_code == 403


def test_a_logged_in_member_is_sent_to_their_messages_and_bad_letters_are_refused(app, people, suspended, login):
    assert login(people.bob).get(LETTERS).headers["Location"].endswith("/messages")
    browser, _refused = proven(app, suspended)
    empty = write(browser, title="", body="   ")
    assert empty.status_code == 422
    long_title = write(browser, title="x" * 1000, body="Mon texte gardé")
    assert long_title.status_code == 422 and "Mon texte gardé" in text(long_title)
    with app.app_context():
        assert db.session.scalars(select(Conversation)).all() == []


def test_a_suspended_members_letters_and_answers_are_rate_limited(app_factory):
    from ..helpers import Forum
    app = app_factory(RATELIMIT_ENABLED=True, RATELIMIT_CONVERSATIONS="2 per hour",
                      RATELIMIT_POSTING="2 per minute", RATELIMIT_POSTING_NEW_MEMBER="2 per minute")
    member = Forum(app).member("Sanctionnee")
    suspend(app, member)
    browser, _refused = proven(app, member)
    statuses = [write(browser, title=f"Lettre {n}") for n in range(3)]
    assert [response.status_code for response in statuses] == [303, 303, 429]
    number = letter_id(statuses[0])
    answers = [browser.post(f"{LETTERS}/{number}", {"body": f"Suite {n}", "submit": "1"}).status_code
               for n in range(3)]
    assert answers == [303, 303, 429]
