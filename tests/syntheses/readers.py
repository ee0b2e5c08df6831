"""Exported files read back with their own libraries (pikepdf, pypdf, odfdo, markdown-it, lxml),
and the sample synthesis the export tests render."""
import io
import json
from datetime import datetime

import pikepdf
import pypdf
from lxml import html as lxml_html
from markdown_it import MarkdownIt
from odfdo import Document

from forum.syntheses.document import CollegeCount, ExportDocument, Source

SITE = "https://agora.example"
QUOTES = [
    ("Claire-IRTS", 12, "L'accès aux droits passe d'abord par l'accueil : sans rendez-vous rapide, "
                        "les personnes renoncent."),
    ("Jamel.B", 31, "Nous demandons un référent unique par territoire, joignable le matin."),
    ("Nadia.M", 47, "Les travailleurs sociaux manquent de temps pour accompagner les démarches en ligne."),
]
HEADINGS = ["La question posée", "Participation", "Positions exprimées", "L'accueil",
            "Le référent unique", "Décisions et suites"]


def quote(pseudonym, post, text):
    """A quotation in the forum's HTML shape."""
    return (f'<blockquote class="quote"><p class="quote-source"><cite><a href="/message/{post}">{pseudonym}</a>'
            f"</cite></p><p>{text}</p></blockquote>")


BODY = f"""
<h2>{HEADINGS[0]}</h2><p>Comment rendre l'accès aux droits plus simple ? <em>Débat</em> ouvert
le 2 novembre dans <a href="/sujet/12">le sujet du comité</a>.</p>
<h2>{HEADINGS[1]}</h2><p>Vingt-trois membres ont écrit <strong>58 messages</strong>.</p>
<h2>{HEADINGS[2]}</h2>
<h3>{HEADINGS[3]}</h3>{quote(*QUOTES[0])}
<h3>{HEADINGS[4]}</h3>{quote(*QUOTES[1])}
<ul><li>un référent par territoire</li><li>des horaires du matin<ul><li>8 h – 10 h</li></ul></li></ul>
{quote(*QUOTES[2])}
<h2>{HEADINGS[5]}</h2>
<table><caption>Actions ouvertes</caption><thead><tr><th>Action</th><th>Qui</th><th>Échéance</th></tr></thead>
<tbody><tr><td>Écrire au département</td><td>Coordination</td><td>15 janvier</td></tr>
<tr><td>Recenser les accueils</td><td>Comité 13</td><td>1er février</td></tr></tbody></table>
<ol><li>Valider la synthèse</li><li>La transmettre au HCTS</li></ol>
"""


def synthesis(**changes):
    """The sample synthesis, with ``changes`` to its fields."""
    fields = dict(
        title="Accès aux droits : ce que disent les comités", body_html=BODY,
        space_name="Comité local des Bouches-du-Rhône", version=2, status_label="Publiée",
        dated=datetime(2026, 12, 6, 10, 30), url=f"{SITE}/synthese/3",
        sources=(Source("topic", "Sujet : Accès aux droits", f"{SITE}/sujet/12"),
                 Source("post", "Message de Claire-IRTS", f"{SITE}/message/12")),
        contributors=(CollegeCount("Personnes accompagnées", 6), CollegeCount("Autres collèges (3)", 9)),
        named_contributors=("Claire-IRTS", "Jamel.B"), transmitted_at=datetime(2026, 12, 7, 9, 0))
    fields.update(changes)
    return ExportDocument(**fields)


# --- PDF --------------------------------------------------------------------------------------

PAINTING = ("Tj", "TJ", "'", '"', "Do", "f", "F", "f*", "S", "s", "B", "B*", "b", "b*", "sh", "BI")


