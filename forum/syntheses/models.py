"""Syntheses: documents a comité writes together from its debates (« synthèses »).

A synthesis lives in a space and is read by who reads that space (members only, until it is
published). Its text is Markdown through the writing pipeline; every save is a revision. Its
life cycle: draft → review → approved → published; a published version is a row of its own,
never changed again (a correction is the next version). Sources are the topics, decisions and
posts it is built on; quoted posts are sources by being quoted.
"""
from sqlalchemy import (Boolean, Column, DateTime, ForeignKey, Integer, LargeBinary, String, Text,
                        UniqueConstraint, select)
from sqlalchemy.orm import relationship

from forum.accounts.models import Member
from forum.clock import now
from forum.extensions import db
from forum.topics.models import Space, Topic

DRAFT = "draft"             # brouillon: its editors only
REVIEW = "review"           # en relecture: the space's members read and comment
APPROVED = "approved"       # validée (a moderator's act, or a consent decision)
PUBLISHED = "published"     # publiée: its last published version is the text readers see
STATUSES = (DRAFT, REVIEW, APPROVED, PUBLISHED)

SOURCE_TOPIC = "topic"
SOURCE_POLL = "decision"
SOURCE_POST = "post"
SOURCE_KINDS = (SOURCE_TOPIC, SOURCE_POLL, SOURCE_POST)


def _scopes(synthesis_id, space_id, connection):
    """A synthesis shows on its space's pages and the capitalisation page; once published, the
    topics it cites say so (« cité dans la synthèse »)."""
    scopes = {f"space-{space_id}", "capitalisation"}
    if synthesis_id is not None:
        scopes |= {f"topic-{topic_id}" for topic_id in connection.execute(
            select(SynthesisSource.topic_id).where(SynthesisSource.synthesis_id == synthesis_id,
                                                   SynthesisSource.topic_id.is_not(None))).scalars()}
    return scopes


def _scopes_of_synthesis(synthesis, connection):
    return _scopes(synthesis.id, synthesis.space_id, connection)


def _scopes_via_synthesis(row, connection):
    space_id = connection.execute(select(Synthesis.space_id).where(Synthesis.id == row.synthesis_id)).scalar()
    if space_id is None:
        return set()
    scopes = _scopes(row.synthesis_id, space_id, connection)
    if getattr(row, "topic_id", None):
        scopes.add(f"topic-{row.topic_id}")
    return scopes


class Synthesis(db.Model):
    __page_cache_scopes__ = staticmethod(_scopes_of_synthesis)

    id = Column(Integer, primary_key=True)
    space_id = Column(ForeignKey("space.id"), nullable=False, index=True)
    # The debate it was prepared from ("Préparer une synthèse" on a topic), if any.
    topic_id = Column(ForeignKey("topic.id", ondelete="SET NULL"), nullable=True, index=True)
    author_id = Column(ForeignKey("member.id"), nullable=False)
    title = Column(String(200), nullable=False)
    source = Column(Text, nullable=False, default="")
    html = Column(Text, nullable=False, default="")
    status = Column(String(20), nullable=False, default=DRAFT)
    # Bumped by every save with ``UPDATE … WHERE revision_count = base``: two editors saving
    # from the same base never both win (forum/syntheses/editing.py).
    revision_count = Column(Integer, nullable=False, default=1)
    created_at = Column(DateTime, nullable=False, default=now)
    updated_at = Column(DateTime, nullable=False, default=now)
    review_at = Column(DateTime, nullable=True)
    # The revision approved, exactly: publishing copies that one, whatever was saved since.
    approved_revision = Column(Integer, nullable=True)
    approved_at = Column(DateTime, nullable=True)
    approved_by_id = Column(ForeignKey("member.id", ondelete="SET NULL"), nullable=True)
    # The consent decision asked to approve it, if the comité chose that way.
    approval_poll_id = Column(ForeignKey("poll.id", ondelete="SET NULL"), nullable=True)
    published_version = Column(Integer, nullable=False, default=0)   # its last published version
    published_at = Column(DateTime, nullable=True, index=True)

    space = relationship(Space, lazy="joined", innerjoin=True)
    topic = relationship(Topic)
    author = relationship(Member, foreign_keys=[author_id], lazy="joined")
    approved_by = relationship(Member, foreign_keys=[approved_by_id])
    editors = relationship("SynthesisEditor", cascade="all, delete-orphan", back_populates="synthesis",
                           order_by="SynthesisEditor.added_at")
    sources = relationship("SynthesisSource", cascade="all, delete-orphan", order_by="SynthesisSource.position",
                           back_populates="synthesis")

    def __repr__(self):
        return f"<Synthesis {self.id} {self.status}>"

    @property
    def is_published(self):
        return self.published_version > 0


