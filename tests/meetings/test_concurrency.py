"""Fifty members registering at once for twenty places (PostgreSQL: SQLite writes one
transaction at a time anyway): exactly twenty registered and thirty waiting, in order of
arrival, never a 500; a cancellation then moves the first waiting up. Two organisers making
a synthesis of the minutes at once: one draft."""
import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.meetings import minutes, registering
from forum.meetings.models import Meeting, Registration
from forum.syntheses.models import Synthesis
from forum.topics.models import Member

from ..conftest import PG_URL
from ..decisions.test_concurrency import POOL, race

pytestmark = [
    pytest.mark.skipif(not PG_URL, reason="FORUM_TEST_DATABASE_URL is not set (concurrent writers need PostgreSQL)"),
    pytest.mark.parametrize("backend", ["postgresql"], indirect=True),
]


@pytest.fixture
def app(app_factory):
    return app_factory(**POOL)


def registrant(member_id, meeting_id):
    def call():
        return registering.register(db.session.get(Member, member_id), db.session.get(Meeting, meeting_id)).status
    return call


def test_fifty_at_once_for_twenty_places(app, forum, schedule):
    committee = forum.committee("13")
    organiser = forum.moderator(committee, committees=[committee])
    meeting = schedule(organiser, committee, capacity="20")
    people = [forum.member(committees=[committee]) for _ in range(50)]
    outcomes = race(app, [registrant(p.id, meeting.id) for p in people])
    assert [kind for kind, _ in outcomes] == ["done"] * 50, outcomes
    assert sorted(value for _, value in outcomes) == ["registered"] * 20 + ["waiting"] * 30
    with app.app_context():
        rows = db.session.scalars(select(Registration).where(Registration.meeting_id == meeting.id)
                                  .order_by(Registration.position)).all()
        assert [r.position for r in rows] == list(range(1, 51))
        assert [r.status for r in rows] == ["registered"] * 20 + ["waiting"] * 30
        first_waiting = rows[20].member_id
        leaving = db.session.get(Member, rows[0].member_id)
        registering.cancel_registration(leaving, db.session.get(Meeting, meeting.id))
        assert db.session.scalar(select(Registration.status).where(
            Registration.meeting_id == meeting.id, Registration.member_id == first_waiting)) == "registered"


def synthesis_starter(member_id, meeting_id):
    def call():
        return minutes.start_synthesis(db.session.get(Member, member_id), db.session.get(Meeting, meeting_id)).id
    return call


def test_two_organisers_making_a_synthesis_of_the_minutes_at_once_make_one(app, forum, schedule, move):
    committee = forum.committee("13")
    organisers = [forum.moderator(committee, committees=[committee]) for _ in range(2)]
    meeting = move(schedule(organisers[0], committee), -8)
    with app.app_context():
        minutes.write_minutes(db.session.get(Member, organisers[0].id), db.session.get(Meeting, meeting.id),
                              "Bonne réunion.", {})
    outcomes = race(app, [synthesis_starter(o.id, meeting.id) for o in organisers])
    assert sorted(kind for kind, _ in outcomes) == ["done", "refused"], outcomes
    assert [value for kind, value in outcomes if kind == "refused"] == [409]
    with app.app_context():
        drafts = db.session.scalars(select(Synthesis.id)).all()
        assert drafts == [value for kind, value in outcomes if kind == "done"]
        assert db.session.get(Meeting, meeting.id).synthesis_id == drafts[0]
