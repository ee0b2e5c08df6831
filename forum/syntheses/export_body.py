"""What every export format shares: the document's texts made printable, its body parsed once
and made self-contained, its headings, dates and labels in the document's language.

The renderers (``pdf_export``, ``html_export``, ``odt_export``, ``markdown_export``) read a
``Prepared`` document, never the ``ExportDocument`` as given: its body may hold broken markup,
characters XML refuses, relative links, images (never fetched) and checkboxes.
"""
import dataclasses
import re
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urljoin

from babel.dates import get_month_names
from flask_babel import force_locale, gettext as _, ngettext
from lxml import etree, html as lxml_html

from forum.dates import local

from .document import CollegeCount, ExportDocument, Source

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
LANGUAGES = ("fr", "en")        # the interface's: a document in another language gets French labels
MAX_DEPTH = 64     # deeper elements give way to their content: layout and converters recurse per level
# Never in an export, whatever the body holds (it is sanitized upstream: this is a second lock).
UNSAFE = ("script", "style", "link", "meta", "base", "iframe", "frame", "object", "embed", "form",
          "button", "select", "textarea", "svg", "math", "video", "audio", "source", "template")
# Characters XML 1.0 (ODT, lxml) refuses: C0 controls but tab and newlines, lone surrogates, U+FFFE/F.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def printable(text):
    """``text`` without the characters an XML document (and so every export) cannot hold."""
    return _NOT_XML.sub("", text or "")


def one_line(text):
    """A title or label on one line: runs of white space (newlines too) become one space."""
    return " ".join(printable(text).split())


@dataclass(frozen=True)
class Heading:
    level: int          # 2 to 6 in the body (the document's title is the only level 1)
    text: str
    anchor: str         # the id the table of contents links to


@dataclass(frozen=True)
class Prepared:
    doc: ExportDocument     # texts printable, title and labels on one line
    body: object            # an lxml <div> holding the body, ready to render
    headings: tuple         # Heading… of the body, in order


def language(doc):
    """The document's language if the interface has it, else French."""
    lang = one_line(doc.lang).lower()
    return lang if lang in LANGUAGES else "fr"


@contextmanager
def in_language(doc):
    """Labels, dates and messages in the document's language, whoever asks for the export."""
    with force_locale(language(doc)):
        yield


def prepare(doc):
    """The document ready for the renderers (see the module's docstring); under ``in_language``."""
    clean = dataclasses.replace(
        doc, title=one_line(doc.title) or _("Synthèse sans titre"), space_name=one_line(doc.space_name),
        status_label=one_line(doc.status_label), url=one_line(doc.url), lang=language(doc),
        sources=tuple(Source(one_line(s.kind), one_line(s.label), one_line(s.url)) for s in doc.sources),
        contributors=tuple(CollegeCount(one_line(c.label), int(c.count)) for c in doc.contributors),
        named_contributors=tuple(one_line(name) for name in doc.named_contributors))
    body = _parse(printable(doc.body_html))
    _remove_unsafe(body)
    _flatten_deep(body)
    _replace_images(body)
    _replace_checkboxes(body)
    _absolute_links(body, clean.url)
    headings = _headings(body)
    return Prepared(clean, body, headings)


def _parse(markup):
    """The body in a <div>, whatever its markup: libxml2's HTML parser recovers from broken tags.
    ``huge_tree``: no text dropped past libxml2's default depth of 256. A parser per call: one
    parser must not serve two threads at once."""
    if not markup.strip():
        return lxml_html.Element("div")
    try:
        parser = lxml_html.HTMLParser(huge_tree=True)
        return lxml_html.fragment_fromstring(markup, create_parent="div", parser=parser)
    except (etree.ParserError, ValueError):     # nothing libxml2 could read: keep the text
        container = lxml_html.Element("div")
        paragraph = etree.SubElement(container, "p")
        paragraph.text = re.sub(r"<[^>]*>", " ", markup)
        return container


def _remove_unsafe(body):
    """Scripts, styles, frames and form parts go (with their content); event and style
    attributes too, and links to scripts."""
    for element in list(body.iter(*UNSAFE)):
        _replace(element, "")
    for element in list(body.iter(etree.Comment, etree.ProcessingInstruction)):
        _replace(element, "")
    for element in body.iter():
        for name in [name for name in element.attrib if name.lower().startswith("on") or name.lower() == "style"]:
            del element.attrib[name]
        if re.match(r"\s*(javascript|vbscript|data):", element.get("href") or "", re.I):
            del element.attrib["href"]


def _flatten_deep(body):
    """Elements nested deeper than MAX_DEPTH lose their tags, never their text (the writing
    pipeline nests 20 levels at most; WeasyPrint fails past about 100)."""
    stack = [(body, 0)]
    while stack:
        element, depth = stack.pop()
        if depth < MAX_DEPTH:
            stack.extend((child, depth + 1) for child in element)
            continue
        for inner in list(element.iterdescendants()):
            inner.tail = " " + (inner.tail or "")
            inner.drop_tag()


