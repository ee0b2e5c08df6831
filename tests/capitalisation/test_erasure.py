"""An erased member's resources: kept and signed « Ancien membre N » when the account is
anonymised (as posts are), deleted when the member removes their contributions; the search's
documents follow (their name is no longer found)."""
from sqlalchemy import select

from forum.accounts import erasure
from forum.capitalisation.models import Resource
from forum.extensions import db
from forum.topics.models import Member
from search.models import CapitalDocument

from ..helpers import text


def _erase(app, member, mode):
    with app.app_context():
        row = db.session.get(Member, member.id)
        erasure.erase(row, mode, actor=row)


def test_anonymised_resources_stay_under_the_former_name(app, forum, browser, add_resource):
    space = forum.space()
    author = forum.member("Gaspard.R")
    resource = add_resource(author, space, title="Fiche de Gaspard.R", description="Écrite par @Gaspard.R.")
    _erase(app, author, erasure.MODE_ANONYMISE)
    page = text(browser.get(f"/fiche/{resource.id}"))
    assert "Ancien membre" in page and "Gaspard.R" not in page
    with app.app_context():
        document = db.session.scalar(select(CapitalDocument).where(CapitalDocument.ref_id == resource.id))
        assert "Gaspard" not in document.title + document.body and "gaspard" not in document.terms


def test_removed_contributions_take_the_resources_with_them(app, forum, browser, add_resource):
    space = forum.space()
    author, other = forum.member(), forum.member()
    mine = add_resource(author, space, title="Fiche à retirer")
    kept = add_resource(other, space, title="Fiche d'un autre membre")
    _erase(app, author, erasure.MODE_REMOVE)
    assert browser.get(f"/fiche/{mine.id}").status_code == 404
    assert browser.get(f"/fiche/{kept.id}").status_code == 200
    with app.app_context():
        assert [r.id for r in db.session.scalars(select(Resource))] == [kept.id]
        assert [d.ref_id for d in db.session.scalars(select(CapitalDocument))] == [kept.id]
