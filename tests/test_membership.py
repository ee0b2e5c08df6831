"""Comité membership is granted, not ticked: a member asks, the comité's moderators or the
coordination decide, and only then does the comité's restricted space open."""
import pytest
from sqlalchemy import select

from forum.accounts import membership
from forum.accounts.membership import MembershipRequest
from forum.accounts.models import Member
from forum.errors import Conflict, Forbidden, Invalid
from forum.extensions import db
from forum.notifications import mailing
from forum.notifications.models import Notification
from forum.permissions import can_read_space, readers_statement, why_cannot_post
from forum.topics.models import Space

from .helpers import email_text, sent_emails, text


@pytest.fixture
def scene(forum):
    forum.charter()
    pro, peers = forum.college("Professionnels"), forum.college("Personnes accompagnées", sensitive=True)
    c13, c06 = forum.committee("13", "Comité 13"), forum.committee("06", "Comité 06")
    bureau = forum.space("Bureau du comité 13", visibility="restricted", committees=[c13])
    bureau_topic = forum.topic(forum.member("Ancienne", committees=[c13]), bureau, "Ordre du jour xqbureau")
    return {
        "pro": pro, "peers": peers, "c13": c13, "c06": c06, "bureau": bureau, "bureau_topic": bureau_topic,
        "newcomer": forum.member("Nouvelle", college=pro),
        "mod13": forum.moderator(c13, pseudonym="Mod-13", committees=[c13]),
        "mod06": forum.moderator(c06, pseudonym="Mod-06", committees=[c06]),
        "coordinator": forum.member("Coord", role="coordinator"),
    }


def _ask(browser, scene, message="Éducatrice à Marseille, je rejoins le comité."):
    return browser.post("/preferences", {"comites-committee": str(scene["c13"].id), "comites-message": message,
                                         "comites-submit": "1"})


def _request_id(app, member):
    with app.app_context():
        return db.session.scalar(select(MembershipRequest.id).where(MembershipRequest.member_id == member.id,
                                                                    MembershipRequest.state == "pending"))


def _member(app, member):
    return db.session.get(Member, member.id)


def test_asking_opens_nothing_until_the_comite_moderator_accepts(app, forum, browser, scene):
    browser.login(scene["newcomer"])
    bureau_url = f"/espace/{scene['bureau'].slug}"
    page = text(browser.get(f"/espace/{scene['c13'].slug}"))   # the comité's page leads to the request
    assert "Demandez à rejoindre ce comité" in page and f"comite={scene['c13'].id}#rejoindre" in page
    assert _ask(browser, scene).status_code == 303
    # Pending is not reading: the bureau is not found, and writing in the comité is refused.
    assert browser.get(bureau_url).status_code == 404
    assert browser.get(f"/sujet/{scene['bureau_topic'].id}").status_code == 404
    page = text(browser.get(f"/espace/{scene['c13'].slug}"))
    assert "Vous l'avez demandé :" in page and "votre demande attend la réponse des modérateurs du comité." in page
    request_id = _request_id(app, scene["newcomer"])
    mod = type(browser)(app.test_client())
    mod.login(scene["mod13"])
    listing = text(mod.get("/adhesions"))
    assert "Nouvelle" in listing and "Éducatrice à Marseille" in listing
    assert mod.post(f"/adhesions/{request_id}", {"accept": "1", "note": "Bienvenue !"}).status_code == 303
    assert "xqbureau" in text(browser.get(bureau_url))
    with app.app_context():
        notice = db.session.scalar(select(Notification).where(Notification.member_id == scene["newcomer"].id))
        assert "est acceptée" in notice.text and "Bienvenue !" in notice.text
    forum.run(mailing.send_due, force=True)
    assert any("est acceptée" in email_text(m) for m in sent_emails(app, "nouvelle@"))


