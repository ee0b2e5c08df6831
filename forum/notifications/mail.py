"""Email: absolute links, building multipart messages, and the two transports.

``FORUM_SMTP_URL`` set: ``smtp://user:pass@host:587`` (STARTTLS, required when the server
offers it or a password is sent) or ``smtps://…:465`` (TLS from the start). Unset: each
message is written as an ``.eml`` file in ``instance/mail/`` (and logged), so that the
forum runs with nothing installed and a developer can open what would have been sent.
"""
import binascii
import logging
import os
import secrets
import smtplib
import ssl
import uuid
from datetime import datetime, timezone
from email.header import Header
from email.mime.multipart import MIMEMultipart
from email.mime.nonmultipart import MIMENonMultipart
from email.policy import compat32
from email.utils import format_datetime, formataddr, parseaddr
from urllib.parse import unquote, urlsplit

from flask import current_app
from flask_babel import force_locale, get_translations
from jinja2 import pass_context
from markupsafe import Markup

from ..config import LOCALES

log = logging.getLogger(__name__)

DEFAULT_SERVER_NAME = "127.0.0.1:5000"
# Headers are not folded below RFC 5322's 998 characters: a long List-Unsubscribe link stays on
# its line (encoded subjects still fold themselves into encoded words).
UNFOLDED = compat32.clone(max_line_length=998)


# --- links ----------------------------------------------------------------------------------

def _adapter():
    app = current_app._get_current_object()
    cache = app.extensions.setdefault("agora_mail", {})
    if "adapter" not in cache:
        config = app.config
        cache["adapter"] = app.url_map.bind(config.get("SERVER_NAME") or DEFAULT_SERVER_NAME,
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
    return absolute_url("forum.home").rstrip("/") + path


# --- messages -----------------------------------------------------------------------------

def sender_address():
    return current_app.config["MAIL_SENDER"]


def recipient(member):
    """``Pseudonyme <adresse>``, encoded as the header needs."""
    return formataddr((member.pseudonym, member.email), charset="utf-8")


def _translations(locale):
    """Plain gettext callables for emails: Flask-Babel's look the locale up on every call."""
    cache = current_app.extensions.setdefault("agora_mail", {}).setdefault("gettext", {})
    if locale not in cache:
        with force_locale(locale):
            translations = get_translations()

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


def build(member, subject, text, html, unsubscribe_url=None, preferences_url=None, category="notifications"):
    """A multipart (plain text + HTML) message to ``member``, with one-click unsubscribe.

    Built with the standard library's ``compat32`` classes: the modern ``EmailMessage`` parses
    every header it is given, which cost more than composing a digest.
    """
    sender = sender_address()
    name, address = parseaddr(sender)
    domain = address.rpartition("@")[2] or "agora.localhost"
    message = MIMEMultipart("alternative", policy=UNFOLDED)
    message["From"] = formataddr((name, address), charset="utf-8")
    message["To"] = recipient(member)
    message["Subject"] = Header(subject, "utf-8")
    message["Date"] = format_datetime(datetime.now(timezone.utc))
    # Short enough never to be folded onto a second line (some clients mishandle that).
    message["Message-ID"] = f"<{secrets.token_hex(12)}.{category}@{domain}>"
    message["Auto-Submitted"] = "auto-generated"   # RFC 3834: no vacation replies
    message["List-Id"] = f"Agora {category} <{category}.{domain}>"
    if unsubscribe_url:
        message["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"   # RFC 8058
    if preferences_url:
        message["List-Help"] = f"<{preferences_url}>"
    message.attach(_text_part(text, "plain"))
    message.attach(_text_part(html, "html"))
    return message


def _text_part(body, subtype):
    """A UTF-8 text part in quoted-printable (compact for French, encoded by C code)."""
    part = MIMENonMultipart("text", subtype, charset="utf-8", policy=UNFOLDED)
    del part["MIME-Version"]
    part["Content-Transfer-Encoding"] = "quoted-printable"
    part.set_payload(binascii.b2a_qp(body.encode("utf-8"), istext=True).decode("ascii"))
    return part


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
            handle.write(message.as_bytes())
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
            self.connection.send_message(message)
        except smtplib.SMTPServerDisconnected:
            self._connect()
            self.connection.send_message(message)
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
