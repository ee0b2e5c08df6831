"""``flask search reindex`` (rebuild from the database, with a progress bar) and ``drain``."""
import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import func, select

from forum.extensions import db
from forum.topics.models import Post

from . import capital, indexing

group = AppGroup("search", help="Recherche plein texte : index et journal d'indexation.")


def init_app(app):
    app.cli.add_command(group)


@group.command("reindex")
@click.option("--if-stale", is_flag=True, help="Only when the index was built by an earlier version.")
def reindex(if_stale):
    """Rebuild the search index from the database."""
    if if_stale and not indexing.backend().is_stale():
        return
    total = db.session.scalar(select(func.count()).select_from(Post))
    with click.progressbar(length=total, label="Messages", show_pos=True) as bar:
        count = indexing.reindex(progress=bar.update)
    click.echo(f"{count} messages relus, index {current_app.config['SEARCH_BACKEND']} reconstruit.")
    click.echo(f"{capital.rebuild()} synthèses et fiches ressources indexées.")


@group.command("drain")
def drain():
    """Apply the pending indexing jobs (Whoosh); useful after a crash."""
    click.echo(f"{indexing.drain()} tâches d'indexation appliquées.")
