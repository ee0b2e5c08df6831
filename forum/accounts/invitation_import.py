"""Invitations by the hundred: a CSV file, one line per address.

Columns: address, comités (département codes or slugs separated by ``;``), collège (slug), and
an optional language (``fr``, ``en``); a header line is optional. Good lines are invited, bad
ones reported with their number and the reason: one typo never blocks a whole plenary's list.
"""
import csv
import io
from dataclasses import dataclass, field

from flask_babel import gettext as _

from forum.errors import Invalid, Refused
from forum.extensions import db
from forum.notifications import mail

from . import invitations

MAX_BYTES = 256 * 1024
MAX_LINES = 1000
HEADER_WORDS = {"email", "e-mail", "courriel", "adresse", "address"}


@dataclass
class Line:
    number: int
    email: str
    committees: list
    college: str
    locale: str | None = None


@dataclass
class Report:
    invited: list = field(default_factory=list)     # the invitations made
    refused: list = field(default_factory=list)     # (line number, reason in French)


def read_csv(data):
    """The lines of an uploaded file (bytes); refuses what is too big or not a CSV text."""
    if len(data) > MAX_BYTES:
        raise Invalid({"file": _("Ce fichier est trop gros (%(n)s Kio au plus).", n=MAX_BYTES // 1024)}, 413)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Invalid({"file": _("Ce fichier n'est pas un fichier CSV en texte (UTF-8) : enregistrez "
                                 "votre tableau au format « CSV UTF-8 ».")}, 415) from None
    if "\x00" in text or not text.strip():
        raise Invalid({"file": _("Ce fichier n'est pas un fichier CSV en texte (UTF-8) : enregistrez "
                                 "votre tableau au format « CSV UTF-8 ».")}, 415)
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error:
        raise Invalid({"file": _("Ce fichier CSV est mal formé.")}, 415) from None
    lines = []
    for number, row in enumerate(rows, start=1):
        cells = [cell.strip() for cell in row]
        if not any(cells):
            continue
        if number == 1 and cells[0].lower() in HEADER_WORDS:
            continue
        cells += [""] * (4 - len(cells))
        lines.append(Line(number, cells[0], [c for c in cells[1].split(";") if c.strip()], cells[2],
                          cells[3].lower() or None))
    if len(lines) > MAX_LINES:
        raise Invalid({"file": _("Ce fichier compte plus de %(n)s lignes : découpez-le.", n=MAX_LINES)}, 413)
    return lines


def import_lines(inviter, lines, progress=None):
    """Invite each line (``inviter`` None: the command line); one transport for all the emails."""
    report = Report()
    with mail.transport() as transport:
        for line in lines:
            try:
                report.invited.append(invitations.invite(inviter, line.email, line.committees, line.college,
                                                         line.locale, transport=transport))
            except Refused as refusal:
                db.session.rollback()
                report.refused.append((line.number, refusal.message))
            if progress is not None:
                progress(1)
    return report


def describe(report):
    """The French lines that tell what an import did."""
    messages = [_("%(n)s invitation(s) envoyée(s).", n=len(report.invited))]
    messages += [_("Ligne %(n)s : %(reason)s", n=number, reason=reason) for number, reason in report.refused]
    return messages
