"""The capitalisation page as plain data: published syntheses and resources the viewer may
read, filtered by facets, with the count of each facet value.

Everything starts from the spaces the viewer may read (``readable_space_ids``): a synthesis or
a resource of another space is never loaded, so it is never counted either. Light rows are read
first (no text); only the page's 30 entries load their text, for the excerpt.
"""
import re
from dataclasses import dataclass, field
from html import unescape

from flask import url_for
from sqlalchemy import and_, select

from forum.accounts.models import College
from forum.extensions import db
from forum.permissions import readable_spaces
from forum.syntheses.models import Synthesis, SynthesisVersion
from forum.text.excerpts import cut, without_quotations
from forum.topics.models import KIND_COMMITTEE, Space, Tag, topic_tag
from forum.topics.reading import Pagination

from .models import Resource, resource_tag

PER_PAGE = 30
EXCERPT_CHARS = 200
SYNTHESIS = "synthese"
RESOURCE = "ressource"
FACETS = ("type", "theme", "territoire", "college", "annee")
_TAG = re.compile(r"<[^>]*(?:>|$)")      # a tag, or one cut short at the end


def synthesis_url(synthesis_id):
    """Where a synthesis is read (``syntheses.show``)."""
    return url_for("syntheses.show", synthesis_id=synthesis_id)


@dataclass
class Entry:
    kind: str                     # SYNTHESIS or RESOURCE
    id: int
    title: str
    space_id: int
    date: object
    year: int
    tags: frozenset = frozenset()         # tag ids
    territory_id: int | None = None
    college_id: int | None = None
    transmitted: bool = False
    url: str | None = None        # a resource's link
    resource_kind: str = ""
    excerpt: str = ""
    space: Space | None = None

    def value(self, facet):
        return {"type": {self.kind}, "theme": self.tags, "territoire": {self.territory_id},
                "college": {self.college_id}, "annee": {self.year}}[facet]


@dataclass
class FacetValue:
    key: str          # as in the query string
    label: str
    count: int
    chosen: bool


@dataclass
class Page:
    entries: list
    pagination: Pagination
    facets: dict = field(default_factory=dict)    # facet → [FacetValue]
    chosen: dict = field(default_factory=dict)    # facet → the query string's key

    def args(self, facet=None, key=None):
        """The query string choosing ``key`` for ``facet`` (or no value when it is the chosen one)."""
        args = {name: value for name, value in self.chosen.items() if name != facet}
        if facet is not None and self.chosen.get(facet) != key:
            args[facet] = key
        return args


def _syntheses(spaces):
    version = and_(SynthesisVersion.synthesis_id == Synthesis.id,
                   SynthesisVersion.number == Synthesis.published_version)
    rows = db.session.execute(
        select(Synthesis.id, Synthesis.space_id, Synthesis.topic_id, SynthesisVersion.title,
               SynthesisVersion.published_at, SynthesisVersion.transmitted_at)
        .join(SynthesisVersion, version)
        .where(Synthesis.published_version > 0, Synthesis.space_id.in_(sorted(spaces)))).all()
    topic_ids = {row.topic_id for row in rows if row.topic_id}
    tags = {}
    if topic_ids:
        for topic_id, tag_id in db.session.execute(select(topic_tag.c.topic_id, topic_tag.c.tag_id)
                                                   .where(topic_tag.c.topic_id.in_(sorted(topic_ids)))):
            tags.setdefault(topic_id, set()).add(tag_id)
    return [Entry(SYNTHESIS, row.id, row.title, row.space_id, row.published_at, row.published_at.year,
                  frozenset(tags.get(row.topic_id, ())), row.space_id if spaces[row.space_id].kind == KIND_COMMITTEE else None,
                  transmitted=row.transmitted_at is not None) for row in rows]


def _resources(space_ids):
    rows = db.session.execute(
        select(Resource.id, Resource.space_id, Resource.title, Resource.created_at, Resource.year,
               Resource.territory_id, Resource.college_id, Resource.url, Resource.kind)
        .where(Resource.space_id.in_(sorted(space_ids)))).all()
    tags = {}
    if rows:
        for resource_id, tag_id in db.session.execute(
                select(resource_tag.c.resource_id, resource_tag.c.tag_id).join(
                    Resource, Resource.id == resource_tag.c.resource_id)
                .where(Resource.space_id.in_(sorted(space_ids)))):
            tags.setdefault(resource_id, set()).add(tag_id)
    return [Entry(RESOURCE, row.id, row.title, row.space_id, row.created_at, row.year,
                  frozenset(tags.get(row.id, ())), row.territory_id, row.college_id, url=row.url,
                  resource_kind=row.kind) for row in rows]


