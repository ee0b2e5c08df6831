"""Search over the capitalisation: published syntheses (``type:synthese``) and resources
(``type:ressource``).

They are not posts, so the posts' backends do not hold them: each has one ``CapitalDocument``
row (``search.models``) with its plain text and its index terms (the French analyzer's stems,
``search.analysis``), rewritten in the transaction of the change (events ``ResourceChanged`` and
``SynthesisPublished``), read the same way whichever backend searches the posts (Whoosh or
PostgreSQL). A query keeps the documents of the spaces the viewer may read (in SQL, so totals
count nothing else), then every result is reloaded and checked again (``can_read_space``).

The publishing step of syntheses publishes ``SynthesisPublished``; ``index_synthesis`` may
also be called directly. ``flask search reindex`` rebuilds these rows too (``rebuild``).
"""
import logging
from dataclasses import dataclass

from flask import current_app, url_for
from sqlalchemy import and_, delete, not_, or_, select

from forum import events
from forum.capitalisation.listing import RESOURCE, SYNTHESIS, synthesis_url
from forum.capitalisation.models import Resource
from forum.capitalisation.resources import can_read_resource
from forum.extensions import db
from forum.permissions import can_read_space
from forum.syntheses import quoting
from forum.syntheses.models import Synthesis, SynthesisVersion
from forum.text.markup import to_text
from forum.topics.models import Space

from . import analysis
from .models import CapitalDocument

log = logging.getLogger(__name__)
KINDS = (SYNTHESIS, RESOURCE)
CANDIDATES = 2000       # the most recent matching documents ranked at most


def init_app(app):
    events.subscribe(app, events.ResourceChanged, on_resource_changed, phase="transaction")
    events.subscribe(app, events.SynthesisPublished, on_synthesis_published, phase="transaction")
    # A quoted post hidden, deleted, held, withdrawn or restored: the syntheses quoting it are
    # indexed again, their withdrawn quotations left out (forum/syntheses/quoting.py).
    events.subscribe(app, events.PostStateChanged, on_quoted_post_changed, phase="transaction")
    events.subscribe(app, events.PostEdited, on_quoted_post_changed, phase="transaction")
    # An erasure rewrote the texts that named the member: the documents are written again from them.
    events.subscribe(app, events.MemberErased, on_member_erased, phase="transaction")


# --- indexing ---------------------------------------------------------------------------------

def _terms(text):
    return f" {' '.join(analysis.stems(text or ''))} "


def _write(session, kind, ref_id, row):
    session.execute(delete(CapitalDocument).where(CapitalDocument.kind == kind, CapitalDocument.ref_id == ref_id))
    if row is not None:
        session.add(CapitalDocument(kind=kind, ref_id=ref_id, title_terms=_terms(row["title"]),
                                    terms=_terms(row["title"] + " " + row["body"]), **row))


def _resource_row(resource):
    return {"space_id": resource.space_id, "author_id": resource.author_id, "created_at": resource.created_at,
            "tags": f" {' '.join(tag.slug for tag in resource.tags)} ", "title": resource.title,
            "body": " ".join(to_text(resource.html).split())}


def _synthesis_row(synthesis):
    version = db.session.scalar(select(SynthesisVersion).where(
        SynthesisVersion.synthesis_id == synthesis.id, SynthesisVersion.number == synthesis.published_version))
    if not synthesis.published_version or version is None:
        return None
    tags = synthesis.topic.tags if synthesis.topic is not None else []
    return {"space_id": synthesis.space_id, "author_id": synthesis.author_id, "created_at": version.published_at,
            "tags": f" {' '.join(tag.slug for tag in tags)} ", "title": version.title,
            "body": " ".join(to_text(quoting.shown_html(version.html, version.source, synthesis.author,
                                                        synthesis.space)).split())}


def index_resource(resource_id):
    """Make the index match the database for this resource (gone: its document too)."""
    resource = db.session.get(Resource, resource_id)
    alive = resource is not None and resource not in db.session.deleted
    _write(db.session, RESOURCE, resource_id, _resource_row(resource) if alive else None)


def index_synthesis(synthesis):
    """Index the latest published version of ``synthesis`` (title and text); not published:
    no document. In the caller's transaction."""
    _write(db.session, SYNTHESIS, synthesis.id, _synthesis_row(synthesis))


def _safely(what, write):
    try:
        with db.session.begin_nested():      # a failure never undoes the change itself
            write()
    except Exception:
        log.exception("search: indexing %s failed; `flask search reindex` repairs it", what)


def on_resource_changed(event):
    if "search" in current_app.extensions:
        _safely(f"resource {event.resource_id}", lambda: index_resource(event.resource_id))


def on_synthesis_published(event):
    synthesis = db.session.get(Synthesis, event.synthesis_id)
    if "search" in current_app.extensions and synthesis is not None:
        _safely(f"synthesis {event.synthesis_id}", lambda: index_synthesis(synthesis))


