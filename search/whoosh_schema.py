"""The Whoosh index's layout: its fields, what a ``PostDoc`` becomes, and the scoring (BM25)."""
import math
from datetime import datetime

from whoosh import fields, scoring

from .analysis import FRENCH

EPOCH = datetime(1970, 1, 1)
# Words are looked up in ``text``: the title (on an opening post) and the body as one field, one
# BM25 score. BM25F (a score per field, each against its own average length) ranked worse on
# real French text, whatever the title's boost (PIAF, bench/search_relevance.py: MRR@10 0.759 at
# best, 0.770 as one field). ``title`` alone serves ``in:title``.
TEXT = ("text",)
TITLE = ("title",)


class BM25(scoring.BM25F):
    """BM25 with its probabilistic IDF, log(1 + (N - n + 0.5) / (n + 0.5)), as Lucene and the
    PostgreSQL backend's word weights, instead of Whoosh's log(N / (n + 1)) + 1, which weighs a
    word found in most posts nearly as much as a rare one (PIAF: MRR@10 0.770 → 0.775)."""

    def idf(self, searcher, fieldname, text):
        parent = searcher.get_parent()
        found = parent.doc_frequency(fieldname, text)
        return math.log(1 + (parent.doc_count_all() - found + 0.5) / (found + 0.5))


def make_schema():
    return fields.Schema(
        post_id=fields.ID(stored=True, unique=True),
        topic_id=fields.ID,
        space_id=fields.ID,
        author_id=fields.ID,
        tags=fields.KEYWORD(commas=True, scorable=False),
        status=fields.ID,
        created=fields.NUMERIC(int, bits=64, sortable=True),   # seconds: order:latest
        day=fields.NUMERIC(int, sortable=True),                 # days: before:/after: filters
        title=fields.TEXT(analyzer=FRENCH),
        text=fields.TEXT(analyzer=FRENCH),
        # Not searched on its own: its presence says that ``text`` holds the space's name on
        # opening posts (an index built before has no such field and must be rebuilt).
        space_name=fields.STORED,
    )


def is_current(schema):
    """False for an index built by an earlier version (other fields)."""
    return {"text", "space_name"} <= set(schema.names())


def seconds(moment):
    return int((moment - EPOCH).total_seconds())


def day(value):
    return (value - EPOCH.date()).days


def fields_of(doc):
    """The index fields of a ``PostDoc``."""
    return {"post_id": str(doc.post_id), "topic_id": str(doc.topic_id), "space_id": str(doc.space_id),
            "author_id": str(doc.author_id), "tags": ",".join(doc.tags), "status": doc.status,
            "created": seconds(doc.created_at), "day": day(doc.created_at.date()),
            "title": doc.title, "text": "\n".join(part for part in (doc.title, doc.space_name, doc.body) if part)}
