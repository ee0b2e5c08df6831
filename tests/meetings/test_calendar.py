"""Calendars: one meeting's .ics and a member's private feed, read back by two independent
parsers (icalendar, vobject); who sees the online link; the feed's address made, replaced,
deleted; clock changes."""
import re
from datetime import datetime, timedelta, timezone

import icalendar
import pytest
import vobject
from sqlalchemy import func, select

from forum.accounts import erasure
from forum.clock import now
from forum.extensions import db
from forum.meetings import calendar, scheduling
from forum.meetings.models import CalendarFeed, Meeting
from forum.topics.models import Member

from ..helpers import Browser, Forum, text

VISIO = "https://visio.example.org/pleniere-13"


@pytest.fixture
def world(forum, schedule, register):
    committee = forum.committee("13")
    other = forum.committee("84")
    moderator = forum.moderator(committee, committees=[committee])
    people = dict(committee=committee, moderator=moderator,
                  registered=forum.member(committees=[committee]), waiting=forum.member(committees=[committee]),
                  reader=forum.member(committees=[committee]), stranger=forum.member(committees=[other]))
    meeting = schedule(moderator, committee, mode="hybrid", online_url=VISIO, capacity="1",
                       description="Ordre du jour à venir.")
    register(people["registered"], meeting, needs=("childcare",), note="secret-du-besoin")
    register(people["waiting"], meeting)
    people["meeting"] = meeting
    return people


def get_as(app, login, viewer, url):
    return (login(viewer) if viewer is not None else app.test_client()).get(url)


def uid_of(app, meeting):
    """``meeting-<id>@<host>``: the configured server's host, without its port (stable)."""
    with app.app_context():
        host = calendar.server_host()
    assert host and ":" not in host
    return f"meeting-{meeting.id}@{host}"


def unfolded(response):
    """The .ics text with its long lines joined again (RFC 5545 folds them at 75 octets)."""
    return response.get_data(as_text=True).replace("\r\n ", "")


def parse_both(body):
    """(icalendar's VEVENTs, vobject's VEVENTs) of an .ics body."""
    first = icalendar.Calendar.from_ical(body)
    second = vobject.readOne(body.decode("utf-8"))
    return list(first.walk("VEVENT")), list(getattr(second, "vevent_list", []))


