"""Full-text search over topics and posts, in French, restricted to what the viewer may read.

Built on the core (``forum`` never imports it). Modules:

- ``syntax``: the query language (words, "phrases", -exclusions, @pseudonyme, #espace, filters);
- ``analysis``: the French analyzer and escaped, highlighted excerpts;
- ``backend``: the interface; ``whoosh_backend`` (embedded default) and ``postgres_backend``;
- ``documents``: what is indexed for a post; ``indexing``: events, journal, reindex;
- ``searching``: ``search(viewer, text, fields, page)``; ``views``, ``cli``.
"""
from . import models  # noqa: F401  (the tables belong to the one metadata, for migrations)


def make_backend(app):
    name = app.config["SEARCH_BACKEND"]
    if name == "whoosh":
        from .whoosh_backend import WhooshBackend
        return WhooshBackend(app.config["SEARCH_INDEX_DIR"])
    if name == "postgres":
        if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
            raise RuntimeError("FORUM_SEARCH_BACKEND=postgres needs a PostgreSQL FORUM_DATABASE_URL.")
        from .postgres_backend import PostgresBackend
        return PostgresBackend()
    raise RuntimeError(f"FORUM_SEARCH_BACKEND must be whoosh or postgres, not {name!r}.")


def init_app(app):
    from . import cli, indexing, views
    app.extensions["search"] = make_backend(app)
    indexing.init_app(app)
    app.register_blueprint(views.bp)
    cli.init_app(app)