def readable_entries(viewer):
    """Every published synthesis and resource ``viewer`` may read, newest first (light rows)."""
    spaces = {space.id: space for space in readable_spaces(viewer)}
    if not spaces:
        return []
    entries = _syntheses(spaces) + _resources(set(spaces))
    for entry in entries:
        entry.space = spaces[entry.space_id]
    entries.sort(key=lambda entry: (entry.date, entry.kind, entry.id), reverse=True)
    return entries


def _labels(entries):
    """{facet: {value: (query key, label)}} for the values present among ``entries``."""
    tag_ids = set().union(*(entry.tags for entry in entries)) if entries else set()
    space_ids = {entry.territory_id for entry in entries if entry.territory_id}
    college_ids = {entry.college_id for entry in entries if entry.college_id}
    tags = db.session.execute(select(Tag.id, Tag.slug, Tag.name).where(Tag.id.in_(sorted(tag_ids)))).all() \
        if tag_ids else []
    spaces = db.session.execute(select(Space.id, Space.slug, Space.name).where(Space.id.in_(sorted(space_ids)))
                                .order_by(Space.position)).all() if space_ids else []
    colleges = db.session.execute(select(College.id, College.slug, College.name).where(
        College.id.in_(sorted(college_ids))).order_by(College.position)).all() if college_ids else []
    years = sorted({entry.year for entry in entries}, reverse=True)
    return {"type": {SYNTHESIS: (SYNTHESIS, None), RESOURCE: (RESOURCE, None)},
            "theme": {row.id: (row.slug, row.name) for row in sorted(tags, key=lambda row: row.name.lower())},
            "territoire": {row.id: (row.slug, row.name) for row in spaces},
            "college": {row.id: (row.slug, row.name) for row in colleges},
            "annee": {year: (str(year), str(year)) for year in years}}


def _chosen(labels, args):
    """{facet: value} of the query string's choices that name a present value (others ignored)."""
    chosen = {}
    for facet in FACETS:
        key = (args.get(facet) or "")[:200]
        for value, (value_key, _label) in labels[facet].items():
            if key and key == value_key:
                chosen[facet] = value
    return chosen


def _matches(entry, chosen, but=None):
    return all(value in entry.value(facet) for facet, value in chosen.items() if facet != but)


def capitalisation_page(viewer, args, page=1, type_labels=None):
    """The page of ``viewer`` for the query string ``args`` (facets) and ``page``."""
    entries = readable_entries(viewer)
    labels = _labels(entries)
    chosen = _chosen(labels, args)
    facets = {}
    for facet in FACETS:
        counts = {}
        for entry in entries:
            if _matches(entry, chosen, but=facet):
                for value in entry.value(facet):
                    if value is not None:
                        counts[value] = counts.get(value, 0) + 1
        facets[facet] = [FacetValue(key, label if label is not None else (type_labels or {}).get(key, key),
                                    counts.get(value, 0), chosen.get(facet) == value)
                         for value, (key, label) in labels[facet].items()
                         if counts.get(value) or chosen.get(facet) == value]
    shown = [entry for entry in entries if _matches(entry, chosen)]
    pagination = Pagination(page=page, per_page=PER_PAGE, total=len(shown))
    window = shown[pagination.offset:pagination.offset + PER_PAGE]
    _fill(window)
    return Page(window, pagination, facets, {facet: labels[facet][value][0] for facet, value in chosen.items()})


def _fill(window):
    """The page's entries get their excerpt (their text read here, for 30 at most)."""
    synthesis_ids = [entry.id for entry in window if entry.kind == SYNTHESIS]
    resource_ids = [entry.id for entry in window if entry.kind == RESOURCE]
    html = {}
    if synthesis_ids:
        html.update({(SYNTHESIS, row.synthesis_id): row.html for row in db.session.execute(
            select(SynthesisVersion.synthesis_id, SynthesisVersion.html)
            .join(Synthesis, and_(Synthesis.id == SynthesisVersion.synthesis_id,
                                  Synthesis.published_version == SynthesisVersion.number))
            .where(Synthesis.id.in_(synthesis_ids)))})
    if resource_ids:
        html.update({(RESOURCE, row.id): row.html for row in db.session.execute(
            select(Resource.id, Resource.html).where(Resource.id.in_(resource_ids)))})
    for entry in window:
        entry.excerpt = _excerpt(html.get((entry.kind, entry.id), ""))


def _excerpt(html):
    """The first words of sanitized HTML as plain text (escaped again by the template). Tags are
    dropped by a pattern, not by the sanitizer: the HTML was sanitized when written, and a pass
    of the sanitizer over 30 whole syntheses cost a third of the page's time."""
    # Quotations go before the cut: a quotation cut in two would escape the pattern, and its
    # words (a post hidden since, perhaps) are not the synthesis's own anyway.
    text = unescape(_TAG.sub(" ", without_quotations(html)[:EXCERPT_CHARS * 20]))
    return cut(" ".join(text.split()), EXCERPT_CHARS)
