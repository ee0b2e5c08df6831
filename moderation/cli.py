"""``flask moderation purge-redactions``: withdrawn texts deleted for good after the appeal period;
``flask moderation escalate-reports``: reports waiting too long sent on to the coordination."""
import click
from flask.cli import AppGroup

from forum.notifications import mailing

from . import escalation, redaction

group = AppGroup("moderation", help="Moderation: upkeep.")


@group.command("purge-redactions")
def purge_redactions():
    """Delete for good the withdrawn texts whose appeal period is over (for cron, daily)."""
    total = redaction.expired_count()
    with click.progressbar(length=total, label="Textes retirés", show_pos=True) as bar:
        done = redaction.purge(progress=bar.update)
    click.echo(f"{done} texte(s) retiré(s) effacé(s) pour de bon "
               f"(période de recours : {redaction.appeal_days()} jours).")


@group.command("escalate-reports")
def escalate_reports():
    """Tell the coordination of the reports waiting longer than their space's delay (for cron,
    hourly; safe to run twice: a report is sent on once)."""
    done = escalation.escalate_waiting()
    click.echo(f"{done} message(s) signalé(s) transmis à la coordination.")


def init_app(app):
    app.cli.add_command(group)
    # A single-process install has no cron: the web process's background thread runs it too.
    mailing.register_periodic(app, escalation.escalate_waiting, every=600)
