"""Resources (« fiches »): adding, editing, deleting through the pages, and every refusal
(each writes nothing)."""
from sqlalchemy import select

from forum.capitalisation.models import Resource
from forum.extensions import db

from ..helpers import text
from .conftest import count_resources


def _form(space=None, **fields):
    data = {"kind": "link", "title": "Guide de l'accès aux droits — CAF 13", "url": "https://www.caf.fr/guide",
            "description": "Les prestations et où se faire aider.", "year": "2026", "territory": "", "college": "",
            "submit": "1"}
    if space is not None:
        data["space"] = space.slug
    data.update(fields)
    return data


def test_a_member_adds_a_link_tagged_by_theme_territory_college_and_year(app, forum, login):
    space, comite, tag, college = forum.space(), forum.committee("13"), forum.tag("Accès aux droits"), forum.college()
    member = forum.member(committees=[comite])
    browser = login(member)
    assert "Ajouter une fiche ressource" in text(browser.get("/capitalisation"))
    response = browser.post("/capitalisation/fiches/nouvelle", _form(space, tags=[tag.slug], territory=comite.slug,
                                                                     college=college.slug))
    assert response.status_code == 303
    page = text(browser.get(response.headers["Location"]))
    assert "Guide de l'accès aux droits — CAF 13" in page and "https://www.caf.fr/guide" in page
    assert "Accès aux droits" in page and comite.name in page and college.name in page and "2026" in page
    with app.app_context():
        resource = db.session.scalar(select(Resource))
        assert (resource.author_id, resource.space_id, resource.territory_id, resource.college_id, resource.year) == \
            (member.id, space.id, comite.id, college.id, 2026)
        assert [t.slug for t in resource.tags] == [tag.slug]


def test_a_document_keeps_its_text_rendered_and_sanitized(app, forum, login):
    space = forum.space()
    browser = login(forum.member())
    response = browser.post("/capitalisation/fiches/nouvelle", _form(
        space, kind="document", url="", description="**Repérer** <script>alert(1)</script>"))
    assert response.status_code == 303
    page = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "<strong>Repérer</strong>" in page and "<script>alert(1)" not in page


def test_a_visitor_cannot_add(app, forum, browser):
    space = forum.space()
    response = browser.post("/capitalisation/fiches/nouvelle", _form(space))
    assert response.status_code in (302, 303) and "/connexion" in response.headers["Location"]
    assert count_resources(app) == 0


def test_a_non_member_of_a_comite_cannot_add_there(app, forum, login):
    comite = forum.committee("06")
    browser = login(forum.member())
    response = browser.post("/capitalisation/fiches/nouvelle", _form(comite))
    assert response.status_code == 403
    assert "Demandez à rejoindre ce comité" in text(response)
    assert count_resources(app) == 0


def test_a_space_the_member_cannot_read_is_refused_at_its_field(app, forum, login):
    comite = forum.committee("83")
    restricted = forum.space(visibility="restricted", committees=[comite])
    browser = login(forum.member())
    response = browser.post("/capitalisation/fiches/nouvelle", _form(restricted))
    assert response.status_code == 422
    page = text(response)
    assert "Choisissez un espace de la liste." in page and restricted.name not in page
    assert count_resources(app) == 0


def test_bad_address_and_missing_title_are_refused_at_their_fields_with_the_text_kept(app, forum, login):
    space = forum.space()
    browser = login(forum.member())
    for url in ("javascript:alert(1)", "ftp://example.org/x", "www.caf.fr", "https://"):
        response = browser.post("/capitalisation/fiches/nouvelle", _form(space, url=url))
        assert response.status_code == 422, url
        assert "L'adresse doit commencer par http:// ou https://" in text(response)
        assert "Les prestations et où se faire aider." in text(response)
    response = browser.post("/capitalisation/fiches/nouvelle", _form(space, title="  "))
    assert response.status_code == 422 and "Donnez un titre à la fiche." in text(response)
    response = browser.post("/capitalisation/fiches/nouvelle", _form(space, year="vingt"))
    assert response.status_code == 422 and "L'année s'écrit en quatre chiffres" in text(response)
    response = browser.post("/capitalisation/fiches/nouvelle", _form(space, tags=["inconnue"]))
    assert response.status_code == 422 and "Choisissez les thèmes dans la liste." in text(response)
    response = browser.post("/capitalisation/fiches/nouvelle", _form(space, territory=space.slug))
    assert response.status_code == 422 and "Choisissez un comité de la liste." in text(response)
    assert count_resources(app) == 0


