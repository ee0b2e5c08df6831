"""The demo's year of participation (forum/devdata/participation_demo.py): after `flask forum
seed-demo`, the coordination's page over twelve months and the comité 13's show collèges on their
own and merged, a month-by-month series, and topics still waiting for an answer."""
import csv
import io
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from forum.devdata import demo
from forum.extensions import db
from forum.participation import periods
from forum.topics.models import Post, Topic

from ..helpers import text


@pytest.fixture
def app(demo_app):
    """Every test of this module starts from a copy of the demo (tests/conftest.py)."""
    return demo_app


PAGES = {"coordination": "/participation", "comite 13": "/espace/comite-des-bouches-du-rhone/participation"}


@pytest.fixture
def coordinator(app, browser):
    browser.login(SimpleNamespace(pseudonym="Coordination-PACA"), password=demo.DEMO_PASSWORD)
    return browser


def table(browser, page, key):
    response = browser.get(f"{page}/graphique/{key}.csv?periode=annee")
    assert response.status_code == 200, (page, key)
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))[1:]


@pytest.mark.parametrize("where", sorted(PAGES))
def test_a_year_of_the_demo_shows_colleges_months_and_waiting_topics(coordinator, where):
    page = PAGES[where]
    shown = text(coordinator.get(f"{page}?periode=annee"))
    for part in ("Messages par collège", "Contributeurs par collège", "Messages par mois",
                 "Toujours en attente d'une réponse", "Recenser les lieux d'aide alimentaire du 3e arrondissement"):
        assert part in shown, (where, part)
    colleges = table(coordinator, page, "contributeurs")
    alone = [label for label, _people in colleges if not label.startswith("Autres collèges")]
    merged = [label for label, _people in colleges if label.startswith("Autres collèges")]
    assert len(alone) >= 2 and len(merged) == 1, colleges
    # The personnes accompagnées, more and more of them over the year, are shown on their own;
    # the two members whose collège is not confirmed are only ever in the merged row.
    assert "Personnes accompagnées" in alone and "sans collège confirmé" in merged[0]
    months = table(coordinator, page, "temps")
    assert len(months) == 12 and all(count.isdigit() and int(count) >= 5 for _month, count in months), months


def test_the_coordination_sees_comites_and_themes_side_by_side(coordinator):
    spaces = [label for label, _posts in table(coordinator, PAGES["coordination"], "espaces")]
    assert "Comité des Bouches-du-Rhône" in spaces and "Comité de Vaucluse" in spaces
    assert any(label.startswith("Autres espaces") for label in spaces)
    themes = [label for label, _posts in table(coordinator, PAGES["coordination"], "themes")]
    assert "Non-recours et fracture numérique" in themes


def test_the_history_lies_in_ended_months_with_consistent_dates(app, coordinator):
    with app.app_context():
        year = periods.parse({"periode": periods.LAST_YEAR})
        in_year = db.session.scalar(select(func.count(Post.id)).where(Post.created_at >= year.start,
                                                                       Post.created_at < year.end))
        assert in_year >= 100
        # Every topic of the history has the dates of its posts are those of its posts (lists, search and participation agree).
        spans = db.session.execute(select(Topic.id, Topic.created_at, Topic.last_post_at,
                                          func.min(Post.created_at), func.max(Post.created_at))
                                   .join(Post, Post.topic_id == Topic.id).where(Topic.created_at < year.end)
                                   .group_by(Topic.id)).all()
        assert all(created == first and last == latest for _id, created, last, first, latest in spans)
