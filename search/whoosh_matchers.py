"""Whoosh queries and matchers that restrict a search to document numbers, for speed.

- a period (``after:``/``before:``): ``DayOrder`` finds its documents by bisection over each
  segment's documents sorted by day, and ``Docnums`` matches them;
- the most recent matches only (a frequent word): ``recent_window`` and ``dated_window`` say how
  many of the last documents to rank, ``Recent`` skips the older ones;
- exclusions (unreadable spaces, ``-mot``): ``Excluding``, Whoosh's ``AndNot`` made right.
"""
import bisect
from array import array

from whoosh import query as wq
from whoosh.matching import AndNotMatcher, ListMatcher, NullMatcher
from whoosh.query.wrappers import WrappingQuery


def recent_window(searcher, share, candidates):
    """(How many of the last indexed documents hold about ``candidates`` matches, how many
    matches in all), or None when that window is the whole index. Index order is mostly date order (a
    rebuild writes the oldest posts first, new ones are appended), though merges of small
    segments may reorder the latest. Whoosh scores each match in Python (about 10 µs): a word
    found in most posts costs a second at 100,000 posts, so only the most recent matches are
    ranked."""
    if share is None:
        return None
    total = searcher.doc_count_all()
    window = int(candidates / max(share, 1e-9))
    return (window, round(share * total)) if window < total else None


def dated_window(dated, share, candidates):
    """As ``recent_window`` among the documents of a period: ({leaf: its last documents of the
    period}, estimated matches), or None when the whole period is to be ranked."""
    if share is None:
        return None
    total = sum(len(docnums) for docnums in dated.values())
    window = int(candidates / max(share, 1e-9))
    if window >= total:
        return None
    kept, left = {}, window
    # Leaves in index order, so the last ones hold the most recently indexed documents.
    for leaf in reversed(list(dated)):
        kept[leaf] = dated[leaf][max(0, len(dated[leaf]) - left):]
        left -= len(kept[leaf])
    return kept, round(share * total)


def starts(searcher, window):
    """{leaf searcher id: its first document number inside the last ``window`` documents}."""
    first = searcher.doc_count_all() - window
    return {id(leaf): max(0, first - offset) for leaf, offset in searcher.leaf_searchers()}


class Recent(WrappingQuery):
    """The matches of ``child`` from a document number on: the most recently indexed documents
    (Whoosh appends added and updated documents)."""

    def __init__(self, child, starts):
        super().__init__(child)
        self.starts = starts

    def _rewrap(self, child):
        return Recent(child, self.starts)

    def matcher(self, searcher, context=None):
        matcher = self.child.matcher(searcher, context)
        start = self.starts.get(id(searcher), 0)
        if start >= searcher.doc_count_all():
            return NullMatcher()
        if start and matcher.is_active() and matcher.id() < start:
            matcher.skip_to(start)
        return matcher


class DayOrder:
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


class Docnums(wq.Query):
    """Matches the given documents ({id(leaf searcher): ascending numbers}), adding no score."""

    def __init__(self, per_leaf):
        self.per_leaf = per_leaf

    def __eq__(self, other):
        return type(other) is Docnums and other.per_leaf is self.per_leaf

    def __hash__(self):
        return id(self.per_leaf)

    def estimate_size(self, ixreader):
        return sum(len(docnums) for docnums in self.per_leaf.values())

    def matcher(self, searcher, context=None):
        docnums = self.per_leaf.get(id(searcher))
        return DocnumMatcher(docnums) if docnums else NullMatcher()


class DocnumMatcher(ListMatcher):
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


class Excluding(wq.AndNot):
    """``a`` but not ``b``, as ``whoosh.query.AndNot``, with a matcher that never yields an
    excluded document.

    whoosh-reloaded 2.7.5's ``AndNotMatcher`` checks its *first* document against ``b`` only
    when ``b`` already stands on that same document: when ``b`` starts on an earlier one (a
    post of an unreadable space indexed before the match), the match is kept although ``b``
    holds it too. Counts and pages then held posts of restricted spaces: totals of "1 message"
    with no result shown, spelling suggestions of words seen only there (regression tests in
    tests/search/test_restricted_totals.py).
    """

    def matcher(self, searcher, context=None):
        return ExcludingMatcher(self.a.matcher(searcher, context),
                                self.b.matcher(searcher, searcher.boolean_context()))


class ExcludingMatcher(AndNotMatcher):
    """``AndNotMatcher`` whose first document (after construction, ``reset`` or ``replace``) is
    moved past every document ``b`` holds, as ``next`` and ``skip_to`` already do."""

    def _find_first(self):
        if self.a.is_active() and self.b.is_active():
            self._find_next()

    def _find_next(self):
        # Whoosh's reads ``a.id()`` first: after ``skip_to`` past a's last document, ``a`` is done.
        if self.a.is_active():
            return super()._find_next()
        return False
