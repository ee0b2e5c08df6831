"""``flask moderation purge-redactions``: withdrawn texts deleted for good after the appeal period."""
import click
from flask.cli import AppGroup

from . import redaction

group = AppGroup("moderation", help="Moderation: upkeep.")


@group.command("purge-redactions")
def purge_redactions():
    """Delete for good the withdrawn texts whose appeal period is over (for cron, daily)."""
    total = redaction.expired_count()
    with click.progressbar(length=total, label="Textes retirés", show_pos=True) as bar:
        done = redaction.purge(progress=bar.update)
    click.echo(f"{done} texte(s) retiré(s) effacé(s) pour de bon "
               f"(période de recours : {redaction.appeal_days()} jours).")


def init_app(app):
    app.cli.add_command(group)
