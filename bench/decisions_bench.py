"""Decisions: the tally of 10,000 ballots, and what an open decision costs its topic page.

    python bench/decisions_bench.py [--database sqlite|postgresql|both] [--ballots 10000] [--runs 21]
                                    [--requests 40] [--data /tmp/agora-decisions-bench]
                                    [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/agora_decisions_bench]

For each database (PostgreSQL only when reachable; its database is dropped and made again),
on a fresh migrated instance: the demo (nine collèges, comités, accounts), then --ballots
members from `forum generate` (bulk inserts, each in a random collège). In a comité topic,
a member opens through ``voting.open_poll`` a single-choice decision and a ranked-choice one,
5 options each; each gets one ballot per generated member, written by bulk insert (``Ballot``
and ``PollVoter`` rows, ``Poll.voter_count``), not through ``cast_ballot`` (10,000 commits
would measure the inserting, not the counting). Ranked ballots rank 1 to 5 options.

(a) The tally: median and best of --runs calls of ``results.current(poll)`` (the overall tally
shown while open) and ``results.final(poll)`` (the per-collège table stored at the closing,
small collèges merged), each reading every ballot from the database. The issue asks < 50 ms.

(b) The topic page: GET /sujet/<id> of a topic holding an open single-choice decision (the
10,000-ballot one, then one of 30 ballots: a comité's size; tally shown to all; the topic's
opening, the decision's post, one reply) beside a twin topic whose second post is a plain
reply with the same text, logged in as a member of the comité, through the Flask test client, the
two pages alternating --requests times. The issue asks the ratio within 10 %.
"""
import argparse
import os
import random
import shutil
import statistics
import sys
import time
from datetime import timedelta

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
AUTHOR = "Nadia.M"          # a demo member of the comité 13
BODY = "Nous proposons de trancher la date de la journée régionale : votez avant vendredi."
SMALL = 30                  # a comité's decision, for the page
OPTIONS = ["Lundi 12", "Mardi 13", "Jeudi 15", "Vendredi 16", "Samedi 17"]


def build_app(url, data):
    from forum import create_app
    return create_app({"INSTANCE_PATH": data, "DATABASE_URL": url, "SQLALCHEMY_DATABASE_URI": url,
                       "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False, "NOTIFICATION_EMAIL_THREAD": False,
                       "SEARCH_DRAIN_AFTER_COMMIT": False})


def fresh_database(backend, args):
    """A new, empty database; returns its URL, or None when PostgreSQL does not answer."""
    if backend == "sqlite":
        shutil.rmtree(args.data, ignore_errors=True)
        os.makedirs(args.data)
        return f"sqlite:///{os.path.join(args.data, 'agora.db')}"
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    url = make_url(args.database_url)
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{url.database}"'))
    except Exception as error:     # not reachable: say so, measure SQLite alone
        print(f"PostgreSQL at {url.render_as_string(hide_password=True)} does not answer ({error.__class__.__name__}):"
              " skipped", file=sys.stderr)
        return None
    finally:
        admin.dispose()
    os.makedirs(args.data, exist_ok=True)
    return url.render_as_string(hide_password=False)


def prepare(app, ballots, rng):
    """The instance, the two decisions with their ballots and the twin topics; returns ids."""
    from flask_migrate import upgrade
    from sqlalchemy import insert, select, text, update

    from forum.accounts.models import Member
    from forum.clock import now
    from forum.decisions import voting
    from forum.decisions.models import Ballot, Poll, PollVoter
    from forum.devdata import demo, generate
    from forum.extensions import db
    from forum.topics import posting
    from forum.topics.models import KIND_COMMITTEE, Space
    with app.app_context():
        upgrade()
        demo.seed()
        generate.generate(ballots, 0, 0, seed=7)
        author = db.session.scalar(select(Member).where(Member.pseudonym == AUTHOR))
        committee = next(s for s in author.committees if s.kind == KIND_COMMITTEE)
        with_poll = posting.start_topic(author, db.session.get(Space, committee.id),
                                        "Date de la journée régionale", "Quelle date retenir ?", [])
        twin = posting.start_topic(author, db.session.get(Space, committee.id),
                                   "Date de la journée régionale (sans décision)", "Quelle date retenir ?", [])
        elsewhere = posting.start_topic(author, db.session.get(Space, committee.id),
                                        "Ordre des priorités de l'année", "Classons nos priorités.", [])
        small = posting.start_topic(author, db.session.get(Space, committee.id),
                                    "Date de la journée régionale (comité)", "Quelle date retenir ?", [])
        polls = {}
        for kind, topic in (("single", with_poll), ("ranked", elsewhere), ("small", small)):
            settings = voting.PollSettings(kind="ranked" if kind == "ranked" else "single",
                                           question=f"Quelle date ({kind}) ?", options=list(OPTIONS),
                                           closes_at=now() + timedelta(days=7))
            polls[kind] = voting.open_poll(author, topic, settings, BODY).id
        for topic in (with_poll, small):
            posting.reply(author, topic, "Une réponse ordinaire.")
        posting.reply(author, twin, BODY)            # the twin: the same posts, the decision's a plain reply
        posting.reply(author, twin, "Une réponse ordinaire.")
        voters = db.session.execute(select(Member.id, Member.college_id).where(Member.pseudonym.like("membre-%"))
                                    .order_by(Member.id).limit(ballots)).all()
        moment = now()
        for kind, poll_id in polls.items():
            rows, voting_here = [], voters[:SMALL] if kind == "small" else voters
            for member_id, college_id in voting_here:
                if kind != "ranked":
                    choice = {str(rng.randrange(len(OPTIONS))): 1}
                else:
                    ranked = rng.sample(range(len(OPTIONS)), rng.randint(1, len(OPTIONS)))
                    choice = {str(option): rank for rank, option in enumerate(ranked, start=1)}
                rows.append(dict(poll_id=poll_id, member_id=member_id, college_id=college_id, choice=choice,
                                 reason="", updated_at=moment, revision_count=1))
            db.session.execute(insert(Ballot), rows)
            db.session.execute(insert(PollVoter), [dict(poll_id=poll_id, member_id=member_id, voted_at=moment)
                                                   for member_id, _ in voting_here])
            db.session.execute(update(Poll).where(Poll.id == poll_id).values(voter_count=len(voting_here),
                                                                             voted_at=moment))
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("ANALYZE"))
            db.session.commit()
        pages = {"the 10,000-ballot decision": with_poll.id, f"a {SMALL}-ballot decision": small.id}
        return {k: v for k, v in polls.items() if k != "small"}, pages, twin.id


