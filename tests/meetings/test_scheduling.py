"""Scheduling, changing and cancelling a meeting: the pages, the checks, who may."""
from datetime import datetime

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.meetings import scheduling
from forum.meetings.models import Meeting

from ..helpers import text
from .conftest import typed


@pytest.fixture
def world(forum):
    committee = forum.committee("13")
    return dict(committee=committee, moderator=forum.moderator(committee, committees=[committee]),
                member=forum.member(committees=[committee]), outsider=forum.member(),
                coordinator=forum.member(role="coordinator"))


def form(values):
    fields = {name: getattr(values, name) for name in (
        "title", "kind", "mode", "day", "start", "end", "end_day", "description", "place_name", "address",
        "transport", "access_notes", "online_url", "capacity", "travel_claims")}
    if values.step_free:
        fields["step_free"] = "y"
    return fields


def meeting_count(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Meeting))


def test_a_moderator_schedules_a_meeting_and_everyone_of_the_comite_sees_it(app, login, world):
    page = login(world["moderator"]).post(f"/espace/{world['committee'].slug}/reunions/nouvelle",
                                            form(typed(title="Plénière de janvier")))
    assert page.status_code == 303
    shown = login(world["member"]).get(page.headers["Location"])
    assert shown.status_code == 200 and "Plénière de janvier" in text(shown)
    assert "Maison des associations" in text(shown) and "openstreetmap.org/search?query=12%20rue" in text(shown)
    listing = login(world["member"]).get(f"/espace/{world['committee'].slug}/reunions")
    assert "Plénière de janvier" in text(listing) and "Prévoir une réunion" not in text(listing)


@pytest.mark.parametrize("who", ["member", "outsider"])
def test_only_moderators_and_the_coordination_schedule(app, login, world, who):
    page = login(world[who]).post(f"/espace/{world['committee'].slug}/reunions/nouvelle", form(typed()))
    assert page.status_code == 403
    assert meeting_count(app) == 0


def test_the_coordination_schedules_anywhere(app, login, world):
    page = login(world["coordinator"]).post(f"/espace/{world['committee'].slug}/reunions/nouvelle", form(typed()))
    assert page.status_code == 303 and meeting_count(app) == 1


@pytest.mark.parametrize("change, field, message", [
    (dict(end="13:00"), "end", "doit finir après son début"),
    (dict(end="14:00"), "end", "doit finir après son début"),
    (dict(day="2020-01-10"), "day", "Cette date est passée"),
    (dict(day="31/02/2027"), "day", "Une date (jj/mm/aaaa)"),
    (dict(title=""), "title", "Donnez un titre"),
    (dict(title="x" * 201), "title", "200 caractères"),
    (dict(capacity="0"), "capacity", "entre 1 et"),
    (dict(capacity="douze"), "capacity", "entre 1 et"),
    (dict(mode="online", online_url=""), "online_url", "lien de la visioconférence"),
    (dict(mode="hybrid", online_url="javascript:alert(1)"), "online_url", "commence par https://"),
    (dict(place_name="", address=""), "address", "le lieu ou l'adresse"),
    (dict(kind="apero"), "kind", "type de réunion"),
])
def test_bad_input_is_422_next_to_the_field_with_the_text_kept(app, login, world, change, field, message):
    values = typed(title="Groupe de travail logement", **({} if "title" in change else {}))
    values = typed(**{**{"title": values.title}, **change})
    page = login(world["moderator"]).post(f"/espace/{world['committee'].slug}/reunions/nouvelle", form(values))
    assert page.status_code == 422
    assert message in text(page) and f'id="{field}-erreurs"' in text(page)
    if field != "title":
        assert "Groupe de travail logement" in text(page)
    assert meeting_count(app) == 0


def test_times_are_paris_time_on_both_sides_of_the_october_clock_change(app, forum, world, act):
    with app.app_context():
        assert scheduling.paris_time("2027-10-30", "14:00") == datetime(2027, 10, 30, 12, 0)   # UTC+2
        assert scheduling.paris_time("2027-10-31", "14:00") == datetime(2027, 10, 31, 13, 0)   # UTC+1
        assert scheduling.paris_time("31/10/2027", "01:30") == datetime(2027, 10, 30, 23, 30)
        assert scheduling.paris_time("2027-10-31", "03:30") == datetime(2027, 10, 31, 2, 30)
        assert scheduling.paris_time("2027-03-28", "03:30") == datetime(2027, 3, 28, 1, 30)    # UTC+2 again


def test_changing_raises_the_sequence_and_a_capacity_below_the_registered_is_refused(
        app, forum, login, world, schedule, register):
    meeting = schedule(world["moderator"], world["committee"], capacity="5")
    for _ in range(3):
        register(forum.member(committees=[world["committee"]]), meeting)
    with app.app_context():
        start = scheduling.dates.local(db.session.get(Meeting, meeting.id).starts_at)
    values = typed(title="Plénière déplacée", capacity="2", day=f"{start:%Y-%m-%d}")
    page = login(world["moderator"]).post(f"/reunion/{meeting.id}/modifier", form(values))
    assert page.status_code == 422 and "3 personnes sont déjà inscrites" in text(page)
    page = login(world["moderator"]).post(f"/reunion/{meeting.id}/modifier", form(
        typed(title="Plénière déplacée", capacity="3", day=f"{start:%Y-%m-%d}")))
    assert page.status_code == 303
    with app.app_context():
        row = db.session.get(Meeting, meeting.id)
        assert (row.title, row.capacity, row.sequence) == ("Plénière déplacée", 3, 1)


def test_a_member_may_not_change_or_cancel(app, login, world, schedule):
    meeting = schedule(world["moderator"], world["committee"])
    member = login(world["member"])
    assert member.post(f"/reunion/{meeting.id}/modifier", form(typed(title="Piraté"))).status_code == 403
    assert member.post(f"/reunion/{meeting.id}/annuler", {"reason": "non"}).status_code == 403
    with app.app_context():
        row = db.session.get(Meeting, meeting.id)
        assert (row.title, row.status, row.sequence) == ("Plénière du comité", "scheduled", 0)


def test_cancelling_keeps_the_meeting_marked_cancelled(app, login, world, schedule):
    meeting = schedule(world["moderator"], world["committee"])
    page = login(world["moderator"]).post(f"/reunion/{meeting.id}/annuler", {"reason": "Salle indisponible."})
    assert page.status_code == 303
    shown = login(world["member"]).get(f"/reunion/{meeting.id}")
    assert "Cette réunion est annulée." in text(shown) and "Salle indisponible." in text(shown)
    assert "Je m'inscris" not in text(shown)
    assert login(world["moderator"]).get(f"/reunion/{meeting.id}/modifier").status_code == 409


def test_a_meeting_of_a_closed_space_is_404_to_who_cannot_read_it(app, forum, login, schedule):
    other = forum.committee("06")
    closed = forum.space("Bureau", visibility="restricted", committees=[other])
    coordinator = forum.member(role="coordinator")
    meeting = schedule(coordinator, closed)
    outsider = login(forum.member())
    for path in (f"/reunion/{meeting.id}", f"/reunion/{meeting.id}/inscription", f"/espace/{closed.slug}/reunions"):
        assert outsider.get(path).status_code == 404
