"""The tables of search: the indexing journal (Whoosh) and the documents (PostgreSQL).

- ``SearchJob``: "make the index match the database for this post (or topic)", written in the
  transaction of the change itself (the outbox pattern), drained by one writer at a time.
- ``SearchDocument``: with the PostgreSQL backend, one row per published post with its plain
  text and a weighted ``tsvector`` (title A, body B), written in the post's own transaction and
  searched through a GIN index. Space, tags and status are the topic's, copied: every change of
  a topic (``TopicChanged``) rewrites its documents, and filters need no join.
"""
from sqlalchemy import Column, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.dialects import postgresql

from forum.clock import now
from forum.extensions import db

TSVECTOR = Text().with_variant(postgresql.TSVECTOR(), "postgresql")
TAGS = Text().with_variant(postgresql.ARRAY(Text()), "postgresql")


class SearchJob(db.Model):
    __page_cache__ = "private"   # the index; results pages are never cached (page_cache.py)
    __tablename__ = "search_job"

    id = Column(Integer, primary_key=True)
    # One of the two: a post to reindex, or every post of a topic (title, tags, space changed).
    post_id = Column(Integer, nullable=True)
    topic_id = Column(Integer, nullable=True)
    created_at = Column(DateTime, nullable=False, default=now)


class SearchDocument(db.Model):
    __page_cache__ = "private"   # the index; results pages are never cached (page_cache.py)
    __tablename__ = "search_document"
    # Rewritten from the posts by the events an erasure publishes (forum/accounts/erasure.py).
    __erasure__ = "derived"

    post_id = Column(ForeignKey("post.id", ondelete="CASCADE"), primary_key=True)
    topic_id = Column(ForeignKey("topic.id", ondelete="CASCADE"), nullable=False, index=True)
    author_id = Column(Integer, nullable=False)
    created_at = Column(DateTime, nullable=False)
    # The topic's, copied (every change of a topic rewrites its documents): filters need no join.
    space_id = Column(Integer, nullable=True)
    status = Column(String(20), nullable=True)
    tags = Column(TAGS, nullable=True)          # slugs
    # The topic title, on the opening post only: replies do not all match the title.
    title = Column(Text, nullable=False, default="")
    body = Column(Text, nullable=False, default="")
    tsv = Column(TSVECTOR, nullable=True)

    __table_args__ = (
        Index("ix_search_document_tsv", "tsv", postgresql_using="gin"),
        Index("ix_search_document_created", "created_at"),
        Index("ix_search_document_author", "author_id", "created_at"),
        Index("ix_search_document_space", "space_id", "created_at"),
        Index("ix_search_document_tags", "tags", postgresql_using="gin"),
    )


class CapitalDocument(db.Model):
    """A published synthesis (its latest published version) or a resource, as search finds it
    (``type:synthese``, ``type:ressource``; ``search.capital``): its plain text and its index
    terms (the French analyzer's stems, space-separated, with a space at each end), the same
    whichever backend searches the posts. Rewritten in the transaction of the change."""
    __page_cache__ = "private"   # the index; results pages are never cached (page_cache.py)
    __tablename__ = "capital_document"
    # Written again from the resources and syntheses after an erasure rewrote them (search/capital.py).
    __erasure__ = "derived"

    kind = Column(String(20), primary_key=True)       # "synthese" or "ressource"
    ref_id = Column(Integer, primary_key=True)        # the synthesis's or the resource's id
    space_id = Column(Integer, nullable=False, index=True)
    author_id = Column(Integer, nullable=True)
    created_at = Column(DateTime, nullable=False)
    tags = Column(Text, nullable=False, default="")          # " slug slug "
    title = Column(Text, nullable=False, default="")
    body = Column(Text, nullable=False, default="")
    title_terms = Column(Text, nullable=False, default="")
    terms = Column(Text, nullable=False, default="")          # title and body
