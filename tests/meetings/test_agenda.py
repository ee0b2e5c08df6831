"""The ordre du jour: proposing points (linked to what the proposer may read), accepting,
declining and ordering them, the agenda page and its email."""
import re

import pytest
from sqlalchemy import select, update

from forum.clock import now
from forum.extensions import db
from forum.meetings.models import AgendaItem, Registration
from forum.syntheses import writing
from forum.topics.models import Member, Space, Topic, committee_membership

from ..helpers import Browser, snapshot, text
from ..notifications.conftest import parts, smtp  # noqa: F401  (the real SMTP server)


@pytest.fixture
def app(app_factory, smtp):  # noqa: F811
    """The agenda's email goes through a real SMTP server."""
    return app_factory(SMTP_URL=smtp.url)


@pytest.fixture
def world(forum, schedule):
    committee = forum.committee("13")
    moderator = forum.moderator(committee, pseudonym="Orga", committees=[committee])
    member = forum.member(pseudonym="Membre", committees=[committee])
    closed_committee = forum.committee("06")
    closed = forum.space("Bureau du 06", visibility="restricted", committees=[closed_committee])
    w = dict(committee=committee, moderator=moderator, member=member, other=forum.member(committees=[committee]),
             outsider=forum.member(pseudonym="Dehors"), closed=closed,
             topic=forum.topic(member, committee, title="Le logement des jeunes"),
             secret=forum.topic(forum.member(role="coordinator"), closed, title="Sujet du bureau fermé"))
    w["meeting"] = schedule(moderator, committee)
    return w


def propose(browser, meeting, **fields):
    return browser.post(f"/reunion/{meeting.id}/ordre-du-jour", {"title": "Point", **fields})


def items(app):
    with app.app_context():
        return [(i.title, i.status, i.position, i.topic_id) for i in
                db.session.scalars(select(AgendaItem).order_by(AgendaItem.id))]


def add_item(app, meeting, member, title, status="accepted", position=1, **links):
    with app.app_context():
        item = AgendaItem(meeting_id=meeting.id, proposer_id=member.id, title=title, status=status,
                          position=position, **links)
        db.session.add(item)
        db.session.commit()
        return item.id


def test_a_member_proposes_a_point_linked_to_a_topic_by_its_address(app, login, world):
    page = propose(login(world["member"]), world["meeting"], title="Logement : où en est-on ?",
                   note="Faire le point avant l'hiver.", link=f"https://agora.example/sujet/{world['topic'].id}/logement")
    assert page.status_code == 303
    assert items(app) == [("Logement : où en est-on ?", "proposed", 0, world["topic"].id)]
    # Still a proposal: the organiser and its proposer see it, nobody else.
    for who, seen in (("moderator", True), ("member", True), ("other", False)):
        agenda = login(world[who]).get(f"/reunion/{world['meeting'].id}/ordre-du-jour")
        assert agenda.status_code == 200 and ("Logement : où en est-on ?" in text(agenda)) is seen, who


def test_a_number_needs_its_kind_and_then_links_alike(app, login, world):
    member = login(world["member"])
    page = propose(member, world["meeting"], link=str(world["topic"].id))
    assert page.status_code == 422 and "Dites si ce numéro" in text(page) and 'id="link_kind-erreurs"' in text(page)
    assert propose(member, world["meeting"], link=str(world["topic"].id), link_kind="topic").status_code == 303
    assert items(app) == [("Point", "proposed", 0, world["topic"].id)]


@pytest.mark.parametrize("who", ["outsider", "anonymous"])
def test_who_may_not_write_in_the_comite_proposes_nothing(app, client, login, world, who):
    browser = login(world[who]) if who != "anonymous" else Browser(client)
    before = snapshot(app)
    page = propose(browser, world["meeting"])
    assert page.status_code == (403 if who != "anonymous" else 302)
    assert snapshot(app) == before


def test_a_link_the_proposer_may_not_read_is_refused_as_if_it_did_not_exist(app, login, world, act):
    # A draft synthesis of the comité, by someone else: its editors and the moderators read it.
    with app.app_context():
        draft = writing.start(db.session.get(Member, world["other"].id), db.session.get(Space, world["committee"].id),
                              "Brouillon confidentiel", "Texte.")
        draft_id = draft.id
    member = login(world["member"])
    before = snapshot(app)
    answers = {}
    for name, link in (("closed topic", f"/sujet/{world['secret'].id}"), ("no such topic", "/sujet/999999"),
                       ("draft", f"/synthese/{draft_id}"), ("no such synthesis", "/synthese/999999")):
        page = propose(member, world["meeting"], title="Point", link=link)
        assert page.status_code == 422, name
        assert "Sujet du bureau fermé" not in text(page) and "Brouillon confidentiel" not in text(page)
        answers[name] = re.search(r'id="link-erreurs"><li>(.*?)</li>', text(page)).group(1).replace(link, "LIEN")
    assert answers["closed topic"] == answers["no such topic"]
    assert answers["draft"] == answers["no such synthesis"]
    assert snapshot(app) == before
    # The moderator reads the draft: for them the same link is accepted (at once: they organise).
    assert propose(login(world["moderator"]), world["meeting"], link=f"/synthese/{draft_id}").status_code == 303


