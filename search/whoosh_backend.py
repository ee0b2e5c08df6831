"""Whoosh, the embedded default: an index folder in the instance folder, one writer at a time.

Writers: only the journal drainer (``search.indexing.drain``) and ``rebuild`` write, each under
an exclusive ``flock`` on ``<index>.lock`` taken *before* Whoosh's own lock, so writers from any
thread or process queue there instead of failing with ``LockError``.

Readers: one searcher per thread, replaced by a newly opened one as soon as the index changed.
``Searcher.refresh()`` is never called: in whoosh-reloaded 2.7.5 it returns deleted and
duplicated hits after edits and deletions (regression test in tests/search).
"""
import bisect
import contextlib
import logging
import math
import fcntl
import os
import shutil
import threading
import uuid
from array import array
from datetime import datetime

from whoosh import fields, index, query as wq, scoring
from whoosh.matching import ListMatcher, NullMatcher
from whoosh.query.wrappers import WrappingQuery
from whoosh.reading import TermNotFound

from .analysis import FRENCH, stems
from .backend import Page

log = logging.getLogger(__name__)
EPOCH = datetime(1970, 1, 1)
EXACT_COUNT_UP_TO = 2000
# Hits (by the phrase's words) on which phrases are checked: past this, a phrase match is missed.
PHRASE_CANDIDATES = 1000
# Matches ranked at most (the most recent, see _recent_window).
CANDIDATES = 2000
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
    )


def _seconds(moment):
    return int((moment - EPOCH).total_seconds())


def _day(value):
    return (value - EPOCH.date()).days


def _fields(doc):
    return {"post_id": str(doc.post_id), "topic_id": str(doc.topic_id), "space_id": str(doc.space_id),
            "author_id": str(doc.author_id), "tags": ",".join(doc.tags), "status": doc.status,
            "created": _seconds(doc.created_at), "day": _day(doc.created_at.date()),
            "title": doc.title, "text": f"{doc.title}\n{doc.body}" if doc.title else doc.body}


class WhooshBackend:
    transactional = False

    def __init__(self, path):
        self.path = os.path.abspath(path)
        self.lock_path = self.path + ".lock"
        self._local = threading.local()
        self._ix = None
        self._ix_stamp = None
        self._ix_lock = threading.Lock()
        self._days = _DayOrder()

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
            if "text" not in self._ix.schema.names():
                log.warning("The search index %s was built by an earlier version: run `flask search "
                            "reindex` (`make run` does).", self.path)
            return self._ix

    def is_stale(self):
        """True when the index was built by an earlier version (other fields): ``flask search
        reindex`` must rebuild it."""
        return "text" not in self._index().schema.names()

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

    def _text_query(self, terms, in_title, phrases_as_words=False):
        """(query, has_text, phrases): with ``phrases_as_words``, each phrase is asked as all of its
        words, and the phrases (lists of stems) are returned to be checked on the hits."""
        names = TITLE if in_title else TEXT
        checked = []

        def word(text):
            tokens = stems(text)
            if not tokens:
                return None
            per_field = [wq.And([wq.Term(name, token) for token in tokens])
                         if len(tokens) > 1 else wq.Term(name, tokens[0]) for name in names]
            return wq.Or(per_field)

        def phrase(text, verify_later=False):
            tokens = stems(text)
            if not tokens:
                return None
            if len(tokens) == 1:
                return word(text)
            if verify_later:
                checked.append(tokens)
                return word(text)
            return wq.Or([wq.Phrase(name, tokens) for name in names])

        positive = [q for q in [word(w) for w in terms.words]
                    + [phrase(p, phrases_as_words) for p in terms.phrases] if q]
        negative = [q for q in [phrase(x) for x in terms.excluded] if q]
        if positive:
            combined = wq.Or(positive) if terms.any_word else wq.And(positive)
        else:
            combined = wq.Every()
        if negative:
            combined = wq.AndNot(combined, wq.Or(negative))
        return combined, bool(positive), checked

    def _scope_query(self, searcher, query, scope):
        """``query`` restricted to ``scope`` (but its dates: see ``_DayOrder``).

        Spaces the viewer may not read are *excluded* (``AndNot``: a few spaces, skipped over
        cheaply) rather than the readable ones required: a required clause over most of the
        index is materialised document by document in Python (measured: 0.5 s CPU per query at
        100,000 posts). Other filters are plain clauses on one-term ID fields.
        """
        indexed = {int(value) for value in searcher.lexicon("space_id")}
        hidden = indexed - set(scope.space_ids)
        parts = [query]
        if scope.author_ids is not None:
            parts.append(wq.Or([wq.Term("author_id", str(i)) for i in sorted(scope.author_ids)]))
        for tag in scope.tags:
            parts.append(wq.Term("tags", tag))
        if scope.status:
            parts.append(wq.Term("status", scope.status))
        query = wq.And(parts) if len(parts) > 1 else query
        if hidden:
            query = wq.AndNot(query, wq.Or([wq.Term("space_id", str(i)) for i in sorted(hidden)]))
        return query

    def search(self, terms, scope, offset, limit):
        if not scope.space_ids or (scope.author_ids is not None and not scope.author_ids):
            return Page()
        # Whoosh checks a phrase by reading word positions, in Python, for every post holding all
        # its words (tens of thousands for common words: seconds). The phrase is asked as its
        # words instead, and the positions are checked only on the best PHRASE_CANDIDATES hits.
        verify = bool(terms.phrases) and not terms.any_word
        text_query, has_text, phrases = self._text_query(terms, scope.in_title, phrases_as_words=verify)
        searcher = self._searcher()
        kwargs = {}
        if scope.order == "latest" or not has_text:
            kwargs = {"sortedby": "created", "reverse": True}
        query = self._scope_query(searcher, text_query, scope)
        share = _share(searcher, terms, scope.in_title) if has_text and not kwargs else None
        if scope.after or scope.before:
            # The posts of the period, per segment: the query's matches are looked up among them.
            dated = self._days.docnums(searcher, _day(scope.after) if scope.after else None,
                                       _day(scope.before) if scope.before else None)
            query = wq.And([query, _Docnums(dated)])
            window = _dated_window(dated, share)
            ranked = wq.And([query, _Docnums(window[0])]) if window else query
        else:
            window = _recent_window(searcher, share)
            ranked = _Recent(query, _starts(searcher, window[0])) if window else query
        if phrases:
            results = searcher.search(ranked, limit=max(PHRASE_CANDIDATES, offset + limit), **kwargs)
            names = TITLE if scope.in_title else TEXT
            kept = _with_phrases(searcher, [hit.docnum for hit in results], phrases, names)
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
                # An exact count costs a second pass over the postings: above EXACT_COUNT_UP_TO
                # matches (a frequent word), the estimate (an upper bound) is given instead.
                total = len(results) if results.has_exact_length() else _count(searcher, query, EXACT_COUNT_UP_TO)
                if total > EXACT_COUNT_UP_TO:
                    total = results.estimated_length()
        return Page(post_ids=[int(hit["post_id"]) for hit in hits],
                    scores=[hit.score or 0.0 for hit in hits], total=max(total, len(hits) + offset))


