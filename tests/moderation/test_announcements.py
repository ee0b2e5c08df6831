"""Announcements of the coordination (issue 21): to every member or to chosen comités, on the
home page until a date, notified, in the digest, dismissed by each member for themselves;
never shown to someone who cannot read the topic's space."""
import re
from datetime import timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from forum.accounts import erasure, portability
from forum.accounts.models import Member
from forum.announcements.models import AnnouncementCommittee, AnnouncementDismissal
from forum.clock import now
from forum.extensions import db
from forum.notifications.digest import compose
from forum.notifications.models import Notification
from forum.topics.models import Topic

from ..helpers import Browser, text

TITLE = "Journée régionale : inscriptions ouvertes"


def _day(days):
    """A day as the coordinator types it: in the forum's time zone (past 23:00 UTC, Paris is
    already on the next day)."""
    local = now().replace(tzinfo=timezone.utc).astimezone(ZoneInfo("Europe/Paris"))
    return f"{local + timedelta(days=days):%d/%m/%Y}"


def _announce(login, world, topic, **fields):
    data = {"justification": "", "until": _day(10), "audience": "tous", "submit": "1", **fields}
    return login(world.coordinator).post(f"/moderation/sujets/{topic.id}/annoncer", data)


def _told(app):
    with app.app_context():
        return set(db.session.scalars(select(Notification.member_id).where(Notification.kind == "announcement")))


def _digest_titles(app, member):
    with app.app_context():
        digest = compose(db.session.get(Member, member.id), now() - timedelta(days=7), now() + timedelta(minutes=1))
        return [entry.title for entry in digest.announcements]


def _home_block(response):
    """The announcements' block of the home page, as text ("" when there is none)."""
    found = re.search(r'<section class="announcements".*?</section>', response.get_data(as_text=True), re.S)
    return text_of(found.group(0)) if found else ""


def text_of(html):
    import html as entities   # why: only this helper decodes entities
    return entities.unescape(re.sub(r"<[^>]+>", " ", html))


def test_an_announcement_to_chosen_comites_reaches_only_their_members(world, login, forum, app, client):
    topic = forum.topic(world.coordinator, world.theme, TITLE, "La journée aura lieu le 12 mars à Marseille.")
    done = _announce(login, world, topic, audience="comites", committees=[str(world.c83.id)])
    assert done.status_code == 303
    assert _told(app) == {world.eve.id, world.mod83.id}          # the Var only; not the 13
    eve_home = _home_block(login(world.eve).get("/"))
    assert TITLE in eve_home and "12 mars à Marseille" in eve_home and "Masquer cette annonce" in eve_home
    assert _home_block(login(world.alice).get("/")) == ""
    assert login(world.alice).post(f"/annonces/{topic.id}/masquer", {"submit": "1"}).status_code == 404
    assert _home_block(client.get("/")) == ""                       # visitors: not addressed to them
    assert _digest_titles(app, world.eve) == [TITLE]
    assert _digest_titles(app, world.alice) == []
    desk = text(login(world.coordinator).get(f"/moderation/sujets/{topic.id}"))
    assert "Adressée à Comité du Var" in desk
    # The topic stays readable by all in its public space: only the announcement has an audience.
    assert TITLE in text(login(world.alice).get(f"/sujet/{topic.id}"))


def test_an_announcement_to_every_member_of_a_public_space_shows_to_visitors_too(world, login, forum, app, client):
    topic = forum.topic(world.coordinator, world.theme, TITLE)
    assert _announce(login, world, topic).status_code == 303
    assert {world.alice.id, world.eve.id} <= _told(app)
    assert TITLE in _home_block(client.get("/"))
    visitor = _home_block(client.get("/"))
    assert "Masquer cette annonce" not in visitor                  # nothing to dismiss without an account
    assert TITLE in _home_block(login(world.eve).get("/"))


def test_an_announcement_in_a_restricted_space_is_never_shown_to_who_cannot_read_it(world, login, forum, app,
                                                                                     client):
    bureau = forum.space("Bureau du 13", visibility="restricted", committees=[world.c13])
    topic = forum.topic(world.coordinator, bureau, "Ordre du jour confidentiel du bureau")
    assert _announce(login, world, topic).status_code == 303       # to every member, but in the bureau
    told = _told(app)
    assert world.alice.id in told and world.eve.id not in told and world.mod83.id not in told
    assert "Ordre du jour confidentiel" in _home_block(login(world.alice).get("/"))
    for outsider in (login(world.eve).get("/"), client.get("/")):
        assert "Ordre du jour confidentiel" not in outsider.get_data(as_text=True)
    assert _digest_titles(app, world.eve) == []
    # Nor can an outsider dismiss it (the answer says nothing of it).
    assert login(world.eve).post(f"/annonces/{topic.id}/masquer", {"submit": "1"}).status_code == 404


