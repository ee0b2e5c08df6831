"""`flask decisions …`: the upkeep cron may run (docs/command-line.md)."""
import click
from flask.cli import AppGroup

from . import closing, reminders

group = AppGroup("decisions", help="Décisions : clôtures, rappels.")


@group.command("close-due")
def close_due():
    """Clore les décisions dont la date de clôture est passée (sans risque deux fois)."""
    done = closing.close_due()
    click.echo(f"{done} décision(s) close(s).")


@group.command("remind")
def remind():
    """Envoyer les rappels dus : vote qui se clôt dans 24 h, date de revue d'une issue, action à
    échéance (chacun une seule fois, sans risque deux fois ni sur deux machines)."""
    work = reminders.due_work()
    told = 0
    with click.progressbar(work, label="Rappels", show_pos=True) as bar:
        for kind, row_id in bar:
            told += reminders.remind_one(kind, row_id)
    click.echo(f"{len(work)} rappel(s) dû(s), {told} membre(s) prévenu(s).")


def init_app(app):
    app.cli.add_command(group)
