"""Participation pages over a year of 50,000 posts: computed (cold) and kept (warm).

    python bench/participation_bench.py [--posts 50000] [--topics 2000] [--members 500] [--requests 11]
                                        [--profile] [--data /tmp/agora-participation-bench]

On a fresh migrated SQLite instance: the demo, then ``forum generate``'s bulk data (--members
members in random collèges and comités, --topics topics, --posts posts over the public spaces),
whose dates are then moved, keeping their order, into the last twelve ended months. Through the
Flask test client, logged in as the demo's coordinator:

(a) the coordination's page, ``/participation?periode=annee`` (every space it reads);
(b) the comité 13's page over the same year (its space and its bureau: about a twelfth of the posts);
(c) the comité 13's page once every generated topic is moved into it (the whole 50,000 posts).

"cold": the report is computed (the store of forum/participation/reports.py emptied before
each request); "warm": the report is the one kept. Median (and best) of --requests requests.
The issue's goal: a comité's year of 50,000 posts under 200 ms on SQLite. --profile adds, for
one cold request of each page, where the time goes (cProfile): the SQL of each count, the rest
of the report in Python, the template.
"""
import argparse
import cProfile
import os
import pstats
import shutil
import statistics
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
GOAL_MS = 200
COMITE = "/espace/comite-des-bouches-du-rhone/participation?periode=annee"
PAGES = (("(a) coordination, all spaces", "/participation?periode=annee"), ("(b) comité 13", COMITE))


def build_app(data):
    from forum import create_app
    url = f"sqlite:///{os.path.join(data, 'agora.db')}"
    return create_app({"INSTANCE_PATH": data, "DATABASE_URL": url, "SQLALCHEMY_DATABASE_URI": url,
                       "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False, "NOTIFICATION_EMAIL_THREAD": False,
                       "SEARCH_DRAIN_AFTER_COMMIT": False, "WTF_CSRF_ENABLED": False})


def prepare(app, args):
    """The demo and the bulk data, its posts moved into the last twelve ended months."""
    from flask_migrate import upgrade
    from sqlalchemy import func, select, text, update

    from forum.devdata import demo, generate
    from forum.extensions import db
    from forum.participation import periods
    from forum.topics.models import Post, Space, Topic
    with app.app_context():
        upgrade()
        demo.seed()
        first_post = db.session.scalar(select(func.max(Post.id))) + 1
        first_topic = db.session.scalar(select(func.max(Topic.id))) + 1
        generate.generate(args.members, args.topics, args.posts, seed=42)
        year = periods.parse({"periode": periods.LAST_YEAR})
        rows = db.session.execute(select(Post.id, Post.created_at).where(Post.id >= first_post)).all()
        oldest, newest = min(r[1] for r in rows), max(r[1] for r in rows)
        span, target = (newest - oldest) or 1, year.end - year.start
        moved = {post_id: year.start + target * ((created - oldest) / span) * 0.999 for post_id, created in rows}
        db.session.execute(update(Post), [{"id": post_id, "created_at": when} for post_id, when in moved.items()])
        spans = db.session.execute(select(Post.topic_id, func.min(Post.created_at), func.max(Post.created_at))
                                   .where(Post.id >= first_post).group_by(Post.topic_id)).all()
        db.session.execute(update(Topic), [{"id": topic_id, "created_at": low, "last_post_at": high}
                                           for topic_id, low, high in spans])
        db.session.execute(update(Space).values(last_post_at=select(func.max(Topic.last_post_at))
                                                .where(Topic.space_id == Space.id).scalar_subquery()))
        db.session.commit()
        # Fold the moves into the database file, as generate does: reads would go through the WAL.
        db.session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        return first_topic, len(rows)


def move_into_comite(app, first_topic):
    from sqlalchemy import select, update

    from forum.extensions import db
    from forum.topics.models import Space, Topic
    from forum.web import page_cache
    with app.app_context():
        comite = db.session.scalar(select(Space).where(Space.slug == "comite-des-bouches-du-rhone"))
        db.session.execute(update(Topic).where(Topic.id >= first_topic).values(space_id=comite.id))
        page_cache.touch(db.session, [page_cache.SITE])      # the reports kept no longer count these spaces
        db.session.commit()


