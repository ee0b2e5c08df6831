"""A synthesis as an OpenDocument text (ODT), for offices that edit it further, built with odfdo
from the prepared HTML body (ODF is the office format the RGI recommends to French public bodies).

The document: language fr-FR, title and dates in its metadata; the cover (space, the title as the
only level-1 heading, date, version, status, transmission), the body (headings, paragraphs,
nested lists, tables with their header rows, quotations in the « Quotations » paragraph style
with their source line, links, emphasis), the sources with their links and the contributions.
"""
import io
import re

from odfdo import (Cell, Column, Document, Header, HeaderRows, LineBreak, Link, List, ListItem,
                   Paragraph, Row, Span, Style, Table)

from .export_body import HEADINGS, contributors_total, cover_lines, in_language, labels, prepare, with_colon

QUOTATIONS = "Quotations"
EMPHASIS = {"em": "Emphasis", "i": "Emphasis", "cite": "Emphasis", "q": "Emphasis",
            "strong": "Strong_20_Emphasis", "b": "Strong_20_Emphasis"}
BLOCKS = {"p", "blockquote", "ul", "ol", "table", "pre", "hr", "div", "section", "main", "dl", "dt",
          "dd", "li", "tr", "td", "th", "thead", "tbody", "tfoot", "caption", "figure", *HEADINGS}
LANGUAGES = {"fr": "fr-FR", "en": "en-GB"}


def to_odt(doc):
    """The ODT file of ``doc`` (an ``ExportDocument``), as bytes."""
    with in_language(doc):
        prepared = prepare(doc)
        doc = prepared.doc
        odt = _document(doc)
        body = odt.body
        _cover(doc, body)
        _blocks(prepared.body, body, None, odt)
        _sources(doc, body)
        _contributions(doc, body, odt)
    output = io.BytesIO()
    odt.save(output)
    return output.getvalue()


def _document(doc):
    odt = Document("text")
    odt.language = LANGUAGES.get(doc.lang, doc.lang)    # the default style's fo:language and dc:language
    odt.meta.set_title(doc.title)
    odt.meta.set_subject(doc.space_name)
    odt.meta.set_creation_date(doc.dated)
    odt.meta.set_modification_date(doc.dated)
    odt.insert_style(Style("paragraph", QUOTATIONS, display_name="Quotations", parent_style="Standard",
                           area="paragraph", margin_left="1cm", margin_right="1cm",
                           margin_top="0.1cm", margin_bottom="0.2cm"), automatic=False)
    odt.insert_style(Style("text", "Emphasis", display_name="Emphasis", italic=True), automatic=False)
    odt.insert_style(Style("text", "Strong_20_Emphasis", display_name="Strong Emphasis", bold=True),
                     automatic=False)
    return odt


def _cover(doc, body):
    body.append(Paragraph(doc.space_name, style="Text_20_body"))
    body.append(_heading(1, doc.title))
    for label, value in cover_lines(doc):
        body.append(Paragraph(with_colon(label, doc.lang) + value, style="Text_20_body"))
    if doc.url:
        line = Paragraph(with_colon(labels()["online"], doc.lang), style="Text_20_body")
        line.append(Link(doc.url, text=doc.url))
        body.append(line)


def _sources(doc, body):
    text = labels()
    body.append(_heading(2, text["sources"]))
    if not doc.sources:
        body.append(Paragraph(text["no_sources"], style="Text_20_body"))
        return
    listing = List(style="List_20_1")
    for source in doc.sources:
        line = Paragraph(style="List")
        line.append(Link(source.url, text=source.label or source.url))
        line.append(f" ({source.url})")
        listing.append(ListItem(line))
    body.append(listing)


def _heading(level, text=None):
    header = Header(level, text) if text else Header(level)
    header.style = f"Heading_20_{level}"     # odfdo's constructor drops ``style``: word processors need it
    return header


def _contributions(doc, body, odt):
    text = labels()
    body.append(_heading(2, text["contributions"]))
    if contributors_total(doc):
        body.append(Paragraph(contributors_total(doc), style="Text_20_body"))
    if doc.contributors:
        rows = [[text["college"], text["count"]]] + [[c.label, str(c.count)] for c in doc.contributors]
        _append_table(body, odt, rows, header_rows=1, caption=text["counts_caption"])
    elif not doc.contributor_total:
        body.append(Paragraph(text["no_contributions"], style="Text_20_body"))
    if doc.named_contributors:
        body.append(Paragraph(with_colon(text["named"], doc.lang) + ", ".join(doc.named_contributors) + ".",
                              style="Text_20_body"))


