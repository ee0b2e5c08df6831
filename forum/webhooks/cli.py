"""`flask webhooks …`: the sender cron may run (docs/command-line.md)."""
import click
from flask.cli import AppGroup

from . import sending

group = AppGroup("webhooks", help="Webhooks : envois.")


@group.command("deliver")
def deliver():
    """Envoyer les livraisons dues (premiers envois et nouvelles tentatives), puis effacer du journal
    les livraisons terminées plus anciennes que FORUM_WEBHOOK_LOG_DAYS (sans risque deux fois)."""
    report = sending.deliver_due()
    click.echo(f"{report.delivered} livrée(s), {report.failed} échec(s), {report.skipped} non envoyée(s), "
               f"{report.disabled} webhook(s) désactivé(s), {report.pruned} ligne(s) du journal effacée(s).")


def init_app(app):
    app.cli.add_command(group)
