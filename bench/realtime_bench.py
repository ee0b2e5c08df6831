#!/usr/bin/env python3
"""Fan-out of a real reply to N watchers of one topic: latency, loss, memory and CPU per delivery.

For each server mode and each N, the bench starts the real app in a process of its own on a
fresh database, connects N python-socketio clients (WebSocket, spread over --procs client
processes) that each join the topic with ``join_topic`` (as live.js does), then posts --posts
replies through the reply form over HTTP at --rate replies per second, as a logged-in member.
Latency runs from just before the POST leaves to the moment a client's ``post_created``
handler runs (one clock: everything is on this host). It prints one row per (mode, N):

- KiB/conn: server RSS growth once all clients have joined, divided by N;
- p50/p99/max ms over every (reply, client) delivery; lost and dup(licated) deliveries;
- CPU µs/delivery: server CPU time during the posting phase / deliveries (robust on a noisy host);
- POST ms: median round trip of the reply request itself (included in the latencies);
  min ms: the first delivery of all (what fan-out adds starts from there);
- load: the host's 1-minute load average when the row was measured (other work skews latency).

Modes: ``threading`` (the default: ``python app.py``, Werkzeug + simple-websocket),
``gevent`` (production: gunicorn's gevent worker, gunicorn.conf.py), ``gevent-redis`` (the
same with FORUM_REDIS_URL, so every emit goes through the Redis message queue).

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python bench/realtime_bench.py --sizes 100,500,1000 --redis redis://127.0.0.1:6379/2
"""
import argparse
import asyncio
import multiprocessing as mp
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
BIN = os.path.dirname(sys.executable)
PASSWORD = "mot-de-passe-bench"
CLK_TCK = os.sysconf("SC_CLK_TCK")


# --- the forum under test ---------------------------------------------------------------------

def prepare_database(url, instance):
    """Migrate and seed: a public space, an author, a topic. Returns (topic id, author pseudonym)."""
    from flask_migrate import upgrade

    from forum import create_app
    from forum.accounts.models import Member
    from forum.accounts.registration import hash_password
    from forum.clock import now
    from forum.extensions import db
    from forum.text.pseudonyms import pseudonym_key
    from forum.topics import posting
    from forum.topics.models import Space

    app = create_app({"DATABASE_URL": url, "SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": instance,
                      "SECRET_KEY": "bench-secret-key", "PASSWORD_METHOD": "pbkdf2:sha256:1000"})
    with app.app_context():
        upgrade()
        space = Space(slug="bench", name="Espace du banc d'essai", kind="theme", visibility="public")
        author = Member(pseudonym="Auteur", pseudonym_key=pseudonym_key("Auteur"),
                        email="auteur@bench.agora.localhost", password_hash=hash_password(PASSWORD),
                        convention_signed_at=now())
        db.session.add_all([space, author])
        db.session.commit()
        topic = posting.start_topic(author, space, "Un sujet très suivi", "Le message d'ouverture.")
        return topic.id, author.pseudonym


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(mode, url, instance, redis_url, watchers):
    port = free_port()
    env = dict(os.environ, PORT=str(port), FORUM_DATABASE_URL=url, FORUM_INSTANCE_PATH=instance,
               FORUM_SECRET_KEY="bench-secret-key", FORUM_RATELIMIT_ENABLED="false",
               FORUM_SOCKETIO_ASYNC_MODE="threading" if mode == "threading" else "gevent",
               AGORA_WORKER_CONNECTIONS=str(watchers + 200))
    env.pop("FORUM_REDIS_URL", None)
    if mode == "gevent-redis":
        env["FORUM_REDIS_URL"] = redis_url
    command = ([sys.executable, "app.py"] if mode == "threading"
               else [os.path.join(BIN, "gunicorn"), "-c", "gunicorn.conf.py", "app:app"])
    log = open(os.path.join(instance, f"server-{mode}-{watchers}.log"), "w")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    import requests
    for _ in range(200):
        try:
            if requests.get(base + "/aide", timeout=2).status_code == 200:
                return process, base
        except requests.RequestException:
            time.sleep(0.1)
    stop_server(process)
    raise SystemExit(f"{mode} server did not start (see {log.name})")


def stop_server(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def process_tree(pid):
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry))
            except (OSError, ValueError, IndexError):
                pass
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo.extend(children.get(current, []))
    return tree


def usage(pid):
    """(RSS bytes, CPU seconds) summed over the process tree of ``pid``."""
    rss, cpu = 0, 0.0
    for member in process_tree(pid):
        try:
            with open(f"/proc/{member}/statm") as handle:
                rss += int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
            with open(f"/proc/{member}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
                cpu += (int(fields[11]) + int(fields[12])) / CLK_TCK
        except (OSError, ValueError):
            pass
    return rss, cpu


# --- watchers (client processes) --------------------------------------------------------------

def watch(tag, base, topic_id, count, ready, commands, results):
    asyncio.run(_watch(tag, base, topic_id, count, ready, commands, results))


async def _watch(tag, base, topic_id, count, ready, commands, results):
    import socketio
    received = []
    clients = []

    async def open_one():
        client = socketio.AsyncClient(reconnection=False)
        index = len(clients)
        clients.append(client)

        @client.on("post_created")
        async def on_post(data):
            received.append(((tag, index), data["post_id"], time.time()))

        await client.connect(base, transports=["websocket"], wait_timeout=30)
        ack = await client.call("join_topic", {"topic_id": topic_id, "after": 10**9}, timeout=60)
        if not ack or not ack.get("ok"):
            raise RuntimeError(f"join refused: {ack}")

    for start in range(0, count, 25):   # in small waves: a 2-core box is sharing the work
        await asyncio.gather(*(open_one() for _ in range(min(25, count - start))))
    ready.put(len(clients))
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, commands.get)
    results.put(received)
    await asyncio.gather(*(client.disconnect() for client in clients), return_exceptions=True)


