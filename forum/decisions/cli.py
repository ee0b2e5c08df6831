"""`flask decisions …`: the upkeep cron may run (docs/command-line.md)."""
import click
from flask.cli import AppGroup

from . import closing

group = AppGroup("decisions", help="Décisions : clôtures.")


@group.command("close-due")
def close_due():
    """Clore les décisions dont la date de clôture est passée (sans risque deux fois)."""
    done = closing.close_due()
    click.echo(f"{done} décision(s) close(s).")


def init_app(app):
    app.cli.add_command(group)
