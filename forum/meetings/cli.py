"""`flask meetings …`: the upkeep cron may run (docs/command-line.md)."""
import click
from flask.cli import AppGroup

from . import reminders

group = AppGroup("meetings", help="Réunions : rappels.")


@group.command("remind")
def remind():
    """Envoyer les rappels dus aux inscrits : deux jours et deux heures avant chaque réunion
    (chacun une seule fois, sans risque deux fois ni sur deux machines)."""
    work = reminders.due_work()
    with click.progressbar(work, label="Rappels", show_pos=True) as bar:
        sent = sum(reminders.remind_one(kind, meeting_id) for kind, meeting_id in bar)
    click.echo(f"{len(work)} rappel(s) dû(s), {sent} courriel(s) envoyé(s).")


def init_app(app):
    app.cli.add_command(group)
