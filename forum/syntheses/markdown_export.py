"""A synthesis as Markdown: YAML front matter (title, lang, date, version, status, url), then
markdownify's conversion of the HTML export without its table of contents: the cover (the title
as the only ``#`` heading), the body (ATX headings, quotations as ``>`` blocks, tables as GFM
tables), the sources and the contributions.

The front matter's strings are YAML double-quoted scalars that are also JSON strings (only
``\\"``, ``\\\\`` and ``\\uXXXX`` escapes), so any YAML or JSON reader takes them back exactly.
"""
from lxml import html as lxml_html
from markdownify import MarkdownConverter

from . import html_export
from .export_body import in_language, iso_date, prepare


class _Converter(MarkdownConverter):
    """markdownify with ATX headings (``## Titre``) and the document's own choices."""

    class Options(MarkdownConverter.DefaultOptions):
        heading_style = "ATX"
        bullets = "-"
        escape_misc = True          # a title or text that looks like Markdown stays text
        table_infer_header = True   # a table without <th> still gets the header GFM needs


def _markdown(markup):
    return _Converter().convert(markup).strip()


def to_markdown(doc):
    """The Markdown text of ``doc`` (an ``ExportDocument``)."""
    with in_language(doc):
        prepared = prepare(doc)
        doc = prepared.doc
        parts = [html_export.cover(doc), prepared.body, html_export.sources(doc), html_export.contributions(doc)]
        markup = "".join(lxml_html.tostring(part, encoding="unicode") for part in parts)
    return _front_matter(doc) + "\n\n" + _markdown(markup) + "\n"


def _front_matter(doc):
    fields = [("title", _quoted(doc.title)), ("lang", _quoted(doc.lang)),
              ("date", _quoted(iso_date(doc.dated))), ("version", str(int(doc.version))),
              ("status", _quoted(doc.status_label)), ("url", _quoted(doc.url))]
    if doc.transmitted_at:
        fields.append(("transmitted", _quoted(iso_date(doc.transmitted_at))))
    return "---\n" + "".join(f"{name}: {value}\n" for name, value in fields) + "---"


def _quoted(text):
    """``text`` as a double-quoted YAML scalar readable as a JSON string too."""
    escaped = []
    for char in text:
        code = ord(char)
        if char in '"\\':
            escaped.append("\\" + char)
        elif code < 0x20 or 0x7F <= code <= 0x9F or code in (0x2028, 0x2029, 0xFEFF) or 0xD800 <= code <= 0xDFFF:
            escaped.append(f"\\u{code:04x}")
        else:
            escaped.append(char)
    return '"' + "".join(escaped) + '"'
