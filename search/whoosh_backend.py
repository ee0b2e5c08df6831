"""Whoosh, the embedded default: an index folder in the instance folder, one writer at a time.

Written after commit, from the journal (``search.journal``). Writers: only the journal drainer
(``drain``) and ``rebuild`` write, each under an exclusive ``flock`` on ``<index>.lock`` taken
*before* Whoosh's own lock, so writers from any thread or process queue there instead of
failing with ``LockError``.

Modules: ``whoosh_schema`` (fields, scoring), ``whoosh_queries`` (the query of a search, phrase
checks, counts), ``whoosh_matchers`` (periods and recent windows by document number).

Readers: one searcher per thread, replaced by a newly opened one as soon as the index changed.
``Searcher.refresh()`` is never called: in whoosh-reloaded 2.7.5 it returns deleted and
duplicated hits after edits and deletions (regression test in tests/search).
"""
import contextlib
import fcntl
import logging
import os
import shutil
import threading
import uuid

from whoosh import index, query as wq

from .backend import MAX_RESULTS, Page
from .journal import JournaledBackend
from .whoosh_matchers import DayOrder, Docnums, Recent, dated_window, recent_window, starts
from .whoosh_queries import count, scope_query, share, text_query, with_phrases
from .whoosh_schema import BM25, TEXT, TITLE, day, fields_of, is_current, make_schema

log = logging.getLogger(__name__)
# Hits (by the phrase's words) on which phrases are checked: past this, a phrase match is missed.
PHRASE_CANDIDATES = 1000
# Matches ranked at most (the most recent, see whoosh_matchers.recent_window).
CANDIDATES = 2000


class WhooshBackend(JournaledBackend):

    def __init__(self, path, drain_after_commit=True):
        super().__init__(drain_after_commit)
        self.path = os.path.abspath(path)
        self.lock_path = self.path + ".lock"
        self._local = threading.local()
        self._ix = None
        self._ix_stamp = None
        self._ix_lock = threading.Lock()
        self._days = DayOrder()

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
            if not is_current(self._ix.schema):
                log.warning("The search index %s was built by an earlier version: run `flask search "
                            "reindex` (`make run` does).", self.path)
            return self._ix

    def is_stale(self):
        """True when the index was built by an earlier version (other fields): ``flask search
        reindex`` must rebuild it."""
        return not is_current(self._index().schema)

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
        self._local.searcher = ix.searcher(weighting=BM25())
        self._local.ix = ix
        return self._local.searcher

    # --- writing (call under ``exclusive()``) ----------------------------------------------

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
                    writer.update_document(**fields_of(doc))
                else:
                    writer.delete_by_term("post_id", str(doc.post_id))
        except BaseException:
            writer.cancel()
            raise
        writer.commit()

    def forget(self):
        """Drain, then merge every segment into one: Whoosh only marks replaced documents as
        deleted, and their words stay in the old segments' files until a merge."""
        self.drain()
        with self.exclusive():
            self._index().optimize()

    def clear(self):
        with self.exclusive():
            index.create_in(self._fresh_folder(self.path), make_schema())
        self._ix = None

    def _fresh_folder(self, path):
        shutil.rmtree(path, ignore_errors=True)
        os.makedirs(path)
        return path

    def build(self, batches, progress=None):
        """Build a new index aside from the documents, then swap it in (readers go on meanwhile)."""
        with self.exclusive():
            aside = self._fresh_folder(f"{self.path}.new-{uuid.uuid4().hex[:8]}")
            ix = index.create_in(aside, make_schema())
            writer = ix.writer(limitmb=256)
            count = 0
            for batch in batches:
                for doc in batch:
                    if doc.searchable:
                        writer.add_document(**fields_of(doc))
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

    def search(self, terms, scope, offset, limit, max_results=MAX_RESULTS):
        if not scope.space_ids or (scope.author_ids is not None and not scope.author_ids) \
                or (scope.post_ids is not None and not scope.post_ids):
            return Page()
        # Whoosh checks a phrase by reading word positions, in Python, for every post holding all
        # its words (tens of thousands for common words: seconds). The phrase is asked as its
        # words instead, and the positions are checked only on the best PHRASE_CANDIDATES hits.
        verify = bool(terms.phrases) and not terms.any_word
        words_query, has_text, phrases = text_query(terms, scope.in_title, phrases_as_words=verify)
        searcher = self._searcher()
        kwargs = {}
        if scope.order == "latest" or not has_text:
            kwargs = {"sortedby": "created", "reverse": True}
        query = scope_query(searcher, words_query, scope)
        fraction = share(searcher, terms, scope.in_title) if has_text and not kwargs else None
        if scope.after or scope.before:
            # The posts of the period, per segment: the query's matches are looked up among them.
            dated = self._days.docnums(searcher, day(scope.after) if scope.after else None,
                                       day(scope.before) if scope.before else None)
            query = wq.And([query, Docnums(dated)])
            window = dated_window(dated, fraction, CANDIDATES)
            ranked = wq.And([query, Docnums(window[0])]) if window else query
        else:
            window = recent_window(searcher, fraction, CANDIDATES)
            ranked = Recent(query, starts(searcher, window[0])) if window else query
        if phrases:
            results = searcher.search(ranked, limit=max(PHRASE_CANDIDATES, offset + limit), **kwargs)
            names = TITLE if scope.in_title else TEXT
            kept = with_phrases(searcher, [hit.docnum for hit in results], phrases, names)
            matching = [hit for hit in results if hit.docnum in kept]
            hits = matching[offset:offset + limit]
            total = len(matching)
        else:
            results = searcher.search(ranked, limit=offset + limit, **kwargs)
            hits = list(iter(results))[offset:offset + limit]   # list(results) would count them all
            if window and len(hits) < limit:
                # Fewer matches among the recent posts than the estimate said (filters, words
                # found together less often than by chance): rank them all.
                window, results = None, searcher.search(query, limit=offset + limit, **kwargs)
                hits = list(iter(results))[offset:offset + limit]   # list(results) would count them all
            if window:
                # Not counted: as many as the estimate, which is far above what pages show.
                total = window[1]
            else:
                # An exact count costs a second pass over the postings: above max_results
                # matches (a frequent word), the estimate (an upper bound) is given instead.
                total = len(results) if results.has_exact_length() else count(searcher, query, max_results)
                if total > max_results:
                    total = results.estimated_length()
        return Page(post_ids=[int(hit["post_id"]) for hit in hits],
                    scores=[hit.score or 0.0 for hit in hits], total=max(total, len(hits) + offset))
