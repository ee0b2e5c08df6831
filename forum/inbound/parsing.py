"""Reading a received email with the standard library, never trusting it to be well formed.

Every header is read through ``header()``: with ``policy.default`` a malformed header raises
only when it is read, and a broken message must end as a refusal, never as a traceback.
"""
import email
import email.policy
import hashlib
import re
from email.parser import BytesHeaderParser
from email.utils import getaddresses
from html.parser import HTMLParser

# RFC 3834 and the usual non-standard signs of a message written by a program.
_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}
_ROBOT_HEADERS = ("X-Autoreply", "X-Autorespond", "X-Autoresponder")
_ROBOT_SENDERS = re.compile(r"^(mailer-daemon|postmaster|no-?reply|ne-?pas-?repondre|bounces?)([+@.-]|$)", re.I)
_OUT_OF_OFFICE = re.compile(
    r"^\s*(r[ée]ponse automatique|absence|absent\b|auto(matic)?[ -]?reply|auto(matic)? response|"
    r"out of (the )?office|on vacation|vacation reply|autosvar|abwesenheitsnotiz|automatische antwort|"
    r"respuesta autom[áa]tica|risposta automatica|undeliverable|delivery status notification|"
    r"non remis|message non remis|returned mail|mail delivery failed)", re.I)


def parse(raw):
    """The message, or None when not even the headers can be read."""
    try:
        return email.message_from_bytes(raw, policy=email.policy.default)
    except Exception:      # noqa: BLE001 - the stdlib's parser has raised odd errors on garbage
        return None


def parse_headers(raw, limit=256 * 1024):
    """The headers only (a message too large to be read whole is still answered)."""
    head = raw[:limit]
    try:
        return BytesHeaderParser(policy=email.policy.default).parsebytes(head)
    except Exception:      # noqa: BLE001 - see parse()
        return None


def header(message, name):
    """A header's value as text ('' when missing or unreadable)."""
    if message is None:
        return ""
    try:
        value = message.get(name)
        return " ".join(str(value).split()) if value is not None else ""
    except Exception:      # noqa: BLE001 - a malformed header raises when read
        try:
            return " ".join(str(message.get_all(name, [""])[0]).split())
        except Exception:  # noqa: BLE001
            return ""


def addresses(message, name):
    """The addresses of a header (lowercase is left to the caller)."""
    value = header(message, name)
    try:
        return [address for _name, address in getaddresses([value]) if "@" in address]
    except Exception:      # noqa: BLE001
        return []


def sender(message):
    found = addresses(message, "From")
    return found[0] if found else None


def message_id(message, raw):
    """The Message-ID, or a digest of the message when it has none (a replay is still caught)."""
    value = header(message, "Message-ID").strip()[:255]
    return value or "sha256:" + hashlib.sha256(raw).hexdigest()


def is_automatic(message):
    """Out of office, robots, mailing lists: never posted, never answered (RFC 3834 §2)."""
    submitted = header(message, "Auto-Submitted").lower()
    if submitted and submitted.split(";")[0].strip() != "no":
        return True
    if header(message, "Precedence").lower() in _PRECEDENCE or header(message, "X-Precedence").lower() in _PRECEDENCE:
        return True
    if any(header(message, name) for name in _ROBOT_HEADERS):
        return True
    if header(message, "List-Id") or header(message, "List-Unsubscribe"):
        return True          # a list's copy of the message, not the member writing
    return bool(_OUT_OF_OFFICE.match(header(message, "Subject")))


def is_delivery_report(message):
    """A bounce (RFC 3464) or a mail server's failure notice: never answered."""
    try:
        content_type = message.get_content_type()
    except Exception:      # noqa: BLE001
        content_type = ""
    if content_type == "multipart/report" or header(message, "X-Failed-Recipients"):
        return True
    return bool(_ROBOT_SENDERS.match(sender(message) or "")) or not header(message, "From")


class _Text(HTMLParser):
    """The text of an HTML part: paragraphs kept, everything else dropped (a mail sent in HTML
    only; no markup or link from it reaches the post as markup)."""
    _BREAKS = {"p", "div", "br", "li", "tr", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.skipping = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script", "head"):
            self.skipping += 1
        elif tag == "blockquote":
            self.skipping += 1            # quoted by the mail client: the thread already has it
        if tag in self._BREAKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("style", "script", "head", "blockquote") and self.skipping:
            self.skipping -= 1
        if tag in self._BREAKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def html_text(html):
    parser = _Text()
    try:
        parser.feed(html)
        parser.close()
    except Exception:      # noqa: BLE001 - html.parser is lenient; never fail a message on it
        pass
    text = "".join(parser.parts).replace("\xa0", " ")
    return re.sub(r"\n\s*\n\s*(\n\s*)+", "\n\n", text).strip()


def _content(part):
    try:
        if part.get_content_charset() in ("iso-8859-1", "latin-1", "latin1", "us-ascii") \
                and part.get_content_maintype() == "text":
            # Mail clients label windows-1252 as latin-1 (as browsers do): its curly quotes
            # and € would become invisible control characters.
            return (part.get_payload(decode=True) or b"").decode("cp1252", "replace")
        return part.get_content()
    except Exception:      # noqa: BLE001 - an unknown charset or a broken encoding
        payload = part.get_payload(decode=True) or b""
        for charset in ("utf-8", "windows-1252"):
            try:
                return payload.decode(charset)
            except UnicodeDecodeError:
                continue
        return payload.decode("utf-8", "replace")


def body_text(message):
    """The text the member wrote (quotes still in), from the plain part, else the HTML one."""
    try:
        part = message.get_body(preferencelist=("plain", "html"))
    except Exception:      # noqa: BLE001
        part = None
    if part is None:
        return ""
    text = _content(part)
    if not isinstance(text, str):
        return ""
    if part.get_content_subtype() == "html":
        return html_text(text)
    return text


def getaddresses_one(value):
    """The address of a single ``Name <address>`` value ('' if none)."""
    try:
        found = [address for _name, address in getaddresses([value or ""]) if "@" in address]
    except Exception:      # noqa: BLE001
        found = []
    return found[0] if found else ""
