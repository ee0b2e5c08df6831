"""Resources (« fiches »): a document or a link with a short description, kept in a space and
tagged so that it can be found again on the capitalisation page (``/capitalisation``).

A resource is read by who reads its space. Its facets: themes (tags, several), a territory (a
comité space, optional), a collège (optional) and a year.
"""
from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import relationship

from forum.accounts.models import College, Member
from forum.clock import now
from forum.extensions import db
from forum.topics.models import Space, Tag

KIND_DOCUMENT = "document"    # a text written here (its description is the document)
KIND_LINK = "link"            # a page elsewhere (http or https)
KINDS = (KIND_DOCUMENT, KIND_LINK)

resource_tag = Table(
    "resource_tag",
    db.metadata,
    Column("resource_id", ForeignKey("resource.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True, index=True),
)


def _scopes_of_resource(resource, connection):
    """A resource shows on the capitalisation page (and is counted with its space)."""
    return {f"space-{resource.space_id}", "capitalisation"}


class Resource(db.Model):
    __page_cache_scopes__ = staticmethod(_scopes_of_resource)

    id = Column(Integer, primary_key=True)
    space_id = Column(ForeignKey("space.id", ondelete="CASCADE"), nullable=False, index=True)
    # Its author stays when erased, as a post's does: « Ancien membre N » (forum/accounts/erasure.py).
    author_id = Column(ForeignKey("member.id"), nullable=False, index=True)
    kind = Column(String(20), nullable=False, default=KIND_DOCUMENT)
    title = Column(String(200), nullable=False)
    url = Column(String(2000), nullable=True)
    source = Column(Text, nullable=False, default="")     # the description, as typed (Markdown)
    html = Column(Text, nullable=False, default="")       # the description, rendered and sanitized
    territory_id = Column(ForeignKey("space.id", ondelete="SET NULL"), nullable=True, index=True)
    college_id = Column(ForeignKey("college.id", ondelete="SET NULL"), nullable=True, index=True)
    year = Column(Integer, nullable=False)
    created_at = Column(DateTime, nullable=False, default=now, index=True)
    updated_at = Column(DateTime, nullable=False, default=now)

    space = relationship(Space, foreign_keys=[space_id], lazy="joined", innerjoin=True)
    territory = relationship(Space, foreign_keys=[territory_id])
    college = relationship(College)
    author = relationship(Member, lazy="joined")
    tags = relationship(Tag, secondary=resource_tag, lazy="selectin", order_by=Tag.name)

    def __repr__(self):
        return f"<Resource {self.id} {self.kind}>"
