"""Search fixtures: every contract test runs with Whoosh, and with PostgreSQL FTS on PostgreSQL."""
import pytest

from forum.extensions import db
from forum.models import Post

from ..helpers import Forum

ENGINES = ["whoosh", "postgres"]


@pytest.fixture(params=ENGINES)
def engine(request, backend):
    if request.param == "postgres" and backend != "postgresql":
        pytest.skip("the postgres search backend runs on the postgresql database backend only")
    return request.param


@pytest.fixture
def app(app_factory, engine):
    return app_factory(SEARCH_BACKEND=engine)


@pytest.fixture
def forum(app):
    return Forum(app)


class Finder:
    """Runs the real search function as a given viewer, returning post ids (and the results)."""

    def __init__(self, app):
        self.app = app

    def results(self, viewer, text, fields=None, page=1, per_page=20):
        from flask_login import AnonymousUserMixin

        from forum.accounts.models import Member
        from search import searching
        with self.app.test_request_context():
            member = db.session.get(Member, viewer.id) if viewer is not None else AnonymousUserMixin()
            found = searching.search(member, text, fields, page=page, per_page=per_page)
            return found

    def ids(self, viewer, text, fields=None, **kwargs):
        return [item.post.id for item in self.results(viewer, text, fields, **kwargs).items]


@pytest.fixture
def finder(app):
    return Finder(app)


def post_of(forum, topic):
    return forum.opening(topic)


__all__ = ["Post"]
