"""Markdown → HTML → sanitized HTML: the one pipeline every text a member writes goes through.

Rendered once at write time; the source and the HTML are both stored.
"""
import html as html_lib
from functools import lru_cache

import bleach
from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table", "tbody", "td",
    "th", "thead", "tr", "ul",
})
ALLOWED_ATTRIBUTES = {
    "a": ["href", "title", "rel"],
    "abbr": ["title"],
    "ol": ["start"],
    "th": ["align"],
    "td": ["align"],
    "code": ["class"],
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"


@lru_cache(maxsize=1)
def _parser():
    return MarkdownIt("commonmark", {"html": True, "linkify": False}).enable(["table", "strikethrough"])


def _set_rel(attrs, new=False):
    href = attrs.get((None, "href"))
    if href is not None:
        attrs[(None, "rel")] = LINK_REL
    return attrs


@lru_cache(maxsize=1)
def _cleaner():
    return bleach.Cleaner(tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                          protocols=ALLOWED_PROTOCOLS, strip=True, strip_comments=True,
                          filters=[])


def sanitize(html):
    cleaned = _cleaner().clean(html)
    return bleach.linkifier.Linker(callbacks=[_set_rel], skip_tags={"pre", "code"},
                                   parse_email=False).linkify(cleaned)


def render(source):
    """Render member-written Markdown to safe HTML."""
    return sanitize(_parser().render(source or ""))


def to_text(html):
    """Plain text of rendered HTML (for excerpts and search)."""
    return html_lib.unescape(bleach.clean(html, tags=set(), strip=True))
