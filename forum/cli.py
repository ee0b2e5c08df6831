"""Command line: ``flask forum …`` and ``flask accounts …``."""
import time

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from forum.accounts import connections, data_export, deletion, invitation_import, invitations, twostep
from forum.accounts.models import ROLE_ADMIN, Member
from forum.accounts.registration import (check_password, check_pseudonym, find_by_login, hash_password,
                                         normalize_email, pseudonym_clash)
from forum.text.pseudonyms import pseudonym_key

from .clock import now
from .devdata import demo, generate as generating
from .errors import Invalid
from .extensions import db
from .text import references

forum_cli = AppGroup("forum", help="Demo data, bulk data and maintenance of the forum.")
accounts_cli = AppGroup("accounts", help="Member accounts.")


def init_app(app):
    app.cli.add_command(forum_cli)
    app.cli.add_command(accounts_cli)


@forum_cli.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has spaces.")
def seed_demo(if_empty):
    """Create the demo: collèges, spaces, tags, règlement, members and debates."""
    if not demo.is_empty():
        if if_empty:
            click.echo("La base contient déjà des données : démo non recréée.")
            _print_accounts([(pseudonym, None, demo.DEMO_PASSWORD) for pseudonym, *_ in demo.MEMBERS])
            return
        raise click.ClickException("the database is not empty; the demo needs an empty database")
    accounts = demo.seed()
    click.echo("Démo créée.")
    _print_accounts(accounts)


def _print_accounts(accounts):
    click.echo("Comptes de démonstration (pseudonyme ou adresse, mot de passe) :")
    for pseudonym, email, password in accounts:
        click.echo(f"  {pseudonym:<20} {email or '':<36} {password}")


@forum_cli.command("generate")
@click.option("--members", default=500, show_default=True, type=click.IntRange(0))
@click.option("--topics", default=2000, show_default=True, type=click.IntRange(0))
@click.option("--posts", default=50000, show_default=True, type=click.IntRange(0),
              help="Posts in all, opening posts included.")
@click.option("--seed", default=42, show_default=True)
def generate(members, topics, posts, seed):
    """Add bulk realistic French data (for benchmarks)."""
    if demo.is_empty():
        demo.seed()
    started = time.perf_counter()
    with click.progressbar(length=min(topics, posts) and posts, label="Messages", show_pos=True) as bar:
        generating.generate(members, topics, posts, seed=seed, progress=bar.update)
    elapsed = time.perf_counter() - started
    click.echo(f"{members} membres, {topics} sujets, {posts} messages en {elapsed:.1f} s "
               f"(mot de passe des membres générés : {generating.GENERATED_PASSWORD}).")


@forum_cli.command("rerender")
@click.option("--batch-size", default=500, show_default=True, type=click.IntRange(1))
def rerender(batch_size):
    """Render every post again through the current Markdown pipeline (after changing it)."""
    started = time.perf_counter()
    with click.progressbar(length=references.count_posts(), label="Messages", show_pos=True) as bar:
        changed = references.rerender_all(batch_size, progress=bar.update)
    click.echo(f"{changed} messages modifiés, en {time.perf_counter() - started:.1f} s.")


@accounts_cli.command("create-admin")
@click.option("--pseudonym", prompt="Pseudonyme")
@click.option("--email", prompt="Adresse électronique")
@click.option("--password", prompt="Mot de passe", hide_input=True, confirmation_prompt=True)
def create_admin(pseudonym, email, password):
    """Create an administrator account (no prompt when all three options are given)."""
    try:
        check_pseudonym(pseudonym)
        check_password(password)
    except Invalid as refusal:
        raise click.ClickException(refusal.message)
    email = normalize_email(email)
    if db.session.scalar(select(Member.id).where(
            (Member.email == email) | (Member.pseudonym_key == pseudonym_key(pseudonym)))):
        raise click.ClickException("a member with this pseudonym or email already exists")
    if clash := pseudonym_clash(pseudonym):  # a look-alike of another member's pseudonym
        raise click.ClickException(clash)
    db.session.add(Member(pseudonym=pseudonym, pseudonym_key=pseudonym_key(pseudonym), email=email,
                          password_hash=hash_password(password), role=ROLE_ADMIN, college_confirmed=False,
                          show_college=False, convention_signed_at=now()))
    db.session.commit()
    click.echo(f"Administrateur {pseudonym} créé.")


@accounts_cli.command("purge")
def purge():
    """Carry out the account deletions that are due, delete connection data past its time
    (FORUM_CONNECTION_DATA_DAYS), the data archives whose link expired and the invitations left
    unanswered for as long. Run it daily
    (docs/privacy.md)."""
    due = len(deletion.due_requests())
    with click.progressbar(length=due, label="Comptes à supprimer", show_pos=True) as bar:
        done = deletion.carry_out_due(progress=bar.update)
    sessions, visits = connections.purge_connection_data()
    archives = data_export.purge_expired()
    unanswered = invitations.purge_unanswered(connections.cutoff())
    click.echo(f"{done} comptes supprimés ; {sessions} sessions et {visits} dates de dernière visite "
               f"effacées (plus de {current_app.config['CONNECTION_DATA_DAYS']} jours) ; "
               f"{archives} archives de données expirées et {unanswered} invitations restées sans "
               f"réponse supprimées.")


@accounts_cli.command("two-step-off")
@click.argument("login")
def two_step_off(login):
    """Turn two-step login off for a member (pseudonym or email) who lost their phone and their
    recovery codes, once you have made sure, by other means, that it is them."""
    member = find_by_login(login)
    if member is None:
        raise click.ClickException("no member with this pseudonym or email")
    if not twostep.is_enabled(member):
        raise click.ClickException(f"two-step login is not on for {member.pseudonym}")
    twostep.turn_off(member)
    click.echo(f"Connexion en deux étapes désactivée pour {member.pseudonym} (un courriel l'en informe).")


@accounts_cli.command("invite")
@click.argument("file", type=click.File("rb"))
@click.option("--by", "pseudonym", help="Invite as this member (their rights apply). Default: the command "
                                       "line, which may invite to every comité.")
def invite(file, pseudonym):
    """Invite the addresses of a CSV FILE: email, comités (codes or slugs separated by ';'),
    collège slug, optional language (fr, en); the header line is optional."""
    inviter = None
    if pseudonym:
        inviter = find_by_login(pseudonym)
        if inviter is None:
            raise click.ClickException(f"no member named {pseudonym}")
    try:
        lines = invitation_import.read_csv(file.read(invitation_import.MAX_BYTES + 1))
    except Invalid as refusal:
        raise click.ClickException(refusal.message)
    with click.progressbar(length=len(lines), label="Invitations", show_pos=True) as bar:
        report = invitation_import.import_lines(inviter, lines, progress=bar.update)
    for line in invitation_import.describe(report):
        click.echo(line)
