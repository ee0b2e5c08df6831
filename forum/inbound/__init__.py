"""Replying by email ([Replying by email](../../docs/email-in.md)).

Part of the core (``create_app`` calls ``init_app``). Modules:

- ``tokens``: the signed token of a reply address (post, member, day);
- ``addresses``: ``reponse+<token>@<domain>``, written into notification emails and read back;
- ``parsing``: a received email read with the standard library, robots and bounces told apart;
- ``stripping``: the reply without the quoted message and the signatures;
- ``processing``: ``process(raw)``, the one path of every email received;
- ``answering``: the short email that tells a member why their reply was refused;
- ``models``: ``inbound_email``, each email received once, refused ones kept in quarantine;
- ``ratelimit``: the posting rate limit, for replies by email;
- ``server``: the SMTP/LMTP receiver (aiosmtpd); ``cli``: ``flask mail receive|serve|purge``.
"""


def init_app(app):
    # The model joins the one metadata; the commands join the CLI; the purge joins the upkeep.
    from forum.notifications.mailing import register_periodic

    from . import cli, models, upkeep  # noqa: F401
    cli.init_app(app)
    register_periodic(app, upkeep.purge, 3600)
