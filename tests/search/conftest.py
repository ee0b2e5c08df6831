"""Search fixtures: every contract test runs with Whoosh, and with PostgreSQL FTS on PostgreSQL
(tests/search_engines.py)."""
import pytest

from forum.extensions import db
from forum.topics.models import Post

from ..search_engines import app, engine, forum, pytest_collection_modifyitems  # noqa: F401 (fixtures, hook)


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


ARTICLES = [("Respect des personnes", "Chacun s'exprime avec courtoisie."),
            ("Confidentialité", "Aucune personne tierce identifiable.")]




@pytest.fixture
def world(forum, app):
    """Two comités (13 restricted to its members), a public theme, a moderator, members."""
    from types import SimpleNamespace

    from forum.charter.models import CharterVersion
    version = forum.charter(ARTICLES)
    with app.app_context():
        articles = [str(a.id) for a in db.session.get(CharterVersion, version.id).articles]
    users = forum.college("Personnes accompagnées", sensitive=True)
    workers = forum.college("Travailleurs sociaux")
    c13 = forum.committee("13", "Comité des Bouches-du-Rhône")
    c83 = forum.committee("83", "Comité du Var")
    secret = forum.space("Groupe restreint", visibility="restricted", committees=[c13])
    theme = forum.space("Éthique et déontologie")
    members_only = forum.space("Vie des membres", visibility="members")
    mod = forum.moderator(theme, pseudonym="Modo", committees=[c13])
    coordinator = forum.member("Coordination", role="coordinator", committees=[c13])
    alice = forum.member("Alice", committees=[c13], college=workers, show_college=True)
    bob = forum.member("Bob", committees=[c83], college=users, show_college=False)
    return SimpleNamespace(articles=articles, c13=c13, c83=c83, secret=secret, theme=theme,
                           members_only=members_only, mod=mod, coordinator=coordinator, alice=alice, bob=bob,
                           users=users, workers=workers)
