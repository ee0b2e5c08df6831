"""Load benchmark: the embedded mode and the production mode, each beside a bare Flask "hello"
served the same way (the ceiling).

    python bench/load_bench.py [--modes embedded,production,sync,nginx] [--duration 10] [--connections 8]
                               [--member] [--no-posting]

- embedded: SQLite, `python app.py` (one process, Werkzeug threads, Socket.IO threading mode);
  hello served by Werkzeug threads too.
- production: PostgreSQL + Redis (message queue, rate limits), `gunicorn -c gunicorn.conf.py`
  with 2 gevent workers (AGORA_WORKERS=2); hello served by gunicorn -k gevent -w 2.
- sync: SQLite under `gunicorn -w 2 -k sync`, as the FlaskBB peer is measured (see
  ../shared/bench/peers/), for the side-by-side ratio.
- nginx: the production settings on two application hosts, gunicorn on 127.0.0.2 and 127.0.0.3
  (one gevent worker each), measured directly (one wrk per host at once, half the connections
  each, rates added up) and through nginx with HTTPS (deploy/nginx/agora.conf, bench/nginx_front.py)
  in the same run: the topic pages and posting, and the proxy's overhead.

Data: `flask forum generate` (500 members, 2,000 topics, 50,000 posts), made once per database
(SQLite in --data, PostgreSQL database --pg-database on 127.0.0.1). Pages: home, the busiest
space, the 100-post topic (threaded), a 20-post topic, search (when the search blueprint
exists), and posting (a logged-in member replying, POST + redirect, into a topic of its own).
Prints a Markdown table with requests/s, p50 and p99 (wrk, from Debian).
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pages_bench as common  # noqa: E402

ROOT = common.ROOT
VENV_BIN = common.VENV_BIN
SERVE_BIN = VENV_BIN      # --serve-venv: serve from a production install (no test tools in memory)
SECRET = "bench-" + "x" * 40
# Where the posting benchmark replies: an open topic of a public theme space (any member may write).
POSTING_TOPIC = ("SELECT t.id FROM topic t JOIN space s ON s.id = t.space_id WHERE s.kind = 'theme' "
                 "AND s.visibility = 'public' AND t.status = 'open' ORDER BY t.id DESC LIMIT 1")


def base_env(data):
    env = dict(os.environ, FORUM_INSTANCE_PATH=data, FORUM_SECRET_KEY=SECRET, FORUM_RATELIMIT_ENABLED="false",
               PYTHONUNBUFFERED="1")
    for name in ("FORUM_DATABASE_URL", "FORUM_REDIS_URL", "FORUM_SOCKETIO_ASYNC_MODE", "AGORA_WORKERS"):
        env.pop(name, None)
    return env


def prepare_postgres(url, data, env):
    """Create, migrate and fill the PostgreSQL database once; returns the page paths."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                                    {"n": target.database}).scalar()
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()
    engine = create_engine(url)
    with engine.connect() as connection:
        filled = connection.execute(text("SELECT to_regclass('post') IS NOT NULL")).scalar() and \
            connection.execute(text("SELECT count(*) FROM post")).scalar() > 0
    if not filled:
        os.makedirs(data, exist_ok=True)
        common.flask(env, "db", "upgrade")
        started = time.perf_counter()
        common.flask(env, "forum", "generate", "--members", "500", "--topics", "2000", "--posts", "50000")
        print(f"PostgreSQL data generated in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    else:
        common.flask(env, "db", "upgrade")
    with engine.connect() as connection:
        big = connection.execute(text("SELECT id FROM topic WHERE reply_count = 99 ORDER BY id LIMIT 1")).scalar()
        small = connection.execute(text("SELECT id FROM topic WHERE reply_count = 19 ORDER BY id LIMIT 1")).scalar()
        space = connection.execute(text("SELECT slug FROM space ORDER BY topic_count DESC LIMIT 1")).scalar()
        target_topic = connection.execute(text(POSTING_TOPIC)).scalar()
    engine.dispose()
    return paths(big, small, space), target_topic


def prepare_sqlite(data, env):
    pages = common.prepare(data, env)
    import sqlite3
    with sqlite3.connect(os.path.join(data, "agora.db")) as connection:
        target_topic = connection.execute(POSTING_TOPIC).fetchone()[0]
    big = int(pages["topic 100 posts, tree"].rsplit("/", 1)[1])
    small = int(pages["topic 20 posts"].rsplit("/", 1)[1])
    space = pages["space (30 topics)"].rsplit("/", 1)[1]
    return paths(big, small, space), target_topic


def paths(big, small, space):
    return {"home": "/", "space (30 topics)": f"/espace/{space}", "topic 100 posts, threaded": f"/sujet/{big}",
            "topic 20 posts": f"/sujet/{small}", "search": "/recherche?q=travail"}


def serve_embedded(module, port, env):
    """One process, Werkzeug threads: `python app.py` (the hello app likewise)."""
    python = os.path.join(SERVE_BIN, "python")
    if module == "app:app":
        command = [python, "app.py"]
    else:
        command = [python, "-c", "from bench.hello_app import app; "
                   f"app.run(host='127.0.0.1', port={port}, threaded=True)"]
    env = dict(env, PORT=str(port), FORUM_WEB_ONLY="true")
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return wait_up(process, port)


def serve_gunicorn(module, port, env, worker_class, workers=2):
    if module == "app:app" and worker_class == "gevent":
        command = [os.path.join(SERVE_BIN, "gunicorn"), "-c", "gunicorn.conf.py", "app:app"]
        env = dict(env, PORT=str(port), AGORA_WORKERS=str(workers))
    else:
        command = [os.path.join(SERVE_BIN, "gunicorn"), "-w", str(workers), "-k", worker_class, "-b",
                   f"127.0.0.1:{port}", "--log-level", "warning", module]
    process = subprocess.Popen(command, cwd=ROOT, env=dict(env, FORUM_WEB_ONLY="true"), start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return wait_up(process, port)


def wait_up(process, port):
    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
            return process
        except OSError:
            time.sleep(0.2)
    common.stop(process)
    raise RuntimeError(f"server on port {port} did not start")


POST_SCRIPT = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "%(cookie)s"
-- Over HTTPS Flask-WTF checks that the form came from the site, as a browser says it did.
wrk.headers["Referer"] = "%(referer)s"
local counter = 0
request = function()
  counter = counter + 1
  local body = "csrf_token=%(token)s&submit=1&body=R%%C3%%A9ponse+de+charge+" .. counter .. "+" .. math.random(1000000000)
  return wrk.format("POST", "%(path)s", nil, body)
end
"""


def wrk_post(base, path, duration, connections, cookie, token):
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(POST_SCRIPT % {"cookie": cookie, "token": urllib.parse.quote(token), "path": path,
                                    "referer": base + path})
    try:
        command = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{duration}s", "--latency", "-s", script.name,
                   base + path]
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(script.name)
    return common.parse_wrk(out)


def member_of(env, data):
    """A generated member of the instance (pages_bench.bench_member, on either database)."""
    url = env.get("FORUM_DATABASE_URL")
    if not url:
        return common.bench_member(data)
    from sqlalchemy import create_engine, text
    engine = create_engine(url)
    with engine.connect() as connection:
        found = connection.execute(text("SELECT pseudonym FROM member WHERE pseudonym LIKE 'membre-%' "
                                        "ORDER BY id LIMIT 1 OFFSET 19")).scalar()
    engine.dispose()
    return found


def csrf_token(base, cookie):
    request = urllib.request.Request(base + "/aide", headers={"Cookie": cookie})
    page = urllib.request.urlopen(request).read().decode()
    return re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)


def measure_mode(mode, args, pages, target_topic, env):
    port = common.free_port()
    if mode == "embedded":
        hello = serve_embedded("hello", port, env)
    else:
        hello = serve_gunicorn("bench.hello_app:app", port, env, "gevent" if mode == "production" else "sync",
                               args.workers)
    try:
        hello_rate = measured(hello, lambda: common.wrk(f"http://127.0.0.1:{port}/", args.duration, args.connections))
    finally:
        common.stop(hello)

    port = common.free_port()
    if mode == "embedded":
        forum = serve_embedded("app:app", port, env)
    else:
        forum = serve_gunicorn("app:app", port, env, "gevent" if mode == "production" else "sync", args.workers)
    rows = []
    base = f"http://127.0.0.1:{port}"
    try:
        member = member_of(env, env["FORUM_INSTANCE_PATH"])
        readers = [("anonymous", None)] + ([("member", common.login_cookie(base, member))] if args.member else [])
        for reader, cookie in readers:
            for name, path in pages.items():
                request = urllib.request.Request(base + path, headers={"Cookie": cookie} if cookie else {})
                try:
                    size = len(urllib.request.urlopen(request).read())
                except urllib.error.HTTPError as error:
                    if name == "search" and error.code == 404:
                        continue   # no search blueprint in this build: optional row
                    raise
                rows.append((reader, name, size, *measured(forum, lambda: common.wrk(
                    base + path, args.duration, args.connections, cookie))))
        if not args.no_posting:
            cookie = common.login_cookie(base, member)
            token = csrf_token(base, cookie)
            rows.append(("member", "posting a reply (POST + 303)", 0, *measured(forum, lambda: wrk_post(
                base, f"/sujet/{target_topic}/repondre", min(args.duration, 5), args.connections, cookie, token))))
        rss = common.rss_kib(forum) or rss_of(forum.pid)
    finally:
        common.stop(forum)
    return hello_rate, rows, rss


def serve_host(host, port, env):
    """One application host: gunicorn -c gunicorn.conf.py, one gevent worker, on ``host``."""
    command = [os.path.join(SERVE_BIN, "gunicorn"), "-c", "gunicorn.conf.py", "app:app"]
    env = dict(env, AGORA_BIND=f"{host}:{port}", AGORA_WORKERS="1", FORUM_PROXY_COUNT="1", FORUM_WEB_ONLY="true")
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://{host}:{port}/aide", timeout=2)
            return process
        except OSError:
            time.sleep(0.2)
    common.stop(process)
    raise RuntimeError(f"gunicorn on {host}:{port} did not start")


def front_login(front, pseudonym):
    import http.cookiejar
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=front.ssl_context()),
                                         urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(front.url + "/connexion").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"csrf_token": token, "login": pseudonym, "password": "agora-bench-2026",
                                   "submit": "1"}).encode()
    answer = opener.open(urllib.request.Request(front.url + "/connexion", data,
                                                headers={"Referer": front.url + "/connexion"}))
    if answer.url.endswith("/connexion"):
        raise RuntimeError(f"{pseudonym} could not log in")
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def measure_nginx(args, pages, target_topic, env):
    """Rows (page, direct req/s, p99, through nginx req/s, p99, overhead) for two hosts."""
    from concurrent.futures import ThreadPoolExecutor

    from nginx_front import Front
    ports = [common.free_port() for _ in range(4)]
    hosts = [("127.0.0.2", ports[0]), ("127.0.0.3", ports[1])]
    servers = [serve_host(host, port, env) for host, port in hosts]
    front = None
    try:
        front = Front([f"{host}:{port}" for host, port in hosts], ports[2], ports[3])
        bases = [f"http://{host}:{port}" for host, port in hosts]
        half = max(args.connections // 2, 1)

        application = [pid for server in servers for pid in server_pids(server)]

        def cpu_of(run, pids):
            """(rate, p50, p99, errors, CPU ms per request of ``pids``) of ``run()``."""
            before, started = cpu_seconds(pids), time.monotonic()
            rate, p50, p99, errors = run()
            return rate, p50, p99, errors, 1000 * (cpu_seconds(pids) - before) / max(rate * (time.monotonic() - started), 1)

        def direct(run):
            def both():
                with ThreadPoolExecutor(2) as pool:
                    results = list(pool.map(run, bases))
                return (sum(r[0] for r in results), max(r[1] for r in results), max(r[2] for r in results),
                        sum(r[3] for r in results))
            return cpu_of(both, application)

        def proxied(run):
            return cpu_of(run, application + front.pids())

        rows = []
        for name in ("topic 100 posts, threaded", "topic 20 posts"):
            path = pages[name]
            straight = direct(lambda base: common.wrk(base + path, args.duration, half))
            through = proxied(lambda: common.wrk(front.url + path, args.duration, args.connections))
            rows.append((name, straight, through))
        if not args.no_posting:
            # Logged in through nginx: the hosts' cookies are Secure, which a client sends over
            # HTTPS only (wrk then sends them as a plain header, to the hosts directly too).
            cookie = front_login(front, member_of(env, env["FORUM_INSTANCE_PATH"]))
            token = csrf_token(bases[0], cookie)
            path = f"/sujet/{target_topic}/repondre"
            duration = min(args.duration, 5)
            straight = direct(lambda base: wrk_post(base, path, duration, half, cookie, token))
            through = proxied(lambda: wrk_post(front.url, path, duration, args.connections, cookie, token))
            rows.append(("posting a reply (POST + 303)", straight, through))
        return rows
    finally:
        if front is not None:
            front.stop()
        for server in servers:
            common.stop(server)


def server_pids(process):
    children = subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True, text=True).stdout.split()
    return [process.pid] + [int(pid) for pid in children]


def cpu_seconds(pids):
    """User + system CPU time of the server's processes, from /proc (robust to a noisy machine)."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except OSError:
            pass
    return total / os.sysconf("SC_CLK_TCK")


def measured(process, run):
    """Run ``run()`` (a wrk run returning rate, p50, p99, errors) and add server CPU ms/request."""
    pids = server_pids(process)
    before, started = cpu_seconds(pids), time.monotonic()
    rate, p50, p99, errors = run()
    requests = rate * (time.monotonic() - started)
    return rate, p50, p99, errors, 1000 * (cpu_seconds(pids) - before) / max(requests, 1)


def rss_of(pid):
    with open(f"/proc/{pid}/status") as status:
        return [int(line.split()[1]) for line in status if line.startswith("VmRSS")]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--modes", default="embedded,production")
    parser.add_argument("--data", default="/tmp/agora-bench")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pg-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/agora_bench")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/7")
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--member", action="store_true", help="also measure as a logged-in member")
    parser.add_argument("--no-posting", action="store_true")
    parser.add_argument("--serve-venv", help="serve from this virtualenv (pip install -e '.[prod]'): "
                                             "what a production worker holds in memory, without test tools")
    args = parser.parse_args()
    global SERVE_BIN
    if args.serve_venv:
        SERVE_BIN = os.path.join(args.serve_venv, "bin")

    for mode in args.modes.split(","):
        env = base_env(args.data if mode not in ("production", "nginx") else args.data + "-pg")
        if mode in ("production", "nginx"):
            env.update(FORUM_DATABASE_URL=args.pg_url, FORUM_REDIS_URL=args.redis_url,
                       FORUM_SEARCH_BACKEND="postgres")
            pages, target_topic = prepare_postgres(args.pg_url, args.data + "-pg", env)
            served = "PostgreSQL + Redis, gunicorn -c gunicorn.conf.py (2 gevent workers)"
            if mode == "nginx":
                print_nginx(args, measure_nginx(args, pages, target_topic, env))
                continue
        elif mode == "embedded":
            pages, target_topic = prepare_sqlite(args.data, env)
            served = "SQLite, python app.py (one process, threads)"
        else:
            pages, target_topic = prepare_sqlite(args.data, env)
            served = "SQLite, gunicorn -w 2 -k sync"
        hello, rows, rss = measure_mode(mode, args, pages, target_topic, env)
        print(f"\n### {mode}: {served}; wrk -c {args.connections} -d {args.duration}s\n")
        print("| reader | page | HTML KiB | req/s | p50 ms | p99 ms | errors | server CPU ms/req | % of hello |")
        print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
        print(f"| — | bare Flask hello | — | {hello[0]:,.0f} | {hello[1]:.1f} | {hello[2]:.1f} | {hello[3]} | "
              f"{hello[4]:.2f} | 100 % |")
        for reader, name, size, rate, p50, p99, errors, cpu in rows:
            print(f"| {reader} | {name} | {size / 1024:.0f} | {rate:,.1f} | {p50:.1f} | {p99:.1f} | {errors} | "
                  f"{cpu:.1f} | {100 * rate / hello[0]:.1f} % |")
        print(f"\nRSS per process after the run: {', '.join(f'{kib / 1024:.0f} MiB' for kib in rss)}", flush=True)


def print_nginx(args, rows):
    print(f"\n### nginx: HTTPS, 2 hosts (127.0.0.2, 127.0.0.3, one gevent worker each), PostgreSQL + Redis; "
          f"wrk -c {args.connections} -d {args.duration}s\n")
    print("| page | direct req/s | p99 ms | server CPU ms/req | through nginx req/s | p99 ms | "
          "server + nginx CPU ms/req | errors | fewer req/s | more server CPU |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, straight, through in rows:
        print(f"| {name} | {straight[0]:,.1f} | {straight[2]:.1f} | {straight[4]:.2f} | {through[0]:,.1f} | "
              f"{through[2]:.1f} | {through[4]:.2f} | {straight[3] + through[3]} | "
              f"{100 * (1 - through[0] / straight[0]):.1f} % | {100 * (through[4] / straight[4] - 1):.1f} % |",
              flush=True)


if __name__ == "__main__":
    main()
