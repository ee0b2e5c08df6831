"""Search speed at 100,000 posts: bulk reindex, time until a new post is searchable, query latency.

    python bench/search_speed.py [--backend whoosh|postgres] [--posts 100000] [--data /tmp/agora-search-bench]
                                 [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/agora_search_bench]

Builds once (kept in --data, or in the PostgreSQL database given): the demo, then `flask forum
generate` (1,000 members, 5,000 topics, --posts posts, bulk inserts: no indexing), then
`flask search reindex`'s function (timed: posts/s). Then:

- 30 replies through the real ``posting.reply`` (commit, events, journal drained after commit with
  Whoosh / in the transaction with PostgreSQL), each followed by searches for its unique word until
  found: "reply + indexing" and "searchable after" (from the call until a search finds it);
- 60 queries of each class through the real ``search.searching.search`` (a member's permissions,
  page 1 of 20 results, reloaded from the database, excerpts highlighted): one word, two words,
  a phrase, and one word with a filter (space, tag, author or date range).
Prints a table of p50/p95 in milliseconds.
"""
import argparse
import os
import random
import re
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)


def percentile(values, fraction):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * fraction))]


def build_app(args):
    from forum import create_app
    database_url = args.database_url or f"sqlite:///{os.path.join(args.data, 'agora.db')}"
    return create_app({"INSTANCE_PATH": args.data, "DATABASE_URL": database_url,
                       "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench", "TESTING": True,
                       "RATELIMIT_ENABLED": False, "NOTIFICATION_EMAIL_THREAD": False,
                       "SEARCH_BACKEND": args.backend})


