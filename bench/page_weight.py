"""What each main page weighs on the wire, as Debian's chromium loads it (Playwright).

    python bench/page_weight.py [--data /tmp/agora-weight-bench]

Builds once (kept in --data) an SQLite instance with the demo (`flask forum seed-demo`) and
bulk data (`flask forum generate`, one topic of exactly 100 threaded posts), serves it in this
process (Werkzeug, threaded), and loads every main page in a fresh browser context with an
empty cache: logged out, as the demo member Nadia.M and as the moderator Mod-13. Counts what
crossed the network (headers + compressed bodies) by kind, the same bytes uncompressed, the
number of requests, and requests to any other host (there must be none). Prints a Markdown table.
"""
import argparse
import logging
import os
import sqlite3
import subprocess
import sys
import threading
from urllib.parse import urlsplit

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
DEMO_PASSWORD = "agora-demo-2026"
CHROMIUM = "/usr/bin/chromium"
KINDS = {"document": "HTML", "stylesheet": "CSS", "script": "JS"}


def prepare(data):
    database = os.path.join(data, "agora.db")
    if not os.path.exists(database):
        os.makedirs(data, exist_ok=True)
        env = dict(os.environ, FORUM_INSTANCE_PATH=data, FORUM_SECRET_KEY="bench")
        flask = [os.path.join(os.path.dirname(sys.executable), "flask"), "--app", "app"]
        for command in (["db", "upgrade"], ["forum", "seed-demo"],
                        ["forum", "generate", "--members", "100", "--topics", "200", "--posts", "3000"]):
            subprocess.run(flask + command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    with sqlite3.connect(database) as connection:
        big = connection.execute("SELECT id FROM topic WHERE reply_count = 99 ORDER BY id LIMIT 1").fetchone()[0]
        space = connection.execute("SELECT slug FROM space WHERE kind = 'comite' AND department = '13'").fetchone()[0]
        post = connection.execute("SELECT id FROM post WHERE topic_id = ? AND number = 2", (big,)).fetchone()[0]
    return big, space, post


def pages(big, space, post, app):
    anonymous = [("home", "/"), ("space", f"/espace/{space}"), ("topic 100 posts, tree", f"/sujet/{big}"),
                 ("topic 100 posts, chronological", f"/sujet/{big}?vue=chrono"), ("register", "/inscription"),
                 ("login", "/connexion"), ("règlement", "/reglement"), ("help (lecture facile)", "/aide")]
    member = [("home", "/"), ("space", f"/espace/{space}"), ("topic 100 posts, tree", f"/sujet/{big}"),
              ("topic 100 posts, chronological", f"/sujet/{big}?vue=chrono"),
              ("new topic", f"/espace/{space}/nouveau-sujet"), ("reply", f"/sujet/{big}/repondre?a={post}"),
              ("notifications", "/notifications"), ("profile", "/membre/Nadia.M"), ("settings", "/preferences")]
    if "search.results" in app.view_functions:
        member.append(("search results", "/recherche?q=logement"))
    moderator = [("moderation queue", "/moderation/")]
    return [(None, anonymous), ("Nadia.M", member), ("Mod-13", moderator)]


def session_of(browser, base, who):
    """The cookies of ``who`` logged in, for contexts whose cache is still empty."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(base + "/connexion")
    page.fill("#login", who)
    page.fill("#password", DEMO_PASSWORD)
    page.click("main button[type=submit][name=submit]")
    page.wait_for_url(base + "/")
    state = context.storage_state()
    context.close()
    return state


def measure(browser, base, session, path):
    context = browser.new_context(storage_state=session)
    page = context.new_page()
    seen = []

    def finished(request):
        response = request.response()
        sizes = request.sizes()
        try:
            decoded = len(response.body()) + sizes["responseHeadersSize"]
        except Exception:   # a body the browser did not keep (a redirect)
            decoded = sizes["responseHeadersSize"]
        seen.append((request.url, KINDS.get(request.resource_type, "other"),
                     sizes["responseBodySize"] + sizes["responseHeadersSize"], decoded))
    page.on("requestfinished", finished)
    page.goto(base + path, wait_until="networkidle")
    context.close()
    host = urlsplit(base).netloc
    row = {kind: sum(wire for _u, k, wire, _d in seen if k == kind) for kind in ("HTML", "CSS", "JS", "other")}
    row["total"] = sum(wire for _u, _k, wire, _d in seen)
    row["uncompressed"] = sum(decoded for _u, _k, _w, decoded in seen)
    row["requests"] = len(seen)
    row["other hosts"] = sum(1 for url, *_ in seen if urlsplit(url).netloc != host)
    return row


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default="/tmp/agora-weight-bench")
    args = parser.parse_args()
    big, space, post = prepare(args.data)

    from playwright.sync_api import sync_playwright
    from werkzeug.serving import make_server

    from forum import create_app
    app = create_app({"INSTANCE_PATH": args.data, "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False,
                      "NOTIFICATION_EMAIL_THREAD": False})
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    kb = lambda n: f"{n / 1024:.1f}"   # noqa: E731
    print("| page | reader | HTML | CSS | JS | other | total (KB, on the wire) | uncompressed (KB) | requests | other hosts |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
        for who, listed in pages(big, space, post, app):
            session = session_of(browser, base, who) if who else None
            for name, path in listed:
                row = measure(browser, base, session, path)
                print(f"| {name} | {who or 'visitor'} | {kb(row['HTML'])} | {kb(row['CSS'])} | {kb(row['JS'])} | "
                      f"{kb(row['other'])} | **{kb(row['total'])}** | {kb(row['uncompressed'])} | "
                      f"{row['requests']} | {row['other hosts']} |", flush=True)
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
