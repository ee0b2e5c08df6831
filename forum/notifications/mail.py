"""Email: absolute links, building multipart messages, and the two transports.

``FORUM_SMTP_URL`` set: ``smtp://user:pass@host:587`` (STARTTLS, required when the server
offers it or a password is sent) or ``smtps://…:465`` (TLS from the start). Unset: each
message is written as an ``.eml`` file in ``instance/mail/`` (and logged), so that the
forum runs with nothing installed and a developer can open what would have been sent.
"""
import binascii
import collections
import logging
import os
import queue
import secrets
import smtplib
import ssl
import threading
import uuid
from datetime import datetime, timezone
from email.header import Header
from email.utils import format_datetime, formataddr, parseaddr
from functools import lru_cache
from urllib.parse import unquote, urlsplit

from flask import current_app
from flask_babel import force_locale, get_translations
from jinja2 import pass_context
from markupsafe import Markup

from forum.config import LOCALES
from forum.web.served_address import default_server_name

log = logging.getLogger(__name__)



# --- links ----------------------------------------------------------------------------------

def _adapter():
    app = current_app._get_current_object()
    cache = app.extensions.setdefault("agora_mail", {})
    if "adapter" not in cache:
        config = app.config
        cache["adapter"] = app.url_map.bind(config.get("SERVER_NAME") or default_server_name(app.instance_path),
                                            script_name=config.get("APPLICATION_ROOT") or "/",
                                            url_scheme=config.get("PREFERRED_URL_SCHEME") or "http")
    return cache["adapter"]


def absolute_url(endpoint, _anchor=None, **values):
    """An absolute link made from the configuration, never from the current request:
    emails built by a web request, a thread or the command line carry the same links."""
    url = _adapter().build(endpoint, {k: v for k, v in values.items() if v is not None},
                           force_external=True)
    return url + ("#" + _anchor if _anchor else "")


def site_url(path):
    """An absolute link for a site path (``/sujet/3``)."""
    return absolute_url("topics.home").rstrip("/") + path


# --- messages -----------------------------------------------------------------------------

def sender_address():
    return current_app.config["MAIL_SENDER"]


def recipient(member):
    """``Pseudonyme <adresse>``, encoded as the header needs."""
    return formataddr((member.pseudonym, member.email), charset="utf-8")


def _catalog(locale):
    cache = current_app.extensions.setdefault("agora_mail", {}).setdefault("catalogs", {})
    if locale not in cache:
        with force_locale(locale):
            cache[locale] = get_translations()
    return cache[locale]


def gettext_for(locale):
    """``gettext`` in ``locale``, for the email texts built in Python (subjects, sentences):
    an email speaks its recipient's language, never that of the request that caused it."""
    translations = _catalog(locale if locale in LOCALES else "fr")

    def gettext(string, **variables):
        value = translations.gettext(string)
        return value % variables if variables else value
    return gettext


def _translations(locale):
    """Plain gettext callables for emails: Flask-Babel's look the locale up on every call."""
    cache = current_app.extensions.setdefault("agora_mail", {}).setdefault("gettext", {})
    if locale not in cache:
        translations = _catalog(locale)

        @pass_context
        def gettext(context, string, **variables):
            value = translations.gettext(string)
            if context.eval_ctx.autoescape:
                value = Markup(value)
            return value % variables if variables else value

        @pass_context
        def ngettext(context, singular, plural, num, **variables):
            variables.setdefault("num", num)
            value = translations.ngettext(singular, plural, num)
            if context.eval_ctx.autoescape:
                value = Markup(value)
            return value % variables
        cache[locale] = {"gettext": gettext, "ngettext": ngettext}
    return cache[locale]


