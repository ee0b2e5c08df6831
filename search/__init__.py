"""Full-text search over topics and posts, in French, restricted to what the viewer may read.

Built on the core (``forum`` never imports it). Modules:

- ``syntax``: the query language (words, "phrases", -exclusions, @pseudonyme, #espace, filters);
- ``analysis``: the French analyzer and escaped, highlighted excerpts;
- ``backend``: the interface (``Backend``), which ``whoosh_backend`` (embedded default, with
  ``whoosh_schema``, ``whoosh_queries``, ``whoosh_matchers``, and the ``journal``) and
  ``postgres_backend`` implement;
- ``documents``: what is indexed for a post; ``indexing``: events, reindex;
- ``capital``: published syntheses and resources (``type:synthese``, ``type:ressource``), indexed
  apart from the posts, the same for both backends;
- ``searching``: ``search(viewer, text, fields, page)``; ``views``, ``cli``.
"""
from forum.web import metrics

from . import models  # noqa: F401  (the tables belong to the one metadata, for migrations)
from . import capital, cli, indexing, views
from .backend import Backend


def make_backend(app) -> Backend:
    name = app.config["SEARCH_BACKEND"]
    # Imported here, not above: only the configured backend is loaded (Whoosh's index, query
    # and scoring modules cost about 35 ms at start-up, for nothing with PostgreSQL).
    if name == "whoosh":
        from .whoosh_backend import WhooshBackend
        return WhooshBackend(app.config["SEARCH_INDEX_DIR"],
                             drain_after_commit=app.config.get("SEARCH_DRAIN_AFTER_COMMIT", True))
    if name == "postgres":
        if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
            raise RuntimeError("FORUM_SEARCH_BACKEND=postgres needs a PostgreSQL FORUM_DATABASE_URL.")
        from .postgres_backend import PostgresBackend
        return PostgresBackend()
    raise RuntimeError(f"FORUM_SEARCH_BACKEND must be whoosh or postgres, not {name!r}.")


def init_app(app):
    app.extensions["search"] = make_backend(app)
    indexing.init_app(app)
    metrics.register_reading(app, "agora_search_journal_lag_seconds",
                             "Age of the oldest change not yet in the search index.", indexing.journal_lag_seconds)
    capital.init_app(app)
    app.register_blueprint(views.bp)
    cli.init_app(app)
