"""The compte rendu: written once the meeting has started by its organisers, read with the
meeting, the decisions of its points with their state, « En faire une synthèse »."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum.clock import now
from forum.decisions import voting
from forum.extensions import db
from forum.meetings.models import AgendaItem, Meeting
from forum.syntheses.models import Synthesis
from forum.topics.models import Member, Topic

from ..helpers import snapshot, text


@pytest.fixture
def world(forum, schedule, move):
    committee = forum.committee("13")
    moderator = forum.moderator(committee, pseudonym="Orga", committees=[committee])
    member = forum.member(pseudonym="Membre", committees=[committee])
    topic = forum.topic(member, committee, title="Le logement des jeunes")
    upcoming = schedule(moderator, committee)
    held = move(schedule(moderator, committee, title="Plénière de décembre"), -8)    # took place last week
    return dict(committee=committee, moderator=moderator, member=member, topic=topic, upcoming=upcoming,
                held=held, outsider=forum.member())


def add_item(app, meeting, member, title, position=1, **links):
    with app.app_context():
        item = AgendaItem(meeting_id=meeting.id, proposer_id=member.id, title=title, status="accepted",
                          position=position, **links)
        db.session.add(item)
        db.session.commit()
        return item.id


def minutes_of(app, meeting):
    with app.app_context():
        row = db.session.get(Meeting, meeting.id)
        return row.minutes, row.minutes_at, [(i.title, i.minutes) for i in row.agenda]


def test_the_organiser_writes_the_minutes_and_who_sees_the_meeting_reads_them(app, client, forum, login, world):
    held = world["held"]
    point = add_item(app, held, world["member"], "Logement", topic_id=world["topic"].id)
    page = login(world["moderator"]).post(f"/reunion/{held.id}/compte-rendu", {
        "general": "Présents : **douze** personnes.", f"point-{point}": "On écrit au *département*."})
    assert page.status_code == 303 and page.headers["Location"].endswith(f"/reunion/{held.id}#compte-rendu")
    for browser in (login(world["member"]), client):     # a comité member; a visitor (the space is public)
        shown = text(browser.get(f"/reunion/{held.id}"))
        assert "<strong>douze</strong>" in shown and "<em>département</em>" in shown
        assert "Point 1 : Logement" in shown and "Le logement des jeunes" in shown
    assert minutes_of(app, held)[0] == "Présents : **douze** personnes."


def test_the_decisions_of_the_points_are_listed_with_their_state(app, login, world):
    with app.app_context():
        poll = voting.open_poll(db.session.get(Member, world["member"].id), db.session.get(Topic, world["topic"].id),
                                voting.PollSettings(kind="single", question="Écrire au département ?",
                                                    closes_at=now() + timedelta(days=3), options=["Oui", "Non"]),
                                "Décidons.")
        poll_id = poll.id
    add_item(app, world["held"], world["member"], "Courrier", poll_id=poll_id)
    assert login(world["moderator"]).post(f"/reunion/{world['held'].id}/compte-rendu",
                                          {"general": "Vote en cours."}).status_code == 303
    shown = text(login(world["member"]).get(f"/reunion/{world['held'].id}"))
    assert "Décisions liées à l'ordre du jour" in shown and "Écrire au département ?" in shown
    assert "ouverte jusqu'au" in shown and f'href="/decision/{poll_id}"' in shown


def test_no_minutes_before_the_meeting_starts(app, login, world):
    point = add_item(app, world["upcoming"], world["member"], "Logement")
    organiser = login(world["moderator"])
    before = snapshot(app)
    page = organiser.post(f"/reunion/{world['upcoming'].id}/compte-rendu",
                          {"general": "Écrit d'avance.", f"point-{point}": "Déjà décidé."})
    assert page.status_code == 409 and "une fois la réunion commencée" in text(page)
    assert snapshot(app) == before
    assert "compte-rendu-titre" not in text(organiser.get(f"/reunion/{world['upcoming'].id}"))


@pytest.mark.parametrize("who", ["member", "outsider"])
def test_only_the_organisers_write_the_minutes(app, login, world, who):
    browser = login(world[who])
    before = snapshot(app)
    page = browser.post(f"/reunion/{world['held'].id}/compte-rendu", {"general": "Mon compte rendu."})
    assert page.status_code == 403
    assert browser.post(f"/reunion/{world['held'].id}/compte-rendu/synthese").status_code == 403
    assert snapshot(app) == before


def test_a_text_too_long_is_422_beside_its_point_with_the_text_kept(app, login, world):
    point = add_item(app, world["held"], world["member"], "Logement")
    organiser = login(world["moderator"])
    before = snapshot(app)
    page = organiser.post(f"/reunion/{world['held'].id}/compte-rendu",
                          {"general": "Texte général gardé.", f"point-{point}": "x" * 100_001})
    assert page.status_code == 422
    assert f'id="point-{point}-erreurs"' in text(page) and "Texte général gardé." in text(page)
    assert snapshot(app) == before


def test_a_closed_space_keeps_its_minutes_from_who_cannot_read_it(app, client, forum, login, schedule, move):
    other = forum.committee("06")
    closed = forum.space("Bureau", visibility="restricted", committees=[other])
    coordinator = forum.member(role="coordinator")
    meeting = move(schedule(coordinator, closed), -8)
    assert login(coordinator).post(f"/reunion/{meeting.id}/compte-rendu",
                                   {"general": "Secret du bureau."}).status_code == 303
    for browser in (login(forum.member()), client):
        for path in (f"/reunion/{meeting.id}/compte-rendu", f"/reunion/{meeting.id}"):
            page = browser.get(path)
            assert page.status_code == 404 and "Secret du bureau." not in text(page)


def test_the_minutes_become_a_draft_synthesis_once(app, login, world):
    held = world["held"]
    point = add_item(app, held, world["member"], "Logement")
    organiser = login(world["moderator"])
    assert organiser.post(f"/reunion/{held.id}/compte-rendu/synthese").status_code == 422     # nothing written yet
    organiser.post(f"/reunion/{held.id}/compte-rendu", {"general": "Bonne réunion.", f"point-{point}": "À suivre."})
    page = organiser.post(f"/reunion/{held.id}/compte-rendu/synthese")
    assert page.status_code == 303
    with app.app_context():
        synthesis = db.session.scalars(select(Synthesis)).one()
        assert synthesis.status == "draft" and synthesis.space_id == world["committee"].id
        assert "Bonne réunion." in synthesis.source and "## 1. Logement" in synthesis.source
        assert "À suivre." in synthesis.source
        assert db.session.get(Meeting, held.id).synthesis_id == synthesis.id
    assert page.headers["Location"].endswith(f"/synthese/{synthesis.id}/modifier")
    again = organiser.post(f"/reunion/{held.id}/compte-rendu/synthese")
    assert again.status_code == 409
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Synthesis)) == 1
    # A draft is its editors' and the moderators': the meeting page names it to them only.
    assert "Compte rendu : Plénière de décembre" in text(organiser.get(f"/reunion/{held.id}"))
    assert "Compte rendu : Plénière de décembre" not in text(login(world["member"]).get(f"/reunion/{held.id}"))
