"""A member's ballots in their archive; erasure keeps the count and removes the reasons."""
import pytest
from sqlalchemy import func, select

from forum.accounts import erasure, portability
from forum.decisions.models import Ballot, BallotRevision, Poll, PollVoter
from forum.extensions import db
from forum.topics.models import Member


@pytest.fixture
def place(forum):
    committee = forum.committee("13")
    author = forum.member("Alice", committees=[committee])
    voter = forum.member("Bruno", committees=[committee])
    return committee, author, voter, forum.topic(author, committee)


def test_the_archive_gives_back_ones_ballots_and_history(app, place, open_poll, vote):
    committee, author, voter, topic = place
    poll = open_poll(author, topic)
    vote(voter, poll, {0: 1})
    vote(voter, poll, {1: 1}, "Jeudi finalement.")
    with app.app_context():
        archive = portability.collect(db.session.get(Member, voter.id))
        assert archive["votes"] == [{
            "decision": "Quel jour pour la réunion ?", "topic": poll_topic_title(poll), "space": committee.name,
            "choice": {"Jeudi": 1}, "reason": "Jeudi finalement.", "updated_at": archive["votes"][0]["updated_at"],
            "history": [{"choice": {"Mardi": 1}, "reason": "", "updated_at": archive["votes"][0]["history"][0]["updated_at"]},
                        {"choice": {"Jeudi": 1}, "reason": "Jeudi finalement.",
                         "updated_at": archive["votes"][0]["history"][1]["updated_at"]}]}]
        assert portability.collect(db.session.get(Member, author.id))["votes"] == []


def poll_topic_title(poll):
    return db.session.get(Poll, poll.id).topic.title


@pytest.mark.parametrize("mode, reason_left", [("anonymise", "Jeudi, c'est mieux."), ("remove", "")])
def test_an_erased_voter_still_counts(app, place, open_poll, vote, mode, reason_left):
    committee, author, voter, topic = place
    poll = open_poll(author, topic, results_mode="after_closing")
    vote(voter, poll, {1: 1}, "Jeudi, c'est mieux.")
    with app.app_context():
        erasure.erase(db.session.get(Member, voter.id), mode, db.session.get(Member, voter.id))
        assert db.session.scalar(select(func.count(PollVoter.member_id))) == 1
        ballot = db.session.scalar(select(Ballot))
        assert ballot.member_id == voter.id and ballot.reason == reason_left
        assert {r.reason for r in db.session.scalars(select(BallotRevision))} == {reason_left}
