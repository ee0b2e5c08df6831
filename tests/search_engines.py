"""Folders whose tests run once per search backend (tests/search, tests/erasure): Whoosh, and
PostgreSQL's full-text search on PostgreSQL. Their conftest imports these fixtures and the hook."""
import pytest

from .helpers import Forum

ENGINES = ["whoosh", "postgres"]


@pytest.fixture(params=ENGINES)
def engine(request):
    return request.param


def pytest_collection_modifyitems(config, items):
    """The postgres search backend exists on a PostgreSQL database only: no such test is made."""
    def impossible(item):
        params = getattr(item, "callspec", None) and item.callspec.params
        return bool(params) and params.get("engine") == "postgres" and params.get("backend") != "postgresql"
    dropped = [item for item in items if impossible(item)]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [item for item in items if not impossible(item)]


@pytest.fixture
def app(app_factory, engine):
    return app_factory(SEARCH_BACKEND=engine)


@pytest.fixture
def forum(app):
    return Forum(app)
