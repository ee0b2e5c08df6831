"""A synthesis as an accessible PDF: WeasyPrint's PDF/UA-1 variant of the HTML export.

Tagged structure, ``/Lang`` and ``/Title`` from the page's ``lang`` and ``<title>``, bookmarks
from its headings, A4 pages numbered « Page N sur M » under a running title (the CSS of
``html_export``). Nothing is fetched: images were replaced by their description beforehand and
the fetcher refuses every URL, so a render never waits on the network nor reads a file.
What WeasyPrint does not yet tag well is listed in docs/syntheses.md.
"""
import logging

from flask_babel import gettext as _
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from forum.errors import Invalid

from .export_body import in_language, prepare
from .html_export import page

log = logging.getLogger(__name__)


class NoFetching(URLFetcher):
    """Refuses every URL (WeasyPrint logs the refusal and renders without the resource)."""

    def fetch(self, url, headers=None):
        raise ValueError(f"exports fetch nothing: {url[:200]}")


def to_pdf(doc):
    """The PDF/UA-1 file of ``doc`` (an ``ExportDocument``), as bytes.

    Raises ``Invalid`` (a French message) when WeasyPrint cannot lay the document out.
    """
    with in_language(doc):
        prepared = prepare(doc)
        markup = page(prepared)
        try:
            return HTML(string=markup, base_url=prepared.doc.url or None,
                        url_fetcher=NoFetching()).write_pdf(pdf_variant="pdf/ua-1")
        except Exception as error:      # a layout failure of WeasyPrint, whatever its kind: a message, not a 500
            log.exception("PDF export of %r failed", prepared.doc.title[:80])
            raise Invalid(_("Le PDF de cette synthèse n'a pas pu être produit : sa mise en page a échoué. "
                            "Exportez-la en ODT, Markdown ou HTML, ou simplifiez le passage en cause "
                            "(des citations imbriquées très profondément, par exemple).")) from error
