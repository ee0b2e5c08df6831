"""`flask search reindex` and `flask search drain`."""
import pytest
from sqlalchemy import delete

from forum.extensions import db


def test_reindex_rebuilds_from_the_database(world, forum, app, finder, engine):
    topic = forum.topic(world.alice, world.theme, "Reconstruction de l'index", "Un message à retrouver.")
    for n in range(5):
        forum.reply(world.bob, topic, f"Réponse à retrouver {n}.")
    with app.app_context():
        if engine == "whoosh":
            app.extensions["search"].clear()
        else:
            from search.models import SearchDocument
            db.session.execute(delete(SearchDocument))
            db.session.commit()
    assert finder.results(None, "retrouver").total == 0
    result = app.test_cli_runner().invoke(args=["search", "reindex"])
    assert result.exit_code == 0, result.output
    assert "Messages" in result.output and "6 messages relus" in result.output
    assert finder.results(None, "retrouver").total == 6


@pytest.mark.parametrize("engine", ["whoosh"], indirect=True)   # PostgreSQL indexes in the post's transaction
def test_jobs_left_behind_are_applied_by_drain(world, forum, app_factory, engine):
    app = app_factory(SEARCH_BACKEND="whoosh", SEARCH_DRAIN_AFTER_COMMIT=False)
    from ..helpers import Forum
    from .conftest import Finder
    forum, finder = Forum(app), Finder(app)
    forum.topic(world.alice, world.theme, "Journal en attente", "Un message pas encore indexé.")
    assert finder.results(None, "attente").total == 0
    with app.app_context():
        from search import indexing
        assert indexing.pending_jobs() == 1      # written in the post's transaction
    result = app.test_cli_runner().invoke(args=["search", "drain"])
    assert result.exit_code == 0 and "appliquées" in result.output
    assert finder.results(None, "attente").total == 1
