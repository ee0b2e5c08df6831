"""The next meetings on the home page, on a space's topic list and in the weekly digest: only
those of spaces the reader reads, never a cancelled one, and the pages kept for visitors follow."""
from datetime import timedelta

import pytest
from sqlalchemy import update

from forum.clock import now
from forum.extensions import db
from forum.meetings import scheduling
from forum.meetings.models import Meeting
from forum.notifications.digest import compose
from forum.topics.models import Member

from ..helpers import text


@pytest.fixture
def world(forum, schedule):
    committee = forum.committee("13")
    bureau_committee = forum.committee("06")
    closed = forum.space("Bureau", visibility="restricted", committees=[bureau_committee])
    coordinator = forum.member(role="coordinator")
    w = dict(committee=committee, closed=closed, coordinator=coordinator,
             insider=forum.member(pseudonym="Initie", committees=[bureau_committee]),
             member=forum.member(pseudonym="Membre", committees=[committee]))
    w["public"] = schedule(coordinator, committee, title="Plénière ouverte", days=3)
    w["secret"] = schedule(coordinator, closed, title="Réunion du bureau fermé", days=4)
    w["cancelled"] = schedule(coordinator, committee, title="Réunion annulée", days=5)
    w["far"] = schedule(coordinator, committee, title="Réunion lointaine", days=30)
    with forum.app.app_context():
        scheduling.cancel(db.session.get(Member, coordinator.id), db.session.get(Meeting, w["cancelled"].id),
                          "Salle indisponible.")
    return w


def test_the_home_page_lists_the_next_meetings_of_the_spaces_the_reader_reads(app, client, login, world):
    seen = {"insider": text(login(world["insider"]).get("/")), "member": text(login(world["member"]).get("/")),
            "visitor": text(client.get("/"))}
    for who, page in seen.items():
        assert "Prochaines réunions" in page and "Plénière ouverte" in page, who
        assert "Réunion annulée" not in page, who
    assert "Réunion du bureau fermé" in seen["insider"]
    assert "Réunion du bureau fermé" not in seen["member"] and "Réunion du bureau fermé" not in seen["visitor"]


def test_a_space_page_lists_its_own_next_meetings(app, client, login, world):
    for browser in (client, login(world["member"]), login(world["insider"])):
        page = text(browser.get(f"/espace/{world['committee'].slug}"))
        assert "Plénière ouverte" in page and "Réunion lointaine" in page
        assert "Réunion annulée" not in page and "Réunion du bureau fermé" not in page
    assert "Réunion du bureau fermé" in text(login(world["insider"]).get(f"/espace/{world['closed'].slug}"))
    for browser in (client, login(world["member"])):
        page = browser.get(f"/espace/{world['closed'].slug}")
        assert page.status_code == 404 and "Réunion du bureau fermé" not in text(page)


def test_the_pages_kept_for_visitors_follow_a_cancellation_and_the_clock(app, client, forum, world):
    space = f"/espace/{world['committee'].slug}"
    for path in ("/", space):
        assert "Plénière ouverte" in text(client.get(path))
        assert "Plénière ouverte" in text(client.get(path))     # now from the cache
    with app.app_context():     # cancelled: a write, the space's version moves
        scheduling.cancel(db.session.get(Member, world["coordinator"].id), db.session.get(Meeting, world["public"].id))
    for path in ("/", space):
        assert "Plénière ouverte" not in text(client.get(path)), path
    assert "Réunion lointaine" in text(client.get("/"))
    with app.app_context():     # a month passes: every meeting is over, no version moved
        month = timedelta(days=31)
        db.session.execute(update(Meeting).values(starts_at=Meeting.starts_at - month, ends_at=Meeting.ends_at - month))
        db.session.commit()
    for path in ("/", space):
        assert "Réunion lointaine" not in text(client.get(path)), path


def digest_of(app, member):
    with app.app_context():
        digest = compose(db.session.get(Member, member.id), now() - timedelta(days=7), now())
        return {part.title: [entry.text for entry in part.entries] for part in digest.parts}


def test_the_digest_lists_the_meetings_of_the_next_fortnight_the_reader_may_see(app, world):
    assert digest_of(app, world["insider"])["Prochaines réunions"] == ["Plénière ouverte", "Réunion du bureau fermé"]
    assert digest_of(app, world["member"])["Prochaines réunions"] == ["Plénière ouverte"]


def test_a_digest_without_meetings_to_come_has_no_such_part(app, forum, world):
    with app.app_context():
        db.session.execute(update(Meeting).values(status="cancelled"))
        db.session.commit()
    assert "Prochaines réunions" not in digest_of(app, world["insider"])
