"""Registering for a meeting: places, the waiting list moved up in order, needs kept private,
who may not register."""
import pytest
from sqlalchemy import select

from forum import dates, events
from forum.accounts import erasure
from forum.accounts.models import Member
from forum.errors import Forbidden, Refused
from forum.extensions import db
from forum.meetings import registering, rules
from forum.meetings.models import Meeting, Registration

from ..helpers import text
from .conftest import typed
from .test_scheduling import form


@pytest.fixture
def world(forum):
    committee = forum.committee("13")
    return dict(committee=committee, moderator=forum.moderator(committee, committees=[committee]),
                member=forum.member(committees=[committee]), outsider=forum.member(),
                coordinator=forum.member(role="coordinator"))


def statuses(app, meeting):
    with app.app_context():
        return [(r.member_id, r.status) for r in db.session.scalars(select(Registration).where(
            Registration.meeting_id == meeting.id).order_by(Registration.position))]


def test_a_member_registers_with_needs_the_organiser_reads_them_and_nobody_else(app, forum, login, world, schedule):
    meeting = schedule(world["moderator"], world["committee"])
    member = login(world["member"])
    page = member.post(f"/reunion/{meeting.id}/inscription",
                       {"needs": ["interpreter", "falc"], "needs_note": "Je viens avec mon chien guide."})
    assert page.status_code == 303
    shown = text(member.get(f"/reunion/{meeting.id}"))
    assert "Vous êtes inscrit·e." in shown and "Je viens avec mon chien guide." in shown
    organiser = text(login(world["moderator"]).get(f"/reunion/{meeting.id}/participants"))
    assert world["member"].pseudonym in organiser and "Je viens avec mon chien guide." in organiser
    assert "Documents en FALC" in organiser
    other = forum.member(committees=[world["committee"]])
    assert "chien guide" not in text(login(other).get(f"/reunion/{meeting.id}"))
    assert login(other).get(f"/reunion/{meeting.id}/participants").status_code == 403
    assert "1 personne inscrite" in text(login(other).get(f"/reunion/{meeting.id}"))


def test_an_outsider_may_not_register_in_a_comite_space(app, login, world, schedule):
    meeting = schedule(world["moderator"], world["committee"])
    page = login(world["outsider"]).post(f"/reunion/{meeting.id}/inscription", {"needs_note": "Bonjour"})
    assert page.status_code == 403
    assert statuses(app, meeting) == []


def test_a_visitor_is_asked_to_log_in(app, client, world, schedule):
    meeting = schedule(world["moderator"], world["committee"])
    assert client.post(f"/reunion/{meeting.id}/inscription").status_code in (302, 400)
    assert statuses(app, meeting) == []


def test_an_unknown_need_and_a_long_note_are_422_with_the_note_kept(app, login, world, schedule):
    meeting = schedule(world["moderator"], world["committee"])
    member = login(world["member"])
    page = member.post(f"/reunion/{meeting.id}/inscription", {"needs": ["jacuzzi"], "needs_note": "Merci"})
    assert page.status_code == 422 and "Ce besoin n'est pas dans la liste proposée." in text(page)
    assert "Merci" in text(page)
    page = member.post(f"/reunion/{meeting.id}/inscription", {"needs_note": "x" * 1001})
    assert page.status_code == 422 and "1000 caractères au plus" in text(page)
    assert statuses(app, meeting) == []


def test_past_and_cancelled_meetings_take_no_registration(app, login, world, schedule, move, act):
    meeting = schedule(world["moderator"], world["committee"])
    past = move(schedule(world["moderator"], world["committee"]), -30)
    login(world["moderator"]).post(f"/reunion/{meeting.id}/annuler", {"reason": ""})
    member = login(world["member"])
    assert member.post(f"/reunion/{meeting.id}/inscription", {}).status_code == 403
    assert member.post(f"/reunion/{past.id}/inscription", {}).status_code == 403
    assert statuses(app, meeting) == [] and statuses(app, past) == []


def test_when_full_the_waiting_list_moves_up_in_order_when_someone_cancels(app, forum, login, world, schedule,
                                                                           register):
    meeting = schedule(world["moderator"], world["committee"], capacity="2")
    people = [forum.member(committees=[world["committee"]]) for _ in range(4)]
    for person in people:
        register(person, meeting)
    assert [s for _, s in statuses(app, meeting)] == ["registered", "registered", "waiting", "waiting"]
    waiting = text(login(people[2]).get(f"/reunion/{meeting.id}"))
    assert "Vous êtes sur la liste d'attente." in waiting
    assert login(people[0]).post(f"/reunion/{meeting.id}/desinscription", {"submit": "1"}).status_code == 303
    assert dict(statuses(app, meeting)) == {people[0].id: "cancelled", people[1].id: "registered",
                                            people[2].id: "registered", people[3].id: "waiting"}


