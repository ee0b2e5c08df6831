"""`flask syntheses …` (docs/command-line.md)."""
import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from forum.accounts.models import Member
from forum.errors import Refused
from forum.extensions import db
from forum.text.pseudonyms import pseudonym_key

from . import export
from .models import Synthesis

group = AppGroup("syntheses", help="Synthèses : exports.")


@group.command("export")
@click.argument("synthesis_id", type=int)
@click.option("--format", "fmt", type=click.Choice(["pdf", "odt", "md", "html"]), default="pdf", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), required=True,
              help="Fichier à écrire (« - » : la sortie standard).")
@click.option("--version", "version", type=int, default=None, help="Une version publiée (par défaut : la dernière).")
@click.option("--as", "reader", default=None,
              help="Pseudonyme du lecteur : l'export est ce que ce membre peut lire (par défaut : un visiteur).")
def export_command(synthesis_id, fmt, output, version, reader):
    """Exporter une synthèse (PDF, ODT, Markdown ou HTML), comme le lecteur choisi la télécharge."""
    viewer = current_app.login_manager.anonymous_user()
    if reader:
        viewer = db.session.scalar(select(Member).where(Member.pseudonym_key == pseudonym_key(reader)))
        if viewer is None:
            raise click.ClickException(f"Aucun membre « {reader} ».")
    synthesis = db.session.get(Synthesis, synthesis_id)
    if synthesis is None:
        raise click.ClickException(f"La synthèse n° {synthesis_id} n'existe pas.")
    try:
        body, _mimetype, name = export.render(viewer, synthesis, fmt, version)
    except Refused as refusal:
        raise click.ClickException(refusal.message) from None
    with click.open_file(output, "wb") as out:
        out.write(body)
    if output != "-":
        click.echo(f"{output} écrit ({len(body)} octets ; nom proposé : {name}).", err=True)


def init_app(app):
    app.cli.add_command(group)
