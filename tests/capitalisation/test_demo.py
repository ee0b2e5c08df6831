"""The demo's resources: tagged by theme, territory, collège and year, listed on /capitalisation
and found by ``type:ressource``."""
import pytest
from sqlalchemy import select

from forum.capitalisation.models import Resource
from forum.extensions import db

from ..helpers import text


@pytest.fixture
def app(demo_app):
    """Every test of this module starts from a copy of the demo (tests/conftest.py)."""
    return demo_app


def test_the_demo_seeds_tagged_resources(app, client):
    with app.app_context():
        resources = {r.title: r for r in db.session.scalars(select(Resource))}
        assert len(resources) == 4
        guide = resources["Guide de l'accès aux droits — CAF 13"]
        assert guide.kind == "link" and guide.url.startswith("https://") and guide.year == 2026
        assert guide.territory.department == "13" and guide.college is not None
        assert {tag.slug for tag in guide.tags} == {"acces-aux-droits", "numerique"}
        assert resources["Fiche réflexe : non-recours aux droits"].kind == "document"
    page = text(client.get("/capitalisation"))
    assert "Guide de l'accès aux droits — CAF 13" in page and "Fiche réflexe : non-recours aux droits" in page
    found = text(client.get("/recherche?q=non-recours+type:ressource"))
    assert "Fiche réflexe" in found
