"""PostgreSQL full-text search: for several processes or machines sharing one database.

Documents live in ``search_document`` (see ``search.models``) with a weighted ``tsvector`` made by
the ``fr_unaccent`` configuration (French Snowball stemming after ``unaccent``) and a GIN index.
``changed`` writes them in the caller's transaction: a post and its search document commit
together, with no queue and no lock, and every process sees them at once.

Queries go through ``websearch_to_tsquery``, which never raises on what a person types; every
word is passed quoted, so ``or`` or a ``-`` inside a word is never read as an operator.
"""
import math
import time
from dataclasses import dataclass

from sqlalchemy import bindparam, delete, text

from forum.extensions import db

from .analysis import stems
from .backend import MAX_RESULTS, Backend, Page, Terms
from .documents import documents
from .models import SearchDocument

CONFIG = "fr_unaccent"
SOURCE = "search_document d"
_INSERT = text(f"""
    INSERT INTO search_document (post_id, topic_id, author_id, created_at, space_id, status, tags, title, body, tsv)
    VALUES (:post_id, :topic_id, :author_id, :created_at, :space_id, :status, :tags, :title, :body,
            setweight(to_tsvector('{CONFIG}', :title), 'A') || setweight(to_tsvector('{CONFIG}', :space_name), 'C')
            || setweight(to_tsvector('{CONFIG}', :body), 'B'))""")


def _quoted(value):
    value = " ".join(value.replace('"', " ").replace("\\", " ").split()).lstrip("-")
    return f'"{value}"' if value else ""


def websearch(terms):
    """The ``websearch_to_tsquery`` text of ``terms`` (every word and phrase quoted)."""
    positive = [q for q in (_quoted(w) for w in list(terms.words) + list(terms.phrases)) if q]
    joiner = " or " if terms.any_word else " "
    negative = [f"-{q}" for q in (_quoted(x) for x in terms.excluded) if q]
    return " ".join([joiner.join(positive)] + negative).strip()


# ts_rank weights for D, C (the space's name, on opening posts), B (body), A (title): as with
# Whoosh, a title match counts on top of the body's without outweighing it (PIAF: MRR@10 0.702 with the default {0.1,0.2,0.4,1.0},
# 0.720 with these).
WEIGHTS = "'{0.1, 0.2, 1.0, 0.5}'"
# Ranked matches at most (the most recent ones): beyond, ranking costs without serving anyone.
# (Counting stops at the search's ``max_results``.)
CANDIDATES = 2000
# How long the planner's word frequencies (``pg_stats``) are kept: they change with ANALYZE only.
STATS_SECONDS = 600


