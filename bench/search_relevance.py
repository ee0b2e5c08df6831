"""Relevance of search on real French text nobody here wrote (PIAF: Wikipedia passages, questions).

    python bench/search_relevance.py --passages ../shared/corpora/french/passages.jsonl \
        --queries ../shared/corpora/french/queries.jsonl --qrels ../shared/corpora/french/qrels.tsv \
        [--backend whoosh|postgres] [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres]

Builds a fresh instance (a temporary folder; with --backend postgres a temporary database on the
server of --database-url), migrates it, loads every passage as the opening post of a topic
(title: the article's title) through the real posting function (``posting.start_topic``: markup,
events, indexing), runs every question through the real search function
(``search.searching.search``, as an anonymous reader, 10 results), and prints P@1, Recall@10 and
MRR@10. The last line is ``P@1=0.xxx R@10=0.xxx MRR@10=0.xxx``.
"""
import argparse
import json
import os
import sys
import tempfile
import time
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)


def read_jsonl(path):
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def read_qrels(path):
    relevant = {}
    with open(path, encoding="utf-8") as handle:
        next(handle)
        for line in handle:
            query_id, passage_id, grade = line.rstrip("\n").split("\t")
            if int(grade) > 0:
                relevant.setdefault(query_id, set()).add(passage_id)
    return relevant


def make_database(backend, admin_url, folder):
    if backend == "whoosh" and not admin_url:
        return f"sqlite:///{os.path.join(folder, 'agora.db')}", None
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    name = f"agora_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop():
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False), drop


def build_app(backend, database_url, folder):
    from forum import create_app
    return create_app({"INSTANCE_PATH": folder, "DATABASE_URL": database_url,
                       "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench", "TESTING": True,
                       "RATELIMIT_ENABLED": False, "NOTIFICATION_EMAIL_THREAD": False,
                       "SEARCH_BACKEND": backend, "PASSWORD_METHOD": "pbkdf2:sha256:1000"})


def load_passages(app, passages):
    """Every passage as a topic, through the real posting path; returns {post id: passage id}."""
    from flask_migrate import upgrade
    from sqlalchemy import text

    from forum.accounts.models import Member
    from forum.accounts.registration import hash_password
    from forum.clock import now
    from forum.extensions import db
    from forum.text.pseudonyms import pseudonym_key
    from forum.topics import posting
    from forum.topics.models import Space
    with app.app_context():
        upgrade()
        author = Member(pseudonym="Wikipedia", pseudonym_key=pseudonym_key("Wikipedia"),
                        email="wikipedia@bench.localhost", password_hash=hash_password("x" * 12),
                        convention_signed_at=now())
        space = Space(slug="encyclopedie", name="Encyclopédie", kind="theme", visibility="public")
        db.session.add_all([author, space])
        db.session.commit()
        author_id, space_id = author.id, space.id
        mapping = {}
        started = time.perf_counter()
        for number, passage in enumerate(passages, 1):
            title = passage["article_title"].strip()
            if len(title) < app.config["TITLE_MIN_CHARS"]:
                title = f"{title} (Wikipédia)"
            topic = posting.start_topic(db.session.get(Member, author_id), db.session.get(Space, space_id),
                                        title[:app.config["TITLE_MAX_CHARS"]], passage["text"])
            mapping[_opening_id(topic)] = passage["id"]
            db.session.remove()
            if number % 100 == 0:
                print(f"  {number} passages posted", file=sys.stderr)
        elapsed = time.perf_counter() - started
        if db.engine.dialect.name == "postgresql":
            # The statistics autovacuum would gather by now on a live server (the search
            # backend reads word frequencies from them).
            db.session.execute(text("ANALYZE"))
            db.session.commit()
    print(f"loaded {len(passages)} passages as posts in {elapsed:.1f} s "
          f"({len(passages) / elapsed:.0f} posts/s, indexing included)", file=sys.stderr)
    return mapping