# --- the body: HTML blocks and inline content to ODF ------------------------------------------

def _blocks(container, out, style, odt, in_list=False):
    """The children of an HTML element as ODF blocks appended to ``out``; loose text and inline
    elements between blocks become paragraphs."""
    pending = []

    def flush():
        if any(not isinstance(part, str) or part.strip() for part in pending):
            paragraph = Paragraph(style=style or "Text_20_body")
            for part in pending:
                _inline_part(paragraph, part)
            out.append(paragraph)
        pending.clear()

    pending.append(container.text or "")
    for child in container:
        if isinstance(child.tag, str) and child.tag in BLOCKS:
            flush()
            _block(child, out, style, odt, in_list)
        elif isinstance(child.tag, str):
            pending.append(child)
        pending.append(child.tail or "")
    flush()


def _block(element, out, style, odt, in_list):
    tag = element.tag
    if tag in HEADINGS:
        level = int(tag[1])
        out.append(_inline(_heading(level), element))
    elif tag == "p":
        out.append(_inline(Paragraph(style=style or "Text_20_body"), element))
    elif tag == "blockquote":
        _blocks(element, out, QUOTATIONS, odt, in_list)
    elif tag in ("ul", "ol"):
        out.append(_list(element, style, odt))
    elif tag == "table" and not in_list:
        _table(element, out, odt)
    elif tag == "pre":
        out.append(Paragraph(element.text_content().rstrip("\n"), style="Preformatted_20_Text"))
    elif tag == "hr":
        return
    elif tag == "table":        # ODF list items hold no tables: its rows as lines
        for row in element.iter("tr"):
            out.append(Paragraph(" | ".join(_text(cell) for cell in row), style=style or "Text_20_body"))
    else:
        _blocks(element, out, style, odt, in_list)


def _list(element, style, odt):
    listing = List(style="Numbering_20_1" if element.tag == "ol" else "List_20_1")
    for child in element:
        if not isinstance(child.tag, str):
            continue
        item = ListItem()
        if child.tag == "li":
            _blocks(child, item, style or "List", odt, in_list=True)
        else:
            _block(child, item, style or "List", odt, in_list=True)
        listing.append(item)
    return listing


def _table(element, out, odt):
    caption = element.find("caption")
    rows, header_rows = [], 0
    for row in element.iter("tr"):
        cells = [cell for cell in row if cell.tag in ("td", "th")]
        if not cells:
            continue
        in_head = row.getparent().tag == "thead" or all(cell.tag == "th" for cell in cells)
        if in_head and len(rows) == header_rows:    # header rows come first
            header_rows += 1
        rows.append([_text(cell) for cell in cells])
    if rows:
        _append_table(out, odt, rows, header_rows, _text(caption) if caption is not None else "")


def _append_table(out, odt, rows, header_rows, caption=""):
    if caption:
        out.append(Paragraph(caption, style="Caption"))
    width = max(len(row) for row in rows)
    table = Table(f"Tableau{len(odt.body.get_tables()) + 1}")
    table.append(Column(repeated=width))
    head = HeaderRows() if header_rows else None
    if head is not None:
        table.append(head)
    for number, cells in enumerate(rows):
        row = Row()
        for text in cells + [""] * (width - len(cells)):
            row.append_cell(Cell(text))
        (head if number < header_rows else table).append(row)
    out.append(table)


def _text(element):
    return " ".join(element.text_content().split())


def _inline(target, element):
    """``element``'s text and inline children appended to ``target`` (a paragraph, heading or span)."""
    _append_text(target, element.text)
    for child in element:
        if isinstance(child.tag, str):
            _inline_part(target, child)
        _append_text(target, child.tail)
    return target


def _inline_part(target, part):
    if isinstance(part, str):
        _append_text(target, part)
    elif part.tag == "a" and part.get("href"):
        target.append(Link(part.get("href"), text=_text(part) or part.get("href")))
    elif part.tag == "br":
        target.append(LineBreak())
    elif part.tag in EMPHASIS:
        target.append(_inline(Span(style=EMPHASIS[part.tag]), part))
    else:
        _inline(target, part)


_SPACES = re.compile(r"\s+")


def _append_text(target, text):
    if text:
        target.append(_SPACES.sub(" ", text))
