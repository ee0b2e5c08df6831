"""Replies by email processed per second: the one processing path (forum/inbound/processing.py).

    python bench/inbound_bench.py [--data /tmp/agora-inbound-bench] [--replies 1000]

Builds once (kept in --data) an SQLite instance with the demo (`flask forum seed-demo`). Then,
on a fresh copy of its database, writes --replies emails as mail clients send them: a reply to
a post of the comité 13, signed reply address, quoted message below (« Le … a écrit : » and
Outlook's « De : … Envoyé : ») and a signature, one Message-ID each, from the demo's members of
the comité 13 in turn; and hands each to ``process`` as `flask mail receive` does. Rate limits
are off (they would refuse most of them: that is their job, tested in tests/inbound/). Prints a
Markdown table: total seconds, replies per second, median and 95th percentile milliseconds, and
how many were posted.
"""
import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import time
from email.message import EmailMessage
from email.utils import make_msgid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

QUOTED = """

Le lun. 7 déc. 2026 à 10:12, Agora <notifications@agora.localhost> a écrit :
> Nadia.M a répondu dans « Ordre du jour de la prochaine plénière » :
> Pour le point 1, je propose que chaque collège présente une situation.
>
> Répondre par courriel : écrivez au-dessus de cette ligne.

--
{name}
Envoyé de mon iPhone
"""
OUTLOOK = """

________________________________
De : Agora <notifications@agora.localhost>
Envoyé : lundi 7 décembre 2026 10:12
À : {name}
Objet : Nouvelle réponse

Nadia.M a répondu…
"""


def prepare(data):
    database = os.path.join(data, "agora.db")
    if os.path.exists(database):
        return database
    os.makedirs(data, exist_ok=True)
    env = dict(os.environ, FORUM_INSTANCE_PATH=data, FORUM_SECRET_KEY="bench",
               FORUM_DATABASE_URL=f"sqlite:///{database}")
    flask = [os.path.join(os.path.dirname(sys.executable), "flask"), "--app", "app"]
    subprocess.run(flask + ["db", "upgrade"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    subprocess.run(flask + ["forum", "seed-demo"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    return database


def messages(app, count):
    """(raw bytes, envelope recipient) of ``count`` replies, written before the clock starts."""
    from sqlalchemy import select

    from forum.accounts.models import Member
    from forum.extensions import db
    from forum.inbound import addresses
    from forum.topics.models import Post, Space, Topic
    with app.app_context():
        committee = db.session.scalar(select(Space).where(Space.department == "13"))
        posts = db.session.scalars(select(Post).join(Topic).where(Topic.space_id == committee.id, Post.number == 1)
                                   .order_by(Post.id)).all()
        members = [m for m in db.session.scalars(select(Member).where(Member.committees.contains(committee))
                                                 .order_by(Member.id)) if m.is_active]
        built = []
        for index in range(count):
            member, post = members[index % len(members)], posts[index % len(posts)]
            message = EmailMessage()
            message["From"] = f"{member.pseudonym} <{member.email}>"
            address = addresses.reply_address(post.id, member.id)
            message["To"] = address
            message["Subject"] = "Re: Nouvelle réponse"
            message["Message-ID"] = make_msgid(domain="client.example")
            quoted = (OUTLOOK if index % 2 else QUOTED).format(name=member.pseudonym)
            message.set_content(f"Merci pour ce point, réponse n° {index}. Je serai là jeudi.{quoted}")
            built.append((bytes(message), address))
        return built, len(members), len(posts)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default="/tmp/agora-inbound-bench")
    parser.add_argument("--replies", type=int, default=1000)
    args = parser.parse_args()
    source = prepare(args.data)
    database = os.path.join(args.data, "run.db")
    for leftover in (database, database + "-wal", database + "-shm"):
        if os.path.exists(leftover):
            os.remove(leftover)
    # SQLite's backup, not a file copy: the demo's database is in WAL mode (a copy of the main
    # file alone misses what the log holds).
    with sqlite3.connect(source) as original, sqlite3.connect(database) as copy:
        original.backup(copy)
    from forum import create_app
    from forum.inbound import processing
    app = create_app({"INSTANCE_PATH": args.data, "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}", "INBOUND_EMAIL_DOMAIN": "agora.localhost",
                      "NOTIFICATION_EMAIL_THREAD": False})
    built, members, posts = messages(app, args.replies)
    times, outcomes = [], {}
    started = time.perf_counter()
    with app.app_context():
        for raw, recipient in built:
            before = time.perf_counter()
            outcome = processing.process(raw, [recipient])
            times.append((time.perf_counter() - before) * 1000)
            outcomes[outcome.outcome] = outcomes.get(outcome.outcome, 0) + 1
    total = time.perf_counter() - started
    times.sort()
    print(f"{args.replies} replies by {members} members to {posts} topics of the comité 13 (SQLite, one process)\n")
    print("| replies | total s | replies/s | median ms | p95 ms | outcomes |")
    print("|---|---|---|---|---|---|")
    print(f"| {args.replies} | {total:.1f} | {args.replies / total:.0f} | {statistics.median(times):.1f} | "
          f"{times[int(len(times) * 0.95) - 1]:.1f} | "
          + ", ".join(f"{name} {count}" for name, count in sorted(outcomes.items())) + " |")


if __name__ == "__main__":
    main()
