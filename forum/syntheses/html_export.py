"""A synthesis as one standalone HTML page: the downloaded HTML export, and WeasyPrint's input
for the PDF (``pdf_export``). Its style is inline: the file travels alone (it is served as an
attachment, never shown as one of the site's pages, whose policy forbids inline styles).

The page: a cover (space, title as the only <h1>, date, version, status, transmission to the
HCTS), a table of contents (page numbers in print), the body, the sources with their links and
the contributions counted by collège.
"""
import copy

from flask_babel import gettext as _
from lxml import html as lxml_html
from lxml.html import builder as E

from .export_body import contributors_total, cover_lines, in_language, iso_date, labels, page_numbering, prepare, with_colon

STYLE = """
@page { size: A4; margin: 2cm 2cm 2.4cm;
  @top-right { content: string(doctitle); font: 8pt "DejaVu Sans", sans-serif; color: #444; }
  @bottom-center { content: PAGE_NUMBERING; font: 9pt "DejaVu Sans", sans-serif; color: #222; } }
@page :first { @top-right { content: none; } @bottom-center { content: none; } }
html { font: 11pt/1.45 "DejaVu Serif", serif; color: #111; background: #fff;
  hyphens: manual; overflow-wrap: anywhere; }
body { margin: 0; }
h1, h2, h3, h4, h5, h6 { font-family: "DejaVu Sans", sans-serif; line-height: 1.25;
  break-after: avoid; margin: 1.2em 0 .5em; }
h1 { string-set: doctitle content(); font-size: 22pt; margin: 3cm 0 1cm; }
h2 { font-size: 15pt; } h3 { font-size: 13pt; } h4, h5, h6 { font-size: 11.5pt; }
.cover { break-after: page; }
.cover .space { font-family: "DejaVu Sans", sans-serif; font-size: 13pt; margin-top: 2cm; }
.cover .facts p { margin: .2em 0; }
.toc { break-after: page; }
.toc ul { list-style: none; padding: 0; margin: 0; }
.toc li { margin: .25em 0; }
.toc .level-3 { padding-left: 1.5em; } .toc .level-4 { padding-left: 3em; }
.toc .level-5, .toc .level-6 { padding-left: 4.5em; }
.toc a { color: inherit; text-decoration: none; }
p, li { orphans: 2; widows: 2; }
a { color: #0b4f8a; }
blockquote { margin: .7em 0 .7em 1em; padding-left: .8em; border-left: 3px solid #777;
  break-inside: avoid; }
blockquote p { margin: .25em 0; }
/* Past five nested quotations or lists, no more indentation: the text keeps the page's width. */
:is(blockquote, ul, ol) :is(blockquote, ul, ol) :is(blockquote, ul, ol) :is(blockquote, ul, ol)
  :is(blockquote, ul, ol) :is(blockquote, ul, ol) { margin-left: 0; padding-left: 0; border-left: 0; }
.quote-source { font-family: "DejaVu Sans", sans-serif; font-size: 9.5pt; }
table { border-collapse: collapse; table-layout: fixed; width: 100%; font-size: 9pt; margin: .8em 0; }
caption { break-after: avoid; caption-side: top; text-align: left; font-weight: bold;
  padding-bottom: .3em; }
thead { display: table-header-group; }
th, td { border: 1px solid #888; padding: 2pt 4pt; text-align: left; vertical-align: top; }
pre { white-space: pre-wrap; font: 9pt/1.35 "DejaVu Sans Mono", monospace; }
code { font-family: "DejaVu Sans Mono", monospace; font-size: .9em; }
.sources h2, .contributions h2 { margin-top: 1.6em; }
.sources li { margin-bottom: .4em; } .sources .url { font-size: 9pt; }
@media print { .toc a::after { content: leader(".") target-counter(attr(href url), page); } }
@media screen { body { max-width: 46em; margin: 1.5em auto; padding: 0 1em; } }
"""


def to_html(doc):
    """The standalone HTML page of ``doc`` (an ``ExportDocument``)."""
    with in_language(doc):
        return page(prepare(doc))


def page(prepared):
    """The HTML page of a ``Prepared`` document (under ``in_language``)."""
    doc = prepared.doc
    root = E.HTML(_head(doc), E.BODY(cover(doc), _contents(prepared), _body(prepared),
                                    sources(doc), contributions(doc)), lang=doc.lang)
    return lxml_html.tostring(root, doctype="<!DOCTYPE html>", encoding="unicode", method="html")


def _head(doc):
    description = _("Synthèse de l'espace « %(space)s », version %(version)s, %(status)s.",
                    space=doc.space_name, version=doc.version, status=doc.status_label)
    return E.HEAD(
        E.META(charset="utf-8"),
        E.META(name="viewport", content="width=device-width, initial-scale=1"),
        E.TITLE(doc.title),
        E.META(name="author", content=doc.space_name),
        E.META(name="description", content=description),
        E.META(name="dcterms.created", content=iso_date(doc.dated)),
        E.STYLE(STYLE.replace("PAGE_NUMBERING", page_numbering())))


def cover(doc):
    """The cover: space, title (the only <h1>), date, version, status, link to the page."""
    text = labels()
    facts = [E.P(E.STRONG(with_colon(label, doc.lang)), value)
             for label, value in cover_lines(doc)]
    online = E.P(with_colon(text["online"], doc.lang), E.A(doc.url, href=doc.url)) if doc.url else ""
    return E.E.section(E.P(doc.space_name, E.CLASS("space")), E.H1(doc.title, id="titre"),
                       E.DIV(*facts, E.CLASS("facts")), online, E.CLASS("cover"))


def _contents(prepared):
    text = labels()
    entries = [(heading.level, heading.text, heading.anchor) for heading in prepared.headings]
    entries += [(2, text["sources"], "sources"), (2, text["contributions"], "contributions")]
    items = [E.LI(E.A(title, href=f"#{anchor}"), E.CLASS(f"level-{level}")) for level, title, anchor in entries]
    return E.E.nav(E.H2(text["contents"], id="sommaire"), E.UL(*items), E.CLASS("toc"),
                   **{"aria-labelledby": "sommaire"})


def _body(prepared):
    main = copy.deepcopy(prepared.body)
    main.tag = "main"
    main.set("class", "body")
    return main


def sources(doc):
    """The sources, each its label linked and its address written out (for paper)."""
    text = labels()
    if doc.sources:
        listing = E.UL(*[E.LI(E.A(source.label or source.url, href=source.url), E.BR(),
                              E.SPAN(source.url, E.CLASS("url"))) for source in doc.sources])
    else:
        listing = E.P(text["no_sources"])
    return E.E.section(E.H2(text["sources"], id="sources"), listing, E.CLASS("sources"))


def contributions(doc):
    """Contributors counted by collège (small groups already merged), then who agreed to be named."""
    text = labels()
    parts = [E.H2(text["contributions"], id="contributions")]
    if contributors_total(doc):
        parts.append(E.P(contributors_total(doc)))
    if doc.contributors:
        parts.append(E.TABLE(
            E.CAPTION(text["counts_caption"]),
            E.THEAD(E.TR(E.TH(text["college"], scope="col"), E.TH(text["count"], scope="col"))),
            E.TBODY(*[E.TR(E.TD(count.label), E.TD(str(count.count))) for count in doc.contributors])))
    elif not doc.contributor_total:
        parts.append(E.P(text["no_contributions"]))
    if doc.named_contributors:
        parts.append(E.P(with_colon(text["named"], doc.lang) + ", ".join(doc.named_contributors) + "."))
    return E.E.section(*parts, E.CLASS("contributions"))
