"""Whoosh allows one writer at a time: two processes posting at once must both be indexed."""
import logging
import multiprocessing

import pytest

from ..conftest import base_config

PER_PROCESS = 15


def _post_replies(config, member_id, topic_id, word, start, results):
    """In a child process: its own app on the same database and index folder, then replies."""
    errors = []

    class Collect(logging.Handler):
        def emit(self, record):
            if record.levelno >= logging.WARNING:
                errors.append(record.getMessage() + (str(record.exc_info[1]) if record.exc_info else ""))
    logging.getLogger().addHandler(Collect())
    try:
        from forum import create_app
        from forum.accounts.models import Member
        from forum.extensions import db
        from forum.topics import posting
        from forum.topics.models import Topic
        app = create_app(config)
        with app.app_context():
            start.wait(30)
            for n in range(PER_PROCESS):
                posting.reply(db.session.get(Member, member_id), db.session.get(Topic, topic_id),
                              f"Contribution {word} numéro {n}.")
                db.session.remove()
    except Exception as error:   # reported to the parent, which fails the test
        errors.append(repr(error))
    results.put((word, errors))


@pytest.fixture
def app(app_factory):
    return app_factory(SEARCH_BACKEND="whoosh")


def test_two_processes_post_at_once_and_every_post_is_searchable(world, forum, app, finder):
    topic = forum.topic(world.alice, world.theme, "Sujet très fréquenté", "Ouverture du sujet.")
    config = base_config(app.instance_path,
                         app.config["SQLALCHEMY_DATABASE_URI"])
    config.update(SEARCH_BACKEND="whoosh", SEARCH_INDEX_DIR=app.config["SEARCH_INDEX_DIR"])
    context = multiprocessing.get_context("spawn")
    start, results = context.Event(), context.Queue()
    children = [context.Process(target=_post_replies, args=(config, member.id, topic.id, word, start, results))
                for member, word in ((world.alice, "alpha"), (world.mod, "omega"))]
    for child in children:
        child.start()
    start.set()
    reports = dict(results.get(timeout=120) for _ in children)
    for child in children:
        child.join(30)
    assert reports == {"alpha": [], "omega": []}      # no LockError, no failed drain, nothing logged
    for word in ("alpha", "omega"):
        assert finder.results(None, word).total == PER_PROCESS
    assert finder.results(None, "contribution").total == 2 * PER_PROCESS
    with app.app_context():
        from search import indexing
        assert indexing.pending_jobs() == 0
