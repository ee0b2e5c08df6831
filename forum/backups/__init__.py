"""Backups that restore: ``flask backup create | verify | restore`` (docs/operations.md).

One archive (``agora-<date>.tar.gz``) holds the database (SQLite's online backup, or
``pg_dump``), the uploaded files and the instance's secret key, with a manifest of their sizes
and SHA-256 last; the search index is rebuilt after a restore, never saved. Modules:

- ``databases``: a consistent snapshot of the database into a file, and back;
- ``archive``: writing an archive (under a temporary name, renamed when whole), checking one,
  keeping the newest of a folder;
- ``restoring``: checking the target is empty, then the database and the files;
- ``cli``: the commands, with progress bars.
"""


def init_app(app):
    from . import cli      # noqa: F401  (wiring: the commands join the app's command line)
    cli.init_app(app)
