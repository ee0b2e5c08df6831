"""Whoosh, the embedded default: an index folder in the instance folder, one writer at a time.

Writers: only the journal drainer (``search.indexing.drain``) and ``rebuild`` write, each under
an exclusive ``flock`` on ``<index>.lock`` taken *before* Whoosh's own lock, so writers from any
thread or process queue there instead of failing with ``LockError``.

Readers: one searcher per thread, replaced by a newly opened one as soon as the index changed.
``Searcher.refresh()`` is never called: in whoosh-reloaded 2.7.5 it returns deleted and
duplicated hits after edits and deletions (regression test in tests/search).
"""
import contextlib
import fcntl
import os
import shutil
import threading
import uuid
from datetime import datetime

from whoosh import fields, index, query as wq

from .analysis import FRENCH, stems
from .backend import Page

EPOCH = datetime(1970, 1, 1)
TITLE_BOOST = 2.0


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
        title=fields.TEXT(analyzer=FRENCH, field_boost=TITLE_BOOST),
        body=fields.TEXT(analyzer=FRENCH),
    )


def _seconds(moment):
    return int((moment - EPOCH).total_seconds())


def _day(value):
    return (value - EPOCH.date()).days


def _fields(doc):
    return {"post_id": str(doc.post_id), "topic_id": str(doc.topic_id), "space_id": str(doc.space_id),
            "author_id": str(doc.author_id), "tags": ",".join(doc.tags), "status": doc.status,
            "created": _seconds(doc.created_at), "day": _day(doc.created_at.date()),
            "title": doc.title, "body": doc.body}