class PostgresBackend(Backend):
    """Documents written in the change's own transaction: no journal, nothing left after commit."""

    def __init__(self, session=None):
        self._session = session
        self._stats = (float("-inf"), {}, 0.0)

    @property
    def session(self):
        return self._session or db.session

    def is_stale(self):
        return False   # the documents' layout follows the migrations

    # --- writing ---------------------------------------------------------------------------

    def changed(self, session, post_ids, topic_ids):
        # In a savepoint: a failure undoes the documents' rows, never the change itself.
        with session.begin_nested():
            found = documents(session, post_ids, topic_ids)
            self._remove(session, set(post_ids) - found.keys())
            self._index(session, found.values())

    def after_commit(self):
        pass           # the documents committed with the change

    def drain(self):
        return 0       # no journal: nothing is ever left pending

    def pending(self):
        return 0

    def lag_seconds(self):
        return 0.0      # indexed in the writer's own transaction: nothing waits

    def _index(self, session, docs):
        """Add or replace these documents (idempotent); a non-searchable one is removed."""
        docs = list(docs)
        if not docs:
            return
        self._remove(session, [doc.post_id for doc in docs])
        rows = [{"post_id": d.post_id, "topic_id": d.topic_id, "author_id": d.author_id, "space_id": d.space_id,
                 "status": d.status, "tags": list(d.tags),
                 "created_at": d.created_at, "title": d.title, "space_name": d.space_name, "body": d.body}
                for d in docs if d.searchable]
        if rows:
            session.execute(_INSERT, rows)

    def _remove(self, session, post_ids):
        post_ids = list(post_ids)
        if post_ids:
            session.execute(delete(SearchDocument).where(SearchDocument.post_id.in_(post_ids)))

    def forget(self):
        """Nothing to do: documents are rewritten in the change's own transaction, and the row
        versions they replace are no longer readable (VACUUM reclaims their space)."""

    def clear(self):
        self.session.execute(delete(SearchDocument))
        self.session.commit()

    def rebuild(self, batches, progress=None):
        # TRUNCATE, not DELETE: the old rows would stay in the table and its GIN index as dead
        # entries until a VACUUM (measured: 232,000 index entries read for a word in 57,000 posts).
        self.session.execute(text("TRUNCATE search_document"))
        self.session.commit()
        count = 0
        for batch in batches:
            self._index(self.session, batch)
            self.session.commit()
            count += len(batch)
            if progress:
                progress(len(batch))
        # Fresh statistics now, not at autovacuum's leisure: without them the planner expects a
        # frequent word to be rare and ranks all its matches instead of walking the date index.
        self.session.execute(text("ANALYZE search_document"))
        self.session.commit()
        return count

    # --- reading ---------------------------------------------------------------------------

    def _idf_rank(self, terms, params):
        """Rank "some of the words" by each word's rarity: ts_rank alone has no IDF, and a common
        word then outranks the rare one that names the subject (PIAF: MRR@10 0.720 without, 0.773 with).

        A frequent word's share comes from the planner's statistics (``pg_stats``, a sample of
        30,000 rows): counting its matches exactly took 100 ms at 100,000 posts, per word. Rarer
        words, absent from those statistics, are counted, cheaply, through the GIN index."""
        frequencies, rows = self._frequencies()
        total = rows if rows > 0 else self.session.execute(text("SELECT count(*) FROM search_document")).scalar()
        total = max(total, 1)
        parts = []
        for number, term in enumerate(list(terms.words) + list(terms.phrases)):
            quoted = _quoted(term)
            if not quoted:
                continue
            params[f"t{number}"] = quoted
            lexemes = stems(term)
            if len(lexemes) == 1 and lexemes[0] in frequencies and rows > 0:
                frequency = frequencies[lexemes[0]] * total
            else:
                frequency = self.session.execute(text(
                    f"SELECT count(*) FROM search_document WHERE tsv @@ websearch_to_tsquery('{CONFIG}', :t)"),
                    {"t": quoted}).scalar()
            idf = math.log(1 + max(total - frequency + 0.5, 0.5) / (frequency + 0.5))
            parts.append(f"{idf:.6f} * ts_rank({WEIGHTS}, d.tsv, websearch_to_tsquery('{CONFIG}', :t{number}), 1)")
        return " + ".join(parts) or "0.0"

    def _frequencies(self):
        """({lexeme: share of documents holding it}, documents) for the most common lexemes, as
        ANALYZE last sampled them."""
        read_at, frequencies, rows = self._stats
        if time.monotonic() - read_at > STATS_SECONDS:
            row = self.session.execute(text(
                "SELECT s.most_common_elems::text::text[] AS lexemes, s.most_common_elem_freqs AS shares, "
                "c.reltuples AS rows FROM pg_class c LEFT JOIN pg_stats s ON s.schemaname = current_schema() "
                "AND s.tablename = c.relname AND s.attname = 'tsv' "
                "WHERE c.relname = 'search_document' AND c.relnamespace = current_schema()::regnamespace")).first()
            frequencies = dict(zip(row.lexemes or (), row.shares or ())) if row else {}
            rows = max(row.rows, 0.0) if row else 0.0
            self._stats = (time.monotonic(), frequencies, rows)
        return frequencies, rows

    def _walks(self, terms, scope):
        """Whether to find the candidates by walking the date index (True) or through the GIN index.

        Walking reads about CANDIDATES / share rows, the GIN index share * rows: the walk wins
        for words found in more than sqrt(CANDIDATES / rows) of the readable posts. The planner
        knows a word's share, but takes words as independent: two words found each in a third
        of the posts ("santé mentale") are expected together in a ninth, and it then reads all
        their matches through the GIN index (measured: 195 ms for 30,000 rows, against 31 ms
        walking). Here, all the words are taken to come together: the least frequent one
        decides. Other filters (author, tag, dates, status) are left to the planner, which
        knows them.
        """
        if terms.any_word or scope.author_ids is not None or scope.tags or scope.status or scope.after \
                or scope.before or scope.post_ids is not None:
            return False
        words = {stem for term in list(terms.words) + list(terms.phrases) for stem in stems(term)}
        frequencies, rows = self._frequencies()
        shares = [frequencies.get(word) for word in words]
        if not shares or None in shares or rows <= 0:
            return False
        readable = self.session.execute(text(
            "SELECT coalesce(sum(post_count) FILTER (WHERE id = ANY(:spaces)), 0)::float "
            "/ greatest(sum(post_count), 1) FROM space"), {"spaces": sorted(scope.space_ids)}).scalar()
        return min(shares) * readable >= math.sqrt(CANDIDATES / rows)


    def search(self, terms, scope, offset, limit, max_results=MAX_RESULTS):
        if not scope.space_ids or (scope.author_ids is not None and not scope.author_ids) \
                or (scope.post_ids is not None and not scope.post_ids):
            return Page()
        query = self._query(terms, scope)
        params = {**query.params, "offset": offset, "limit": limit, "candidates": CANDIDATES,
                  "count_limit": max_results + 1}
        sql = _statement(_page_sql(query), params)
        rows = self.session.execute(sql, params).all()
        total = self._total(query, sql, params, rows, max_results)
        return Page(post_ids=[row.post_id for row in rows], scores=[float(row.rank) for row in rows],
                    total=total)

    def _query(self, terms, scope):
        """The SQL parts of a search: how candidates are found and ranked, the text's condition,
        then the filters'."""
        has_text = bool(terms.words or terms.phrases)
        query = _Query(params={"spaces": sorted(scope.space_ids)}, where=["d.space_id = ANY(:spaces)"],
                       ranked=has_text and scope.order != "latest",
                       phrase_check=(scope.order != "latest" and not terms.any_word
                                     and any(len(phrase.split()) > 1 for phrase in terms.phrases)),
                       walk=has_text and self._walks(terms, scope))
        self._add_text(query, terms, scope)
        _add_filters(query, scope)
        return query

    def _add_text(self, query, terms, scope):
        """The condition on the words (or on the title alone, ``in:title`` without words) and the rank."""
        query_text = websearch(terms)
        if not query_text:
            if scope.in_title:
                query.where.append("d.title <> ''")
            return
        params = query.params
        params["query"] = query_text
        tsquery = f"websearch_to_tsquery('{CONFIG}', :query)"
        if terms.any_word and terms.excluded and (terms.words or terms.phrases):
            # "a or b -c" reads as a | (b & !c): the exclusions are joined on their own.
            params["query"] = websearch(Terms(words=terms.words, phrases=terms.phrases, any_word=True))
            params["excluded"] = websearch(Terms(excluded=terms.excluded))
            tsquery = f"({tsquery} && websearch_to_tsquery('{CONFIG}', :excluded))"
        if query.phrase_check:
            # A phrase is checked on each row's positions, which the GIN index does not hold:
            # walking the date index would check them on every post (the whole table when
            # the phrase is rare). Candidates are the posts with its words; the phrase is
            # checked on them only (as with Whoosh: older matches of a phrase whose words
            # are very common are missed).
            params["words"] = websearch(Terms(words=tuple(w for t in list(terms.words) + list(terms.phrases)
                                                           for w in t.split()), excluded=terms.excluded))
            query.where.append(query.holds(f"websearch_to_tsquery('{CONFIG}', :words)"))
        else:
            query.where.append(query.holds(tsquery))
        if scope.in_title:
            query.where.append(f"ts_filter(d.tsv, '{{a}}') @@ {tsquery}")
        query.tsquery = tsquery
        query.rank = (self._idf_rank(terms, params) if terms.any_word
                      else f"ts_rank({WEIGHTS}, d.tsv, {tsquery}, 1)")

    def _total(self, query, sql, params, rows, max_results):
        """How many posts match: exactly up to ``max_results``, else ``max_results + 1`` (or more)."""
        offset, limit = params["offset"], params["limit"]
        if query.ranked:
            # Counted among the candidates, with the ranking (past the last page: asked again).
            counted = rows or (offset and self.session.execute(sql, {**params, "offset": 0, "limit": 1}).all())
            total = counted[0].total if counted else 0
            if total >= CANDIDATES:   # as many as could be ranked: maybe more
                total = max_results + 1 if CANDIDATES > max_results else self._count(query, params)
            return total
        if offset == 0 and len(rows) < limit:
            return len(rows)
        return self._count(query, params)

    def _count(self, query, params):
        # Counted up to max_results + 1 only: nobody is shown more.
        count_sql = f"SELECT count(*) FROM (SELECT 1 FROM {SOURCE} WHERE {query.condition} LIMIT :count_limit) m"
        return self.session.execute(_statement(count_sql, params), params).scalar()