def render(name, locale="fr", **context):
    """(text, html) of ``templates/email/<name>.txt`` and ``.html``, in ``locale``.

    Rendered by the Jinja environment itself: the site's context processors (current member,
    request) have no meaning in an email built by a thread or a command.
    """
    environment = current_app.jinja_env
    locale = locale if locale in LOCALES else "fr"
    context.update(_translations(locale), absolute_url=absolute_url, locale=locale)
    text = environment.get_template(f"email/{name}.txt").render(**context)
    html = environment.get_template(f"email/{name}.html").render(style=email_style(), **context)
    return text, html


def email_style():
    """The stylesheet inside each HTML email (the site's CSP does not apply to emails)."""
    cache = current_app.extensions.setdefault("agora_mail", {})
    if "style" not in cache:
        with open(os.path.join(current_app.template_folder, "email", "email.css"), encoding="utf-8") as handle:
            cache["style"] = handle.read().strip()
    return cache["style"]


class Outgoing:
    """A message ready to send: its envelope, its headers (readable by name), its text."""

    def __init__(self, envelope_from, recipient_address, headers, text):
        self.envelope_from, self.recipient = envelope_from, recipient_address
        self.headers, self.text = headers, text

    def __getitem__(self, name):
        return self.headers.get(name)

    def as_bytes(self):
        return self.text.encode("ascii")


@lru_cache(maxsize=512)
def _header_text(value):
    """RFC 2047 when needed (cached: a week's digests share their subject)."""
    value = " ".join(str(value).split())      # no line break can reach a header
    return value if value.isascii() else Header(value, "utf-8").encode()


def build(member, subject, text, html, unsubscribe_url=None, preferences_url=None, category="notifications",
          reply_to=None, extra_headers=None):
    """A multipart/alternative message (plain text + HTML) to ``member``, with one-click unsubscribe.

    ``reply_to``: where the member's answer goes (a reply-by-email address, forum/inbound/);
    ``extra_headers``: more ASCII headers (an answer to an email received: ``In-Reply-To``…).

    Written out directly with the standard library's encoders (RFC 2047 headers, quoted-printable
    bodies): ``email.message`` objects spent more time serialising a digest than composing it.
    The tests parse what the SMTP server receives with the ``email`` package.
    """
    name, address = parseaddr(sender_address())
    domain = address.rpartition("@")[2] or "agora.localhost"
    boundary = "=_agora_" + secrets.token_hex(12)
    headers = {
        "From": formataddr((name, address), charset="utf-8"),
        "To": recipient(member),
        "Subject": _header_text(subject),
        "Date": format_datetime(datetime.now(timezone.utc)),
        "Message-ID": f"<{secrets.token_hex(12)}.{category}@{domain}>",
        "MIME-Version": "1.0",
        "Content-Type": f'multipart/alternative; boundary="{boundary}"',
        "Auto-Submitted": "auto-generated",          # RFC 3834: no vacation replies
        "List-Id": f"Agora {category} <{category}.{domain}>",
    }
    if unsubscribe_url:
        headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"      # RFC 8058
    if preferences_url:
        headers["List-Help"] = f"<{preferences_url}>"
    if reply_to:
        headers["Reply-To"] = reply_to
        # Exchange and Outlook send no out-of-office answer to it (MS-OXCMAIL); others obey
        # Auto-Submitted above, and forum/inbound ignores what still comes.
        headers["X-Auto-Response-Suppress"] = "OOF, AutoReply"
    headers.update(extra_headers or {})
    lines = [f"{key}: {value}" for key, value in headers.items()]
    lines.append("")
    for subtype, body in (("plain", text), ("html", html)):
        lines += [f"--{boundary}", f'Content-Type: text/{subtype}; charset="utf-8"',
                  "Content-Transfer-Encoding: quoted-printable", "",
                  binascii.b2a_qp(body.encode("utf-8"), istext=True).decode("ascii")]
    lines += [f"--{boundary}--", ""]
    return Outgoing(address, member.email, headers, "\n".join(lines))


# --- transports ----------------------------------------------------------------------------

