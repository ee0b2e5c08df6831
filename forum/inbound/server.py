"""``flask mail serve``: an SMTP (or LMTP) receiver for the reply addresses, with aiosmtpd.

Meant for 127.0.0.1 behind the site's mail server (or a Unix socket): it has no spam filter,
no SPF/DKIM check and no queue of its own. Unknown recipients are refused at RCPT (550), never
answered later; a message is acknowledged (250) once ``process`` has recorded it, 451 when the
database is down, so that the sending server tries again.
"""
import asyncio

from aiosmtpd.controller import Controller
from aiosmtpd.lmtp import LMTP
from aiosmtpd.smtp import SMTP

from forum.extensions import db

from . import addresses, tokens
from .processing import Unavailable, process


class Handler:
    def __init__(self, app):
        self.app = app

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self.app.app_context():
            # Signed by us (its age and sender are judged later, with an answer): a forged or
            # mistyped address is refused here, by the sending server, never bounced by us.
            ours = tokens.read(addresses.token_text(address) or "") is not None
        if not ours:
            return "550 5.1.1 No such reply address"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    def _process(self, content, recipients):
        with self.app.app_context():
            try:
                return process(content, recipients)
            finally:
                db.session.remove()

    async def handle_DATA(self, server, session, envelope):
        loop = asyncio.get_running_loop()
        try:
            # In a thread: posting talks to the database, the loop keeps serving others.
            await loop.run_in_executor(None, self._process, envelope.original_content or envelope.content,
                                       list(envelope.rcpt_tos))
        except Unavailable:
            reply = "451 4.3.0 Temporary failure, try again later"
        else:
            reply = "250 2.0.0 Message accepted"
        if isinstance(server, LMTP):
            return "\r\n".join([reply] * max(1, len(envelope.rcpt_tos)))   # RFC 2033: one per recipient
        return reply


class _Controller(Controller):
    def __init__(self, handler, lmtp=False, **kwargs):
        self.lmtp = lmtp
        super().__init__(handler, **kwargs)

    def factory(self):
        kind = LMTP if self.lmtp else SMTP
        return kind(self.handler, data_size_limit=self.data_size_limit, ident="Agora",
                    timeout=60, enable_SMTPUTF8=True)


def controller(app, host="127.0.0.1", port=8025, lmtp=False):
    """A started-when-asked receiver (``.start()``, ``.stop()``), as tests and the command use it."""
    control = _Controller(Handler(app), lmtp=lmtp, hostname=host, port=port)
    # A little above the processing limit: the message is refused with an answer, not cut.
    control.data_size_limit = app.config["INBOUND_EMAIL_MAX_BYTES"] + 64 * 1024
    return control
