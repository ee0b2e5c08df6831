"""The database of a backup: a consistent snapshot written to a file, and loaded back.

SQLite: Python's ``sqlite3`` online backup API, in one step (one read transaction: a snapshot
of one moment while the forum keeps writing, no need to stop it). PostgreSQL: ``pg_dump`` in its
custom format (one transaction too), loaded by ``pg_restore``; both must be installed, of the
server's major version.
"""
import os
import sqlite3
import subprocess

from flask_babel import gettext as _
from sqlalchemy import column, func, inspect, select, table

from forum.errors import Invalid
from forum.extensions import db

SQLITE_FILE = "database.sqlite"
POSTGRES_FILE = "database.pgdump"
# Tables whose rows make an instance "not empty": restoring over them needs ``--force``.
CONTENT_TABLES = ("member", "space", "post")


def dialect():
    return db.engine.dialect.name


def file_name():
    return SQLITE_FILE if dialect() == "sqlite" else POSTGRES_FILE


def _libpq_url():
    """The database's address as ``pg_dump`` reads it (no SQLAlchemy driver name)."""
    return db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


def _sqlite_path():
    return db.engine.url.database


def snapshot(target):
    """Write a consistent copy of the database to the file ``target``."""
    if dialect() == "sqlite":
        _copy_sqlite(_sqlite_path(), target)
        return
    _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}", _libpq_url()],
         _("La copie de la base PostgreSQL (pg_dump) a échoué"))


def revision():
    """The schema's migration revision (Alembic's), or None on a database never migrated."""
    if not inspect(db.engine).has_table("alembic_version"):
        return None
    return db.session.execute(select(column("version_num")).select_from(table("alembic_version"))).scalar()


def is_empty():
    """Whether the instance's database holds no member, space or post (or no tables at all)."""
    existing = set(inspect(db.engine).get_table_names())
    for name in CONTENT_TABLES:
        if name in existing and db.session.scalar(select(func.count()).select_from(table(name))):
            return False
    return True


def load(source):
    """Replace the database by the snapshot in the file ``source`` (the caller has checked it)."""
    db.session.remove()
    db.engine.dispose()        # no connection may keep the old file or the old tables
    if dialect() == "sqlite":
        path = _sqlite_path()
        # The snapshot is copied beside the database, then renamed over it: never a half file.
        staged = f"{path}.restoring"
        _copy_sqlite(source, staged)
        for leftover in (f"{path}-wal", f"{path}-shm"):
            if os.path.exists(leftover):
                os.remove(leftover)
        os.replace(staged, path)
        return
    _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
          f"--dbname={_libpq_url()}", source], _("Le chargement de la base PostgreSQL (pg_restore) a échoué"))


def _copy_sqlite(source, target):
    """SQLite's online backup from the file ``source`` into ``target``, in one step."""
    origin, copy = sqlite3.connect(source), sqlite3.connect(target)
    try:
        origin.backup(copy)
    finally:
        copy.close()
        origin.close()


def _run(command, failure):
    try:
        done = subprocess.run(command, capture_output=True, text=True)
    except FileNotFoundError as error:
        raise Invalid(_("%(what)s : la commande %(command)s est introuvable (paquet postgresql-client).",
                        what=failure, command=command[0])) from error
    if done.returncode != 0:
        raise Invalid(f"{failure} : {done.stderr.strip()[-500:]}")