def _count(searcher, query, up_to):
    """The matches of ``query``, counted up to ``up_to + 1``. Whoosh's own count intersects the
    sets of *all* the documents of each clause (a whole posting list for a frequent word); the
    matchers here skip from match to match."""
    count = 0
    for leaf, _ in searcher.leaf_searchers():
        matcher = query.matcher(leaf)
        while matcher.is_active() and count <= up_to:
            count += 1
            matcher.next()
    return count


def _with_phrases(searcher, docnums, phrases, names):
    """The documents among ``docnums`` holding every phrase (stems at consecutive positions, as
    ``whoosh.query.Phrase`` with its default slop) in one of the fields ``names``."""
    keep = set(docnums)
    for tokens in phrases:
        found = set()
        for name in names:
            wanted = sorted(keep - found)
            positions = []
            for token in tokens:
                try:
                    matcher = searcher.postings(name, token)
                except TermNotFound:
                    positions = None
                    break
                per_doc = {}
                for docnum in wanted:
                    if not matcher.is_active():
                        break
                    if matcher.id() < docnum:
                        matcher.skip_to(docnum)
                    if matcher.is_active() and matcher.id() == docnum:
                        per_doc[docnum] = set(matcher.value_as("positions"))
                positions.append(per_doc)
                wanted = sorted(per_doc)
            if not positions:
                continue
            for docnum in wanted:
                first, rest = positions[0][docnum], positions[1:]
                if any(all(start + i + 1 in later[docnum] for i, later in enumerate(rest)) for start in first):
                    found.add(docnum)
        keep &= found
    return keep


def _share(searcher, terms, in_title):
    """The estimated share of documents matching ``terms``, from each word's document frequency,
    words taken as independent (all words) or added up (some words); None without words."""
    total = searcher.doc_count_all()
    names = TITLE if in_title else TEXT
    shares = []
    for text in list(terms.words) + list(terms.phrases):
        tokens = stems(text)
        if tokens:
            shares.append(min(max(searcher.doc_frequency(name, token) for name in names) for token in tokens)
                          / max(total, 1))
    if not shares:
        return None
    return min(1.0, sum(shares)) if terms.any_word else math.prod(shares)


