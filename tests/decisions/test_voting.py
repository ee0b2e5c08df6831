"""Opening a decision and casting ballots: what is accepted, what is refused and why."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum.clock import now
from forum.decisions import voting
from forum.decisions.models import Ballot, BallotRevision, Poll, PollVoter
from forum.errors import Forbidden, Invalid, Refused
from forum.extensions import db
from forum.topics.models import Member, Topic

from .conftest import settings


@pytest.fixture
def place(forum):
    committee = forum.committee("13")
    author = forum.member("Alice", committees=[committee])
    topic = forum.topic(author, committee)
    return committee, author, topic


def test_a_decision_is_opened_with_a_reply_of_the_thread(app, place, open_poll):
    committee, author, topic = place
    poll = open_poll(author, topic, kind="consent", options=())
    with app.app_context():
        poll = db.session.get(Poll, poll.id)
        assert poll.post.topic_id == topic.id and poll.post.number == 2
        assert [o.label for o in poll.options] == ["agree", "abstain", "disagree", "object"]


@pytest.mark.parametrize("chosen, field", [
    (dict(options=("Mardi", " mardi ")), "options"),
    (dict(options=("Mardi",)), "options"),
    (dict(days=-1), "closes_at"),
    (dict(closes_at=None), "closes_at"),
    (dict(question=" "), "question"),
    (dict(kind="multiple", min_choices=2, max_choices=1), "max_choices"),
    (dict(kind="score", max_score=11), "max_score"),
    (dict(kind="consent", options=(), anonymous=True), "anonymous"),
    (dict(quorum_colleges=10), "quorum_colleges"),
])
def test_bad_settings_are_refused_next_to_their_field(app, place, chosen, field):
    committee, author, topic = place
    with app.app_context(), pytest.raises(Invalid) as refused:
        voting.open_poll(db.session.get(Member, author.id), db.session.get(Topic, topic.id),
                         settings(**chosen), "Décidons.")
    assert field in refused.value.fields
    with app.app_context():
        db.session.rollback()
        assert db.session.scalar(select(func.count(Poll.id))) == 0


def test_only_moderators_open_one_where_the_space_says_so(app, forum, place, open_poll):
    committee, author, topic = place
    with app.app_context():
        from forum.topics.models import Space
        db.session.get(Space, committee.id).decisions_opened_by = "moderators"
        db.session.commit()
    with pytest.raises(Forbidden):
        open_poll(author, topic)
    moderator = forum.moderator(committee)
    assert open_poll(moderator, topic).id


def test_one_ballot_per_member_and_its_history(app, place, open_poll, vote):
    committee, author, topic = place
    poll = open_poll(author, topic)
    vote(author, poll, {0: 1})
    vote(author, poll, {1: 1}, "Le jeudi m'arrange.")
    with app.app_context():
        assert db.session.scalar(select(func.count(Ballot.id))) == 1
        assert db.session.scalar(select(func.count(PollVoter.member_id))) == 1
        assert db.session.get(Poll, poll.id).voter_count == 1
        history = voting.history(db.session.get(Member, author.id), db.session.get(Poll, poll.id))
        assert [(h.number, h.choice) for h in history] == [(2, {"1": 1}), (1, {"0": 1})]
        ballot = db.session.scalar(select(Ballot))
        assert ballot.reason_post.source == "Le jeudi m'arrange."


def test_who_cannot_vote(app, forum, place, open_poll, vote):
    committee, author, topic = place
    outsider = forum.member("Bruno")                 # not of the comité
    poll = open_poll(author, topic)
    with pytest.raises(Refused) as refused:
        vote(outsider, poll, {0: 1})
    assert refused.value.status == 403
    college = forum.college("Personnes accompagnées")
    restricted = open_poll(author, topic, college_ids=(college.id,))
    with pytest.raises(Refused) as refused:
        vote(author, restricted, {0: 1})
    assert refused.value.status == 403


def test_no_ballot_after_closing_time(app, place, open_poll, vote):
    committee, author, topic = place
    poll = open_poll(author, topic)
    with app.app_context():
        db.session.get(Poll, poll.id).closes_at = now() - timedelta(seconds=1)
        db.session.commit()
    with pytest.raises(Refused) as refused:
        vote(author, poll, {0: 1})
    assert refused.value.status == 409


@pytest.mark.parametrize("kind, options, choice", [
    ("single", ("A", "B"), {0: 1, 1: 1}),
    ("single", ("A", "B"), {2: 1}),
    ("ranked", ("A", "B", "C"), {0: 1, 1: 1}),
    ("ranked", ("A", "B", "C"), {}),
    ("score", ("A", "B"), {0: 6, 1: 0}),
    ("score", ("A", "B"), {0: 3}),
    ("meeting", ("Lundi", "Mardi"), {0: 3, 1: 0}),
    ("multiple", ("A", "B", "C"), {}),
])
def test_malformed_ballots_are_refused(app, place, open_poll, vote, kind, options, choice):
    committee, author, topic = place
    poll = open_poll(author, topic, kind=kind, options=options)
    with pytest.raises(Invalid) as refused:
        vote(author, poll, choice)
    assert refused.value.status == 422 and "choice" in refused.value.fields


def test_an_objection_says_why(app, place, open_poll, vote):
    committee, author, topic = place
    poll = open_poll(author, topic, kind="consent", options=())
    with pytest.raises(Invalid) as refused:
        vote(author, poll, {3: 1})
    assert "reason" in refused.value.fields
    vote(author, poll, {3: 1}, "Le budget n'est pas prévu.")


def test_reasons_wait_for_the_closing_where_the_tally_is_hidden(app, place, open_poll, vote):
    committee, author, topic = place
    poll = open_poll(author, topic, results_mode="after_closing")
    vote(author, poll, {0: 1}, "Mardi, c'est mieux.")
    with app.app_context():
        assert db.session.scalar(select(Ballot)).reason_post_id is None
        assert db.session.scalar(select(func.count(BallotRevision.id))) == 1