def pdfua_problems(data):
    """What a PDF/UA-1 file lacks that pikepdf can see (docs/syntheses.md, « Exports »)."""
    pdf = pikepdf.open(io.BytesIO(data))
    root = pdf.Root
    with pdf.open_metadata() as xmp:
        problems = [key for key in ("dc:title", "{http://www.aiim.org/pdfua/ns/id/}part") if not xmp.get(key)]
    problems += [key for key in ("/StructTreeRoot", "/MarkInfo", "/Lang", "/ViewerPreferences")
                 if not root.get(key)]
    if root.get("/MarkInfo") and not root.MarkInfo.get("/Marked"):
        problems.append("/MarkInfo /Marked")
    for number, page in enumerate(pdf.pages, start=1):
        depth = 0
        for _, operator in pikepdf.parse_content_stream(page):
            operator = str(operator)
            depth += operator in ("BDC", "BMC")
            depth -= operator == "EMC"
            if not depth and operator in PAINTING:
                problems.append(f"page {number}: {operator} untagged")
                break
    for name, font in fonts(pdf):
        if "/ToUnicode" not in font:
            problems.append(f"font {name}: no /ToUnicode")
        if not _embedded(font):
            problems.append(f"font {name}: not embedded")
    return problems


def fonts(pdf):
    seen = {}
    for page in pdf.pages:
        for name, font in page.Resources.get("/Font", {}).items():
            seen[font.objgen] = (name, font)
    return list(seen.values())


def _embedded(font):
    descriptor = font.DescendantFonts[0].FontDescriptor if "/DescendantFonts" in font else font.get("/FontDescriptor")
    return descriptor is not None and any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def font_names(data):
    pdf = pikepdf.open(io.BytesIO(data))
    return {str(font.BaseFont).split("+")[-1] for _, font in fonts(pdf)}


def outline(data):
    """The bookmarks as (depth, title), in order."""
    pdf = pikepdf.open(io.BytesIO(data))
    found = []

    def walk(items, depth):
        for item in items:
            found.append((depth, item.title))
            walk(item.children, depth + 1)
    with pdf.open_outline() as tree:
        walk(tree.root, 1)
    return found


def pdf_info(data):
    """/Lang, info /Title, XMP dc:title, page count."""
    pdf = pikepdf.open(io.BytesIO(data))
    with pdf.open_metadata() as xmp:
        dc_title = xmp.get("dc:title")
    return str(pdf.Root.Lang), str(pdf.docinfo.get("/Title")), dc_title, len(pdf.pages)


def pdf_lines(data):
    """The text of every page, as pypdf extracts it."""
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def pdf_text(data):
    """The extracted text, white space runs made one space."""
    return " ".join(pdf_lines(data).split())


# --- ODT, Markdown, HTML ----------------------------------------------------------------------

def odt(data):
    return Document(io.BytesIO(data))


def markdown(text):
    """(front matter as a dict, markdown-it tokens of the rest)."""
    assert text.startswith("---\n")
    head, rest = text[4:].split("\n---\n", 1)
    matter = {}
    for line in head.splitlines():
        name, value = line.split(": ", 1)
        matter[name] = json.loads(value)      # strings are JSON-compatible double-quoted YAML
    return matter, MarkdownIt("commonmark").enable("table").parse(rest)


def headings_of(tokens):
    """(level, text) of each Markdown heading, its escapes read."""
    return [(int(token.tag[1]), inline_text(tokens[index + 1])) for index, token in enumerate(tokens)
            if token.type == "heading_open"]


def inline_text(token):
    """The text of an inline token as a reader sees it (escapes read, marks dropped)."""
    return "".join(child.content if child.type in ("text", "code_inline", "html_inline") else
                   " " if child.type in ("softbreak", "hardbreak") else "" for child in token.children or ())


def html(text):
    return lxml_html.document_fromstring(text)


def structure_counts(data):
    """How many structure elements of each type the PDF's tag tree holds."""
    pdf = pikepdf.open(io.BytesIO(data))
    counts, stack = {}, [pdf.Root.StructTreeRoot]
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack.extend(node)
            continue
        if not isinstance(node, pikepdf.Dictionary):
            continue            # a marked-content id
        if "/S" in node:
            counts[str(node.S)[1:]] = counts.get(str(node.S)[1:], 0) + 1
        if "/K" in node:
            stack.append(node.K)
    return counts


def untagged_links(data):
    """Link annotations without their place in the structure tree (/StructParent)."""
    pdf = pikepdf.open(io.BytesIO(data))
    return [annotation for page in pdf.pages for annotation in page.get("/Annots", [])
            if annotation.get("/Subtype") == "/Link" and "/StructParent" not in annotation]
