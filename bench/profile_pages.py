"""Where a page's milliseconds go, for a visitor and for a logged-in member (pyinstrument).

    python bench/profile_pages.py [--data /tmp/agora-bench] [--requests 200] [--misses]

Uses the instance of bench/pages_bench.py (built there once, kept in --data), serves its pages
in this process through Flask's test client (no network, no gunicorn: only the application's
own work), as an anonymous visitor and as a generated member, and samples each page's
requests with pyinstrument. Prints, per page and reader, the CPU milliseconds a request costs
and their share by part: each sample goes to the innermost part of Agora it was in (a
permission check run from a template counts as permissions; SQL run by the unread state
counts as unread state), and what ran outside all of them to the library it was in.

A member's pages are kept for them (forum/web/page_cache.py): repeated, they are served kept.
``--misses`` empties the members' store before each request, to measure a first visit (a page
whose content or member state changed since it was kept).
"""
import argparse
import logging
import os
import re
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from bench.pages_bench import bench_env, bench_member, prepare  # noqa: E402  (after the path is set)

# (part, what the sample's frame must hold): the first that matches, innermost frame first.
PARTS = [
    ("loading the member", ("forum/accounts/sessions.py", "flask_login/")),
    ("permissions", ("forum/permissions.py", "moderation/permissions.py")),
    ("menus (moderation, memberships)", ("moderation/display.py:moderation_nav", "moderation/queue.py",
                                         "forum/accounts/membership_views.py", "forum/accounts/membership.py")),
    ("notification counter", ("forum/notifications/inbox.py",)),
    ("watching state", ("forum/notifications/watching.py", "forum/notifications/views.py:watch_context")),
    ("post fragments", ("fragments.py:post_fragment", "fragments.py:topic_versions",
                        "moderation/display.py:post_moderation_links", "templates/_post.html")),
    ("page content", ("forum/topics/reading.py", "forum/topics/finding.py", "forum/decisions/display.py",
                      "forum/syntheses/reading.py", "forum/topics/drafts.py")),
    ("CSRF and forms", ("flask_wtf/", "wtforms/")),
    ("session cookie", ("flask/sessions.py", "itsdangerous/")),
]
LIBRARIES = [
    ("SQL (SQLAlchemy, driver)", ("sqlalchemy/", "sqlite3", "psycopg", "Cursor.")),
    ("templates (Jinja)", ("jinja2/", "templates/", "markupsafe/", "flask_babel/", "babel/")),
    ("Flask, Werkzeug", ("flask/", "werkzeug/", "flask_limiter/", "limits/", "engineio/", "flask_socketio/")),
]


def part_of(frames):
    """The part a sample belongs to, from its frames (outermost first)."""
    for frame in reversed(frames):
        for name, marks in PARTS:
            if any(mark in frame for mark in marks):
                return name
    # A built-in (the SQLite cursor) or pyinstrument's "[self]" of a frame: named by the
    # innermost frame that has a file, unless the built-in itself says what it is.
    files = [frame for frame in frames if frame.startswith("/")]
    for leaf in (frames[-1] if frames else "", files[-1] if files else ""):
        for name, marks in LIBRARIES:
            if any(mark in leaf for mark in marks):
                return name
    leaf = files[-1] if files else ""
    return "other Agora code" if f"{ROOT}/" in leaf and "/.venv/" not in leaf else "other"


def samples(frame, stack=()):
    """(frames from the root, self seconds) for each frame of a pyinstrument tree."""
    label = f"{frame.file_path or ''}:{frame.function or ''}"
    stack = stack + (label,)
    if frame.total_self_time:
        yield stack, frame.total_self_time
    for child in frame.children:
        yield from samples(child, stack)


def profile(client, path, count, forget=None):
    from pyinstrument import Profiler

    def get():
        if forget is not None:
            forget()
        return client.get(path)
    for _ in range(10):                 # warm: templates compiled, caches filled
        assert get().status_code == 200, path
    profiler = Profiler(interval=0.0005)
    started = time.process_time()
    profiler.start()
    for _ in range(count):
        get()
    profiler.stop()
    cpu_ms = 1000 * (time.process_time() - started) / count
    shares = {}
    for stack, seconds in samples(profiler.last_session.root_frame()):
        part = part_of(stack)
        shares[part] = shares.get(part, 0) + seconds
    total = sum(shares.values()) or 1
    return cpu_ms, {part: seconds / total for part, seconds in shares.items()}


def log_in(client, pseudonym):
    page = client.get("/connexion").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    answer = client.post("/connexion", data={"csrf_token": token, "login": pseudonym,
                                             "password": "agora-bench-2026", "submit": "1"})
    assert answer.status_code in (302, 303), answer.get_data(as_text=True)[-3000:]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default="/tmp/agora-bench")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--misses", action="store_true", help="measure a member's first visits (no kept page)")
    args = parser.parse_args()
    env = bench_env(args.data)
    pages = prepare(args.data, env)
    # The application is made in this process: it reads the same environment.
    os.environ.clear()
    os.environ.update(env)
    os.environ["FORUM_WEB_ONLY"] = "true"
    os.environ["FORUM_LOG_FORMAT"] = "json"          # as gunicorn.conf.py sets it
    from forum import create_app
    app = create_app()
    # The request log's lines are written, as in production, but to nowhere.
    for handler in logging.getLogger("agora.requests").handlers:
        handler.setStream(open(os.devnull, "w"))

    rows = []
    for reader in ("anonymous", "member"):
        client = app.test_client()
        if reader == "member":
            log_in(client, bench_member(args.data))
        forget = app.extensions["agora_member_page_cache"].clear if reader == "member" and args.misses else None
        for name, path in pages.items():
            rows.append((reader, name, *profile(client, path, args.requests, forget)))

    parts = [name for name, _ in PARTS] + [name for name, _ in LIBRARIES] + ["other Agora code", "other"]
    kept = "members' kept pages emptied before each request" if args.misses else "members' pages served kept"
    print(f"\npyinstrument, {args.requests} requests per page after 10 to warm up, Flask's test client, {kept}\n")
    print("| reader | page | CPU ms/request | " + " | ".join(parts) + " |")
    print("|---|---|---:|" + "---:|" * len(parts))
    for reader, name, cpu_ms, shares in rows:
        cells = " | ".join(f"{100 * shares.get(part, 0):.0f} %" for part in parts)
        print(f"| {reader} | {name} | {cpu_ms:.1f} | {cells} |")


if __name__ == "__main__":
    main()