def prepare(app, args):
    from flask_migrate import upgrade
    from sqlalchemy import func, select

    from forum.devdata import demo, generate
    from forum.extensions import db
    from forum.topics.models import Post
    with app.app_context():
        upgrade()
        if db.session.scalar(select(func.count()).select_from(Post)) < args.posts:
            if demo.is_empty():
                demo.seed()
            started = time.perf_counter()
            generate.generate(1000, 5000, args.posts, seed=42,
                              progress=lambda n: None)
            print(f"generated {args.posts} posts in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        total = db.session.scalar(select(func.count()).select_from(Post))
        from search import indexing
        if not args.reindex and os.path.exists(os.path.join(args.data, "reindexed")):
            return total, None, None
        started = time.perf_counter()
        cpu = time.process_time()
        indexing.reindex()
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        open(os.path.join(args.data, "reindexed"), "w").write(f"{elapsed} {cpu}")
        return total, elapsed, cpu


def sample_queries(app, rng, count):
    from sqlalchemy import func, select

    from forum.extensions import db
    from forum.permissions import readable_spaces
    from forum.topics.models import Post, Space, Tag, Topic
    from search.documents import plain_text
    with app.app_context():
        top = db.session.scalar(select(func.max(Post.id)))
        texts = []
        while len(texts) < count:
            post = db.session.get(Post, rng.randint(1, top))
            if post is not None:
                words = [w for w in re.findall(r"\w+", plain_text(post.html)) if len(w) > 4]
                if len(words) >= 3:
                    texts.append((words, post))
        tags = db.session.scalars(select(Tag.slug)).all()
        spaces = [s.slug for s in db.session.scalars(select(Space).where(Space.visibility == "public"))]
        authors = db.session.scalars(select(Topic.author_id).limit(200)).all()
        from forum.accounts.models import Member
        pseudonyms = [db.session.get(Member, a).pseudonym for a in authors[:50]]
        del readable_spaces
    classes = {"one word": [], "two words": [], "phrase": [], "filtered": []}
    for words, post in texts:
        classes["one word"].append(rng.choice(words))
        classes["two words"].append(" ".join(rng.sample(words, 2)))
        i = rng.randrange(len(words) - 1)
        classes["phrase"].append(f'"{words[i]} {words[i + 1]}"')
        kind = rng.choice(("space", "tag", "author", "date"))
        word = rng.choice(words)
        if kind == "space" and spaces:
            classes["filtered"].append(f"{word} #{rng.choice(spaces)}")
        elif kind == "tag" and tags:
            classes["filtered"].append(f"{word} tag:{rng.choice(tags)}")
        elif kind == "author":
            classes["filtered"].append(f"{word} @{rng.choice(pseudonyms)}")
        else:
            year = rng.choice((2025, 2026))
            classes["filtered"].append(f"{word} after:{year}-01-01 before:{year}-07-01")
    return classes


def viewer_id(app):
    from sqlalchemy import select

    from forum.accounts.models import Member
    from forum.extensions import db
    with app.app_context():
        return db.session.scalar(select(Member.id).where(Member.role == "coordinator").limit(1)) or \
            db.session.scalar(select(Member.id).limit(1))


def run_query(app, member_id, text):
    from forum.accounts.models import Member
    from forum.extensions import db
    from search import searching
    with app.test_request_context():
        viewer = db.session.get(Member, member_id)
        started = time.perf_counter()
        found = searching.search(viewer, text)
        elapsed = time.perf_counter() - started
        return elapsed, found.total


def new_posts(app, member_id, rng, count=30):
    from sqlalchemy import select

    from forum.accounts.models import Member
    from forum.extensions import db
    from forum.topics import posting
    from forum.topics.models import Space, Topic
    replies, searchable = [], []
    with app.app_context():
        topic_ids = db.session.scalars(select(Topic.id).join(Space).where(Space.visibility == "public")
                                       .limit(200)).all()
    for n in range(count):
        word = f"motunique{rng.randrange(10**9)}x{n}"
        with app.app_context():
            started = time.perf_counter()
            posting.reply(db.session.get(Member, member_id), db.session.get(Topic, rng.choice(topic_ids)),
                          f"Une réponse avec le mot {word} pour la mesure.")
            replied = time.perf_counter()
        while run_query(app, member_id, word)[1] == 0:
            if time.perf_counter() - started > 30:
                raise RuntimeError(f"{word} not searchable after 30 s")
            time.sleep(0.005)
        searchable.append(time.perf_counter() - started)
        replies.append(replied - started)
    return replies, searchable


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=("whoosh", "postgres"), default="whoosh")
    parser.add_argument("--posts", type=int, default=100000)
    parser.add_argument("--data", default="/tmp/agora-search-bench")
    parser.add_argument("--database-url", help="PostgreSQL database (required with --backend postgres)")
    parser.add_argument("--queries", type=int, default=60)
    parser.add_argument("--reindex", action="store_true", help="rebuild the index even if already built once")
    args = parser.parse_args()
    if args.backend == "postgres" and not args.database_url:
        parser.error("--backend postgres needs --database-url")
    args.data = os.path.join(args.data, args.backend)
    os.makedirs(args.data, exist_ok=True)
    app = build_app(args)
    total, elapsed, cpu = prepare(app, args)
    rng = random.Random(7)
    member_id = viewer_id(app)
    classes = sample_queries(app, rng, args.queries)
    run_query(app, member_id, "accompagnement")        # warm-up: open the index, fill caches
    if elapsed is None:
        elapsed, cpu = map(float, open(os.path.join(args.data, "reindexed")).read().split())
        note = " (earlier run)"
    else:
        note = ""
    rows = [("bulk reindex", f"{total / elapsed:,.0f} posts/s", f"{elapsed:.0f} s wall, {cpu:.0f} s CPU{note}")]
    replies, searchable = new_posts(app, member_id, rng)
    rows.append(("reply + indexing (ms)", f"p50 {percentile(replies, .5) * 1000:.0f}",
                 f"p95 {percentile(replies, .95) * 1000:.0f}"))
    rows.append(("searchable after (ms)", f"p50 {percentile(searchable, .5) * 1000:.0f}",
                 f"p95 {percentile(searchable, .95) * 1000:.0f}"))
    for name, texts in classes.items():
        times, hits = [], []
        for text in texts:
            elapsed_query, found = run_query(app, member_id, text)
            times.append(elapsed_query)
            hits.append(found)
        rows.append((f"query {name} (ms)", f"p50 {percentile(times, .5) * 1000:.0f}",
                     f"p95 {percentile(times, .95) * 1000:.0f}  (mean hits {sum(hits) / len(hits):,.0f})"))
    print(f"\nsearch backend {args.backend}, {total:,} posts ({os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f})\n")
    print(f"| {'measure':<24} | {'value':<14} | {'':<40} |")
    print(f"|{'-' * 26}|{'-' * 16}|{'-' * 42}|")
    for row in rows:
        print(f"| {row[0]:<24} | {row[1]:<14} | {row[2]:<40} |")


if __name__ == "__main__":
    main()
