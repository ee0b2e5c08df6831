"""What moderation costs the pages and the posting path: the core alone beside the core with moderation.

    python bench/moderation_bench.py [--data /tmp/agora-moderation-bench] [--requests 200] [--posts 100]

Builds once (kept in --data) an SQLite instance with `flask forum generate` (300 members, 1,000
topics, 20,000 posts; one topic of 100 threaded posts) and hides 10 of that topic's posts.
Then, in one fresh process per configuration (posting guards are process-wide), on its own
copy of the database, with the Flask test client (no network, so the differences show):
reads the 100-post topic as a visitor and as a member, and posts replies as a member. With
moderation, 20 watched words are set and the space asks nothing (the guards still run).
The two configurations alternate --rounds times (the machine's load drifts). Prints a
Markdown table of median milliseconds per request and the ratio.
"""
import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
DEMO_PASSWORD = "agora-demo-2026"
WORDS = ["casino en ligne", "crédit rapide", "cagnotte en ligne", "né le", "née le", "arnaqu*", "viagra",
         "bitcoin", "promo", "gratuit*", "inscrivez-vous", "tél.", "numéro de sécurité sociale", "adresse",
         "rue des", "avenue", "boulevard", "insulte", "idiot", "nul"]


def prepare(data):
    database = os.path.join(data, "agora.db")
    if os.path.exists(database):
        return database
    os.makedirs(data, exist_ok=True)
    env = dict(os.environ, FORUM_INSTANCE_PATH=data, FORUM_SECRET_KEY="bench")
    flask = [os.path.join(os.path.dirname(sys.executable), "flask"), "--app", "app"]
    subprocess.run(flask + ["db", "upgrade"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    subprocess.run(flask + ["forum", "generate", "--members", "300", "--topics", "1000", "--posts", "20000"],
                   cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    with sqlite3.connect(database) as connection:
        big = connection.execute("SELECT id FROM topic WHERE reply_count = 99 ORDER BY id LIMIT 1").fetchone()[0]
        connection.execute("UPDATE post SET state = 'hidden' WHERE topic_id = ? AND number BETWEEN 10 AND 19", (big,))
    return database


def measure(database, with_moderation, requests, posts):
    """Run in a fresh process: returns {measure: [milliseconds]}."""
    from forum import create_app
    from forum.extensions import db
    config = {"INSTANCE_PATH": os.path.dirname(database), "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False,
              "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}"}
    if not with_moderation:
        config["PACKAGES"] = ()
    app = create_app(config)
    with app.app_context():
        connection = db.session.connection()
        big = connection.exec_driver_sql("SELECT id FROM topic WHERE reply_count >= 89 ORDER BY id LIMIT 1").scalar()
        writable = connection.exec_driver_sql(
            "SELECT t.id FROM topic t JOIN space s ON s.id = t.space_id WHERE s.kind = 'theme' "
            "AND s.visibility = 'public' ORDER BY t.id LIMIT 1").scalar()
        if with_moderation:
            from moderation.models import WatchedWord
            db.session.execute(WatchedWord.__table__.delete())    # the demo's four, replaced by these
            for phrase in WORDS:
                db.session.add(WatchedWord(phrase=phrase, action="block" if phrase == "casino en ligne" else "flag"))
            db.session.commit()
    timings = {}

    def timed(name, call, count):
        values = []
        for _ in range(count):
            started = time.perf_counter()
            response = call()
            values.append((time.perf_counter() - started) * 1000)
            assert response.status_code in (200, 303), (name, response.status_code)
        timings[name] = values

    visitor = app.test_client()
    visitor.get(f"/sujet/{big}")
    timed("topic of 100 posts (10 hidden), visitor", lambda: visitor.get(f"/sujet/{big}"), requests)
    member = app.test_client()
    page = member.get("/connexion").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    member.post("/connexion", data={"login": "Nadia.M", "password": DEMO_PASSWORD, "csrf_token": token,
                                    "submit": "1"})
    timed("topic of 100 posts (10 hidden), member", lambda: member.get(f"/sujet/{big}"), requests)
    timed("home page, member", lambda: member.get("/"), requests)
    token = member.get("/aide").get_data(as_text=True).split('name="csrf-token" content="')[1].split('"')[0]
    counter = iter(range(10 ** 6))
    timed("reply (posting path, guards included)", lambda: member.post(
        f"/sujet/{writable}/repondre", data={"body": f"Une réponse de mesure n° {next(counter)}, sans mot surveillé.",
                                              "csrf_token": token, "submit": "1"}), posts)
    return timings


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=os.path.join(tempfile.gettempdir(), "agora-moderation-bench"))
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--posts", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3,
                        help="alternate the two configurations this many times (a shared machine drifts)")
    parser.add_argument("--child", choices=["core", "moderation"], help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.database, args.child == "moderation", args.requests, args.posts)))
        return
    database = prepare(args.data)
    results = {"core": {}, "moderation": {}}
    for _ in range(args.rounds):
        for name in ("core", "moderation"):
            with tempfile.TemporaryDirectory() as folder:
                copy = os.path.join(folder, "agora.db")
                shutil.copyfile(database, copy)
                output = subprocess.run([sys.executable, os.path.abspath(__file__), "--child", name, "--database",
                                         copy, "--requests", str(args.requests), "--posts", str(args.posts)],
                                        cwd=ROOT, check=True, capture_output=True, text=True).stdout
                for measure_name, values in json.loads(output.strip().splitlines()[-1]).items():
                    results[name].setdefault(measure_name, []).extend(values)
    print("| measure (median ms per request) | core only | with moderation | ratio |")
    print("|---|---:|---:|---:|")
    for measure_name in results["core"]:
        core = statistics.median(results["core"][measure_name])
        moderated = statistics.median(results["moderation"][measure_name])
        print(f"| {measure_name} | {core:.2f} | {moderated:.2f} | {moderated / core:.2f} |")


if __name__ == "__main__":
    main()