def test_raising_the_capacity_moves_the_waiting_list_up(app, forum, login, world, schedule, register):
    meeting = schedule(world["moderator"], world["committee"], capacity="1")
    people = [forum.member(committees=[world["committee"]]) for _ in range(3)]
    for person in people:
        register(person, meeting)
    with app.app_context():
        start = dates.local(db.session.get(Meeting, meeting.id).starts_at)
    page = login(world["moderator"]).post(f"/reunion/{meeting.id}/modifier",
                                          form(typed(capacity="2", day=f"{start:%Y-%m-%d}")))
    assert page.status_code == 303
    assert [s for _, s in statuses(app, meeting)] == ["registered", "registered", "waiting"]


def test_cancelling_a_registration_one_does_not_hold_is_refused(app, login, world, schedule):
    meeting = schedule(world["moderator"], world["committee"])
    page = login(world["member"]).post(f"/reunion/{meeting.id}/desinscription", {"submit": "1"})
    assert page.status_code == 422 and "Vous n'êtes pas inscrit à cette réunion." in text(page)


def test_registering_twice_keeps_one_place_and_updates_the_needs(app, login, world, schedule):
    meeting = schedule(world["moderator"], world["committee"])
    member = login(world["member"])
    member.post(f"/reunion/{meeting.id}/inscription", {"needs": ["childcare"]})
    member.post(f"/reunion/{meeting.id}/inscription", {"needs": ["falc"]})
    with app.app_context():
        rows = db.session.scalars(select(Registration).where(Registration.meeting_id == meeting.id)).all()
        assert [(r.status, r.needs) for r in rows] == [("registered", "falc")]


def test_counts_by_college_follow_the_small_group_rule(app, forum, login, world, schedule, register):
    meeting = schedule(world["moderator"], world["committee"])
    big, small = forum.college("Intervenants sociaux"), forum.college("Personnes accompagnées", sensitive=True)
    for _ in range(6):
        register(forum.member(college=big, committees=[world["committee"]]), meeting)
    for _ in range(2):
        register(forum.member(college=small, committees=[world["committee"]]), meeting)
    page = text(login(world["member"]).get(f"/reunion/{meeting.id}"))
    assert "8 personnes inscrites" in page
    assert "Personnes accompagnées : 2" not in page and "Intervenants sociaux : 6" not in page
    elected = forum.college("Élus")
    for _ in range(5):
        register(forum.member(college=elected, committees=[world["committee"]]), meeting)
    page = text(login(world["member"]).get(f"/reunion/{meeting.id}"))
    assert "13 personnes inscrites" in page and "Élus : 5" in page
    assert "Autres collèges ou sans collège : 8" in page and "Personnes accompagnées : 2" not in page


def test_the_online_link_is_on_the_page_for_the_registered_only(app, forum, login, world, schedule, register):
    meeting = schedule(world["moderator"], world["committee"], mode="hybrid", capacity="1",
                       online_url="https://visio.example/secret-13")
    registered, waiting = (forum.member(committees=[world["committee"]]) for _ in range(2))
    register(registered, meeting)
    register(waiting, meeting)
    link = "https://visio.example/secret-13"
    assert link in text(login(registered).get(f"/reunion/{meeting.id}"))
    assert link in text(login(world["moderator"]).get(f"/reunion/{meeting.id}"))
    for reader in (waiting, world["member"], world["outsider"]):
        page = text(login(reader).get(f"/reunion/{meeting.id}"))
        assert link not in page and "donné aux personnes inscrites" in page
    assert link not in text(app.test_client().get(f"/reunion/{meeting.id}"))


def test_a_meeting_without_limit_takes_everyone_and_a_cancellation_moves_nobody(app, forum, world, schedule,
                                                                                register, act):
    meeting = schedule(world["moderator"], world["committee"])
    people = [forum.member(committees=[world["committee"]]) for _ in range(3)]
    for person in people:
        register(person, meeting)
    act(registering.cancel_registration, people[0], meeting)
    assert [s for _, s in statuses(app, meeting)] == ["cancelled", "registered", "registered"]


def test_the_only_place_freed_goes_to_the_first_waiting_and_is_told(app, forum, world, schedule, register, act,
                                                                     committed_events):
    meeting = schedule(world["moderator"], world["committee"], capacity="1")
    first, second, third = (forum.member(committees=[world["committee"]]) for _ in range(3))
    for person in (first, second, third):
        register(person, meeting)
    log = committed_events(events.RegistrationMoved)
    act(registering.cancel_registration, first, meeting)
    assert dict(statuses(app, meeting)) == {first.id: "cancelled", second.id: "registered", third.id: "waiting"}
    assert [(e.member_id, e.status, e.promoted) for e in log.seen] == [
        (first.id, "cancelled", False), (second.id, "registered", True)]


