"""`flask api …`: API keys made and revoked by an administrator (docs/command-line.md)."""
import click
from flask.cli import AppGroup

from forum.errors import Refused
from forum.numbers import MAX_INT

from . import keys
from .key_models import SCOPES

group = AppGroup("api", help="API : clés d'accès.")


@group.command("create-key")
@click.option("--member", "pseudonym", help="The member the key acts as (their rights apply).")
@click.option("--global", "is_global", is_flag=True,
              help="An administrator's global key: each request names its member in Api-Username.")
@click.option("--scope", type=click.Choice(SCOPES), required=True, help="read (GET and HEAD only) or write.")
@click.option("--label", default="", help="A name to recognise the key by (shown on the member's settings).")
def create_key(pseudonym, is_global, scope, label):
    """Make an API key and print it, once: only its hash is kept."""
    if bool(pseudonym) == is_global:
        raise click.UsageError("give either --member PSEUDONYM or --global")
    member = None
    if pseudonym:
        member = keys.member_named(pseudonym)
        if member is None:
            raise click.ClickException(f"no member named {pseudonym}")
    try:
        row, key = keys.create_by_administrator(scope, label, member)
    except Refused as refusal:
        raise click.ClickException(refusal.message)
    whom = f"acting as {member.pseudonym}" if member else "global (Api-Username names the member)"
    click.echo(f"Key {row.id}, {scope}, {whom}. Copy it now, it is never shown again:", err=True)
    click.echo(key)


@group.command("revoke-key")
@click.argument("key_id", type=click.IntRange(1, MAX_INT))
def revoke_key(key_id):
    """Revoke the key KEY_ID (its number, printed at its creation and by list-keys)."""
    try:
        row = keys.revoke_by_administrator(key_id)
    except Refused as refusal:
        raise click.ClickException(refusal.message)
    click.echo(f"Key {row.id} revoked.")


@group.command("list-keys")
@click.option("--member", "pseudonym", help="This member's keys; default: the global keys.")
def list_keys(pseudonym):
    """List keys (never the keys themselves): number, scope, label, dates."""
    member = keys.member_named(pseudonym) if pseudonym else None
    if pseudonym and member is None:
        raise click.ClickException(f"no member named {pseudonym}")
    for row in keys.keys_of(member) if member else keys.global_keys():
        state = f"revoked {row.revoked_at:%Y-%m-%d %H:%M}" if row.revoked_at else "active"
        used = f"{row.last_used_at:%Y-%m-%d %H:%M}" if row.last_used_at else "never"
        click.echo(f"{row.id}\t{row.scope}\t{state}\tlast used {used}\t{row.label}")


def init_app(app):
    app.cli.add_command(group)
