"""``flask notifications send-emails`` and ``flask digest send|preview``."""
from datetime import timedelta

import click
from flask.cli import AppGroup
from sqlalchemy import select

from forum.accounts.models import Member
from forum.clock import now
from forum.extensions import db
from forum.numbers import parse_int
from forum.text.pseudonyms import pseudonym_key

from . import mailing, weekly
from .digest import compose

notifications_cli = AppGroup("notifications", help="Notification emails.")
digest_cli = AppGroup("digest", help="The weekly digest « Les nouvelles de vos comités ».")


def init_app(app):
    app.cli.add_command(notifications_cli)
    app.cli.add_command(digest_cli)


@notifications_cli.command("send-emails")
@click.option("--now", "immediate", is_flag=True, help="Send pending emails without waiting for their delay.")
def send_emails(immediate):
    """Send the notification emails that are due (for cron, when no web process sends them)."""
    report = mailing.send_due(force=immediate)
    click.echo(f"{report.emails} courriel(s) envoyé(s) pour {report.notifications} notification(s), "
               f"{report.skipped} notification(s) déjà vue(s) ou devenue(s) sans objet"
               + (f", {report.failed} échec(s) (réessai plus tard)" if report.failed else "") + ".")
    if report.failed:
        raise SystemExit(1)


def find_member(value):
    member = None
    if parse_int(value, 1):
        member = db.session.get(Member, parse_int(value, 1))
    if member is None:
        member = db.session.scalar(select(Member).where(Member.pseudonym_key == pseudonym_key(str(value))))
    if member is None:
        raise click.ClickException(f"no member with id or pseudonym {value!r}")
    return member


@digest_cli.command("send")
@click.option("--dry-run", is_flag=True, help="Print what would be sent; send and record nothing.")
@click.option("--member", "member_id", type=int, help="Only this member (id).")
@click.option("--now", "immediate", is_flag=True,
              help="Every opted-in member's digest is due now (since their previous one, or 7 days).")
@click.option("--retry-claimed", is_flag=True,
              help="Take over digests left claimed by a crashed run at once (no other run may be going on).")
def send(dry_run, member_id, immediate, retry_claimed):
    """Send the weekly digests that are due. Safe to run twice or from two machines at once."""
    moment = now()
    total = 1 if member_id else weekly.count_opted_in()
    kwargs = dict(moment=moment, immediate=immediate, dry_run=dry_run, member_id=member_id)
    if retry_claimed:
        kwargs["lease"] = timedelta(0)
    with click.progressbar(length=total, label="Résumés", show_pos=True) as bar:
        report = weekly.send_weekly(progress=bar.update, **kwargs)
    if dry_run:
        for member, digest in report.planned:
            state = "rien de nouveau, non envoyé" if digest.is_empty else (
                f"{digest.new_topic_count} nouveau(x) sujet(s), {len(digest.active)} sujet(s) actif(s), "
                f"{len(digest.personal)} pour vous")
            click.echo(f"{member.id}\t{member.pseudonym}\t{digest.period_start:%Y-%m-%d %H:%M} → "
                       f"{digest.period_end:%Y-%m-%d %H:%M} UTC\t{state}")
        click.echo(f"Simulation : {sum(not d.is_empty for _, d in report.planned)} résumé(s) seraient envoyés.")
        return
    click.echo(f"{report.sent} résumé(s) envoyé(s), {report.empty} sans nouveauté (non envoyés), "
               f"{report.skipped} déjà traité(s) ou pris par un autre envoi, {report.resumed} repris"
               + (f", {report.failed} échec(s) (réessai au prochain passage)" if report.failed else "") + ".")
    if report.failed:
        raise SystemExit(1)


@digest_cli.command("preview")
@click.argument("member")
def preview(member):
    """Print the text version of MEMBER's digest (id or pseudonym), as it would be sent now."""
    member = find_member(member)
    since, until = weekly.preview_period(member.id)
    digest = compose(member, since, until)
    text, _html = weekly.render(digest, member)
    # Said first: a preview must not suggest that a member who turned the digest off gets it.
    reason = weekly.never_sent(member)
    if reason == weekly.OPTED_OUT:
        click.echo(f"{member.pseudonym} a désactivé le résumé hebdomadaire dans ses préférences : "
                   "aucun résumé ne lui est envoyé.")
    elif reason == weekly.INACTIVE:
        click.echo(f"Le compte de {member.pseudonym} n'est pas actif : aucun résumé ne lui est envoyé.")
    if reason:
        click.echo("Ce qu'il contiendrait sinon :\n")
    click.echo(f"Sujet : {digest.subject}")
    if digest.is_empty:
        click.echo("(rien de nouveau : ce résumé ne serait pas envoyé)")
    click.echo(text)
