"""``flask mail receive`` (a mail server's pipe), ``flask mail serve`` (SMTP/LMTP), ``flask mail purge``."""
import sys
import time

import click
from flask import current_app
from flask.cli import AppGroup

from . import upkeep
from .processing import Unavailable, process

mail_cli = AppGroup("mail", help="Emails received: replies by email.")

EX_TEMPFAIL = 75      # sysexits.h: Postfix and Exim keep the message and try again


def init_app(app):
    app.cli.add_command(mail_cli)


@mail_cli.command("receive")
@click.option("--recipient", "recipients", multiple=True, help="The envelope recipient (Postfix: ${recipient}).")
@click.option("--sender", default=None, help="The envelope sender (informative).")
def receive(recipients, sender):
    """Read one email on standard input and process it (exit 75: try again later)."""
    limit = current_app.config["INBOUND_EMAIL_MAX_BYTES"]
    # One byte more than the limit is enough to know it is too large; the rest is not read.
    raw = sys.stdin.buffer.read(limit + 1)
    while sys.stdin.buffer.read(1 << 16):
        pass       # the rest read and dropped: a mail server may take a closed pipe for a failure
    try:
        outcome = process(raw, recipients)
    except Unavailable as error:
        click.echo(f"base de données indisponible, réessayez plus tard : {error}", err=True)
        sys.exit(EX_TEMPFAIL)
    click.echo(f"{outcome.outcome}" + (f" ({outcome.reason})" if outcome.reason else ""))


@mail_cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8025, show_default=True, type=click.IntRange(1, 65535))
@click.option("--lmtp", is_flag=True, help="Speak LMTP (RFC 2033) instead of SMTP.")
def serve(host, port, lmtp):
    """Receive replies by SMTP (or LMTP) until interrupted."""
    from .server import controller    # aiosmtpd only for this command: receive needs none of it
    control = controller(current_app._get_current_object(), host=host, port=port, lmtp=lmtp)
    control.start()
    click.echo(f"{'LMTP' if lmtp else 'SMTP'} sur {host}:{port} (Ctrl-C pour arrêter)")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        control.stop()


@mail_cli.command("purge")
def purge():
    """Delete received emails older than FORUM_INBOUND_EMAIL_KEEP_DAYS."""
    click.echo(f"{upkeep.purge()} courriel(s) reçu(s) oublié(s).")
