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


def test_the_demo_is_found_by_the_dates_it_shows(app, finder, engine):
    """`make run` on a fresh install (issue 16, item 19): the demo spreads its debates over the
    last weeks after writing them; the index has those dates, without a manual reindex."""
    from sqlalchemy import select

    from forum.topics.models import POST_VISIBLE, Post
    runner = app.test_cli_runner()
    assert runner.invoke(args=["forum", "seed-demo", "--if-empty"]).exit_code == 0
    with app.app_context():
        dates = dict(db.session.execute(select(Post.id, Post.created_at).where(Post.state == POST_VISIBLE)).all())
    first, last = min(dates.values()), max(dates.values())
    day = (first + (last - first) / 2).date()
    older = {post_id for post_id, created in dates.items() if created.date() < day}
    assert (last - first).days >= 10                    # the dates the demo shows are spread out
    before = set(finder.ids(None, f"before:{day.isoformat()}"))
    assert before and before <= older
    after = set(finder.ids(None, f"after:{day.isoformat()}"))
    assert after and not (after & older)
