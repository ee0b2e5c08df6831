"""The migrations are the only way the schema is made: they must match the models exactly."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from forum.extensions import db


def test_upgraded_empty_database_matches_the_models(app):
    with app.app_context(), db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert differences == []


def test_migrations_have_one_head(app):
    from alembic.script import ScriptDirectory
    from flask_migrate import Migrate  # noqa: F401
    with app.app_context():
        config = app.extensions["migrate"].migrate.get_config()
        assert len(ScriptDirectory.from_config(config).get_heads()) == 1