def test_a_member_neither_accepts_nor_orders(app, login, world):
    mine = add_item(app, world["meeting"], world["member"], "Ma proposition", status="proposed", position=0)
    first = add_item(app, world["meeting"], world["moderator"], "Premier", position=1)
    add_item(app, world["meeting"], world["moderator"], "Second", position=2)
    member, other = login(world["member"]), login(world["other"])
    before = snapshot(app)
    assert member.post(f"/reunion/point/{mine}", {"action": "accepter"}).status_code == 403
    assert member.post(f"/reunion/point/{first}", {"action": "descendre"}).status_code == 403
    assert member.post(f"/reunion/point/{first}", {"action": "refuser"}).status_code == 403
    assert member.post(f"/reunion/point/{first}/duree", {"duration": "20"}).status_code == 403
    assert member.post(f"/reunion/{world['meeting'].id}/ordre-du-jour/envoyer").status_code == 403
    # Someone else's proposal is not even there for them.
    assert other.post(f"/reunion/point/{mine}", {"action": "accepter"}).status_code == 404
    assert snapshot(app) == before


def test_the_organiser_accepts_declines_orders_and_times_the_points(app, login, world):
    first = add_item(app, world["meeting"], world["member"], "Premier", status="proposed", position=0)
    second = add_item(app, world["meeting"], world["member"], "Second", status="proposed", position=0)
    third = add_item(app, world["meeting"], world["member"], "Troisième", status="proposed", position=0)
    organiser = login(world["moderator"])
    for item in (first, second, third):
        assert organiser.post(f"/reunion/point/{item}", {"action": "accepter"}).status_code == 303
    assert organiser.post(f"/reunion/point/{third}", {"action": "monter"}).status_code == 303
    assert organiser.post(f"/reunion/point/{first}", {"action": "monter"}).status_code == 303      # first already
    assert organiser.post(f"/reunion/point/{first}", {"action": "descendre"}).status_code == 303
    assert organiser.post(f"/reunion/point/{second}", {"action": "refuser"}).status_code == 303
    assert organiser.post(f"/reunion/point/{third}/duree", {"duration": "45"}).status_code == 303
    assert [(t, s, p) for t, s, p, _ in items(app)] == [
        ("Premier", "accepted", 2), ("Second", "declined", 0), ("Troisième", "accepted", 1)]
    page = login(world["other"]).get(f"/reunion/{world['meeting'].id}/ordre-du-jour")
    body = text(page)
    assert body.index("Troisième") < body.index("Premier") and "45 min" in body and "Second" not in body
    shown = login(world["other"]).get(f"/reunion/{world['meeting'].id}")
    assert "Ordre du jour" in text(shown) and text(shown).index("Troisième") < text(shown).index("Premier")


@pytest.mark.parametrize("typed", ["0", "601", "une heure", "-5"])
def test_a_bad_duration_is_422_beside_its_point_with_what_was_typed(app, login, world, typed):
    item = add_item(app, world["meeting"], world["member"], "Premier")
    organiser = login(world["moderator"])
    before = snapshot(app)
    page = organiser.post(f"/reunion/point/{item}/duree", {"duration": typed})
    assert page.status_code == 422
    assert "entre 1 et 600" in text(page) and f'id="duree-{item}-erreurs"' in text(page)
    assert f'value="{typed}"' in text(page)
    assert snapshot(app) == before


def test_a_linked_topic_no_longer_readable_shows_without_its_title(app, login, world):
    add_item(app, world["meeting"], world["member"], "Point sur le logement", topic_id=world["topic"].id)
    page = login(world["other"]).get(f"/reunion/{world['meeting'].id}/ordre-du-jour")
    assert "Le logement des jeunes" in text(page) and f"/sujet/{world['topic'].id}" in text(page)
    with app.app_context():    # the topic moves to the closed space
        db.session.execute(update(Topic).where(Topic.id == world["topic"].id).values(space_id=world["closed"].id))
        db.session.commit()
    for path in (f"/reunion/{world['meeting'].id}/ordre-du-jour", f"/reunion/{world['meeting'].id}"):
        page = login(world["other"]).get(path)
        assert "Point sur le logement" in text(page)
        assert "Le logement des jeunes" not in text(page), text(page)[-3000:]
        assert f'href="/sujet/{world["topic"].id}"' not in text(page)
        assert "Lien vers un contenu que vous ne pouvez pas lire." in text(page)


