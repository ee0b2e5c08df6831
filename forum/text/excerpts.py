"""Excerpts: the first words of a rendered post, as plain text, in its author's own words."""
import re

from .markup import to_text

EXCERPT_CHARS = 160
# Innermost quotation first: the pattern admits no <blockquote> inside, so nested ones go one
# level per pass. Rendered HTML is well-formed (sanitized), which makes a pattern enough.
_QUOTATION = re.compile(r"<blockquote\b[^>]*>(?:(?!<blockquote\b).)*?</blockquote>", re.S | re.I)
_QUOTE_SOURCE = re.compile(r'<p class="quote-source">.*?</p>', re.S)


def without_quotations(html):
    """Rendered HTML without its quotations (blockquotes, nested ones too): the writer's own words."""
    previous = None
    while previous != html:
        previous, html = html, _QUOTATION.sub(" ", html)
    return html


def excerpt(html, limit=EXCERPT_CHARS):
    """The first words of a post's HTML, as plain text, cut at a word boundary.

    Quotations are left out: run into the reply, someone else's words read as the author's
    ("Jean-Pierre Même constat … Bonne idée"). A post that only quotes shows the quotation
    (without its author's name) between « »."""
    text = " ".join(to_text(without_quotations(html or "")).split())
    if text:
        return cut(text, limit)
    quoted = " ".join(to_text(_QUOTE_SOURCE.sub(" ", html or "")).split())
    return f"« {cut(quoted, limit - 4)} »" if quoted else ""


def cut(text, limit):
    """``text`` cut at a word boundary to ``limit`` characters at most (« … » when cut)."""
    if len(text) <= limit:
        return text
    kept = text[:limit].rsplit(" ", 1)[0].rstrip(",;:.!?")
    return kept + " …"
