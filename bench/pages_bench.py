"""Requests per second of the main pages, beside a bare Flask "hello" served the same way.

    python bench/pages_bench.py [--data /tmp/agora-bench] [--workers 2] [--worker-class sync]
                                [--duration 10] [--connections 8] [--member]

Builds (once, kept in --data) an instance with `flask forum generate` (500 members, 2,000
topics, 50,000 posts; one topic of exactly 100 threaded posts), serves it with gunicorn, and
measures with wrk: the home page, the busiest space, the 100-post topic (threaded and
chronological) and a 20-post topic, as an anonymous visitor (and as a logged-in member with
--member). Prints a Markdown table. Needs `wrk` (Debian) and gunicorn (`pip install -e .[prod]`).
"""
import argparse
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV_BIN = os.path.dirname(sys.executable)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def flask(env, *args):
    subprocess.run([os.path.join(VENV_BIN, "flask"), "--app", "app", *args], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)


def bench_env(data):
    """The environment of the bench instance: its folder, a fixed key, no rate limits, SQLite."""
    env = dict(os.environ, FORUM_INSTANCE_PATH=data, FORUM_SECRET_KEY="bench-" + "x" * 40,
               FORUM_RATELIMIT_ENABLED="false")
    env.pop("FORUM_DATABASE_URL", None)
    return env


def prepare(data, env):
    database = os.path.join(data, "agora.db")
    os.makedirs(data, exist_ok=True)
    flask(env, "db", "upgrade")   # also brings an older data set up to the current schema
    with sqlite3.connect(database) as connection:
        empty = connection.execute("SELECT count(*) FROM post").fetchone()[0] == 0
    if empty:
        started = time.perf_counter()
        flask(env, "forum", "generate", "--members", "500", "--topics", "2000", "--posts", "50000")
        print(f"data generated in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    with sqlite3.connect(database) as connection:
        big = connection.execute("SELECT id FROM topic WHERE reply_count = 99 ORDER BY id LIMIT 1").fetchone()[0]
        small = connection.execute("SELECT id FROM topic WHERE reply_count = 19 ORDER BY id LIMIT 1").fetchone()[0]
        space = connection.execute("SELECT s.slug FROM space s ORDER BY s.topic_count DESC LIMIT 1").fetchone()[0]
    return {"home": "/", "space (30 topics)": f"/espace/{space}", "topic 100 posts, tree": f"/sujet/{big}",
            "topic 100 posts, chronological": f"/sujet/{big}?vue=chrono", "topic 20 posts": f"/sujet/{small}"}


def serve(module, port, env, workers, worker_class):
    command = [os.path.join(VENV_BIN, "gunicorn"), "-w", str(workers), "-k", worker_class, "-b",
               f"127.0.0.1:{port}", "--log-level", "warning", module]
    # As in production (gunicorn.conf.py sets them likewise): workers serve pages only, and
    # write a JSON line per request, here to nowhere.
    process = subprocess.Popen(command, cwd=ROOT, env=dict(env, FORUM_WEB_ONLY="true", FORUM_LOG_FORMAT="json"),
                               start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
            return process
        except OSError:
            time.sleep(0.2)
    stop(process)
    raise RuntimeError(f"{module} did not start")


def stop(process):
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(process.pid, signal.SIGKILL)


def rss_kib(process):
    """Resident memory of the gunicorn workers (children of the master), in KiB each."""
    children = subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True, text=True).stdout.split()
    sizes = []
    for pid in children:
        with open(f"/proc/{pid}/status") as status:
            sizes += [int(line.split()[1]) for line in status if line.startswith("VmRSS")]
    return sizes


def wrk(url, duration, connections, cookie=None):
    command = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{duration}s", "--latency", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    return parse_wrk(subprocess.run(command, capture_output=True, text=True, check=True).stdout)


def parse_wrk(out):
    """(requests/s, p50 ms, p99 ms, non-2xx/3xx answers) from wrk's report."""
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def latency(pct):
        match = re.search(rf"\s{pct}%\s+([\d.]+)(us|ms|s)", out)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rate, latency(50), latency(99), int(errors.group(1)) if errors else 0


def bench_member(data):
    """The pseudonym of a generated member (numbered after the demo's members, whose count
    changes as the demo grows)."""
    with sqlite3.connect(os.path.join(data, "agora.db")) as connection:
        return connection.execute(
            "SELECT pseudonym FROM member WHERE pseudonym LIKE 'membre-%' ORDER BY id LIMIT 1 OFFSET 19").fetchone()[0]


def login_cookie(base, pseudonym):
    import http.cookiejar
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/connexion").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"csrf_token": token, "login": pseudonym, "password": "agora-bench-2026",
                                   "submit": "1"}).encode()
    answer = opener.open(base + "/connexion", data)
    # A refused login answers the form again: measuring on would time a visitor as a member.
    if answer.url.endswith("/connexion"):
        raise RuntimeError(f"{pseudonym} could not log in")
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default="/tmp/agora-bench")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--worker-class", default="sync")
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--member", action="store_true", help="also measure as a logged-in member")
    args = parser.parse_args()
    env = bench_env(args.data)
    pages = prepare(args.data, env)

    port = free_port()
    hello = serve("bench.hello_app:app", port, env, args.workers, args.worker_class)
    try:
        hello_rate = wrk(f"http://127.0.0.1:{port}/", args.duration, args.connections)
    finally:
        stop(hello)

    port = free_port()
    forum = serve("app:app", port, env, args.workers, args.worker_class)
    rows = []
    try:
        base = f"http://127.0.0.1:{port}"
        readers = [("anonymous", None)] + ([("member", login_cookie(base, bench_member(args.data)))]
                                            if args.member else [])
        for reader, cookie in readers:
            for name, path in pages.items():
                request = urllib.request.Request(base + path, headers={"Cookie": cookie} if cookie else {})
                size = len(urllib.request.urlopen(request).read())
                rows.append((reader, name, size, *wrk(base + path, args.duration, args.connections, cookie)))
        rss = rss_kib(forum)
    finally:
        stop(forum)

    print(f"\ngunicorn -w {args.workers} -k {args.worker_class}, wrk -c {args.connections} -d {args.duration}s\n")
    print("| reader | page | HTML KiB | req/s | p50 ms | p99 ms | errors | % of hello |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    print(f"| — | bare Flask hello | — | {hello_rate[0]:,.0f} | {hello_rate[1]:.1f} | {hello_rate[2]:.1f} | "
          f"{hello_rate[3]} | 100 % |")
    for reader, name, size, rate, p50, p99, errors in rows:
        print(f"| {reader} | {name} | {size / 1024:.0f} | {rate:,.1f} | {p50:.1f} | {p99:.1f} | {errors} | "
              f"{100 * rate / hello_rate[0]:.1f} % |")
    print(f"\nRSS per worker after the run: {', '.join(f'{kib / 1024:.0f} MiB' for kib in rss)}")


if __name__ == "__main__":
    main()