def test_the_agenda_is_mailed_to_the_comite_and_the_participants_who_may_read_it(app, forum, login, world, smtp,  # noqa: F811
                                                                               register):
    committee, meeting = world["committee"], world["meeting"]
    gone = forum.member(pseudonym="Parti", committees=[committee])
    register(gone, meeting)
    with app.app_context():    # registered, then left the comité: the comité's space is still public
        db.session.execute(committee_membership.delete().where(committee_membership.c.member_id == gone.id))
        db.session.commit()
    quiet = forum.member(pseudonym="Desactive", committees=[committee])
    with app.app_context():
        db.session.get(Member, quiet.id).deactivated_at = now()
        db.session.commit()
    english = forum.member(pseudonym="English", committees=[committee], locale="en")
    with app.app_context():
        draft_id = writing.start(db.session.get(Member, world["moderator"].id), db.session.get(Space, committee.id),
                                 "Brouillon des organisateurs", "Texte.").id
    add_item(app, meeting, world["moderator"], "Accueil des nouveaux", position=1, topic_id=world["topic"].id)
    add_item(app, meeting, world["moderator"], "Relire la synthèse", position=2, synthesis_id=draft_id)
    add_item(app, meeting, world["member"], "Proposition en attente", status="proposed", position=0)
    page = login(world["moderator"]).post(f"/reunion/{meeting.id}/ordre-du-jour/envoyer")
    assert page.status_code == 303
    addresses = sorted(str(m["To"]).split("<")[1].rstrip(">").split("@")[0] for m in smtp.messages)
    # The comité's members and the registered participant still reading the space (public): not
    # the deactivated member, not who is outside the comité and unregistered.
    assert addresses == sorted(["english", "membre", "orga", world["other"].pseudonym.lower(), "parti"])
    to_member = parts(smtp.to(world["member"].email)[0])
    for body in to_member:
        assert "Accueil des nouveaux" in body and "Le logement des jeunes" in body
        assert "Relire la synthèse" in body and "Brouillon des organisateurs" not in body
        assert "Proposition en attente" not in body
    assert "Brouillon des organisateurs" in parts(smtp.to(world["moderator"].email)[0])[0]
    assert '<html lang="en">' in parts(smtp.to(english.email)[0])[1]       # composed in their language
    assert not smtp.to(world["outsider"].email) and not smtp.to(quiet.email)


def test_a_restricted_space_mails_only_its_readers(app, forum, login, smtp, schedule, register):  # noqa: F811
    committee = forum.committee("84")
    closed = forum.space("Groupe restreint", kind="comite", visibility="restricted", committees=[committee])
    organiser = forum.member(role="coordinator", pseudonym="Coord")
    reader = forum.member(pseudonym="Lecteur", committees=[committee, closed])
    stranger = forum.member(pseudonym="Etranger", committees=[closed])     # of the comité, not of the 84
    meeting = schedule(organiser, closed)
    register(reader, meeting)
    add_item(app, meeting, organiser, "Budget", position=1)
    assert login(organiser).post(f"/reunion/{meeting.id}/ordre-du-jour/envoyer").status_code == 303
    assert smtp.to(reader.email) and not smtp.to(stranger.email)
    with app.app_context():
        assert db.session.scalar(select(Registration.id).where(Registration.member_id == reader.id)) is not None


def test_an_organisers_point_is_retained_at_once_and_a_long_title_is_422_with_the_text_kept(app, login, world):
    organiser = login(world["moderator"])
    before = snapshot(app)
    page = propose(organiser, world["meeting"], title="x" * 201, note="Ma note gardée.")
    assert page.status_code == 422 and 'id="title-erreurs"' in text(page) and "Ma note gardée." in text(page)
    assert snapshot(app) == before
    assert propose(organiser, world["meeting"], title="Accueil").status_code == 303
    assert propose(organiser, world["meeting"], title="Budget").status_code == 303
    assert [(t, s, p) for t, s, p, _ in items(app)] == [("Accueil", "accepted", 1), ("Budget", "accepted", 2)]


def test_no_point_is_proposed_to_a_meeting_that_is_over_or_cancelled(app, login, world, move, schedule):
    over = move(schedule(world["moderator"], world["committee"], title="Passée"), -8)
    member = login(world["member"])
    organiser = login(world["moderator"])
    assert organiser.post(f"/reunion/{world['meeting'].id}/annuler", {"reason": "Grève."}).status_code == 303
    before = snapshot(app)
    for meeting, words in ((over, "Cette réunion est passée"), (world["meeting"], "Cette réunion est annulée")):
        page = propose(member, meeting, title="Trop tard")
        assert page.status_code == 409 and words in text(page)
    assert snapshot(app) == before
