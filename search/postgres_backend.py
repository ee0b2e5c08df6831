"""PostgreSQL full-text search: for several processes or machines sharing one database.

Documents live in ``search_document`` (see ``search.models``) with a weighted ``tsvector`` made by
the ``fr_unaccent`` configuration (French Snowball stemming after ``unaccent``) and a GIN index.
``index`` and ``remove`` run in the caller's transaction: a post and its search document commit
together, with no queue and no lock, and every process sees them at once.

Queries go through ``websearch_to_tsquery``, which never raises on what a person types; every
word is passed quoted, so ``or`` or a ``-`` inside a word is never read as an operator.
"""
from sqlalchemy import bindparam, delete, text

from forum.extensions import db

from .backend import Page
from .models import SearchDocument

CONFIG = "fr_unaccent"
_INSERT = text(f"""
    INSERT INTO search_document (post_id, topic_id, author_id, created_at, title, body, tsv)
    VALUES (:post_id, :topic_id, :author_id, :created_at, :title, :body,
            setweight(to_tsvector('{CONFIG}', :title), 'A') || setweight(to_tsvector('{CONFIG}', :body), 'B'))""")


def _quoted(value):
    value = " ".join(value.replace('"', " ").replace("\\", " ").split()).lstrip("-")
    return f'"{value}"' if value else ""


def websearch(terms):
    """The ``websearch_to_tsquery`` text of ``terms`` (every word and phrase quoted)."""
    positive = [q for q in (_quoted(w) for w in list(terms.words) + list(terms.phrases)) if q]
    joiner = " or " if terms.any_word else " "
    negative = [f"-{q}" for q in (_quoted(x) for x in terms.excluded) if q]
    return " ".join([joiner.join(positive)] + negative).strip()


class PostgresBackend:
    transactional = True

    def __init__(self, session=None):
        self._session = session

    @property
    def session(self):
        return self._session or db.session

    def index(self, docs):
        docs = list(docs)
        if not docs:
            return
        self.remove([doc.post_id for doc in docs])
        rows = [{"post_id": d.post_id, "topic_id": d.topic_id, "author_id": d.author_id,
                 "created_at": d.created_at, "title": d.title, "body": d.body} for d in docs if d.searchable]
        if rows:
            self.session.execute(_INSERT, rows)

    def remove(self, post_ids):
        post_ids = list(post_ids)
        if post_ids:
            self.session.execute(delete(SearchDocument).where(SearchDocument.post_id.in_(post_ids)))

    def clear(self):
        self.session.execute(delete(SearchDocument))
        self.session.commit()

    def rebuild(self, batches, progress=None):
        self.clear()
        count = 0
        for batch in batches:
            self.index(batch)
            self.session.commit()
            count += len(batch)
            if progress:
                progress(len(batch))
        return count

    def search(self, terms, scope, offset, limit):
        if not scope.space_ids or (scope.author_ids is not None and not scope.author_ids):
            return Page()
        params = {"spaces": sorted(scope.space_ids), "offset": offset, "limit": limit}
        where = ["t.space_id = ANY(:spaces)"]
        query_text = websearch(terms)
        has_text = bool(terms.words or terms.phrases)
        source = "search_document d JOIN topic t ON t.id = d.topic_id"
        rank = "0.0"
        if query_text:
            source += f", websearch_to_tsquery('{CONFIG}', :query) q"
            params["query"] = query_text
            where.append("ts_filter(d.tsv, '{a}') @@ q" if scope.in_title else "d.tsv @@ q")
            rank = "ts_rank(d.tsv, q)"
        elif scope.in_title:
            where.append("d.title <> ''")
        if scope.author_ids is not None:
            where.append("d.author_id = ANY(:authors)")
            params["authors"] = sorted(scope.author_ids)
        if scope.status:
            where.append("t.status = :status")
            params["status"] = scope.status
        for number, tag in enumerate(scope.tags):
            where.append(f"EXISTS (SELECT 1 FROM topic_tag tt JOIN tag g ON g.id = tt.tag_id "
                         f"WHERE tt.topic_id = t.id AND g.slug = :tag{number})")
            params[f"tag{number}"] = tag
        if scope.after:
            where.append("d.created_at >= :after")
            params["after"] = scope.after
        if scope.before:
            where.append("d.created_at < :before")
            params["before"] = scope.before
        order = "d.created_at DESC, d.post_id DESC" if scope.order == "latest" or not has_text \
            else "rank DESC, d.post_id DESC"
        sql = text(f"""SELECT d.post_id, {rank} AS rank, count(*) OVER () AS total FROM {source}
                       WHERE {' AND '.join(where)} ORDER BY {order} LIMIT :limit OFFSET :offset""")
        if "authors" in params:
            sql = sql.bindparams(bindparam("authors"))
        rows = self.session.execute(sql, params).all()
        if not rows and offset:
            total = self.session.execute(text(f"SELECT count(*) FROM {source} WHERE {' AND '.join(where)}"),
                                         params).scalar()
            return Page(total=total)
        return Page(post_ids=[row.post_id for row in rows], scores=[float(row.rank) for row in rows],
                    total=rows[0].total if rows else 0)
