"""The weekly digest's part: syntheses published and resources added during the period, in
spaces the member reads.

Read once per period (``source.shared``) as plain values, then filtered per member in memory
by ``readable`` (the spaces the member, and the previewer, may read): a synthesis or a resource
is read exactly by who reads its space.
"""
from sqlalchemy import and_, select

from forum.extensions import db
from forum.notifications import digest
from forum.notifications.mail import absolute_url
from forum.syntheses.models import Synthesis, SynthesisVersion
from forum.text.excerpts import excerpt, without_quotations

from .models import Resource

DIGEST_ITEMS = 10


def init_app(app):
    digest.register_part(app, capitalisation_part)


def _published(source):
    """Syntheses whose latest published version came out in the period."""
    rows = _rows(source, select(Synthesis.id, Synthesis.space_id, SynthesisVersion.title, SynthesisVersion.html)
                 .join(SynthesisVersion, and_(SynthesisVersion.synthesis_id == Synthesis.id,
                                              SynthesisVersion.number == Synthesis.published_version))
                 .where(Synthesis.published_version > 0, SynthesisVersion.published_at >= source.start,
                        SynthesisVersion.published_at < source.end)
                 .order_by(SynthesisVersion.published_at, Synthesis.id))
    return [{"space_id": row.space_id, "title": row.title, "url": absolute_url("syntheses.show", synthesis_id=row.id),
             "excerpt": excerpt(without_quotations(row.html), 200) or "", "synthesis": True} for row in rows]


def _added(source):
    rows = _rows(source, select(Resource.id, Resource.space_id, Resource.title, Resource.html)
                 .where(Resource.created_at >= source.start, Resource.created_at < source.end)
                 .order_by(Resource.created_at, Resource.id))
    return [{"space_id": row.space_id, "title": row.title,
             "url": absolute_url("capitalisation.show", resource_id=row.id),
             "excerpt": excerpt(row.html, 200), "synthesis": False} for row in rows]


def _rows(source, query):
    return db.session.execute(query).all()


def capitalisation_part(member, source, readable, gettext):
    """New published syntheses, then new resources, of the spaces the member reads."""
    entries = []
    for entry in source.shared("capitalisation-syntheses", lambda: _published(source)) + \
            source.shared("capitalisation-resources", lambda: _added(source)):
        if entry["space_id"] not in readable:
            continue
        label = gettext("Synthèse publiée") if entry["synthesis"] else gettext("Nouvelle fiche ressource")
        entries.append(digest.PartEntry(f"{label} : {entry['title']}", entry["url"], entry["excerpt"]))
        if len(entries) == DIGEST_ITEMS:
            break
    return digest.DigestPart(gettext("Capitalisation : synthèses et ressources"), entries) if entries else None
