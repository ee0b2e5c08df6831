"""Erasure fixtures: the tests that look into the search index run with Whoosh, and with
PostgreSQL's full-text search on PostgreSQL (tests/search_engines.py)."""
from ..search_engines import app, engine, forum, pytest_collection_modifyitems  # noqa: F401 (fixtures, hook)