@dataclass
class _Query:
    """One search as SQL parts over ``search_document d``: its conditions and their parameters,
    the text's tsquery expression and rank, and how the candidates are found."""
    params: dict
    where: list
    ranked: bool           # by rank among the CANDIDATES most recent matches; else latest first
    phrase_check: bool     # phrases asked as their words, then checked on the candidates
    walk: bool             # candidates read along the date index, not found through the GIN index
    tsquery: str | None = None
    rank: str = "0.0"

    @property
    def condition(self):
        return " AND ".join(self.where)

    def holds(self, tsquery):
        # Written out (not a FROM-list alias) so that the GIN index on tsv is used, or as a
        # function call, which it cannot serve, for the date index to be walked instead.
        return f"ts_match_vq(d.tsv, {tsquery})" if self.walk else f"d.tsv @@ {tsquery}"


def _add_filters(query, scope):
    """The conditions of the filters but the spaces (author, status, tags, dates)."""
    where, params = query.where, query.params
    if scope.author_ids is not None:
        where.append("d.author_id = ANY(:authors)")
        params["authors"] = sorted(scope.author_ids)
    if scope.post_ids is not None:
        where.append("d.post_id = ANY(:post_ids)")
        params["post_ids"] = sorted(scope.post_ids)
    if scope.status:
        where.append("d.status = :status")
        params["status"] = scope.status
    if scope.tags:
        where.append("d.tags @> CAST(:tags AS text[])")
        params["tags"] = sorted(scope.tags)
    if scope.after:
        where.append("d.created_at >= :after")
        params["after"] = scope.after
    if scope.before:
        where.append("d.created_at < :before")
        params["before"] = scope.before


