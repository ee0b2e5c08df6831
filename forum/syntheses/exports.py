"""The export formats of a synthesis: each renderer reads an ``ExportDocument`` (plain data,
permissions applied) and returns the file, without the database, the network or a request.

``FORMATS[name]`` is ``(render, media type, file extension)``: ``flask syntheses export`` and
the download routes use it. PDF: ``pdf_export`` (WeasyPrint, PDF/UA-1); ODT: ``odt_export``
(odfdo); Markdown: ``markdown_export`` (markdownify); HTML: ``html_export`` (WeasyPrint's input).
"""
from .html_export import to_html


def to_pdf(doc):
    # WeasyPrint takes a second and about 40 MiB to import: only processes that render a PDF pay it.
    from .pdf_export import to_pdf as render
    return render(doc)


def to_markdown(doc):
    # markdownify brings Beautiful Soup (7 MiB): likewise, only when Markdown is asked.
    from .markdown_export import to_markdown as render
    return render(doc)


def to_odt(doc):
    # odfdo likewise, only when an ODT is asked.
    from .odt_export import to_odt as render
    return render(doc)


FORMATS = {
    "pdf": (to_pdf, "application/pdf", "pdf"),
    "odt": (to_odt, "application/vnd.oasis.opendocument.text", "odt"),
    "md": (to_markdown, "text/markdown; charset=utf-8", "md"),
    "html": (to_html, "text/html; charset=utf-8", "html"),
}

__all__ = ["FORMATS", "to_html", "to_markdown", "to_odt", "to_pdf"]
