"""Closing: by hand or when due, twice safely; anonymity sealed; kept reasons published."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum.clock import now
from forum.decisions import closing
from forum.decisions.models import Ballot, BallotRevision, Poll, PollVoter
from forum.errors import Forbidden, Refused
from forum.extensions import db
from forum.topics.models import Member


@pytest.fixture
def place(forum):
    committee = forum.committee("13")
    author = forum.member("Alice", committees=[committee])
    voter = forum.member("Bruno", committees=[committee])
    topic = forum.topic(author, committee)
    return committee, author, voter, topic


def close(app, poll, closer=None):
    with app.app_context():
        return closing.close_poll(db.session.get(Poll, poll.id),
                                  db.session.get(Member, closer.id) if closer else None)


def test_the_author_closes_and_a_later_ballot_is_refused(app, place, open_poll, vote):
    committee, author, voter, topic = place
    poll = open_poll(author, topic)
    vote(voter, poll, {0: 1})
    with pytest.raises(Forbidden):
        close(app, poll, voter)
    close(app, poll, author)
    with pytest.raises(Refused) as refused:
        vote(voter, poll, {1: 1})
    assert refused.value.status == 409
    with app.app_context():
        closed = db.session.get(Poll, poll.id)
        assert closed.closed_by_id == author.id
        assert closed.results["overall"]["voters"] == 1
    with pytest.raises(Refused) as again:
        close(app, poll, author)
    assert again.value.status == 409


def test_due_decisions_close_once_however_often_asked(app, place, open_poll, vote):
    committee, author, voter, topic = place
    due, later = open_poll(author, topic), open_poll(author, topic)
    vote(voter, due, {0: 1})
    with app.app_context():
        db.session.get(Poll, due.id).closes_at = now() - timedelta(minutes=1)
        db.session.commit()
        assert closing.close_due() == 1
        assert closing.close_due() == 0
        assert db.session.get(Poll, due.id).closed_by_id is None
        assert db.session.get(Poll, later.id).closed_at is None


def test_quorum_of_voters_and_colleges(app, forum, place, open_poll, vote):
    committee, author, voter, topic = place
    poll = open_poll(author, topic, quorum_voters=2, quorum_colleges=1)
    vote(voter, poll, {0: 1})
    close(app, poll, author)
    with app.app_context():
        closed = db.session.get(Poll, poll.id)
        assert closed.quorum_reached is False
        assert closed.results["quorum"] == {"voters": 1, "colleges": 0, "reached": False}


def test_anonymous_ballots_lose_their_voter_at_closing(app, place, open_poll, vote):
    committee, author, voter, topic = place
    poll = open_poll(author, topic, anonymous=True)
    vote(voter, poll, {0: 1})
    vote(voter, poll, {1: 1})
    vote(author, poll, {1: 1})
    close(app, poll, author)
    with app.app_context():
        assert db.session.scalar(select(func.count(Ballot.id)).where(Ballot.member_id.is_not(None))) == 0
        assert db.session.scalar(select(func.count(BallotRevision.id))) == 0
        assert db.session.scalar(select(func.count(PollVoter.member_id))) == 2
        assert db.session.get(Poll, poll.id).results["overall"]["voters"] == 2


def test_reasons_kept_out_while_hidden_are_published_at_closing(app, place, open_poll, vote):
    committee, author, voter, topic = place
    poll = open_poll(author, topic, results_mode="after_closing")
    vote(voter, poll, {0: 1}, "Mardi, c'est mieux.")
    close(app, poll, author)
    with app.app_context():
        ballot = db.session.scalar(select(Ballot))
        assert ballot.reason_post is not None and ballot.reason_post.author_id == voter.id
        assert ballot.reason_post.parent_id == db.session.get(Poll, poll.id).post_id