def test_a_refusal_is_told_and_gives_nothing(app, forum, browser, scene):
    browser.login(scene["newcomer"])
    _ask(browser, scene)
    mod = type(browser)(app.test_client())
    mod.login(scene["mod13"])
    request_id = _request_id(app, scene["newcomer"])
    refused = mod.post(f"/adhesions/{request_id}", {"refuse": "1", "note": "Ce comité est celui du 13."})
    assert refused.status_code == 303
    assert browser.get(f"/espace/{scene['bureau'].slug}").status_code == 404
    assert mod.post(f"/adhesions/{request_id}", {"accept": "1"}).status_code == 409   # decided once
    assert mod.post(f"/adhesions/{request_id}", {"note": "Sans bouton"}).status_code == 400   # no answer guessed
    forum.run(mailing.send_due, force=True)
    assert any("n'est pas acceptée" in email_text(m) and "celui du 13" in email_text(m)
               for m in sent_emails(app, "nouvelle@"))
    with app.app_context():
        assert scene["c13"].id not in _member(app, scene["newcomer"]).committee_ids


def test_a_moderator_of_another_comite_neither_sees_nor_decides(app, browser, scene):
    with app.app_context():
        membership.request_committee(_member(app, scene["newcomer"]), db.session.get(Space, scene["c13"].id), "Bonjour")
    request_id = _request_id(app, scene["newcomer"])
    browser.login(scene["mod06"])
    assert f'id="demande-{request_id}"' not in text(browser.get("/adhesions"))
    assert browser.post(f"/adhesions/{request_id}", {"accept": "1"}).status_code == 404
    assert browser.get(f"/comites/{scene['c13'].id}/membres").status_code == 404
    with app.app_context():
        row = db.session.get(MembershipRequest, request_id)
        with pytest.raises(Forbidden):
            membership.decide(_member(app, scene["mod06"]), row, True)
        assert row.state == "pending"


def test_nobody_decides_their_own_request_nor_adds_themselves(app, forum, scene):
    with app.app_context():
        coordinator = _member(app, scene["coordinator"])
        c13 = db.session.get(Space, scene["c13"].id)
        own = membership.request_committee(coordinator, c13, "Moi aussi")
        with pytest.raises(Forbidden):
            membership.decide(coordinator, own, True)
        with pytest.raises(Forbidden):
            membership.add_member(coordinator, c13, "Coord")
        newcomer = _member(app, scene["newcomer"])
        with pytest.raises(Forbidden):   # a plain member manages no comité
            membership.add_member(newcomer, c13, "Nouvelle")
        assert c13.id not in coordinator.committee_ids and c13.id not in newcomer.committee_ids
        assert own not in membership.decidable(coordinator)


def test_one_pending_request_per_comite_and_a_short_message(app, scene):
    with app.app_context():
        newcomer, c13 = _member(app, scene["newcomer"]), db.session.get(Space, scene["c13"].id)
        with pytest.raises(Invalid):
            membership.request_committee(newcomer, c13, "x" * 501)
        membership.request_committee(newcomer, c13, "x" * 500)
        with pytest.raises(Conflict):
            membership.request_committee(newcomer, c13, "Encore")
        with pytest.raises(Invalid):
            membership.ask_to_join(newcomer, "9999", "")
        with pytest.raises(Invalid):   # a space that is not a comité
            membership.ask_to_join(newcomer, str(scene["bureau"].id), "")


def test_a_too_long_message_comes_back_with_what_was_typed(browser, scene):
    browser.login(scene["newcomer"])
    response = _ask(browser, scene, "Bonjour " * 80)
    assert response.status_code == 422
    page = text(response)
    assert "trop long" in page and "Bonjour Bonjour" in page


