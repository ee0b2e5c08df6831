"""Many members voting at once, voting while the decision closes, two machines closing what is
due: exact counts, nothing lost, never a 500 (PostgreSQL: SQLite writes one at a time anyway).

Every thread has its own app context, hence its own session and connection; a barrier starts
them together. Anything but a ``Refused`` raised in a thread fails the test."""
import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from forum.clock import now
from forum.decisions import closing, results, voting
from forum.decisions.models import Ballot, BallotRevision, Poll, PollVoter
from forum.errors import Refused
from forum.events import PollClosed
from forum.extensions import db
from forum.topics.models import Member

from ..conftest import PG_URL
from ..helpers import EventLog

pytestmark = [
    pytest.mark.skipif(not PG_URL, reason="FORUM_TEST_DATABASE_URL is not set (concurrent writers need PostgreSQL)"),
    pytest.mark.parametrize("backend", ["postgresql"], indirect=True),
]

# Enough connections for the threads to really overlap, well under the server's 100.
POOL = {"SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "pool_size": 10, "max_overflow": 30,
                                      "pool_timeout": 120}}
OPTIONS = ("Mardi", "Jeudi", "Vendredi")


@pytest.fixture
def app(app_factory):
    return app_factory(**POOL)


def race(app, calls):
    """Run ``calls`` (functions of no argument) at once, each in its own app context, and return
    their outcomes: ("done", value), ("refused", status) or ("error", repr)."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        with app.app_context():
            try:
                barrier.wait(60)
                outcomes[index] = ("done", call())
            except Refused as refusal:
                db.session.rollback()
                outcomes[index] = ("refused", refusal.status)
            except Exception as error:   # a deadlock, a unique violation, a 500: the bug itself
                db.session.rollback()
                outcomes[index] = ("error", repr(error))
            finally:
                db.session.remove()
    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(180)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck (deadlock?)"
    return outcomes


def caster(member_id, poll_id, choice):
    def call():
        voting.cast_ballot(db.session.get(Member, member_id), db.session.get(Poll, poll_id), choice)
        return member_id
    return call


@pytest.fixture
def electorate(forum):
    """A comité, its author and 50 members spread over three collèges (one unconfirmed in ten)."""
    committee = forum.committee("13")
    colleges = [forum.college() for _ in range(3)]
    author = forum.member("Autrice", committees=[committee])
    members = [forum.member(f"votant{i}", college=colleges[i % 3], confirmed=i % 10 != 0, committees=[committee])
               for i in range(50)]
    topic = forum.topic(author, committee)
    return committee, author, members, topic


def counts(app, poll):
    with app.app_context():
        fresh = db.session.get(Poll, poll.id)
        return dict(
            voter_count=fresh.voter_count,
            voters=db.session.scalar(select(func.count()).select_from(PollVoter).where(PollVoter.poll_id == poll.id)),
            ballots=db.session.scalar(select(func.count(Ballot.id)).where(Ballot.poll_id == poll.id)),
            current=results.current(fresh),
        )


def test_fifty_members_voting_at_once_are_all_counted_exactly(app, electorate, open_poll):
    committee, author, members, topic = electorate
    poll = open_poll(author, topic, options=OPTIONS)
    outcomes = race(app, [caster(m.id, poll.id, {i % 3: 1}) for i, m in enumerate(members)])
    assert [kind for kind, _ in outcomes] == ["done"] * 50, [o for o in outcomes if o[0] != "done"]
    seen = counts(app, poll)
    assert (seen["voter_count"], seen["voters"], seen["ballots"]) == (50, 50, 50)
    assert seen["current"]["voters"] == 50
    assert {k: v["votes"] for k, v in seen["current"]["options"].items()} == {"0": 17, "1": 17, "2": 16}


def test_two_tabs_of_fifty_members_at_once_make_fifty_ballots(app, electorate, open_poll):
    committee, author, members, topic = electorate
    poll = open_poll(author, topic, options=OPTIONS)
    calls = []
    for i, member in enumerate(members):    # each member's two tabs choose differently
        calls += [caster(member.id, poll.id, {i % 3: 1}), caster(member.id, poll.id, {(i + 1) % 3: 1})]
    outcomes = race(app, calls)
    assert [kind for kind, _ in outcomes] == ["done"] * 100, [o for o in outcomes if o[0] != "done"]
    seen = counts(app, poll)
    assert (seen["voter_count"], seen["voters"], seen["ballots"]) == (50, 50, 50)
    assert seen["current"]["voters"] == 50
    assert sum(v["votes"] for v in seen["current"]["options"].values()) == 50
    with app.app_context():
        for i, member in enumerate(members):
            ballot = db.session.scalar(select(Ballot).where(Ballot.poll_id == poll.id, Ballot.member_id == member.id))
            assert ballot.choice in ({str(i % 3): 1}, {str((i + 1) % 3): 1})
            assert ballot.revision_count == 2
            history = db.session.scalars(select(BallotRevision).where(BallotRevision.ballot_id == ballot.id)
                                         .order_by(BallotRevision.number)).all()
            assert [h.number for h in history] == [1, 2]
            assert {str(k) for h in history for k in h.choice} == {str(i % 3), str((i + 1) % 3)}
            assert history[-1].choice == ballot.choice       # the last one written is the one counted


@pytest.mark.parametrize("delay, anonymous", [(0, False), (0.01, False), (0.03, False), (0.01, True)])
def test_a_vote_racing_the_closing_is_counted_or_refused_never_lost(app, electorate, open_poll, delay, anonymous):
    committee, author, members, topic = electorate
    poll = open_poll(author, topic, options=OPTIONS, anonymous=anonymous)
    voters = members[:30]

    def close():
        time.sleep(delay)     # a little later each round: the closing lands among the ballots
        closing.close_poll(db.session.get(Poll, poll.id), db.session.get(Member, author.id))
        return "closed"
    outcomes = race(app, [close] + [caster(m.id, poll.id, {i % 3: 1}) for i, m in enumerate(voters)])
    assert outcomes[0] == ("done", "closed"), outcomes[0]
    ballots = outcomes[1:]
    assert not [o for o in ballots if o[0] == "error"], ballots
    counted = [value for kind, value in ballots if kind == "done"]
    refused = [value for kind, value in ballots if kind == "refused"]
    assert set(refused) <= {409}, refused
    assert len(counted) + len(refused) == 30
    with app.app_context():
        closed = db.session.get(Poll, poll.id)
        stored = closed.results
        assert stored["overall"]["voters"] == len(counted) == closed.voter_count
        assert db.session.scalar(select(func.count(Ballot.id)).where(Ballot.poll_id == poll.id)) == len(counted)
        voted = set(db.session.scalars(select(PollVoter.member_id).where(PollVoter.poll_id == poll.id)))
        assert voted == set(counted)          # a refused vote left nothing behind
        if anonymous:    # sealed at the closing: no ballot names its voter, no history left
            assert db.session.scalar(select(func.count(Ballot.id)).where(Ballot.member_id.is_not(None))) == 0
            assert db.session.scalar(select(func.count(BallotRevision.id))) == 0
        expected = {str(k): 0 for k in range(3)}
        for i, member in enumerate(voters):
            if member.id in voted:
                expected[str(i % 3)] += 1
        assert {k: v["votes"] for k, v in stored["overall"]["options"].items()} == expected
    print(f"delay {delay}s{' (anonymous)' if anonymous else ''}: {len(counted)} counted, {len(refused)} refused")


def test_two_machines_closing_what_is_due_close_each_decision_once(app, app_factory, forum, electorate, open_poll,
                                                                   vote):
    committee, author, members, topic = electorate
    other = app_factory(**POOL)                 # the second machine: its own engine and sessions
    logs = [EventLog(app, (PollClosed,)), EventLog(other, (PollClosed,))]
    polls = [open_poll(author, topic, options=OPTIONS) for _ in range(20)]
    for i, poll in enumerate(polls):
        vote(members[i], poll, {i % 3: 1})
    with app.app_context():
        db.session.execute(update(Poll).values(closes_at=now() - timedelta(minutes=1)))
        db.session.commit()
    try:
        outcomes = race_two(app, other)
    finally:
        for log in logs:
            log.close()
    assert [kind for kind, _ in outcomes] == ["done", "done"], outcomes
    assert sum(value for _, value in outcomes) == 20
    closed = sorted(event.poll_id for log in logs for event in log.seen)
    assert closed == sorted(p.id for p in polls)          # each exactly once, on one machine or the other
    with app.app_context():
        for i, poll in enumerate(polls):
            row = db.session.get(Poll, poll.id)
            assert row.closed_at is not None and row.closed_by_id is None
            assert row.results["overall"]["voters"] == 1
            assert row.results["overall"]["options"][str(i % 3)]["votes"] == 1
        assert closing.close_due() == 0


def race_two(first, second):
    """close_due on two apps (two machines) at once."""
    barrier = threading.Barrier(2)
    outcomes = [None, None]

    def run(index, app):
        with app.app_context():
            try:
                barrier.wait(60)
                outcomes[index] = ("done", closing.close_due())
            except Exception as error:
                db.session.rollback()
                outcomes[index] = ("error", repr(error))
            finally:
                db.session.remove()
    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate((first, second))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(180)
    return outcomes