def time_tally(app, polls, runs):
    """{(kind, function): ([ms], [CPU ms of this process], voters)}"""
    from forum.decisions import results
    from forum.decisions.models import Poll
    from forum.extensions import db
    timings = {}
    with app.app_context():
        for kind, poll_id in polls.items():
            poll = db.session.get(Poll, poll_id)
            for name, function in (("current", results.current), ("final", results.final)):
                function(poll)     # warm: the statement's first compilation is not the tally
                values, cpu = [], []
                for _ in range(runs):
                    started, used = time.perf_counter(), time.process_time()
                    table = function(poll)
                    values.append((time.perf_counter() - started) * 1000)
                    cpu.append((time.process_time() - used) * 1000)
                voters = table["voters"] if name == "current" else table["overall"]["voters"]
                assert voters > 0, (kind, name, table)
                timings[(kind, name)] = (values, cpu, voters)
            db.session.rollback()
    return timings


def time_pages(app, pages, twin, requests):
    """{label: (median ms with, median ms without, ratio of the best, KiB with, KiB without, decision shown)}"""
    from forum.devdata.demo import DEMO_PASSWORD
    client = app.test_client()
    page = client.get("/connexion").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    answer = client.post("/connexion", data={"login": AUTHOR, "password": DEMO_PASSWORD, "csrf_token": token,
                                             "submit": "1"})
    assert answer.status_code == 303, answer.status_code
    measured = {}
    for label, topic_id in pages.items():
        urls = {"with": f"/sujet/{topic_id}", "without": f"/sujet/{twin}"}
        timings, html = {name: [] for name in urls}, {}
        for url in urls.values():       # warm both (templates compiled, caches filled alike)
            client.get(url)
        for _ in range(requests):
            for name, url in urls.items():
                started = time.perf_counter()
                response = client.get(url)
                timings[name].append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, (url, response.status_code)
                html[name] = response.get_data()
        measured[label] = (statistics.median(timings["with"]), statistics.median(timings["without"]),
                           min(timings["with"]) / min(timings["without"]),
                           len(html["with"]) / 1024, len(html["without"]) / 1024, b"Quelle date (" in html["with"])
    return measured


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--database-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/agora_decisions_bench")
    parser.add_argument("--data", default="/tmp/agora-decisions-bench")
    parser.add_argument("--ballots", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=21, help="tally calls per measure (median and best)")
    parser.add_argument("--requests", type=int, default=40, help="requests per topic page (alternating)")
    args = parser.parse_args()
    backends = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    for backend in backends:
        url = fresh_database(backend, args)
        if url is None:
            continue
        app = build_app(url, os.path.join(args.data, backend))
        started = time.perf_counter()
        polls, pages, twin = prepare(app, args.ballots, random.Random(17))
        print(f"{backend}: prepared in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        for (kind, name), (values, cpu, voters) in time_tally(app, polls, args.runs).items():
            what = "overall tally, results.current" if name == "current" else "per-collège table, results.final"
            print(f"{backend:10} tally {kind:6} {what:34} {voters} ballots: median {statistics.median(values):5.1f} ms,"
                  f" best {min(values):5.1f} ms (Python CPU: median {statistics.median(cpu):5.1f} ms)")
        for label, (with_ms, without_ms, best, with_kib, without_kib, shown) in time_pages(
                app, pages, twin, args.requests).items():
            print(f"{backend:10} topic page, member, with {label}: {with_ms:.1f} ms ({with_kib:.0f} KiB); the same"
                  f" page without: {without_ms:.1f} ms ({without_kib:.0f} KiB); ratio {with_ms / without_ms:.2f}"
                  f" (median of {args.requests}; of the best: {best:.2f}; decision block on the page:"
                  f" {'yes' if shown else 'no'})")
        with app.app_context():
            from forum.extensions import db
            db.session.remove()
            db.engine.dispose()
    try:
        load = os.getloadavg()[0]
        print(f"load average {load:.1f} on {os.cpu_count()} cores")
    except OSError:
        pass


if __name__ == "__main__":
    main()
