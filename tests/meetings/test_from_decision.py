"""A meeting prepared from a closed « date de réunion » decision: the slot most said yes to, the
question as title, a link back; offered to who may schedule, and only for a closed decision of
the same space."""
from datetime import timedelta

import pytest

from forum.clock import now
from forum.decisions import closing, voting
from forum.extensions import db
from forum.topics.models import Member, Topic

from ..helpers import text


@pytest.fixture
def world(forum):
    committee = forum.committee("13")
    moderator = forum.moderator(committee, committees=[committee])
    members = [forum.member(committees=[committee]) for _ in range(3)]
    topic = forum.topic(moderator, committee, "Quand nous réunir en janvier ?")
    return dict(committee=committee, moderator=moderator, members=members, topic=topic,
                other=forum.committee("06"))


def meeting_poll(app, world, close=True):
    with app.app_context():
        author = db.session.get(Member, world["moderator"].id)
        poll = voting.open_poll(author, db.session.get(Topic, world["topic"].id), voting.PollSettings(
            kind="meeting", question="Date de la plénière de janvier", closes_at=now() + timedelta(days=3),
            options=["Mardi 12 janvier, 14 h", "Jeudi 14 janvier, 10 h"]), "Choisissons la date.")
        for member, answers in zip(world["members"], ({0: 1, 1: 2}, {0: 2, 1: 2}, {0: 0, 1: 1})):
            voting.cast_ballot(db.session.get(Member, member.id), poll, answers)
        if close:
            closing.close_poll(poll, author)
        return poll.id


def test_the_moderator_schedules_the_chosen_slot_from_the_closed_decision(app, login, world):
    poll_id = meeting_poll(app, world)
    moderator = login(world["moderator"])
    topic = text(moderator.get(f"/sujet/{world['topic'].id}"))
    link = f"/espace/{world['committee'].slug}/reunions/nouvelle?decision={poll_id}"
    assert "Prévoir la réunion à la date retenue" in topic and link in topic
    form = text(moderator.get(link))
    assert "« Jeudi 14 janvier, 10 h » (2 oui, 1 peut-être)" in form
    assert 'value="Date de la plénière de janvier"' in form and f"/decision/{poll_id}" in form


def test_a_member_gets_no_link_and_no_prefill(app, login, world):
    poll_id = meeting_poll(app, world)
    member = login(world["members"][0])
    assert "Prévoir la réunion à la date retenue" not in text(member.get(f"/sujet/{world['topic'].id}"))
    assert member.get(f"/espace/{world['committee'].slug}/reunions/nouvelle?decision={poll_id}").status_code == 403


def test_an_open_decision_or_one_of_another_space_proposes_nothing(app, forum, login, world):
    open_id = meeting_poll(app, world, close=False)
    moderator = login(world["moderator"])
    assert "Prévoir la réunion à la date retenue" not in text(moderator.get(f"/sujet/{world['topic'].id}"))
    assert "Date retenue" not in text(moderator.get(
        f"/espace/{world['committee'].slug}/reunions/nouvelle?decision={open_id}"))
    closed_id = meeting_poll(app, world)
    coordinator = login(forum.member(role="coordinator"))
    assert "Date retenue" not in text(coordinator.get(
        f"/espace/{world['other'].slug}/reunions/nouvelle?decision={closed_id}"))
    assert "Date retenue" in text(coordinator.get(
        f"/espace/{world['committee'].slug}/reunions/nouvelle?decision={closed_id}"))