class WhooshBackend:
    transactional = False

    def __init__(self, path):
        self.path = os.path.abspath(path)
        self.lock_path = self.path + ".lock"
        self._local = threading.local()
        self._ix = None
        self._ix_stamp = None
        self._ix_lock = threading.Lock()

    # --- the index folder ------------------------------------------------------------------

    def _stamp(self):
        try:
            return os.stat(self.path).st_ino
        except FileNotFoundError:
            return None

    def _index(self):
        """The open index; reopened when ``rebuild`` swapped in a new folder (another inode)."""
        stamp = self._stamp()
        if self._ix is not None and stamp == self._ix_stamp:
            return self._ix
        with self._ix_lock:
            if stamp is None or not index.exists_in(self.path):
                with self.exclusive():
                    if not index.exists_in(self.path):
                        os.makedirs(self.path, exist_ok=True)
                        index.create_in(self.path, make_schema())
                stamp = self._stamp()
            self._ix = index.open_dir(self.path)
            self._ix_stamp = stamp
            return self._ix

    @contextlib.contextmanager
    def exclusive(self):
        """The one-writer lock, shared by threads and processes (blocks until free; re-entrant)."""
        if getattr(self._local, "holding", 0):
            self._local.holding += 1
            try:
                yield
            finally:
                self._local.holding -= 1
            return
        os.makedirs(os.path.dirname(self.lock_path), exist_ok=True)
        with open(self.lock_path, "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            self._local.holding = 1
            try:
                yield
            finally:
                self._local.holding = 0
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _searcher(self):
        ix = self._index()
        searcher = getattr(self._local, "searcher", None)
        if searcher is not None and getattr(self._local, "ix", None) is ix and searcher.up_to_date():
            return searcher
        if searcher is not None:
            searcher.close()
        # A new searcher, never searcher.refresh() (stale and duplicated hits in 2.7.5).
        self._local.searcher = ix.searcher()
        self._local.ix = ix
        return self._local.searcher

    # --- writing (call under ``exclusive()``) ----------------------------------------------

    def index(self, docs):
        self.apply(docs, ())

    def remove(self, post_ids):
        self.apply((), post_ids)

    def apply(self, docs, removed_ids):
        """Index ``docs`` and remove ``removed_ids`` in one commit (the caller holds the lock)."""
        docs, removed_ids = list(docs), list(removed_ids)
        if not docs and not removed_ids:
            return
        writer = self._index().writer(timeout=30, delay=0.05)
        try:
            for post_id in removed_ids:
                writer.delete_by_term("post_id", str(post_id))
            for doc in docs:
                if doc.searchable:
                    writer.update_document(**_fields(doc))
                else:
                    writer.delete_by_term("post_id", str(doc.post_id))
        except BaseException:
            writer.cancel()
            raise
        writer.commit()

    def clear(self):
        with self.exclusive():
            index.create_in(self._fresh_folder(self.path), make_schema())
        self._ix = None

    def _fresh_folder(self, path):
        shutil.rmtree(path, ignore_errors=True)
        os.makedirs(path)
        return path

    def rebuild(self, batches, progress=None):
        """Build a new index aside from the documents, then swap it in (readers go on meanwhile)."""
        with self.exclusive():
            aside = self._fresh_folder(f"{self.path}.new-{uuid.uuid4().hex[:8]}")
            ix = index.create_in(aside, make_schema())
            writer = ix.writer(limitmb=256)
            count = 0
            for batch in batches:
                for doc in batch:
                    if doc.searchable:
                        writer.add_document(**_fields(doc))
                count += len(batch)
                if progress:
                    progress(len(batch))
            writer.commit()
            old = f"{self.path}.old-{uuid.uuid4().hex[:8]}"
            if os.path.exists(self.path):
                os.rename(self.path, old)
            os.rename(aside, self.path)
            shutil.rmtree(old, ignore_errors=True)
        return count

    # --- reading ---------------------------------------------------------------------------

    def _text_query(self, terms, in_title):
        names = ("title",) if in_title else ("title", "body")

        def word(text):
            tokens = stems(text)
            if not tokens:
                return None
            per_field = [wq.And([wq.Term(name, token) for token in tokens]) if len(tokens) > 1
                         else wq.Term(name, tokens[0]) for name in names]
            return wq.Or(per_field)

        def phrase(text):
            tokens = stems(text)
            if not tokens:
                return None
            if len(tokens) == 1:
                return word(text)
            return wq.Or([wq.Phrase(name, tokens) for name in names])

        positive = [q for q in [word(w) for w in terms.words] + [phrase(p) for p in terms.phrases] if q]
        negative = [q for q in [phrase(x) for x in terms.excluded] if q]
        if positive:
            combined = wq.Or(positive) if terms.any_word else wq.And(positive)
        else:
            combined = wq.Every()
        if negative:
            combined = wq.AndNot(combined, wq.Or(negative))
        return combined, bool(positive)

    def _filter(self, scope):
        parts = [wq.Or([wq.Term("space_id", str(i)) for i in sorted(scope.space_ids)])]
        if scope.author_ids is not None:
            parts.append(wq.Or([wq.Term("author_id", str(i)) for i in sorted(scope.author_ids)]))
        for tag in scope.tags:
            parts.append(wq.Term("tags", tag))
        if scope.status:
            parts.append(wq.Term("status", scope.status))
        if scope.after or scope.before:
            start = _day(scope.after) if scope.after else None
            end = _day(scope.before) if scope.before else None
            parts.append(wq.NumericRange("day", start, end, endexcl=True))
        return wq.And(parts)

    def search(self, terms, scope, offset, limit):
        if not scope.space_ids or (scope.author_ids is not None and not scope.author_ids):
            return Page()
        text_query, has_text = self._text_query(terms, scope.in_title)
        searcher = self._searcher()
        kwargs = {}
        if scope.order == "latest" or not has_text:
            kwargs = {"sortedby": "created", "reverse": True}
        results = searcher.search(text_query, filter=self._filter(scope), limit=offset + limit, **kwargs)
        hits = list(results)[offset:offset + limit]
        return Page(post_ids=[int(hit["post_id"]) for hit in hits],
                    scores=[hit.score or 0.0 for hit in hits], total=len(results))