def _replace(element, text):
    """``element`` gives way to ``text`` (its tail kept)."""
    parent = element.getparent()
    previous = element.getprevious()
    joined = text + (element.tail or "")
    if previous is not None:
        previous.tail = (previous.tail or "") + joined
    else:
        parent.text = (parent.text or "") + joined
    parent.remove(element)


def _replace_images(body):
    """Images are never fetched (no network, no uploads in a file meant to travel): each becomes
    its description in brackets."""
    for image in list(body.iter("img")):
        alt = one_line(image.get("alt"))
        _replace(image, f"[{alt}]" if alt else _("[image]"))


def _replace_checkboxes(body):
    """A task list's checkboxes as text: a form field would need a label and a role in the PDF."""
    for box in list(body.iter("input")):
        _replace(box, "☑ " if box.get("checked") is not None else "☐ ")


def _absolute_links(body, base):
    """Links of the body work outside the site: relative ones are made absolute."""
    for link in body.iter("a"):
        href = (link.get("href") or "").strip()
        if not href:
            link.attrib.pop("href", None)
            continue
        try:
            link.set("href", urljoin(base, href))
        except ValueError:      # a base or href urllib cannot read: leave it as written
            link.set("href", href)


def _headings(body):
    """The body's headings: empty ones dropped, and every level one lower when the body holds an
    <h1> (the title is the only level 1). Each gets the anchor the table of contents links to."""
    found = [element for element in body.iter(*HEADINGS)]
    for element in found:
        if not element.text_content().strip():
            _replace(element, "")
    found = [element for element in found if element.getparent() is not None]
    shift = 1 if any(element.tag == "h1" for element in found) else 0
    headings = []
    for number, element in enumerate(found, start=1):
        level = min(int(element.tag[1]) + shift, 6)
        element.tag = f"h{level}"
        element.set("id", f"partie-{number}")
        headings.append(Heading(level, " ".join(element.text_content().split()), f"partie-{number}"))
    return tuple(headings)


# --- dates and labels, in the document's language (called under force_locale(doc.lang)) ---------

@lru_cache(maxsize=4)
def _months(lang):
    return dict(get_month_names("wide", locale=lang))


def long_date(value, lang="fr"):
    """« 6 décembre 2026 », « 1er décembre 2026 » (French); "December 6, 2026" (English)."""
    moment = local(value)
    month = _months(lang if lang in ("fr", "en") else "fr")[moment.month]
    if lang == "en":
        return f"{month} {moment.day}, {moment.year}"
    day = "1er" if moment.day == 1 else str(moment.day)
    return f"{day} {month} {moment.year}"


def iso_date(value):
    """The local day as 2026-12-06 (front matter, meta tags)."""
    return local(value).date().isoformat()


def cover_lines(doc):
    """The cover's lines under the title, as (label, value) pairs."""
    lines = [(_("Date"), long_date(doc.dated, doc.lang)),
             (_("Version"), str(doc.version)),
             (_("Statut"), doc.status_label)]
    if doc.transmitted_at:
        lines.append((_("Transmise au HCTS"), long_date(doc.transmitted_at, doc.lang)))
    return lines


def contributors_total(doc):
    """The sentence before the table: how many people, and why there is no table when every
    collège would be merged (fewer than 5 each); empty when nobody is counted."""
    if not doc.contributor_total:
        return ""
    sentence = ngettext("%(num)d personne a contribué (rédacteurs et auteurs des messages cités).",
                        "%(num)d personnes ont contribué (rédacteurs et auteurs des messages cités).",
                        doc.contributor_total)
    if not doc.contributors:
        sentence += " " + _("Aucun collège ne compte 5 contributeurs : la répartition par collège n'est pas montrée.")
    return sentence


def labels():
    """The section titles and fixed texts of every format."""
    return {
        "contents": _("Sommaire"),
        "sources": _("Sources"),
        "contributions": _("Contributions"),
        "no_sources": _("Aucune source."),
        "no_contributions": _("Aucune contribution comptée."),
        "college": _("Collège"),
        "count": _("Contributeurs et contributrices"),
        "counts_caption": _("Contributeurs et contributrices par collège"),
        "named": _("Ont accepté d'être nommés"),
        "online": _("En ligne"),
    }


def with_colon(label, lang):
    """« Date : » in French (no-break space before the colon), "Date: " otherwise."""
    return f"{label}\u00a0: " if lang == "fr" else f"{label}: "


def page_numbering():
    """« Page N sur M » as the pieces of CSS ``content``: the translated text around counters."""
    marked = _("Page %(page)s sur %(pages)s", page="\0page\0", pages="\0pages\0")
    pieces = []
    for index, piece in enumerate(marked.split("\0")):
        if index % 2:
            pieces.append(f"counter({piece})")
        elif piece:
            pieces.append(css_string(piece))
    return " ".join(pieces)


def css_string(text):
    """``text`` as a CSS string literal."""
    escaped = "".join(c if c.isalnum() or c in " .,;:!?'’-" else f"\\{ord(c):x} " for c in text)
    return f'"{escaped}"'
