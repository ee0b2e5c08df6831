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


@pytest.mark.parametrize("engine", ["whoosh"], indirect=True)   # PostgreSQL's layout follows the migrations
def test_an_index_built_by_an_earlier_version_is_rebuilt_if_stale(world, forum, app, finder, engine):
    """An index whose fields predate ``text`` (title and body searched apart) finds nothing:
    ``make run`` rebuilds it with ``reindex --if-stale``, which leaves a current index alone."""
    from whoosh import fields, index

    from search.analysis import FRENCH
    forum.topic(world.alice, world.theme, "Un index ancien", "Un message à retrouver après mise à jour.")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["search", "reindex", "--if-stale"]).output == ""
    with app.app_context():
        backend = app.extensions["search"]
        with backend.exclusive():
            old = fields.Schema(post_id=fields.ID(stored=True, unique=True), title=fields.TEXT(analyzer=FRENCH),
                                body=fields.TEXT(analyzer=FRENCH))
            index.create_in(backend._fresh_folder(backend.path), old)
        assert backend.is_stale()
    assert finder.results(None, "retrouver").total == 0
    result = runner.invoke(args=["search", "reindex", "--if-stale"])
    assert result.exit_code == 0 and "1 messages relus" in result.output, result.output
    with app.app_context():
        assert not app.extensions["search"].is_stale()
    assert finder.results(None, "retrouver").total == 1