def test_a_comite_audience_does_not_open_a_space_its_members_cannot_read(world, login, forum, app):
    bureau = forum.space("Bureau du 13", visibility="restricted", committees=[world.c13])
    topic = forum.topic(world.coordinator, bureau, "Réservé au bureau du 13")
    assert _announce(login, world, topic, audience="comites", committees=[str(world.c83.id)]).status_code == 303
    assert _told(app) == set()           # the Var cannot read the bureau; the 13 is not addressed
    assert "Réservé au bureau" not in login(world.eve).get("/").get_data(as_text=True)
    assert _home_block(login(world.alice).get("/")) == ""
    assert _digest_titles(app, world.eve) == [] and _digest_titles(app, world.alice) == []


def test_a_member_dismisses_an_announcement_for_themselves_only(world, login, forum, app):
    topic = forum.topic(world.coordinator, world.theme, TITLE)
    assert _announce(login, world, topic).status_code == 303
    alice = login(world.alice)
    url = f"/annonces/{topic.id}/masquer"
    assert alice.get(url).status_code == 405                                      # GET changes nothing
    assert alice.post(url, {"submit": "1"}, csrf=False).status_code == 400        # no CSRF token
    done = alice.post(url, {"submit": "1"})
    assert done.status_code == 303 and done.headers["Location"].endswith("/#annonces-accueil")
    home = alice.get("/")
    assert "Annonce masquée" in text(home) and _home_block(home) == ""
    assert alice.post(url, {"submit": "1"}).status_code == 409                    # already dismissed
    assert TITLE in _home_block(login(world.bob).get("/"))                        # Bob still sees it
    assert TITLE in text(alice.get(f"/espace/{world.theme.slug}"))                # still in its space
    visitor = Browser(app.test_client())
    assert visitor.post(url, {"submit": "1"}).status_code in (302, 303)           # to the login page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AnnouncementDismissal)) == 1
        archive = portability.collect(db.session.get(Member, world.alice.id))
        assert [row["title"] for row in archive["annonces-masquees"]] == [TITLE]
        erasure.erase(db.session.get(Member, world.alice.id), erasure.MODE_ANONYMISE)
        assert db.session.scalar(select(func.count()).select_from(AnnouncementDismissal)) == 0


def test_an_announcement_leaves_the_home_page_after_its_last_day_and_stays_in_its_space(world, login, forum, app):
    topic = forum.topic(world.coordinator, world.theme, TITLE)
    assert _announce(login, world, topic, until=_day(0)).status_code == 303      # today is allowed
    assert TITLE in _home_block(login(world.alice).get("/"))
    with app.app_context():
        db.session.get(Topic, topic.id).announced_until = now() - timedelta(minutes=1)
        db.session.commit()
    assert _home_block(login(world.alice).get("/")) == ""
    page = text(login(world.alice).get(f"/espace/{world.theme.slug}"))
    assert TITLE in page and "annonce" in page
    assert login(world.alice).post(f"/annonces/{topic.id}/masquer", {"submit": "1"}).status_code == 404


def test_unpinning_ends_the_announcement_its_audience_and_dismissals(world, login, forum, app):
    topic = forum.topic(world.coordinator, world.theme, TITLE)
    assert _announce(login, world, topic, audience="comites", committees=[str(world.c13.id)]).status_code == 303
    assert login(world.alice).post(f"/annonces/{topic.id}/masquer", {"submit": "1"}).status_code == 303
    assert login(world.coordinator).post(f"/moderation/sujets/{topic.id}/desepingler",
                                         {"justification": "", "submit": "1"}).status_code == 303
    with app.app_context():
        assert db.session.get(Topic, topic.id).announced_until is None
        assert db.session.scalar(select(func.count()).select_from(AnnouncementCommittee)) == 0
        assert db.session.scalar(select(func.count()).select_from(AnnouncementDismissal)) == 0
    assert _home_block(login(world.bob).get("/")) == ""


@pytest.mark.parametrize("fields, field, message", [
    ({"until": ""}, "until", "Une date de fin (jj/mm/aaaa)"),
    ({"until": "31/02/2027"}, "until", "Une date de fin (jj/mm/aaaa)"),
    ({"until": "01/01/2020"}, "until", "Cette date est passée"),
    ({"until": "lundi"}, "until", "Une date de fin (jj/mm/aaaa)"),
    ({"until": _day(400)}, "until", "un an au plus"),
    ({"audience": "comites"}, "committees", "Cochez au moins un comité"),
    ({"audience": "comites", "committees": ["99999999"]}, "committees", "n'existe plus"),
    ({"audience": "les amis"}, "audience", "Choisissez à qui s'adresse l'annonce"),
])
def test_bad_end_dates_and_audiences_are_refused_at_their_field(world, login, forum, app, fields, field, message):
    topic = forum.topic(world.coordinator, world.theme, TITLE)
    refused = _announce(login, world, topic, justification="Pour la journée", **fields)
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    errors = re.search(rf'<ul class="field-errors" id="annoncer-{field}-erreurs">(.*?)</ul>', page, re.S)
    assert errors and message in text_of(errors.group(1))
    assert "Pour la journée" in page                               # what was typed is kept
    if fields.get("until"):
        assert f'value="{fields["until"]}"' in page
    with app.app_context():
        assert db.session.get(Topic, topic.id).announced_at is None
    assert _told(app) == set()
