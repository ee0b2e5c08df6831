"""The migrations are the only way the schema is made: they must match the models exactly."""
from datetime import datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select, text as sa_text, update

from forum import create_app
from forum.accounts.models import Member
from forum.extensions import db
from forum.topics.models import Post

from .helpers import Forum


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


@pytest.fixture
def own_database(backend, tmp_path):
    """A database of this test's own, migrated to the head: it will be migrated down and up."""
    from .conftest import PG_URL, PostgresDatabase, base_config, close_app, migrate
    database = None
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'own.db'}"
    else:
        database = PostgresDatabase(PG_URL)
        database.create()
        url = database.url
    migrate(url, tmp_path)
    app = create_app(base_config(tmp_path / "instance", url))
    yield app
    close_app(app)
    if database is not None:
        database.drop()


def test_1800_gives_existing_articles_an_identity_and_notes_their_version(own_database):
    """Data written before 1800: versions without keys, holds citing bare numbers, edit notes
    "(article 3)". After the upgrade each note names the version in force when it was written."""
    from flask_migrate import downgrade, upgrade
    from forum.charter.models import CharterArticle, CharterVersion
    from forum.topics.models import PostRevision
    from moderation import post_decisions
    from moderation.models import PostHold
    app = own_database
    forum = Forum(app)
    first = [("Respect", "Soyez courtois."), ("Confidentialité", "Anonymisez."), ("Publicité", "Pas de pub."),
             ("Modération", "Les modérateurs citent l'article.")]
    forum.charter(first)
    space = forum.committee("13")
    moderator = forum.moderator(space, pseudonym="Modo")
    author = forum.member("Bob", committees=[space])
    topic = forum.topic(author, space, "Un sujet")
    reply = forum.reply(author, topic, "Achetez mes cours !")
    forum.reply(author, topic, "Une autre réponse.")   # three revisions in all, for three notes
    with app.app_context():
        article = db.session.scalars(select(CharterArticle).where(CharterArticle.title == "Publicité")).one()
        post_decisions.hide(db.session.get(Member, moderator.id), db.session.get(Post, reply.id),
                            [str(article.id)], "Publicité.")
    forum.charter([first[0], ("Accueil", "Accueillez."), *first[1:]])   # "Publicité" becomes 4
    with app.app_context():
        db.session.execute(update(CharterVersion).where(CharterVersion.number == 1)
                           .values(published_at=datetime(2026, 1, 1)))
        db.session.execute(update(CharterVersion).where(CharterVersion.number == 2)
                           .values(published_at=datetime(2026, 6, 1)))
        db.session.commit()
        downgrade(revision="1700")
        holds = db.session.execute(sa_text("SELECT articles FROM post_hold")).scalars().all()
        assert holds == ["3"]
        revisions = db.session.execute(sa_text("SELECT id FROM post_revision ORDER BY id")).scalars().all()
        for revision_id, (day, note) in zip(revisions, [
                (datetime(2026, 3, 1), "Modifié par la modération (article 3) : Publicité."),
                (datetime(2026, 7, 1), "Modifié par la modération (articles 2, 4) : Deux raisons."),
                (datetime(2026, 7, 2), "Une note de l'auteur (article 3)")]):
            db.session.execute(sa_text("UPDATE post_revision SET created_at = :day, note = :note WHERE id = :id"),
                               {"day": day, "note": note, "id": revision_id})
        db.session.commit()
        upgrade()
        db.session.expire_all()
        notes = db.session.scalars(select(PostRevision.note).order_by(PostRevision.id)).all()
        assert notes[:3] == ["Modifié par la modération (article 3 de la version 1) : Publicité.",
                             "Modifié par la modération (articles 2, 4 de la version 2) : Deux raisons.",
                             "Une note de l'auteur (article 3)"]
        articles = db.session.scalars(select(CharterArticle).order_by(CharterArticle.version_id,
                                                                      CharterArticle.number)).all()
        keys = {(a.version.number, a.title): a.key for a in articles}
        assert keys[(1, "Publicité")] == keys[(2, "Publicité")] != keys[(2, "Accueil")]
        assert len({a.key for a in articles}) == 5
        assert [a.title for a in articles if not a.reportable] == ["Modération", "Modération"]
        assert db.session.get(PostHold, reply.id) is not None