def _opening_id(topic):
    from sqlalchemy import select

    from forum.extensions import db
    from forum.topics.models import Post
    return db.session.scalar(select(Post.id).where(Post.topic_id == topic.id, Post.number == 1))


def evaluate(app, queries, relevant, mapping, k=10):
    from flask_login import AnonymousUserMixin

    from search import searching
    hits_at_1 = recall = reciprocal = 0.0
    latencies = []
    for query in queries:
        wanted = relevant.get(query["id"], set())
        if not wanted:
            continue
        with app.test_request_context():
            started = time.perf_counter()
            found = searching.search(AnonymousUserMixin(), query["query"], page=1, per_page=k)
            latencies.append(time.perf_counter() - started)
            ranked = [mapping.get(item.post.id) for item in found.items]
        if ranked and ranked[0] in wanted:
            hits_at_1 += 1
        if wanted & set(ranked[:k]):
            recall += len(wanted & set(ranked[:k])) / len(wanted)
        for rank, passage_id in enumerate(ranked[:k], 1):
            if passage_id in wanted:
                reciprocal += 1 / rank
                break
    count = sum(1 for q in queries if relevant.get(q["id"]))
    latencies.sort()
    print(f"{count} queries; search latency p50 {latencies[len(latencies) // 2] * 1000:.1f} ms, "
          f"p95 {latencies[int(len(latencies) * 0.95)] * 1000:.1f} ms (excerpts included)", file=sys.stderr)
    return hits_at_1 / count, recall / count, reciprocal / count


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--passages", required=True)
    parser.add_argument("--queries", required=True)
    parser.add_argument("--qrels", required=True)
    parser.add_argument("--backend", choices=("whoosh", "postgres"), default="whoosh")
    parser.add_argument("--work", help="keep the loaded instance in this folder and reuse it (with postgres: "
                                       "in the database of --database-url itself)")
    parser.add_argument("--database-url", default=os.environ.get("FORUM_BENCH_DATABASE_URL"),
                        help="PostgreSQL server (a temporary database is made there); required for postgres")
    args = parser.parse_args()
    if args.backend == "postgres" and not args.database_url:
        parser.error("--backend postgres needs --database-url (or FORUM_BENCH_DATABASE_URL)")
    passages, queries, relevant = read_jsonl(args.passages), read_jsonl(args.queries), read_qrels(args.qrels)
    if args.work:
        os.makedirs(args.work, exist_ok=True)
        saved = os.path.join(args.work, "mapping.json")
        url = args.database_url if args.backend == "postgres" else f"sqlite:///{os.path.join(args.work, 'agora.db')}"
        app = build_app(args.backend, url, args.work)
        if os.path.exists(saved):
            with open(saved) as handle:
                mapping = {int(k): v for k, v in json.load(handle).items()}
            if os.environ.get("REINDEX"):      # after a change of the analyzer
                with app.app_context():
                    from search import indexing
                    indexing.reindex()
        else:
            mapping = load_passages(app, passages)
            with open(saved, "w") as handle:
                json.dump(mapping, handle)
        p1, r10, mrr = evaluate(app, queries, relevant, mapping)
        print(f"backend {args.backend}: {len(passages)} passages, {len(queries)} queries")
        print(f"P@1={p1:.3f} R@10={r10:.3f} MRR@10={mrr:.3f}")
        return
    with tempfile.TemporaryDirectory(prefix="agora-relevance-") as folder:
        database_url, drop = make_database(args.backend, args.database_url if args.backend == "postgres" else None,
                                           folder)
        try:
            app = build_app(args.backend, database_url, folder)
            mapping = load_passages(app, passages)
            p1, r10, mrr = evaluate(app, queries, relevant, mapping)
            with app.app_context():
                from forum.extensions import db
                db.engine.dispose()
        finally:
            if drop:
                drop()
    print(f"backend {args.backend}: {len(passages)} passages, {len(queries)} queries")
    print(f"P@1={p1:.3f} R@10={r10:.3f} MRR@10={mrr:.3f}")


if __name__ == "__main__":
    main()