def forget_reports(app):
    from forum.participation import reports
    app.extensions[reports.STORE].reports.clear()


def measure(app, client, path, requests, cold):
    times = []
    for _ in range(requests):
        if cold:
            forget_reports(app)
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return statistics.median(times), min(times), len(response.get_data())


PARTS = (("SQL: posts per member, space, month (`counting.activity`, twice: the year and the one before)",
          "counting.py", "activity"),
         ("SQL: unanswered topics (`counting.unanswered`)", "counting.py", "unanswered"),
         ("SQL: new members (`counting.new_members`)", "counting.py", "new_members"),
         ("SQL: decisions (`counting.decisions`)", "counting.py", "decisions"),
         ("whole report (`report.build`: the SQL above + grouping in Python)", "report.py", "build"),
         ("charts (`presentation.charts`)", "presentation.py", "charts"),
         ("template (`render_template`, SVG drawn there)", "templating.py", "render_template"),
         ("whole request", "test.py", "get"))


def profile(app, client, path):
    forget_reports(app)
    profiler = cProfile.Profile()
    profiler.enable()
    client.get(path)
    profiler.disable()
    stats = pstats.Stats(profiler).stats
    found = {}
    for (filename, _line, name), (_calls, _primitive, _total, cumulative, _callers) in stats.items():
        for label, file, function in PARTS:
            if filename.endswith(file) and name == function:
                found[label] = max(found.get(label, 0), cumulative * 1000)
    # SQLite works as rows are fetched: execute and fetch* together are the time spent in it.
    sql = sum(total for (_file, _line, name), (_c, _p, total, _cum, _callers) in stats.items()
              if "sqlite3.Cursor" in name)
    return found, sql * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=50000)
    parser.add_argument("--topics", type=int, default=2000)
    parser.add_argument("--members", type=int, default=500)
    parser.add_argument("--requests", type=int, default=11)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--data", default="/tmp/agora-participation-bench")
    args = parser.parse_args()
    shutil.rmtree(args.data, ignore_errors=True)
    os.makedirs(args.data)
    app = build_app(args.data)
    started = time.perf_counter()
    first_topic, generated = prepare(app, args)
    print(f"{generated:,} generated posts moved into the last 12 ended months "
          f"(built in {time.perf_counter() - started:.0f} s), SQLite, median of {args.requests} requests")
    client = app.test_client()
    answer = client.post("/connexion", data={"login": "Coordination-PACA", "password": "agora-demo-2026",
                                             "submit": "1"})
    assert answer.status_code == 303, answer.status_code
    results, profiles = [], []
    for label, path in PAGES:
        results.append((label, path, measure(app, client, path, args.requests, True),
                        measure(app, client, path, args.requests, False)))
        if args.profile:
            profiles.append((label, *profile(app, client, path)))
    move_into_comite(app, first_topic)
    label = f"(c) comité 13, all {generated:,} posts in it"
    results.append((label, COMITE, measure(app, client, COMITE, args.requests, True),
                    measure(app, client, COMITE, args.requests, False)))
    if args.profile:
        profiles.append((label, *profile(app, client, COMITE)))
    print(f"| page (`?periode=annee`) | cold median ms | cold best ms | warm median ms | warm best ms | "
          f"HTML bytes | goal {GOAL_MS} ms (cold) |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for label, _path, (cold, cold_best, size), (warm, warm_best, _size) in results:
        print(f"| {label} | {cold:.1f} | {cold_best:.1f} | {warm:.1f} | {warm_best:.1f} | {size:,} | "
              f"{'met' if cold < GOAL_MS else 'over'} |")
    for label, found, sql in profiles:
        print(f"\nOne cold request, {label} (cProfile, so slower than above; ms):\n")
        print("| part | ms |\n|---|---:|")
        for part, _file, _function in PARTS:
            print(f"| {part} | {found.get(part, 0):.1f} |")
        print(f"| of which inside SQLite (sqlite3 cursor: execute and fetch) | {sql:.1f} |")


if __name__ == "__main__":
    main()