def test_an_erased_members_place_goes_to_the_waiting_list_and_nowhere_else(app, forum, world, schedule, register,
                                                                           committed_events):
    meeting = schedule(world["moderator"], world["committee"], capacity="1")
    other = schedule(world["moderator"], world["committee"], capacity="1")
    first, second, third = (forum.member(committees=[world["committee"]]) for _ in range(3))
    for person in (first, second, third):
        register(person, meeting)
    register(second, other)
    register(third, other)
    log = committed_events(events.RegistrationMoved)
    with app.app_context():
        erasure.anonymise(db.session.get(Member, first.id))
    assert dict(statuses(app, meeting)) == {second.id: "registered", third.id: "waiting"}
    assert dict(statuses(app, other)) == {second.id: "registered", third.id: "waiting"}
    assert [(e.member_id, e.status, e.promoted) for e in log.seen] == [(second.id, "registered", True)]


def refusal_of(act, function, *args):
    """The refusal ``function`` raises (a test fails if it raises none)."""
    with pytest.raises(Refused) as raised:
        act(function, *args)
    return raised.value


def test_needs_are_refused_field_by_field_and_the_note_is_kept_to_its_limit(app, forum, world, schedule, act):
    meeting = schedule(world["moderator"], world["committee"])
    person = forum.member(committees=[world["committee"]])
    unknown = refusal_of(act, registering.register, person, meeting, ["danse"])
    assert unknown.fields == {"needs": "Ce besoin n'est pas dans la liste proposée."}
    too_long = refusal_of(act, registering.register, person, meeting, (), "x" * (registering.NOTE_MAX + 1))
    assert too_long.fields == {"needs_note": f"Vos précisions tiennent en {registering.NOTE_MAX} caractères au plus."}
    assert act(registering.register, person, meeting, ["falc"], None).needs_note == ""
    at_limit = act(registering.register, person, meeting, ["falc"], "x" * registering.NOTE_MAX)
    assert at_limit.needs_note == "x" * registering.NOTE_MAX and at_limit.created_at is not None
    plain = act(registering.register, forum.member(committees=[world["committee"]]), meeting)   # no needs said
    assert (plain.needs, plain.needs_note) == ("", "")


def test_each_refusal_of_the_waiting_list_says_why(app, forum, world, schedule, move, act):
    meeting = schedule(world["moderator"], world["committee"])
    assert refusal_of(act, registering.register, world["outsider"], meeting).message == \
        act(rules.why_cannot_register, world["outsider"], meeting)
    assert refusal_of(act, registering.cancel_registration, world["member"], meeting).fields == \
        {None: "Vous n'êtes pas inscrit à cette réunion."}
    held = schedule(world["moderator"], world["committee"])
    act(registering.register, world["member"], held)
    move(held, -30)
    refused = refusal_of(act, registering.cancel_registration, world["member"], held)
    assert isinstance(refused, Forbidden) and refused.message == "Cette réunion est passée."


def test_positions_follow_arrivals_meeting_by_meeting_and_a_return_goes_last(app, forum, world, schedule, register,
                                                                             act, committed_events):
    one, other = (schedule(world["moderator"], world["committee"], capacity="1") for _ in range(2))
    first, second, third, fourth = (forum.member(committees=[world["committee"]]) for _ in range(4))
    log = committed_events(events.RegistrationMoved)
    register(first, one)
    register(second, other)
    register(fourth, other)
    register(second, one)
    register(third, one)

    def positions(meeting):
        with app.app_context():
            return [(r.member_id, r.position, r.status) for r in db.session.scalars(select(Registration).where(
                Registration.meeting_id == meeting.id).order_by(Registration.position))]
    assert positions(one) == [(first.id, 1, "registered"), (second.id, 2, "waiting"), (third.id, 3, "waiting")]
    assert positions(other) == [(second.id, 1, "registered"), (fourth.id, 2, "waiting")]
    register(first, one, ["falc"])            # registered already: the place and its position stay
    assert positions(one)[0] == (first.id, 1, "registered")
    act(registering.cancel_registration, second, one)
    register(second, one)                      # back, behind the third (an older row, a later arrival)
    assert positions(one)[1:] == [(third.id, 3, "waiting"), (second.id, 4, "waiting")]
    act(registering.cancel_registration, first, one)
    assert positions(one)[1:] == [(third.id, 3, "registered"), (second.id, 4, "waiting")]
    assert positions(other) == [(second.id, 1, "registered"), (fourth.id, 2, "waiting")]   # its own list
    assert [(e.meeting_id, e.member_id, e.status) for e in log.seen] == [
        (one.id, first.id, "registered"), (other.id, second.id, "registered"), (other.id, fourth.id, "waiting"),
        (one.id, second.id, "waiting"), (one.id, third.id, "waiting"),
        (one.id, second.id, "cancelled"), (one.id, second.id, "waiting"),
        (one.id, first.id, "cancelled"), (one.id, third.id, "registered")]


def test_an_erased_members_place_in_a_past_meeting_moves_nobody_up(app, forum, world, schedule, register, move):
    held = schedule(world["moderator"], world["committee"], capacity="1")
    first, second = (forum.member(committees=[world["committee"]]) for _ in range(2))
    register(first, held)
    register(second, held)
    move(held, -30)
    with app.app_context():
        erasure.anonymise(db.session.get(Member, first.id))
    assert dict(statuses(app, held)) == {second.id: "waiting"}