def test_the_ics_of_a_meeting_is_read_back_by_two_parsers(app, login, world):
    meeting = world["meeting"]
    response = login(world["registered"]).get(f"/reunion/{meeting.id}.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    (event,), (other,) = parse_both(response.data)
    assert str(event["uid"]) == other.uid.value == uid_of(app, meeting)
    assert int(event["sequence"]) == int(other.sequence.value) == meeting.sequence
    assert str(event["status"]) == other.status.value == "CONFIRMED"
    assert str(event["summary"]) == other.summary.value == "Plénière du comité"
    assert str(event["location"]) == other.location.value == \
        "Maison des associations, 12 rue de la République, 13001 Marseille"
    assert str(event["url"]).endswith(f"/reunion/{meeting.id}") and other.url.value == str(event["url"])
    assert "Ordre du jour à venir." in other.description.value
    assert str(event["url"]) in other.description.value
    start = event.decoded("dtstart")
    assert start.utcoffset() == timedelta(0)
    assert start.replace(tzinfo=None) == meeting.starts_at == other.dtstart.value.replace(tzinfo=None)
    assert other.dtend.value.astimezone(timezone.utc).replace(tzinfo=None) == meeting.ends_at


@pytest.mark.parametrize("who, sees", [("registered", True), ("moderator", True), ("waiting", False),
                                       ("reader", False), ("stranger", False), (None, False)])
def test_the_online_link_is_in_the_ics_only_for_who_may_see_it(app, login, world, who, sees):
    response = get_as(app, login, world[who] if who else None, f"/reunion/{world['meeting'].id}.ics")
    assert response.status_code == 200
    (event,), (other,) = parse_both(response.data)
    assert (VISIO in unfolded(response)) is sees
    assert (VISIO in other.description.value) is sees
    # Never the needs nor who else comes.
    for private in ("secret-du-besoin", "childcare", world["registered"].pseudonym, world["waiting"].pseudonym):
        assert private not in unfolded(response)


def test_a_meeting_of_a_space_one_may_not_read_has_no_ics(app, forum, login, schedule):
    committee = forum.space("Comité fermé", kind="comite", visibility="restricted")
    closed = forum.space("Autre", kind="comite", visibility="restricted", committees=[committee])
    moderator = forum.moderator(closed, committees=[committee])
    meeting = schedule(moderator, closed)
    assert login(moderator).get(f"/reunion/{meeting.id}.ics").status_code == 200
    assert login(forum.member()).get(f"/reunion/{meeting.id}.ics").status_code == 404
    assert app.test_client().get(f"/reunion/{meeting.id}.ics").status_code == 404
    assert app.test_client().get("/reunion/999999.ics").status_code == 404


def meeting_at(app, space, organiser, day, start, end_day, end):
    """A meeting stored directly (past the lead's check that refuses past dates), its times
    typed in Paris time through the scheduling's own conversion."""
    with app.app_context():
        meeting = Meeting(space_id=space.id, organiser_id=organiser.id, title="Nuit du changement d'heure",
                          starts_at=scheduling.paris_time(day, start), ends_at=scheduling.paris_time(end_day, end))
        db.session.add(meeting)
        db.session.commit()
        return meeting.id


@pytest.mark.parametrize("day, start, end_day, end, utc_start, utc_end", [
    # 25 October 2026: at 03:00 CEST the clocks go back to 02:00 CET; 01:30 is still summer time.
    ("2026-10-25", "01:30", "2026-10-25", "03:30", datetime(2026, 10, 24, 23, 30), datetime(2026, 10, 25, 2, 30)),
    # 28 March 2027: at 02:00 CET the clocks go forward to 03:00 CEST.
    ("2027-03-27", "22:00", "2027-03-28", "04:00", datetime(2027, 3, 27, 21, 0), datetime(2027, 3, 28, 2, 0)),
])
def test_meetings_across_a_clock_change_have_the_right_instants(app, login, world, day, start, end_day, end,
                                                                 utc_start, utc_end):
    meeting_id = meeting_at(app, world["committee"], world["moderator"], day, start, end_day, end)
    response = login(world["reader"]).get(f"/reunion/{meeting_id}.ics")
    (event,), (other,) = parse_both(response.data)
    for parsed_start, parsed_end in ((event.decoded("dtstart"), event.decoded("dtend")),
                                     (other.dtstart.value, other.dtend.value)):
        assert parsed_start.astimezone(timezone.utc) == utc_start.replace(tzinfo=timezone.utc)
        assert parsed_end.astimezone(timezone.utc) == utc_end.replace(tzinfo=timezone.utc)
    assert f"DTSTART:{utc_start:%Y%m%dT%H%M%S}Z" in response.get_data(as_text=True)


def test_a_cancelled_meeting_says_so_with_its_new_sequence(app, act, login, world):
    meeting = act(scheduling.cancel, world["moderator"], world["meeting"], "Salle indisponible")
    response = login(world["registered"]).get(f"/reunion/{meeting.id}.ics")
    (event,), (other,) = parse_both(response.data)
    assert str(event["status"]) == other.status.value == "CANCELLED"
    assert int(other.sequence.value) == meeting.sequence == world["meeting"].sequence + 1
    assert VISIO not in unfolded(response)


# --- the private feed ------------------------------------------------------------------------

def make_token(browser):
    page = browser.post("/preferences/calendrier/nouvelle-adresse", {"submit": "1"})
    assert page.status_code == 200
    return re.search(r'value="https?://[^/"]+(/calendrier/[^"/]+\.ics)"', text(page)).group(1)


def feed_rows(app):
    with app.app_context():
        return db.session.scalars(select(CalendarFeed)).all()


def test_a_member_makes_a_feed_whose_token_is_kept_hashed(app, login, world):
    browser = login(world["registered"])
    assert "Créer mon adresse d'abonnement" in text(browser.get("/preferences/calendrier"))
    path = make_token(browser)
    token = path.rsplit("/", 1)[1][:-len(".ics")]
    (row,) = feed_rows(app)
    assert row.member_id == world["registered"].id and token not in row.token_hash and len(row.token_hash) == 64
    feed = app.test_client().get(path)            # no login: the token is the key
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"
    (event,), (other,) = parse_both(feed.data)
    assert other.uid.value == uid_of(app, world["meeting"])
    assert VISIO in other.description.value       # registered: the link
    # The page no longer shows the token; it offers to replace or delete it.
    page = text(browser.get("/preferences/calendrier"))
    assert token not in page and "Remplacer l'adresse d'abonnement" in page


@pytest.mark.parametrize("who", ["waiting", "reader"])
def test_the_feed_of_a_member_not_registered_has_no_online_link(app, login, world, who):
    path = make_token(login(world[who]))
    feed = app.test_client().get(path)
    (event,), (other,) = parse_both(feed.data)
    assert other.summary.value == "Plénière du comité"
    assert VISIO not in unfolded(feed)


def test_the_feed_lists_the_comites_and_registered_meetings_from_a_month_ago(app, forum, login, schedule, register,
                                                                            move, world):
    other_space = forum.committee("06")
    elsewhere = schedule(forum.moderator(other_space, committees=[other_space]), other_space, title="Ailleurs")
    old = move(schedule(world["moderator"], world["committee"], title="Il y a longtemps"), -50)
    recent = move(schedule(world["moderator"], world["committee"], title="Le mois dernier"), -30)
    joined = forum.space("Thème", kind="theme")
    theme = schedule(forum.moderator(joined, committees=[world["committee"]]), joined, title="Thématique")
    register(world["reader"], theme)
    feed = app.test_client().get(make_token(login(world["reader"])))
    titles = [event.summary.value for event in parse_both(feed.data)[1]]
    assert titles == ["Le mois dernier", "Plénière du comité", "Thématique"]
    assert elsewhere.title not in titles and old.title not in titles and recent.title in titles
    # The stranger (another comité) has no meeting of this comité in their feed.
    assert parse_both(app.test_client().get(make_token(login(world["stranger"]))).data)[1] == []


def test_a_replaced_or_deleted_token_answers_404(app, login, world):
    browser = login(world["registered"])
    first = make_token(browser)
    second = make_token(browser)
    assert app.test_client().get(first).status_code == 404
    assert app.test_client().get(second).status_code == 200
    assert len(feed_rows(app)) == 1
    assert browser.post("/preferences/calendrier/supprimer", {"submit": "1"}).status_code == 303
    assert app.test_client().get(second).status_code == 404
    assert feed_rows(app) == []
    assert app.test_client().get("/calendrier/inconnu.ics").status_code == 404


def test_refused_posts_change_nothing(app, login, world):
    browser = login(world["registered"])
    path = make_token(browser)
    (before,) = feed_rows(app)
    # No CSRF token: refused, the feed stays as it was.
    assert browser.post("/preferences/calendrier/nouvelle-adresse", {"submit": "1"}, csrf=False).status_code == 400
    assert browser.post("/preferences/calendrier/supprimer", {"submit": "1"}, csrf=False).status_code == 400
    (after,) = feed_rows(app)
    assert after.token_hash == before.token_hash
    assert app.test_client().get(path).status_code == 200
    # A visitor is sent to log in; nothing is made.
    visitor = app.test_client()
    assert visitor.post("/preferences/calendrier/nouvelle-adresse").status_code in (302, 400)
    assert visitor.get("/preferences/calendrier").status_code == 302
    assert len(feed_rows(app)) == 1


def test_the_feed_of_a_deactivated_or_erased_member_is_gone(app, login, world):
    path = make_token(login(world["registered"]))
    with app.app_context():
        db.session.get(Member, world["registered"].id).deactivated_at = now()
        db.session.commit()
    assert app.test_client().get(path).status_code == 404
    with app.app_context():
        member = db.session.get(Member, world["registered"].id)
        member.deactivated_at = None
        db.session.commit()
        erasure.anonymise(member)
        assert db.session.scalar(select(func.count()).select_from(CalendarFeed)) == 0
    assert app.test_client().get(path).status_code == 404


def test_the_feed_is_rate_limited(app_factory):
    app = app_factory(RATELIMIT_ENABLED=True)
    forum = Forum(app)
    member = forum.member()
    browser = Browser(app.test_client())
    browser.login(member)
    path = make_token(browser)
    statuses = [app.test_client().get(path).status_code for _ in range(31)]
    assert statuses[:30] == [200] * 30 and statuses[30] == 429


def test_the_meeting_page_links_to_the_calendars(app, login, world):
    page = text(login(world["reader"]).get(f"/reunion/{world['meeting'].id}"))
    assert f'href="/reunion/{world["meeting"].id}.ics"' in page
    assert "Ajouter à mon agenda (.ics)" in page and 'href="/preferences/calendrier"' in page
    visitor = text(app.test_client().get(f"/reunion/{world['meeting'].id}"))
    assert "Ajouter à mon agenda (.ics)" in visitor and "S'abonner à mon calendrier" not in visitor