def on_quoted_post_changed(event):
    if "search" not in current_app.extensions:
        return
    quoting_it = or_(SynthesisVersion.source.contains(f"/message/{event.post_id})"),
                     SynthesisVersion.source.contains(f"post:{event.post_id}"))
    for synthesis in db.session.scalars(select(Synthesis).join(SynthesisVersion, and_(
            SynthesisVersion.synthesis_id == Synthesis.id, SynthesisVersion.number == Synthesis.published_version))
            .where(quoting_it)):
        _safely(f"synthesis {synthesis.id}", lambda: index_synthesis(synthesis))


def on_member_erased(event):
    if "search" in current_app.extensions:
        _safely(f"erasure of member {event.member_id}", lambda: rebuild(commit=False))


def rebuild(commit=True):
    """Every document again, from the database; returns how many."""
    db.session.execute(delete(CapitalDocument))
    count = 0
    for resource in db.session.scalars(select(Resource)):
        _write(db.session, RESOURCE, resource.id, _resource_row(resource))
        count += 1
    for synthesis in db.session.scalars(select(Synthesis).where(Synthesis.published_version > 0)):
        _write(db.session, SYNTHESIS, synthesis.id, _synthesis_row(synthesis))
        count += 1
    if commit:
        db.session.commit()
    return count


# --- searching --------------------------------------------------------------------------------

@dataclass
class CapitalResult:
    kind: str
    url: str
    title_html: str
    excerpt_html: str
    space: Space
    date: object
    score: float
    transmitted: bool = False


def _like(column, stem):
    escaped = stem.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.like(f"% {escaped} %", escape="\\")


def _conditions(kind, terms, scope):
    wanted = [analysis.stems(term) for term in list(terms.words) + list(terms.phrases)]
    column = CapitalDocument.title_terms if scope.in_title else CapitalDocument.terms
    found = [and_(*[_like(column, stem) for stem in stems]) for stems in wanted if stems]
    conditions = [CapitalDocument.kind == kind, CapitalDocument.space_id.in_(sorted(scope.space_ids))]
    if found:
        conditions.append(or_(*found) if terms.any_word else and_(*found))
    conditions += [not_(_like(CapitalDocument.terms, stem)) for excluded in terms.excluded
                   for stem in analysis.stems(excluded)]
    conditions += [CapitalDocument.tags.like(f"% {tag} %") for tag in scope.tags]
    if scope.author_ids is not None:
        conditions.append(CapitalDocument.author_id.in_(sorted(scope.author_ids)))
    if scope.after:
        conditions.append(CapitalDocument.created_at >= scope.after)
    if scope.before:
        conditions.append(CapitalDocument.created_at < scope.before)
    return conditions


def _score(document, stems):
    terms, title = document.terms.split(), document.title_terms.split()
    return float(sum(terms.count(stem) + 2 * title.count(stem) for stem in stems))


def search(viewer, kind, terms, scope, offset, limit):
    """(one page of ``CapitalResult``, total) of the documents of ``kind`` in the scope's spaces
    (the readable ones) matching ``terms``, best first (latest first with ``order:latest``)."""
    if not scope.space_ids:
        return [], 0
    documents = db.session.scalars(select(CapitalDocument).where(*_conditions(kind, terms, scope))
                                   .order_by(CapitalDocument.created_at.desc()).limit(CANDIDATES)).all()
    stems = analysis.query_stems(list(terms.words) + list(terms.phrases))
    scored = [(_score(document, stems), document) for document in documents]
    if stems and scope.order != "latest":
        scored.sort(key=lambda pair: (pair[0], pair[1].created_at), reverse=True)
    page = scored[offset:offset + limit]
    return _load(viewer, page, list(terms.words) + list(terms.phrases)), len(scored)


def _load(viewer, page, words):
    """The results of ``page`` reloaded, each checked against what ``viewer`` may read."""
    items = []
    for score, document in page:
        if document.kind == RESOURCE:
            resource = db.session.get(Resource, document.ref_id)
            if resource is None or not can_read_resource(viewer, resource):
                continue
            url, space, transmitted = url_for("capitalisation.show", resource_id=resource.id), resource.space, False
        else:
            synthesis = db.session.get(Synthesis, document.ref_id)
            if synthesis is None or not synthesis.is_published or not can_read_space(viewer, synthesis.space):
                continue
            transmitted = db.session.scalar(select(SynthesisVersion.transmitted_at).where(
                SynthesisVersion.synthesis_id == synthesis.id,
                SynthesisVersion.number == synthesis.published_version)) is not None
            url, space = synthesis_url(synthesis.id), synthesis.space
        items.append(CapitalResult(document.kind, url, analysis.mark(document.title, words),
                                   analysis.excerpt(document.body, words), space, document.created_at, score,
                                   transmitted))
    return items
