"""A feed as plain data (``Feed``, ``Entry``), written as Atom (RFC 4287) by feedgen.

The XML is never a string template: feedgen (lxml underneath) escapes every text. The entries'
content is the sanitized HTML stored at write time (forum/text/), never rendered again; it is
carried as ``type="html"`` (escaped text), as RFC 4287 asks for HTML.
"""
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone

from feedgen.feed import FeedGenerator
from flask import Response
from flask_babel import get_locale, gettext as _

from forum.clock import now

MIMETYPE = "application/atom+xml"
# What XML 1.0 cannot carry at all (lxml refuses it): control characters but tab and newlines.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


@dataclass
class Entry:
    id: str                   # the absolute address of what it is about (stable: Atom's id)
    title: str
    link: str
    updated: datetime         # naive UTC, as stored
    published: datetime | None = None
    author: str | None = None         # a pseudonym the reader may see, or None
    html: str | None = None           # sanitized HTML already stored, or None (not readable)
    key: int | None = None            # the id of the row (a topic, a post…): what tests compare


@dataclass
class Feed:
    id: str                   # its own absolute address without any token (stable)
    title: str
    link: str                 # the page it follows
    self_link: str            # the address asked (with the token of a private feed)
    entries: list = field(default_factory=list)
    subtitle: str | None = None


def clean(text):
    return _NOT_XML.sub("", text or "")


def _utc(moment):
    return (moment or now()).replace(tzinfo=timezone.utc)


def render(feed):
    """The Atom document of ``feed`` (bytes)."""
    generator = FeedGenerator()
    generator.id(feed.id)
    generator.title(clean(feed.title))
    if feed.subtitle:
        generator.subtitle(clean(feed.subtitle))
    generator.link(href=feed.link, rel="alternate", type="text/html")
    generator.link(href=feed.self_link, rel="self", type=MIMETYPE)
    generator.author({"name": _("Agora des comités locaux")})
    generator.language(str(get_locale() or "fr"))
    generator.generator("Agora")
    # The newest change of an entry: the same document for the same content (kept by the cache).
    generator.updated(_utc(max((e.updated for e in feed.entries), default=None)))
    for entry in feed.entries:
        item = generator.add_entry(order="append")
        item.id(entry.id)
        item.title(clean(entry.title) or "—")
        item.link(href=entry.link, rel="alternate", type="text/html")
        item.updated(_utc(entry.updated))
        if entry.published is not None:
            item.published(_utc(entry.published))
        if entry.author:
            item.author({"name": clean(entry.author)})
        if entry.html is not None:
            item.content(clean(entry.html), type="html")
    return generator.atom_str(pretty=False)


def response(feed):
    answer = Response(render(feed), mimetype=MIMETYPE)
    answer.headers["Content-Type"] = f"{MIMETYPE}; charset=utf-8"
    return answer