def test_without_csrf_nothing_is_written(app, forum, login):
    space = forum.space()
    browser = login(forum.member())
    assert browser.post("/capitalisation/fiches/nouvelle", _form(space), csrf=False).status_code == 400
    assert count_resources(app) == 0


def test_its_author_a_moderator_and_the_coordination_edit_it_nobody_else(app, forum, login, add_resource):
    space = forum.space()
    author = forum.member()
    resource = add_resource(author, space, title="Avant")
    other, moderator, coordinator = forum.member(), forum.moderator(space), forum.member(role="coordinator")
    url = f"/fiche/{resource.id}/modifier"
    refused = login(other)
    assert refused.get(url).status_code == 403
    assert refused.post(url, _form(title="Par un autre")).status_code == 403
    assert "Modifier" not in text(refused.get(f"/fiche/{resource.id}"))
    for who, title in ((author, "Par l'auteur"), (moderator, "Par le modérateur"), (coordinator, "Par la coordination")):
        browser = login(who)
        assert browser.get(url).status_code == 200
        assert browser.post(url, _form(title=title)).status_code == 303
        assert title in text(browser.get(f"/fiche/{resource.id}"))
    with app.app_context():
        assert db.session.get(Resource, resource.id).author_id == author.id


def test_an_edit_refused_for_bad_input_changes_nothing(app, forum, login, add_resource):
    space = forum.space()
    author = forum.member()
    resource = add_resource(author, space, title="Titre d'origine")
    response = login(author).post(f"/fiche/{resource.id}/modifier", _form(title="", url="javascript:x"))
    assert response.status_code == 422
    with app.app_context():
        assert db.session.get(Resource, resource.id).title == "Titre d'origine"


def test_deleting_its_author_yes_another_member_no(app, forum, login, add_resource):
    space = forum.space()
    author = forum.member()
    resource = add_resource(author, space)
    other = login(forum.member())
    assert other.post(f"/fiche/{resource.id}/supprimer", {"submit": "1"}).status_code == 403
    assert count_resources(app) == 1
    browser = login(author)
    assert browser.get(f"/fiche/{resource.id}/supprimer").status_code == 200
    assert browser.post(f"/fiche/{resource.id}/supprimer", {"submit": "1"}, csrf=False).status_code == 400
    assert count_resources(app) == 1
    assert browser.post(f"/fiche/{resource.id}/supprimer", {"submit": "1"}).status_code == 303
    assert count_resources(app) == 0


def test_a_resource_of_a_space_one_cannot_read_is_not_found(app, forum, login, browser, add_resource):
    comite = forum.committee("84")
    restricted = forum.space(visibility="restricted", committees=[comite])
    insider = forum.member(committees=[comite])
    resource = add_resource(insider, restricted, title="Fiche du comité 84")
    assert browser.get(f"/fiche/{resource.id}").status_code == 404
    outsider = login(forum.member())
    for url in (f"/fiche/{resource.id}", f"/fiche/{resource.id}/modifier", f"/fiche/{resource.id}/supprimer"):
        assert outsider.get(url).status_code == 404
    assert outsider.post(f"/fiche/{resource.id}/supprimer", {"submit": "1"}).status_code == 404
    assert count_resources(app) == 1
    assert "Fiche du comité 84" in text(login(insider).get(f"/fiche/{resource.id}"))
