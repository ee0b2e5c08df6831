"""The sign-in sheet (« feuille d'émargement ») of a meeting as a PDF, for its organisers: the
registered members and those recorded without registering, their collège when they show it,
and an empty column to sign. WeasyPrint as the syntheses' PDF export (PDF/UA-1, nothing
fetched); the page is built here with its style inline (the file travels alone, never shown as
one of the site's pages).
"""
import logging

from flask_babel import gettext as _
from lxml import html as lxml_html
from lxml.html import builder as E

from forum.errors import Invalid
from forum.text.slugs import slugify

from . import display
from .attendance import sheet

log = logging.getLogger(__name__)

STYLE = """
@page { size: A4; margin: 1.5cm 1.5cm 2cm;
  @bottom-center { content: counter(page) " / " counter(pages); font: 9pt "DejaVu Sans", sans-serif; } }
html { font: 11pt/1.4 "DejaVu Sans", sans-serif; color: #111; }
h1 { font-size: 17pt; margin: 0 0 .3em; }
p { margin: .2em 0; }
table { border-collapse: collapse; width: 100%; margin-top: 1em; table-layout: fixed; }
thead { display: table-header-group; }
th, td { border: 1px solid #444; padding: 4pt 6pt; text-align: left; vertical-align: middle; }
td { height: 1.3cm; }
tr { break-inside: avoid; }
.name { width: 38%; } .college { width: 30%; } .signature { width: 32%; }
"""


def markup(viewer, meeting):
    """The sheet's HTML (raises ``Forbidden`` for who does not organise the meeting)."""
    rows = sheet(viewer, meeting)
    place = ", ".join(part for part in (meeting.place_name, meeting.address) if part)
    head = E.HEAD(E.META(charset="utf-8"), E.TITLE(_("Feuille d'émargement — %(title)s", title=meeting.title)),
                  E.STYLE(STYLE))
    body = E.BODY(
        E.H1(_("Feuille d'émargement")),
        E.P(E.STRONG(meeting.title)), E.P(meeting.space.name), E.P(display.when(meeting)),
        *([E.P(place)] if place else []),
        E.TABLE(
            E.CAPTION(_("%(n)s personnes", n=len(rows))),
            E.THEAD(E.TR(E.TH(_("Nom"), E.CLASS("name"), scope="col"),
                         E.TH(_("Collège"), E.CLASS("college"), scope="col"),
                         E.TH(_("Signature"), E.CLASS("signature"), scope="col"))),
            E.TBODY(*[E.TR(E.TD(row["pseudonym"]), E.TD(row["college"]), E.TD("")) for row in rows])))
    return lxml_html.tostring(E.HTML(head, body, lang="fr"), doctype="<!DOCTYPE html>", encoding="unicode")


def to_pdf(viewer, meeting):
    """(bytes, file name) of the sheet."""
    # WeasyPrint costs a web process about 30 MiB: only the processes that print a sheet pay it.
    from weasyprint import HTML

    from forum.syntheses.pdf_export import NoFetching
    page = markup(viewer, meeting)
    try:
        pdf = HTML(string=page, url_fetcher=NoFetching()).write_pdf(pdf_variant="pdf/ua-1")
    except Exception as error:      # a layout failure of WeasyPrint, whatever its kind: a message, not a 500
        log.exception("sign-in sheet of meeting %s failed", meeting.id)
        raise Invalid(_("La feuille d'émargement n'a pas pu être produite.")) from error
    return pdf, f"emargement-{meeting.id}-{slugify(meeting.title, 50) or 'reunion'}.pdf"
