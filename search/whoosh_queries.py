"""Whoosh queries of a search: its words and phrases, its scope, and what is computed on the hits.

Phrases are asked as their words and checked on the best hits (``with_phrases``): Whoosh reads
word positions in Python for every post holding all the words of a phrase.
"""
import math

from whoosh import query as wq
from whoosh.reading import TermNotFound

from .analysis import stems
from .whoosh_matchers import Excluding
from .whoosh_schema import TEXT, TITLE


def text_query(terms, in_title, phrases_as_words=False):
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
        combined = Excluding(combined, wq.Or(negative))
    return combined, bool(positive), checked


def scope_query(searcher, query, scope):
    """``query`` restricted to ``scope`` (but its dates: see ``whoosh_matchers.DayOrder``).

    Spaces the viewer may not read are *excluded* (``Excluding``: a few spaces, skipped over
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
    if scope.post_ids is not None:
        parts.append(wq.Or([wq.Term("post_id", str(i)) for i in sorted(scope.post_ids)]))
    query = wq.And(parts) if len(parts) > 1 else query
    if hidden:
        query = Excluding(query, wq.Or([wq.Term("space_id", str(i)) for i in sorted(hidden)]))
    return query


def count(searcher, query, up_to):
    """The matches of ``query``, counted up to ``up_to + 1``. Whoosh's own count intersects the
    sets of *all* the documents of each clause (a whole posting list for a frequent word); the
    matchers here skip from match to match."""
    matched = 0
    for leaf, _ in searcher.leaf_searchers():
        matcher = query.matcher(leaf)
        while matcher.is_active() and matched <= up_to:
            matched += 1
            matcher.next()
    return matched


def with_phrases(searcher, docnums, phrases, names):
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


def share(searcher, terms, in_title):
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
