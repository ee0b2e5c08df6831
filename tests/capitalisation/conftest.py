"""Builders for the tests of forum/capitalisation/: resources through the domain, published
syntheses as rows (the syntheses' publishing step is not needed to list them)."""
from datetime import timedelta

import pytest

from forum import events
from forum.capitalisation import resources
from forum.capitalisation.models import Resource
from forum.clock import now
from forum.extensions import db
from forum.syntheses.models import PUBLISHED, Synthesis, SynthesisVersion
from forum.topics.models import Member, Space

from ..helpers import detach


@pytest.fixture
def add_resource(app):
    """``add_resource(author, space, title=…, **fields)``: a resource added by the domain, detached."""
    def build(author, space, title="Guide de l'accès aux droits", **fields):
        typed = resources.ResourceInput(title=title, **{"kind": "document", "description": "Une fiche utile.",
                                                        **fields})
        with app.app_context():
            return detach(resources.add_resource(db.session.get(Member, author.id), db.session.get(Space, space.id),
                                                 typed))
    return build


@pytest.fixture
def publish_synthesis(app):
    """``publish_synthesis(author, space, title=…, text=…, transmitted=False)``: a synthesis with
    one published version, as the publishing step leaves it (``SynthesisPublished`` included)."""
    def build(author, space, title="Synthèse sur le non-recours", text="Le non-recours recule quand on va vers.",
              transmitted=False, days_ago=0, topic=None):
        when = now() - timedelta(days=days_ago)
        with app.app_context():
            synthesis = Synthesis(space_id=space.id, author_id=author.id, title=title, source=text,
                                  html=f"<p>{text}</p>", status=PUBLISHED, published_version=1, published_at=when,
                                  topic_id=topic.id if topic else None)
            db.session.add(synthesis)
            db.session.flush()
            version = SynthesisVersion(synthesis_id=synthesis.id, number=1, revision=1, title=title, source=text,
                                       html=f"<p>{text}</p>", approved_at=when, published_at=when,
                                       transmitted_at=when if transmitted else None)
            db.session.add(version)
            db.session.flush()
            events.publish(events.SynthesisPublished(synthesis_id=synthesis.id, version_id=version.id,
                                                     space_id=space.id))
            db.session.commit()
            return detach(synthesis)
    return build


def count_resources(app):
    with app.app_context():
        return db.session.query(Resource).count()