def _recent_window(searcher, share):
    """(How many of the last indexed documents hold about CANDIDATES matches, how many matches in
    all), or None when that window is the whole index. Index order is mostly date order (a
    rebuild writes the oldest posts first, new ones are appended), though merges of small
    segments may reorder the latest. Whoosh scores each match in Python (about 10 µs): a word
    found in most posts costs a second at 100,000 posts, so only the most recent matches are
    ranked."""
    if share is None:
        return None
    total = searcher.doc_count_all()
    window = int(CANDIDATES / max(share, 1e-9))
    return (window, round(share * total)) if window < total else None


def _dated_window(dated, share):
    """As ``_recent_window`` among the documents of a period: ({leaf: its last documents of the
    period}, estimated matches), or None when the whole period is to be ranked."""
    if share is None:
        return None
    total = sum(len(docnums) for docnums in dated.values())
    window = int(CANDIDATES / max(share, 1e-9))
    if window >= total:
        return None
    kept, left = {}, window
    # Leaves in index order, so the last ones hold the most recently indexed documents.
    for leaf in reversed(list(dated)):
        kept[leaf] = dated[leaf][max(0, len(dated[leaf]) - left):]
        left -= len(kept[leaf])
    return kept, round(share * total)


def _starts(searcher, window):
    """{leaf searcher id: its first document number inside the last ``window`` documents}."""
    first = searcher.doc_count_all() - window
    return {id(leaf): max(0, first - offset) for leaf, offset in searcher.leaf_searchers()}


class _Recent(WrappingQuery):
    """The matches of ``child`` from a document number on: the most recently indexed documents
    (Whoosh appends added and updated documents)."""

    def __init__(self, child, starts):
        super().__init__(child)
        self.starts = starts

    def _rewrap(self, child):
        return _Recent(child, self.starts)

    def matcher(self, searcher, context=None):
        matcher = self.child.matcher(searcher, context)
        start = self.starts.get(id(searcher), 0)
        if start >= searcher.doc_count_all():
            return NullMatcher()
        if start and matcher.is_active() and matcher.id() < start:
            matcher.skip_to(start)
        return matcher


class _DayOrder:
    """Each segment's documents sorted by day, to find the documents of a period by bisection.

    A date filter as a ``NumericRange`` query is a union of many numeric terms that Whoosh
    materialises document by document in Python (measured: 0.5 s for a half-year at 100,000
    posts). A segment never changes once written (but for its deleted documents, left out
    here), so its order is computed once (about 0.1 s for 100,000 posts) and kept while the
    segment is in the index.
    """

    def __init__(self):
        self._segments = {}

    def _order(self, reader):
        key = reader.segment().segment_id()
        found = self._segments.get(key)
        if found is None:
            days = list(reader.column_reader("day"))
            order = sorted(range(len(days)), key=days.__getitem__)
            found = self._segments[key] = (array("i", (days[i] for i in order)), array("i", order))
        return key, found

    def docnums(self, searcher, start, end):
        """{id(leaf searcher): its document numbers, ascending, of days in [start, end)}."""
        dated, keys = {}, set()
        for leaf, _ in searcher.leaf_searchers():
            key, (days, order) = self._order(leaf.reader())
            keys.add(key)
            low = bisect.bisect_left(days, start) if start is not None else 0
            high = bisect.bisect_left(days, end) if end is not None else len(days)
            docnums = sorted(order[low:high])
            if leaf.reader().has_deletions():   # edited or deleted since the segment was written
                deleted = leaf.reader().deleted_docs_set
                docnums = [docnum for docnum in docnums if docnum not in deleted]
            dated[id(leaf)] = array("i", docnums)
        for gone in set(self._segments) - keys:   # merged away
            self._segments.pop(gone, None)
        return dated


class _Docnums(wq.Query):
    """Matches the given documents ({id(leaf searcher): ascending numbers}), adding no score."""

    def __init__(self, per_leaf):
        self.per_leaf = per_leaf

    def __eq__(self, other):
        return type(other) is _Docnums and other.per_leaf is self.per_leaf

    def __hash__(self):
        return id(self.per_leaf)

    def estimate_size(self, ixreader):
        return sum(len(docnums) for docnums in self.per_leaf.values())

    def matcher(self, searcher, context=None):
        docnums = self.per_leaf.get(id(searcher))
        return _DocnumMatcher(docnums) if docnums else NullMatcher()


class _DocnumMatcher(ListMatcher):
    """A ``ListMatcher`` that skips by bisection (Whoosh's walks the list) and scores nothing."""

    def skip_to(self, docnum):
        if self.is_active() and docnum > self.id():
            self._i = bisect.bisect_left(self._ids, docnum, self._i)

    def weight(self):
        return 0.0

    def score(self):
        return 0.0

    def supports_block_quality(self):
        return False
