"""``flask backup create | verify | restore`` (docs/operations.md)."""
import os

import click
from flask import current_app
from flask.cli import AppGroup

from forum.errors import Invalid

from . import archive, restoring

group = AppGroup("backup", help="Backups of the database, uploaded files and secret key, and their restore.")


def init_app(app):
    app.cli.add_command(group)


def _folder():
    return current_app.config["BACKUP_DIR"] or os.path.join(current_app.instance_path, "backups")


@group.command("create")
@click.option("--to", "folder", type=click.Path(file_okay=False),
              help="Folder of the archive (default: FORUM_BACKUP_DIR, where only the newest FORUM_BACKUP_KEEP stay).")
def create(folder):
    """Write a backup archive while the forum keeps running."""
    scheduled = folder is None
    total = len(archive.instance_files()) + 1
    try:
        with click.progressbar(length=total, label="Sauvegarde", show_pos=True) as bar:
            path = archive.create(folder or _folder(), progress=lambda name: bar.update(1))
    except (Invalid, OSError) as error:
        raise click.ClickException(f"Sauvegarde impossible : {getattr(error, 'message', error)}") from error
    click.echo(f"Archive écrite : {path} ({os.path.getsize(path):,} octets).")
    if scheduled:
        for name in archive.prune(_folder(), current_app.config["BACKUP_KEEP"]):
            click.echo(f"Ancienne archive supprimée : {name}")


@group.command("verify")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def verify(path):
    """Read an archive whole and check every file against its manifest."""
    try:
        manifest = archive.verify(path)
    except Invalid as error:
        raise click.ClickException(error.message) from error
    click.echo(f"Archive intègre : {len(manifest.files)} fichiers, base {manifest.dialect} "
               f"(révision {manifest.revision}), du {manifest.created_at}.")


@group.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--force", is_flag=True, help="Replace the data of an instance that is not empty.")
def restore(path, force):
    """Load an archive into this instance (checked whole first), then rebuild the search index."""
    steps = ("verify", "database", "uploads", "secret")
    try:
        with click.progressbar(length=len(steps), label="Restauration", show_pos=True) as bar:
            manifest = restoring.restore(path, force=force, progress=lambda step: bar.update(1))
    except Invalid as error:
        raise click.ClickException(error.message) from error
    click.echo(f"Archive du {manifest.created_at} restaurée ({len(manifest.files)} fichiers).")
    # The search package registers `flask search` when it is installed: the index is rebuilt
    # from the restored database (it is never saved), looked up by name like every package.
    search = current_app.cli.get_command(click.get_current_context(), "search")
    if search is not None:
        click.get_current_context().invoke(search.get_command(click.get_current_context(), "reindex"))
