"""Upgrades without downtime (docs/operations.md): the migrations of a release only *expand*
the schema, so the previous release's workers, still serving while `flask db upgrade` runs and
until each host is restarted, find every table and column they name, and can insert rows
without knowing the new columns. Removing or tightening (*contract*) waits for the release after.

``migrations/RELEASED`` holds the head revision of the last release. The schema migrated to it
is compared with the head: no table or column gone, no type changed, no column become NOT
NULL, no new NOT NULL column without a server default."""
import os

import pytest
from sqlalchemy import inspect, text

from forum import create_app
from forum.extensions import db

from .conftest import PG_URL, PostgresDatabase, base_config, close_app

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
with open(os.path.join(ROOT, "migrations", "RELEASED")) as handle:
    RELEASED = handle.read().strip()


def schema(engine):
    """{table: {column: (type, nullable, has a server default)}} of a live database."""
    found = {}
    inspector = inspect(engine)
    for table in inspector.get_table_names():
        if table == "alembic_version":
            continue
        found[table] = {column["name"]: (str(column["type"]).split("(")[0].upper(), column["nullable"],
                                         column.get("default") is not None or bool(column.get("autoincrement") is True
                                                                                  and column.get("primary_key")))
                        for column in inspector.get_columns(table)}
    return found


def contractions(before, after):
    """What an upgrade from ``before`` to ``after`` takes away from a worker of ``before``."""
    problems = []
    for table, columns in before.items():
        if table not in after:
            problems.append(f"table {table} dropped or renamed")
            continue
        for name, (kind, nullable, _default) in columns.items():
            if name not in after[table]:
                problems.append(f"column {table}.{name} dropped or renamed")
            elif after[table][name][0] != kind:
                problems.append(f"column {table}.{name} changed type: {kind} -> {after[table][name][0]}")
            elif nullable and not after[table][name][1]:
                problems.append(f"column {table}.{name} became NOT NULL")
        for name, (_kind, nullable, default) in after[table].items():
            if name not in columns and not nullable and not default:
                problems.append(f"new column {table}.{name} is NOT NULL without a server default "
                                "(the previous release's inserts would fail)")
    return problems


@pytest.fixture
def database(backend, tmp_path):
    """(url, app) of an empty database of this test's own."""
    pg = None
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'upgrade.db'}"
    else:
        pg = PostgresDatabase(PG_URL)
        pg.create()
        url = pg.url
    app = create_app(base_config(tmp_path / "instance", url))
    yield app
    close_app(app)
    if pg is not None:
        pg.drop()


def test_the_migrations_since_the_last_release_only_expand_the_schema(database):
    from flask_migrate import upgrade
    with database.app_context():
        upgrade(revision=RELEASED)
        released = schema(db.engine)
        upgrade()
        head = schema(db.engine)
    assert released, "the released schema has tables"
    assert contractions(released, head) == []


def test_a_contracting_change_is_caught(database, backend):
    """The check itself: dropping a column, or adding a NOT NULL one without a default, is what
    the previous release's workers would break on."""
    from flask_migrate import upgrade
    with database.app_context():
        upgrade()
        before = schema(db.engine)
        with db.engine.begin() as connection:
            connection.execute(text("ALTER TABLE member DROP COLUMN bio"))
            connection.execute(text("ALTER TABLE space ADD COLUMN motto VARCHAR(20)"))
            if backend == "postgresql":      # SQLite adds a NOT NULL column only with a default
                connection.execute(text("ALTER TABLE tag ADD COLUMN colour VARCHAR(7) NOT NULL"))
        after = schema(db.engine)
    problems = contractions(before, after)
    assert "column member.bio dropped or renamed" in problems
    assert not any("space.motto" in problem for problem in problems)     # nullable: fine
    if backend == "postgresql":
        assert any("tag.colour is NOT NULL without a server default" in problem for problem in problems)