def test_withdrawn_request_gives_nothing_and_cannot_be_accepted(app, browser, scene):
    browser.login(scene["newcomer"])
    _ask(browser, scene)
    request_id = _request_id(app, scene["newcomer"])
    assert browser.post(f"/preferences/demandes/{request_id}/retirer", {"submit": "1"}).status_code == 303
    with app.app_context():
        row = db.session.get(MembershipRequest, request_id)
        assert row.state == "withdrawn"
        with pytest.raises(Conflict):
            membership.decide(_member(app, scene["mod13"]), row, True)
    assert browser.get(f"/espace/{scene['bureau'].slug}").status_code == 404


def test_someone_elses_request_cannot_be_withdrawn(app, forum, browser, scene):
    with app.app_context():
        membership.request_committee(_member(app, scene["newcomer"]), db.session.get(Space, scene["c13"].id))
    request_id = _request_id(app, scene["newcomer"])
    browser.login(scene["mod06"])
    assert browser.post(f"/preferences/demandes/{request_id}/retirer", {"submit": "1"}).status_code == 404


def test_leaving_closes_the_comite_at_once(app, forum, browser, scene):
    member = forum.member("Karim", committees=[scene["c13"]])
    browser.login(member)
    assert browser.get(f"/espace/{scene['bureau'].slug}").status_code == 200
    assert browser.post(f"/preferences/comites/{scene['c13'].id}/quitter", {"submit": "1"}).status_code == 303
    assert browser.get(f"/espace/{scene['bureau'].slug}").status_code == 404
    assert browser.post(f"/preferences/comites/{scene['c13'].id}/quitter", {"submit": "1"}).status_code == 303
    assert browser.post(f"/preferences/comites/{scene['c13'].id}/quitter", {}, csrf=False).status_code == 400


def test_moderator_adds_and_removes_members_by_pseudonym(app, forum, browser, scene):
    browser.login(scene["mod13"])
    page = f"/comites/{scene['c13'].id}/membres"
    assert browser.post(page, {"pseudonym": "Personne", "submit": "1"}).status_code == 422
    assert browser.post(page, {"pseudonym": "nouvelle", "submit": "1"}).status_code == 303
    assert browser.post(page, {"pseudonym": "Nouvelle", "submit": "1"}).status_code == 409
    assert "Nouvelle" in text(browser.get(page))
    with app.app_context():
        assert scene["c13"].id in _member(app, scene["newcomer"]).committee_ids
    removed = browser.post(f"{page}/{scene['newcomer'].id}/retirer", {"submit": "1"})
    assert removed.status_code == 303
    with app.app_context():
        assert scene["c13"].id not in _member(app, scene["newcomer"]).committee_ids
        texts = db.session.scalars(select(Notification.text).where(
            Notification.member_id == scene["newcomer"].id)).all()
        assert any("désormais partie" in t for t in texts) and any("ne faites plus partie" in t for t in texts)


def test_member_pages_are_for_who_manages_the_comite(browser, forum, scene):
    browser.login(scene["newcomer"])
    assert browser.get("/adhesions").status_code == 403
    assert browser.get(f"/comites/{scene['c13'].id}/membres").status_code == 404
    added = browser.post(f"/comites/{scene['c13'].id}/membres", {"pseudonym": "Nouvelle", "submit": "1"})
    assert added.status_code == 404
    browser.logout()
    browser.login(scene["coordinator"])
    assert browser.get(f"/comites/{scene['c13'].id}/membres").status_code == 200
    assert browser.get(f"/comites/{scene['bureau'].id}/membres").status_code == 404   # not a comité


def test_registration_asks_the_collège_and_the_comites_decided_by_the_coordination(app, forum, browser, scene):
    with app.app_context():
        newcomer = _member(app, scene["newcomer"])
        membership.request_college(newcomer, newcomer.college)
        db.session.commit()
    request_id = _request_id(app, scene["newcomer"])
    browser.login(scene["mod13"])
    assert "Nouvelle" not in text(browser.get("/adhesions"))   # a collège is the coordination's
    assert browser.post(f"/adhesions/{request_id}", {"accept": "1"}).status_code == 404
    browser.logout()
    browser.login(scene["coordinator"])
    assert "collège « Professionnels » à confirmer" in text(browser.get("/adhesions"))
    assert browser.post(f"/adhesions/{request_id}", {"accept": "1"}).status_code == 303
    with app.app_context():
        assert _member(app, scene["newcomer"]).college_confirmed is True