class SynthesisRevision(db.Model):
    """Every saved text of a synthesis; number 1 is the first."""

    __page_cache__ = "private"

    id = Column(Integer, primary_key=True)
    synthesis_id = Column(ForeignKey("synthesis.id", ondelete="CASCADE"), nullable=False)
    number = Column(Integer, nullable=False)
    title = Column(String(200), nullable=False)
    source = Column(Text, nullable=False)
    editor_id = Column(ForeignKey("member.id"), nullable=False)
    created_at = Column(DateTime, nullable=False, default=now)

    editor = relationship(Member, lazy="joined")

    __table_args__ = (UniqueConstraint("synthesis_id", "number", name="uq_synthesis_revision_number"),)


class SynthesisEditor(db.Model):
    """Who writes it: its author and the members invited; ``named`` when they agreed to be
    named among its contributors (on the page and in the exports)."""

    __page_cache_scopes__ = staticmethod(_scopes_via_synthesis)

    synthesis_id = Column(ForeignKey("synthesis.id", ondelete="CASCADE"), primary_key=True)
    member_id = Column(ForeignKey("member.id", ondelete="CASCADE"), primary_key=True)
    named = Column(Boolean, nullable=False, default=False)
    added_at = Column(DateTime, nullable=False, default=now)

    synthesis = relationship(Synthesis, back_populates="editors")
    member = relationship(Member, lazy="joined")


class SynthesisSource(db.Model):
    """A topic, decision or post the synthesis is built on (``ref_id`` is its id)."""

    __page_cache_scopes__ = staticmethod(_scopes_via_synthesis)

    id = Column(Integer, primary_key=True)
    synthesis_id = Column(ForeignKey("synthesis.id", ondelete="CASCADE"), nullable=False)
    kind = Column(String(20), nullable=False)
    ref_id = Column(Integer, nullable=False)
    # The topic it belongs to (a topic's own id for a topic): "cité dans la synthèse" on its page.
    topic_id = Column(ForeignKey("topic.id", ondelete="CASCADE"), nullable=True, index=True)
    position = Column(Integer, nullable=False, default=0)

    synthesis = relationship(Synthesis, back_populates="sources")

    __table_args__ = (UniqueConstraint("synthesis_id", "kind", "ref_id", name="uq_synthesis_source"),)


class SynthesisComment(db.Model):
    """A remark of a member of the space during review, on one section (its heading) or the whole."""

    __page_cache__ = "private"

    id = Column(Integer, primary_key=True)
    synthesis_id = Column(ForeignKey("synthesis.id", ondelete="CASCADE"), nullable=False, index=True)
    section = Column(String(200), nullable=False, default="")
    author_id = Column(ForeignKey("member.id"), nullable=False)
    html = Column(Text, nullable=False)
    source = Column(Text, nullable=False)
    revision = Column(Integer, nullable=False)        # the revision it was written on
    created_at = Column(DateTime, nullable=False, default=now)
    resolved_at = Column(DateTime, nullable=True)

    author = relationship(Member, lazy="joined")


class SynthesisVersion(db.Model):
    """A published version: what was approved, as it was, kept for good."""

    __page_cache_scopes__ = staticmethod(_scopes_via_synthesis)

    id = Column(Integer, primary_key=True)
    synthesis_id = Column(ForeignKey("synthesis.id", ondelete="CASCADE"), nullable=False)
    number = Column(Integer, nullable=False)
    revision = Column(Integer, nullable=False)        # the revision it copies
    title = Column(String(200), nullable=False)
    source = Column(Text, nullable=False)
    html = Column(Text, nullable=False)
    approved_at = Column(DateTime, nullable=False)
    approved_how = Column(String(200), nullable=False, default="")   # « par consentement (décision n° 4) »
    published_at = Column(DateTime, nullable=False, default=now)
    published_by_id = Column(ForeignKey("member.id", ondelete="SET NULL"), nullable=True)
    transmitted_at = Column(DateTime, nullable=True)
    transmitted_by_id = Column(ForeignKey("member.id", ondelete="SET NULL"), nullable=True)

    synthesis = relationship(Synthesis)
    published_by = relationship(Member, foreign_keys=[published_by_id])

    __table_args__ = (UniqueConstraint("synthesis_id", "number", name="uq_synthesis_version_number"),)


class SynthesisFile(db.Model):
    """The exact files sent to the HCTS with a version (PDF and ODT), kept as sent."""

    __page_cache__ = "private"

    id = Column(Integer, primary_key=True)
    version_id = Column(ForeignKey("synthesis_version.id", ondelete="CASCADE"), nullable=False)
    format = Column(String(10), nullable=False)
    filename = Column(String(200), nullable=False)
    content = Column(LargeBinary, nullable=False)
    created_at = Column(DateTime, nullable=False, default=now)

    __table_args__ = (UniqueConstraint("version_id", "format", name="uq_synthesis_file_format"),)
