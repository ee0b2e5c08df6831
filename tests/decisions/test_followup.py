"""A space's follow-up page: open actions, outcomes to review, decisions open, recent outcomes;
the plain data without HTTP, the page, and who may not read it."""
from datetime import timedelta

import pytest

from forum.clock import now
from forum.decisions import closing, followup, outcomes
from forum.decisions.models import Outcome, Poll
from forum.errors import NotFound
from forum.extensions import db
from forum.topics import posting
from forum.topics.models import Member, Post, Space

from ..helpers import text


@pytest.fixture
def place(forum):
    committee = forum.committee("13")
    author = forum.member("Alice", committees=[committee])
    member = forum.member("Bruno", committees=[committee])
    outsider = forum.member("Olga")
    topic = forum.topic(author, committee, "Organiser la journée régionale")
    return committee, author, member, outsider, topic


def decide(app, author, poll, review=None, rows=()):
    with app.app_context():
        closing.close_poll(db.session.get(Poll, poll.id), db.session.get(Member, author.id))
        outcome = outcomes.write_outcome(db.session.get(Member, author.id), db.session.get(Poll, poll.id),
                                         "Décidé : **jeudi**.", "", [outcomes.ActionRow(**row) for row in rows])
        if review is not None:       # a review date in the past cannot be typed: set as time went by
            outcome.review_on = review
            db.session.commit()
        return outcome.id


def page_data(app, viewer, space):
    with app.app_context():
        return followup.space_followup(db.session.get(Member, viewer.id), db.session.get(Space, space.id))


def test_the_plain_data_of_the_follow_up(app, place, open_poll):
    committee, author, member, outsider, topic = place
    open_poll(author, topic, question="Quel lieu ?")
    done = open_poll(author, topic, question="Quel jour ?")
    today = outcomes.today()
    decide(app, author, done, review=today - timedelta(days=1), rows=[
        {"what": "Réserver la salle", "who": "@Bruno", "due_on": (today - timedelta(days=0)).isoformat()},
        {"what": "Écrire à la CAF", "who": "CAF des Bouches-du-Rhône", "due_on": (today + timedelta(days=9)).isoformat()},
        {"what": "Sans date"},
        {"what": "Déjà fait", "status": "done"}])
    with app.app_context():
        item = db.session.get(Poll, done.id).outcome.actions[0]
        item.due_on = today - timedelta(days=2)          # time went by
        db.session.commit()
    data = page_data(app, member, committee)
    assert [a["what"] for a in data["actions"]] == ["Réserver la salle", "Écrire à la CAF", "Sans date"]
    first, second, third = data["actions"]
    assert first["overdue"] and not second["overdue"] and not third["overdue"]
    assert (first["who"], second["who"], second["who_url"]) == ("Bruno", "CAF des Bouches-du-Rhône", None)
    assert first["can_change"] and not second["can_change"]        # Bruno is the assignee of the first only
    assert [o["poll"]["question"] for o in data["reviews"]] == ["Quel jour ?"]
    assert [p["question"] for p in data["open_polls"]] == ["Quel lieu ?"]
    assert data["open_polls"][0]["closes_at"] > now()
    assert [o["poll"]["question"] for o in data["recent"]] == ["Quel jour ?"]
    assert "<strong>jeudi</strong>" in data["recent"][0]["html"]


def test_a_review_date_still_ahead_is_not_listed(app, place, open_poll):
    committee, author, member, outsider, topic = place
    poll = open_poll(author, topic)
    decide(app, author, poll, review=outcomes.today() + timedelta(days=1))
    assert page_data(app, member, committee)["reviews"] == []


def test_an_unreadable_space_is_a_404_and_a_hidden_decision_stays_out(app, forum, place, open_poll, login, client):
    committee, author, member, outsider, topic = place
    board = forum.space("Bureau du 13", visibility="restricted", committees=[committee])
    poll = open_poll(author, forum.topic(author, board))
    decide(app, author, poll, rows=[{"what": "Secret du bureau"}])
    assert login(outsider).get(f"/espace/{board.slug}/suivi").status_code == 404
    assert client.get(f"/espace/{board.slug}/suivi").status_code == 404
    assert client.get("/espace/nulle-part/suivi").status_code == 404
    with pytest.raises(NotFound):
        page_data(app, outsider, board)
    assert "Secret du bureau" in text(login(member).get(f"/espace/{board.slug}/suivi"))
    hidden = open_poll(author, topic, question="Question masquée ?")
    with app.app_context():
        posting.set_post_state(db.session.get(Post, db.session.get(Poll, hidden.id).post_id), "hidden")
        db.session.commit()
    assert page_data(app, member, committee)["open_polls"] == []


def test_the_page_and_its_link_from_the_space(app, place, open_poll, login):
    committee, author, member, outsider, topic = place
    poll = open_poll(author, topic, question="Quel jour ?")
    decide(app, author, poll, rows=[{"what": "Réserver la salle", "who": "@Bruno",
                                     "due_on": (outcomes.today() + timedelta(days=3)).isoformat()}])
    browser = login(member)
    assert f'href="/espace/{committee.slug}/suivi"' in text(browser.get(f"/espace/{committee.slug}"))
    page = text(browser.get(f"/espace/{committee.slug}/suivi"))
    assert "Suivi des décisions" in page and "Réserver la salle" in page and "Quel jour ?" in page
    assert 'action="/action/' in page and f"next=/espace/{committee.slug}/suivi" in page.replace("%2F", "/")
    with app.app_context():
        assert db.session.query(Outcome).count() == 1


def test_a_closed_decision_without_outcome_is_owed_until_written(app, place, open_poll, login):
    committee, author, member, outsider, topic = place
    poll = open_poll(author, topic, question="Quel jour ?")
    open_poll(author, topic, question="Quel lieu ?")
    with app.app_context():
        closing.close_poll(db.session.get(Poll, poll.id), db.session.get(Member, author.id))
    assert [p["question"] for p in page_data(app, member, committee)["owed"]] == ["Quel jour ?"]
    page = text(login(member).get(f"/espace/{committee.slug}/suivi"))
    assert "issue reste à écrire" in page.replace("&#39;", "'") and "Quel jour ?" in page
    with app.app_context():
        outcomes.write_outcome(db.session.get(Member, author.id), db.session.get(Poll, poll.id), "Jeudi.", "", [])
    assert page_data(app, member, committee)["owed"] == []