def _page_sql(query):
    """The SQL of one page of results, with the count of candidates when ranked."""
    if not query.ranked:
        return f"""SELECT d.post_id, 0.0 AS rank FROM {SOURCE} WHERE {query.condition}
                   ORDER BY d.created_at DESC, d.post_id DESC LIMIT :limit OFFSET :offset"""
    # ts_rank reads every tsvector it ranks: only the CANDIDATES most recent matches are
    # ranked (a frequent word matches tens of thousands of posts at 100,000). Counting
    # them counts the matches (exactly, below CANDIDATES) with no second query.
    return _walking_sql(query) if query.walk else _gin_sql(query)


def _walking_sql(query):
    # Each tsvector is read once, as the date index is walked: ranks (and the phrase
    # check) are computed then (measured: 27 ms against 42 ms read again by a join).
    phrased = f", d.tsv @@ {query.tsquery} AS phrased" if query.phrase_check else ""
    return f"""SELECT c.post_id, c.rank, count(*) OVER () AS total FROM (
                   SELECT d.post_id, {query.rank} AS rank{phrased} FROM {SOURCE} WHERE {query.condition}
                   ORDER BY d.created_at DESC, d.post_id DESC LIMIT :candidates) c
               {"WHERE c.phrased" if query.phrase_check else ""}
               ORDER BY c.rank DESC, c.post_id DESC LIMIT :limit OFFSET :offset"""


def _gin_sql(query):
    # Matches come from the GIN index and are sorted by date without their tsvector
    # (narrow rows): only the candidates' are read again, to be ranked.
    return f"""SELECT c.post_id, {query.rank.replace("d.tsv", "s.tsv")} AS rank, count(*) OVER () AS total FROM (
                   SELECT d.post_id FROM {SOURCE} WHERE {query.condition}
                   ORDER BY d.created_at DESC, d.post_id DESC LIMIT :candidates) c
               JOIN search_document s ON s.post_id = c.post_id
               {f"WHERE s.tsv @@ {query.tsquery}" if query.phrase_check else ""}
               ORDER BY rank DESC, c.post_id DESC LIMIT :limit OFFSET :offset"""


def _statement(sql, params):
    statement = text(sql)
    return statement.bindparams(bindparam("authors")) if "authors" in params else statement
