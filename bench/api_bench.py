"""Requests per second of the API's JSON beside the HTML pages that show the same thing.

    python bench/api_bench.py [--data /tmp/agora-bench] [--workers 2] [--worker-class sync]
                              [--duration 10] [--connections 8] [--member]

The instance of bench/pages_bench.py (built once in --data by `flask forum generate`), served
by gunicorn and measured with wrk, one after the other in one run: the 100-post topic as
`/sujet/N?vue=chrono` and `/t/N.json`, the home page and `/latest.json`, a space and its
`/c/slug/id.json`, as an anonymous visitor (and a logged-in member with --member). Prints a
Markdown table with each JSON's rate as a share of its page's (goal: at least 100 %).
"""
import argparse
import os
import sqlite3
import sys
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.pages_bench import (bench_env, bench_member, free_port, login_cookie, prepare, serve,  # noqa: E402
                               stop, wrk)


def pairs(data):
    """(what, HTML path, JSON path) for the pages measured."""
    pages = prepare(data, bench_env(data))
    big = pages["topic 100 posts, tree"].rsplit("/", 1)[1]
    slug = pages["space (30 topics)"].rsplit("/", 1)[1]
    with sqlite3.connect(os.path.join(data, "agora.db")) as connection:
        space_id = connection.execute("SELECT id FROM space WHERE slug = ?", (slug,)).fetchone()[0]
    return [("topic of 100 posts", f"/sujet/{big}?vue=chrono", f"/t/{big}.json"),
            ("latest topics", "/", "/latest.json"),
            ("a space's topics", f"/espace/{slug}", f"/c/{slug}/{space_id}.json")]


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
    measured = pairs(args.data)
    port = free_port()
    forum = serve("app:app", port, env, args.workers, args.worker_class)
    rows = []
    try:
        base = f"http://127.0.0.1:{port}"
        readers = [("anonymous", None)] + ([("member", login_cookie(base, bench_member(args.data)))]
                                            if args.member else [])
        for reader, cookie in readers:
            for what, html, json in measured:
                results = []
                for path in (html, json):
                    request = urllib.request.Request(base + path, headers={"Cookie": cookie} if cookie else {})
                    size = len(urllib.request.urlopen(request).read())
                    results.append((path, size, *wrk(base + path, args.duration, args.connections, cookie)))
                rows.append((reader, what, results))
    finally:
        stop(forum)

    print(f"\ngunicorn -w {args.workers} -k {args.worker_class}, wrk -c {args.connections} -d {args.duration}s\n")
    print("| reader | what | address | KiB | req/s | p50 ms | p99 ms | errors | JSON / HTML |")
    print("|---|---|---|---:|---:|---:|---:|---:|---:|")
    for reader, what, results in rows:
        html_rate = results[0][2]
        for path, size, rate, p50, p99, errors in results:
            share = f"{100 * rate / html_rate:.0f} %" if path.endswith(".json") else ""
            print(f"| {reader} | {what} | `{path}` | {size / 1024:.0f} | {rate:,.1f} | {p50:.1f} | {p99:.1f} | "
                  f"{errors} | {share} |")


if __name__ == "__main__":
    main()
