"""Coordinators keep the structure: spaces, tags, collèges, members' collèges, moderators."""
from sqlalchemy import select

from forum.accounts.models import Member
from forum.extensions import db
from forum.topics.models import Space, Tag

from .helpers import text


def test_only_coordinators_reach_coordination(forum, browser):
    member = forum.member("Camille")
    browser.login(member)
    assert browser.get("/coordination/").status_code == 403
    assert browser.post("/coordination/etiquettes/nouvelle", {"name": "Pirate"}).status_code == 403
    browser.logout()
    assert browser.get("/coordination/").status_code == 302


def test_coordinator_creates_restricted_space_tag_and_college(forum, browser, app):
    coordinator = forum.member("Coord", role="coordinator")
    committee = forum.committee("83")
    college = forum.college("Professionnels")
    browser.login(coordinator)
    response = browser.post("/coordination/espaces/nouveau", {
        "name": "Groupe de travail du Var", "kind": "theme", "description": "Réservé",
        "visibility": "restricted", "committees": [str(committee.id)], "colleges": [str(college.id)],
        "submit": "1"})
    assert response.status_code == 303
    assert browser.post("/coordination/etiquettes/nouvelle", {"name": "Santé mentale", "submit": "1"}).status_code == 303
    assert browser.post("/coordination/colleges/nouveau", {"name": "Nouveau collège", "sensitive": "y",
                                                            "submit": "1"}).status_code == 303
    response = browser.post("/coordination/etiquettes/nouvelle", {"name": "Santé mentale", "submit": "1"})
    assert response.status_code == 409 and "déjà utilisé" in text(response)
    response = browser.post("/coordination/espaces/nouveau", {"name": "", "kind": "theme", "visibility": "public",
                                                             "submit": "1"})
    assert response.status_code == 422
    with app.app_context():
        space = db.session.scalar(select(Space).where(Space.slug == "groupe-de-travail-du-var"))
        assert space.visibility == "restricted"
        assert [c.id for c in space.allowed_committees] == [committee.id]
        assert db.session.scalar(select(Tag).where(Tag.slug == "sante-mentale"))


def test_confirm_college_and_appoint_moderator(forum, browser, app):
    coordinator = forum.member("Coord", role="coordinator")
    college = forum.college("Professionnels")
    waiting = forum.member("EnAttente", college=college, confirmed=False)
    space = forum.committee("13")
    browser.login(coordinator)
    assert "EnAttente" in text(browser.get("/coordination/"))
    assert browser.post(f"/coordination/membres/{waiting.id}/confirmer").status_code == 303
    response = browser.post(f"/coordination/espaces/{space.id}/moderateurs", {"pseudonym": "enattente"})
    assert response.status_code == 303
    with app.app_context():
        member = db.session.get(Member, waiting.id)
        assert member.college_confirmed
        assert [m.id for m in db.session.get(Space, space.id).moderators] == [waiting.id]


def test_coordinator_cannot_make_admins(forum, browser, app):
    coordinator = forum.member("Coord", role="coordinator")
    member = forum.member("Camille", college=forum.college("Pro"))
    browser.login(coordinator)
    response = browser.post(f"/coordination/membres/{member.id}", {"role": "admin", "college": str(member.college_id),
                                                                  "submit": "1"})
    assert response.status_code == 403
    with app.app_context():
        assert db.session.get(Member, member.id).role == "member"


def test_the_tag_and_college_forms_show_what_they_edit(forum, browser, app):
    coordinator = forum.member("Coord", role="coordinator")
    college = forum.college("Professionnels")
    browser.login(coordinator)
    browser.post("/coordination/etiquettes/nouvelle", {"name": "Santé mentale", "submit": "1"})
    with app.app_context():
        tag_id = db.session.scalar(select(Tag.id).where(Tag.slug == "sante-mentale"))
    tag_page = text(browser.get(f"/coordination/etiquettes/{tag_id}"))
    assert "<h1>Santé mentale</h1>" in tag_page and 'name="sensitive"' not in tag_page
    college_page = text(browser.get(f"/coordination/colleges/{college.id}"))
    assert "<h1>Professionnels</h1>" in college_page and 'name="sensitive"' in college_page
    assert "<h1>Création</h1>" in text(browser.get("/coordination/colleges/nouveau"))