def test_staff_reads_off_keeps_coordinators_out_unless_in_the_collège(app, forum, scene):
    sealed = forum.space("Entre pairs", visibility="restricted", colleges=[scene["peers"]], staff_reads=False)
    open_ = forum.space("Entre pairs ouvert", visibility="restricted", colleges=[scene["peers"]])
    peer_coordinator = forum.member("CoordPair", role="coordinator", college=scene["peers"])
    admin = forum.member("Admin", role="admin")
    with app.app_context():
        space, other = db.session.get(Space, sealed.id), db.session.get(Space, open_.id)
        for name in ("coordinator",):
            assert not can_read_space(_member(app, scene[name]), space)
            assert can_read_space(_member(app, scene[name]), other)
        assert not can_read_space(db.session.get(Member, admin.id), space)
        assert can_read_space(db.session.get(Member, peer_coordinator.id), space)
        assert why_cannot_post(_member(app, scene["coordinator"]), space) == "Cet espace ne vous est pas ouvert."
        assert "n'y ont pas accès" in readers_statement(space)
        assert "les membres confirmés du collège « Personnes accompagnées »" in readers_statement(space)
        assert "y ont accès" in readers_statement(other)


def test_space_pages_say_who_reads_them(forum, browser, scene):
    sealed = forum.space("Entre pairs", visibility="restricted", colleges=[scene["peers"]], staff_reads=False)
    peer = forum.member("Pair", college=scene["peers"])
    topic = forum.topic(peer, sealed, "Entre nous")
    browser.login(peer)
    statement = ("Lisible par : les membres confirmés du collège « Personnes accompagnées » et les modérateurs "
                 "de cet espace. La coordination et les administrateurs n'y ont pas accès.")
    assert statement in text(browser.get(f"/espace/{sealed.slug}"))
    assert statement in text(browser.get(f"/sujet/{topic.id}"))
    assert statement in text(browser.get(f"/sujet/{topic.id}/repondre"))
    # Opened from the space's page, the new-topic form says it outside the folded list.
    form = browser.get(f"/espace/{sealed.slug}/nouveau-sujet").get_data(as_text=True)
    assert statement.split(" : ")[0] in form.split('<details class="readers">')[0].split('id="space"')[1]


def test_coordination_space_form_sets_staff_reads(app, forum, browser, scene):
    browser.login(scene["coordinator"])
    response = browser.post("/coordination/espaces/nouveau", {
        "name": "Entre pairs", "kind": "theme", "visibility": "restricted", "colleges": [str(scene["peers"].id)],
        "submit": "1"})
    assert response.status_code == 303
    with app.app_context():
        space = db.session.scalar(select(Space).where(Space.slug == "entre-pairs"))
        assert space.staff_reads is False   # unticked box: the coordination keeps out
    # …and the coordinator who just closed it no longer finds it.
    assert browser.get("/espace/entre-pairs").status_code == 404


def test_a_collège_confirmed_from_the_coordination_page_closes_its_request(app, browser, scene):
    with app.app_context():
        newcomer = _member(app, scene["newcomer"])
        newcomer.college_confirmed = False
        membership.request_college(newcomer, newcomer.college)
        db.session.commit()
    request_id = _request_id(app, scene["newcomer"])
    browser.login(scene["coordinator"])
    assert browser.post(f"/coordination/membres/{scene['newcomer'].id}/confirmer", {"submit": "1"}).status_code == 303
    with app.app_context():
        assert db.session.get(MembershipRequest, request_id).state == "accepted"
    assert f'id="demande-{request_id}"' not in text(browser.get("/adhesions"))
