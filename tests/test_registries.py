"""Registries live on the app: two apps with different packages in one process share nothing.

The subscribers, posting guards and demo seeders a package registers belong to the app whose
``create_app`` loaded it (``forum/registry.py``), never to a module: an app built without
moderation and search neither runs their guards nor calls their subscribers, whatever other
app the process built before.
"""
import pytest

from forum import events, registry
from forum.errors import Invalid
from forum.extensions import db

from .helpers import Forum


def handlers(app):
    """{(phase, event type name, "module.function")} registered with ``app``."""
    return {(phase, event_type.__name__, f"{handler.__module__}.{handler.__qualname__}")
            for phase, by_type in registry.of(app).subscribers.items()
            for event_type, registered in by_type.items() for handler in registered}


def modules(functions):
    return {f.__module__.split(".")[0] for f in functions}


def of_packages(app):
    return {name for name in ("moderation", "search")
            if any(f.startswith(name + ".") for *_, f in handlers(app))}


def test_a_second_app_without_packages_inherits_nothing_from_the_first(app_factory):
    full = app_factory()
    bare = app_factory(PACKAGES=())
    assert registry.of(full) is not registry.of(bare)

    assert modules(registry.of(full).guards) == {"moderation"}
    assert modules(registry.of(full).seeders) == {"moderation"}
    assert of_packages(full) == {"moderation", "search"}

    assert registry.of(bare).guards == []
    assert registry.of(bare).seeders == []
    assert of_packages(bare) == set()
    # The core's own subscribers (notifications, real time) are there in both, the same ones.
    core = {h for h in handlers(full) if h[2].startswith("forum.")}
    assert core and core == handlers(bare)


def test_an_app_built_after_a_bare_one_has_its_packages_once(app_factory):
    bare = app_factory(PACKAGES=())
    full = app_factory()
    other = app_factory()
    assert of_packages(bare) == set()
    assert handlers(full) == handlers(other)
    assert len(registry.of(full).guards) == len(set(registry.of(full).guards)) == 3


def test_publishing_in_one_app_calls_only_its_own_subscribers(app_factory):
    first, second = app_factory(), app_factory(PACKAGES=())
    seen = {"first": [], "second": []}
    events.subscribe(first, events.SpaceChanged, lambda e: seen["first"].append(e))
    events.subscribe(second, events.SpaceChanged, lambda e: seen["second"].append(e),
                     phase="transaction")
    with second.app_context():
        events.publish(events.SpaceChanged(space_id=1))
        assert seen == {"first": [], "second": [events.SpaceChanged(space_id=1)]}
        db.session.commit()
    assert seen["first"] == []
    with first.app_context():
        events.publish(events.SpaceChanged(space_id=2))
        assert seen["first"] == []       # after commit only
        db.session.commit()
    assert seen == {"first": [events.SpaceChanged(space_id=2)],
                    "second": [events.SpaceChanged(space_id=1)]}


def test_the_bare_app_runs_no_moderation_guard_nor_subscriber(app_factory):
    """Same database, same process: the watched word blocks a post in the app with moderation
    only, and a post written in the bare app is neither flagged nor indexed."""
    from moderation.models import WORD_BLOCK, WORD_FLAG, Report, WatchedWord
    from search.models import SearchDocument, SearchJob

    full = app_factory()
    bare = app_factory(PACKAGES=())
    with full.app_context():
        db.session.add_all([WatchedWord(phrase="casino en ligne", action=WORD_BLOCK),
                            WatchedWord(phrase="loterie", action=WORD_FLAG)])
        db.session.commit()
    forum = Forum(full)
    author = forum.member("Nadia")
    space = forum.space("Éthique et déontologie")
    with pytest.raises(Invalid):
        forum.topic(author, space, "Un sujet", body="Venez jouer au casino en ligne.")

    topic = Forum(bare).topic(author, space, "Un sujet", body="Casino en ligne et loterie.")
    with bare.app_context():
        assert db.session.query(Report).count() == 0
        assert db.session.query(SearchJob).count() == 0
        assert db.session.query(SearchDocument).count() == 0

    Forum(full).reply(author, topic, "Encore la loterie.")
    with full.app_context():
        assert db.session.query(Report).count() == 1       # flagged by moderation's subscriber