# --- one measurement --------------------------------------------------------------------------

def measure(mode, watchers, args, url, instance, topic_id, author):
    import requests
    process, base = start_server(mode, url, instance, args.redis, watchers)
    try:
        http = requests.Session()
        token = re.search(r'name="csrf-token" content="([^"]+)"', http.get(base + "/connexion").text).group(1)
        login = http.post(base + "/connexion", data={"login": author, "password": PASSWORD, "submit": "1",
                                                     "csrf_token": token}, allow_redirects=False)
        assert login.status_code == 303, login.text[:300]
        token = re.search(r'name="csrf-token" content="([^"]+)"', http.get(base + f"/sujet/{topic_id}").text).group(1)
        time.sleep(1)
        rss_before, _ = usage(process.pid)

        ready, results = mp.Queue(), mp.Queue()
        commands = [mp.Queue() for _ in range(args.procs)]
        shares = [watchers // args.procs + (1 if i < watchers % args.procs else 0) for i in range(args.procs)]
        started = time.monotonic()
        workers = [mp.Process(target=watch, args=(tag, base, topic_id, share, ready, command, results))
                   for tag, (share, command) in enumerate(zip(shares, commands))]
        for worker in workers:
            worker.start()
        joined = sum(ready.get(timeout=300) for _ in workers)
        join_seconds = time.monotonic() - started
        time.sleep(2)
        rss_after, cpu_before = usage(process.pid)

        sent, round_trips = {}, []
        for number in range(args.posts):
            moment = started_at = time.time()
            response = http.post(base + f"/sujet/{topic_id}/repondre",
                                 data={"body": f"Réponse n° {number} du banc d'essai.", "submit": "1",
                                       "csrf_token": token}, allow_redirects=False, timeout=60)
            assert response.status_code == 303, response.text[:300]
            sent[int(response.headers["Location"].rsplit("/", 1)[1])] = moment
            round_trips.append((time.time() - moment) * 1000)
            time.sleep(max(0.0, started_at + 1 / args.rate - time.time()))
        time.sleep(args.drain)
        _, cpu_after = usage(process.pid)
        for command in commands:
            command.put("stop")
        received = []
        for _ in workers:
            received.extend(results.get(timeout=120))
        for worker in workers:
            worker.join(timeout=60)
    finally:
        stop_server(process)

    valid = [(client, post_id, moment) for client, post_id, moment in received if post_id in sent]
    unique = {}
    for client, post_id, moment in valid:
        unique.setdefault((client, post_id), (moment - sent[post_id]) * 1000)
    latencies = sorted(unique.values())
    expected = joined * len(sent)
    quantile = (lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))]) if latencies else (lambda q: float("nan"))
    return {"mode": mode, "watchers": joined, "join_s": join_seconds,
            "kib_per_conn": (rss_after - rss_before) / 1024 / max(1, joined),
            "p50": statistics.median(latencies) if latencies else float("nan"),
            "p99": quantile(0.99), "max": latencies[-1] if latencies else float("nan"),
            "lost": expected - len(latencies), "dup": len(valid) - len(unique),
            "post_ms": statistics.median(round_trips), "first": latencies[0] if latencies else float("nan"),
            "cpu_us": (cpu_after - cpu_before) * 1e6 / max(1, len(latencies)),
            "load": os.getloadavg()[0]}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,500,1000")
    parser.add_argument("--modes", default="threading,gevent,gevent-redis")
    parser.add_argument("--posts", type=int, default=20, help="replies posted per measurement")
    parser.add_argument("--rate", type=float, default=1.0, help="replies per second")
    parser.add_argument("--procs", type=int, default=2, help="client processes")
    parser.add_argument("--drain", type=float, default=3.0, help="seconds to wait for late deliveries")
    parser.add_argument("--redis", default=os.environ.get("FORUM_TEST_REDIS_URL", "redis://127.0.0.1:6379/2"))
    args = parser.parse_args()

    rows = []
    header = (f"{'mode':<13} {'N':>5} {'join s':>7} {'KiB/conn':>9} {'POST ms':>8} {'min ms':>7} {'p50 ms':>8} "
              f"{'p99 ms':>8} {'max ms':>8} {'lost':>5} {'dup':>4} {'CPU µs/deliv':>13} {'load':>5}")
    print(header)
    print("-" * len(header))
    for mode in args.modes.split(","):
        for size in (int(n) for n in args.sizes.split(",")):
            instance = tempfile.mkdtemp(prefix=f"agora-bench-{mode}-{size}-")
            url = f"sqlite:///{instance}/agora.db"
            topic_id, author = prepare_database(url, instance)
            row = measure(mode, size, args, url, instance, topic_id, author)
            rows.append(row)
            print(f"{row['mode']:<13} {row['watchers']:>5} {row['join_s']:>7.1f} {row['kib_per_conn']:>9.0f} "
                  f"{row['post_ms']:>8.1f} {row['first']:>7.1f} {row['p50']:>8.1f} {row['p99']:>8.1f} {row['max']:>8.1f} {row['lost']:>5} {row['dup']:>4} "
                  f"{row['cpu_us']:>13.0f} {row['load']:>5.2f}", flush=True)
    return rows


if __name__ == "__main__":
    main()