class FileTransport:
    """Writes each message as ``<folder>/<time>-<random>.eml`` (the embedded default)."""

    def __init__(self, folder):
        self.folder = folder

    def __enter__(self):
        os.makedirs(self.folder, exist_ok=True)
        return self

    def __exit__(self, *exc):
        return False

    def send(self, message):
        name = f"{datetime.now(timezone.utc):%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:12]}.eml"
        path = os.path.join(self.folder, name)
        with open(path, "wb") as handle:
            handle.write(message.as_bytes().replace(b"\n", b"\r\n"))
        log.info("email to %s written to %s (no FORUM_SMTP_URL)", message["To"], path)
        return path


class SMTPTransport:
    """One connection for a batch of messages; reconnects once if the server hung up."""

    def __init__(self, url, timeout=30):
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError("FORUM_SMTP_URL must look like smtp://user:pass@host:587 or smtps://host:465")
        self.implicit_tls = parts.scheme == "smtps"
        self.host = parts.hostname
        self.port = parts.port or (465 if self.implicit_tls else 25)
        self.username = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        self.timeout = timeout
        self.connection = None

    def _connect(self):
        context = ssl.create_default_context()
        if self.implicit_tls:
            connection = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
        else:
            connection = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            connection.ehlo()
            if connection.has_extn("starttls"):
                connection.starttls(context=context)
                connection.ehlo()
            elif self.password or self.port == 587:
                connection.quit()
                raise smtplib.SMTPException(f"{self.host}:{self.port} does not offer STARTTLS: "
                                            "refusing to send a password or mail in clear")
        if self.username:
            connection.login(self.username, self.password or "")
        self.connection = connection

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def send(self, message):
        if self.connection is None:
            self._connect()
        try:
            self.connection.sendmail(message.envelope_from, [message.recipient], message.text)
        except smtplib.SMTPServerDisconnected:
            self._connect()
            self.connection.sendmail(message.envelope_from, [message.recipient], message.text)
        return message["Message-ID"]

    def close(self):
        if self.connection is not None:
            try:
                self.connection.quit()
            except (smtplib.SMTPException, OSError):
                pass
            self.connection = None


def transport():
    """The configured transport (use it as a context manager around a batch)."""
    url = current_app.config.get("SMTP_URL")
    if url:
        return SMTPTransport(url)
    return FileTransport(os.path.join(current_app.instance_path, "mail"))


class Outbox:
    """Sends from background threads, one connection each, while the caller composes the next
    messages: the mail server's time overlaps the forum's. Results come back through
    ``results()``; an unexpected exception in a thread is raised again in the caller."""

    def __init__(self, transports):
        self.transports = transports
        self.queue = queue.Queue(maxsize=len(transports))
        self._results = collections.deque()
        self.fatal = None
        self.threads = [threading.Thread(target=self._run, args=(t,), name="agora-outbox", daemon=True)
                        for t in transports]
        for thread in self.threads:
            thread.start()

    def _run(self, transport):
        while True:
            item = self.queue.get()
            try:
                if item is None:
                    return
                key, message = item
                if self.fatal is not None:
                    continue              # the run is stopping: what is queued stays unsent
                try:
                    transport.send(message)
                except (smtplib.SMTPException, OSError, ValueError) as error:
                    self._results.append((key, message, error))
                else:
                    self._results.append((key, message, None))
            except BaseException as error:    # noqa: B036 - handed over to the caller's thread
                self.fatal = error
            finally:
                self.queue.task_done()

    def check(self):
        if self.fatal is not None:
            raise self.fatal

    def put(self, key, message):
        self.check()
        self.queue.put((key, message))

    def results(self):
        """(key, message, error or None) of every message sent or refused since the last call."""
        while self._results:
            yield self._results.popleft()

    def wait(self):
        """Until everything queued has been sent (or refused)."""
        self.queue.join()

    def close(self):
        for _ in self.threads:
            self.queue.put(None)
        for thread in self.threads:
            thread.join(timeout=60)
