"""Weekly digests composed and sent per second, for 10,000 members, to a local SMTP server.

    python bench/digest_bench.py [--data /tmp/agora-digest-bench] [--members 10000]
                                 [--database-url postgresql+psycopg://…]

Builds once (kept in --data): the demo, then `flask forum generate` with 10,000 members,
2,000 topics and 50,000 posts over two years, then this week's activity through the real
posting functions (new topics, replies, so notifications too). Each run forgets the digests
already recorded, starts aiosmtpd in a separate process (it counts what it receives), and
runs `send_weekly(immediate=True)` (what `flask digest send --now` does) in this process:
every opted-in member's digest is composed, claimed, sent over one SMTP connection and
recorded. Prints the time, digests per second, and the resident memory at 0, 25, 50, 75 and
100 % of the members. Goal: 10,000 digests in under 2 minutes, memory flat.
"""
import argparse
import os
import random
import resource
import signal
import socket
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
VENV_BIN = os.path.dirname(sys.executable)

SINK = r"""
import signal, sys, threading
from aiosmtpd.controller import Controller

class Counter:
    count = 0
    size = 0
    async def handle_DATA(self, server, session, envelope):
        Counter.count += 1
        Counter.size += len(envelope.content)
        return "250 OK"

controller = Controller(Counter(), hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
print("ready", flush=True)
done = threading.Event()
signal.signal(signal.SIGTERM, lambda *a: done.set())
done.wait()
controller.stop()
print(Counter.count, Counter.size, flush=True)
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_mib():
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def peak_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def flask(env, *args):
    subprocess.run([os.path.join(VENV_BIN, "flask"), "--app", "app", *args], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)


def prepare(env, members, marker):
    if os.path.exists(marker):
        return
    started = time.perf_counter()
    flask(env, "db", "upgrade")
    flask(env, "forum", "generate", "--members", str(members), "--topics", "2000", "--posts", "50000")
    this_week(env)
    with open(marker, "w") as handle:
        handle.write("ok\n")
    print(f"data prepared in {time.perf_counter() - started:.0f} s", file=sys.stderr)


def this_week(env):
    """New topics and replies of the week, written by the real posting functions."""
    os.environ.update(env)
    from sqlalchemy import select

    from forum import create_app
    from forum.accounts.models import Member
    from forum.charter import versions as charter
    from forum.extensions import db
    from forum.topics import posting
    from forum.topics.models import Space, Topic
    app = create_app({"RATELIMIT_ENABLED": False, "NOTIFICATION_EMAIL_THREAD": False})
    rng = random.Random(7)
    with app.app_context():
        spaces = db.session.scalars(select(Space).where(Space.kind == "theme", Space.visibility == "public")).all()
        authors = db.session.scalars(select(Member).where(Member.email.like("%@bench.agora.localhost"))
                                     .order_by(Member.id).limit(300)).all()
        version = charter.current_version()
        for author in authors:
            if version is not None:
                charter.record_acceptance(author, version)
        db.session.commit()
        author_ids = [a.id for a in authors]
        topic_ids = []
        for number in range(40):
            topic = posting.start_topic(db.session.get(Member, rng.choice(author_ids)), rng.choice(spaces),
                                        f"Question de la semaine n° {number + 1} sur l'accès aux droits",
                                        "Quelles pratiques avez-vous mises en place cette semaine ?")
            topic_ids.append(topic.id)
        for _ in range(400):
            topic = db.session.get(Topic, rng.choice(topic_ids))
            posting.reply(db.session.get(Member, rng.choice(author_ids)), topic,
                          "Chez nous, une permanence commune avec la CAF a beaucoup aidé.")
        db.session.remove()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="/tmp/agora-digest-bench")
    parser.add_argument("--members", type=int, default=10000)
    parser.add_argument("--database-url", default=None, help="default: SQLite in --data")
    parser.add_argument("--connections", type=int, default=2, help="SMTP connections (sending threads)")
    args = parser.parse_args()

    os.makedirs(args.data, exist_ok=True)
    env = dict(os.environ, FORUM_INSTANCE_PATH=args.data, FORUM_SECRET_KEY="bench-" + "x" * 40,
               FLASK_APP="app", FORUM_NOTIFICATION_EMAIL_THREAD="false")
    env.pop("FORUM_SMTP_URL", None)
    if args.database_url:
        env["FORUM_DATABASE_URL"] = args.database_url
    backend = "postgresql" if args.database_url else "sqlite"
    prepare(env, args.members, os.path.join(args.data, f"prepared-{backend}-{args.members}"))

    port = free_port()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)       # the data preparation's commands
    sink = subprocess.Popen([sys.executable, "-c", SINK, str(port)], stdout=subprocess.PIPE, text=True)
    try:
        assert sink.stdout.readline().strip() == "ready"
        os.environ.update(env)
        from sqlalchemy import delete

        from forum import create_app
        from forum.extensions import db
        from forum.notifications import weekly
        from forum.notifications.models import DigestDelivery
        app = create_app({"SMTP_URL": f"smtp://127.0.0.1:{port}"})
        with app.app_context():
            db.session.execute(delete(DigestDelivery))      # every run sends the same week again
            db.session.commit()
            total = weekly.count_opted_in()
            checkpoints = {round(total * share): label for share, label in
                           ((0, "0 %"), (0.25, "25 %"), (0.5, "50 %"), (0.75, "75 %"), (1, "100 %"))}
            memory = []
            done = [0]
            started = time.perf_counter()

            def progress(count):
                before = done[0]
                done[0] += count
                for mark, label in sorted(checkpoints.items()):
                    if before < mark <= done[0]:
                        memory.append((label, done[0], time.perf_counter() - started, rss_mib(), peak_mib()))
            memory.append(("0 %", 0, 0.0, rss_mib(), peak_mib()))
            load_before = os.getloadavg()[0]
            cpu_started = time.process_time()
            report = weekly.send_weekly(immediate=True, progress=progress, connections=args.connections)
            elapsed = time.perf_counter() - started
            cpu = time.process_time() - cpu_started
            load_after = os.getloadavg()[0]
    finally:
        sink.send_signal(signal.SIGTERM)
        out, _ = sink.communicate(timeout=30)
    received, size = (int(v) for v in out.split()[-2:])
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    sink_cpu = usage.ru_utime + usage.ru_stime - before.ru_utime - before.ru_stime

    print(f"\n## Weekly digest, {total:,} opted-in members ({backend}, one process, "
          f"{args.connections} SMTP connection(s), local aiosmtpd)\n")
    print("| digests sent | empty (not sent) | failed | received by SMTP | total time | digests/s | avg size |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    print(f"| {report.sent:,} | {report.empty:,} | {report.failed} | {received:,} | {elapsed:.1f} s "
          f"| {total / elapsed:.0f} | {size / max(received, 1) / 1024:.1f} KiB |")
    print("\n| CPU per digest, forum process | CPU per digest, SMTP server | machine load (1 min) before → after |")
    print("|---:|---:|---|")
    print(f"| {cpu / total * 1000:.1f} ms | {sink_cpu / max(received, 1) * 1000:.1f} ms "
          f"| {load_before:.1f} → {load_after:.1f} on {os.cpu_count()} cores |")
    print("\n| progress | members | elapsed | RSS | peak RSS |")
    print("|---|---:|---:|---:|---:|")
    for label, count, at, rss, peak in memory:
        print(f"| {label} | {count:,} | {at:.1f} s | {rss:.0f} MiB | {peak:.0f} MiB |")
    goal = "met" if elapsed < 120 and received == report.sent else "NOT met"
    print(f"\nGoal (all in under 2 minutes, every digest received): {goal}.")


if __name__ == "__main__":
    main()
