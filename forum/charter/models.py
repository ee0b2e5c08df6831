"""The règlement's tables: versions of numbered articles, and who accepted which version."""
from sqlalchemy import (Boolean, Column, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint,
                        true)
from sqlalchemy.orm import relationship

from forum.clock import now
from forum.extensions import db


class CharterVersion(db.Model):
    id = Column(Integer, primary_key=True)
    number = Column(Integer, nullable=False, unique=True)
    title = Column(String(200), nullable=False)
    preamble = Column(Text, nullable=False, default="")
    preamble_html = Column(Text, nullable=False, default="")
    # A version is a draft until published; the current one is the last published.
    published_at = Column(DateTime, nullable=True)
    created_at = Column(DateTime, nullable=False, default=now)

    articles = relationship("CharterArticle", order_by="CharterArticle.number", lazy="selectin",
                            cascade="all, delete-orphan", back_populates="version")


class CharterArticle(db.Model):
    id = Column(Integer, primary_key=True)
    version_id = Column(ForeignKey("charter_version.id", ondelete="CASCADE"), nullable=False)
    number = Column(Integer, nullable=False)
    # The article's stable identity: the same article keeps its key from version to version
    # when it is renumbered (an article inserted before it), so a decision citing "article 5 of
    # version 2" can say where that rule is today.
    key = Column(Integer, nullable=False)
    title = Column(String(200), nullable=False)
    body = Column(Text, nullable=False)
    html = Column(Text, nullable=False)
    # May a member cite it when reporting a post? Not the articles about moderation itself.
    reportable = Column(Boolean, nullable=False, default=True, server_default=true())

    version = relationship(CharterVersion, back_populates="articles")

    __table_args__ = (UniqueConstraint("version_id", "number", name="uq_charter_article_version_number"),
                      Index("uq_charter_article_version_key", "version_id", "key", unique=True))

    @property
    def label(self):
        return f"Article {self.number} — {self.title}"


class CharterAcceptance(db.Model):
    __page_cache__ = "private"   # public pages never show it (forum/web/page_cache.py)

    member_id = Column(ForeignKey("member.id", ondelete="CASCADE"), primary_key=True)
    version_id = Column(ForeignKey("charter_version.id", ondelete="CASCADE"), primary_key=True)
    accepted_at = Column(DateTime, nullable=False, default=now)


class ConventionVersion(db.Model):
    """One version of the convention's text; the current one is the highest number.

    Published as soon as saved (no draft: the convention is one short text, cited by nothing).
    A new version does not ask members to adhere again: their adhesion keeps its date, and the
    versions' dates say which text was in force then.
    """

    id = Column(Integer, primary_key=True)
    number = Column(Integer, nullable=False, unique=True)
    text = Column(Text, nullable=False)
    html = Column(Text, nullable=False)
    # What changed, in a line, shown in the history.
    note = Column(String(300), nullable=False, default="")
    author_id = Column(ForeignKey("member.id", ondelete="SET NULL"), nullable=True)
    published_at = Column(DateTime, nullable=False, default=now)
