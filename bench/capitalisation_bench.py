"""The weight and the time of /capitalisation with many published syntheses.

    python bench/capitalisation_bench.py [--syntheses 500] [--requests 20] [--data /tmp/agora-capitalisation-bench]

On a fresh migrated SQLite instance with the demo (its resources included), --syntheses
published syntheses (one published version each, about 2,500 characters of text, spread over
the demo's spaces and the last two years) are written by bulk insert. Then GET /capitalisation
(a visitor, then a member of the comité 13), its second page and one facet (a year), through
the Flask test client with ``Accept-Encoding: gzip``: the page's bytes, its gzip bytes as sent,
and the median time per request over --requests requests. Printed as a table, one row per page.
"""
import argparse
import gzip
import os
import random
import shutil
import statistics
import sys
import time
from datetime import timedelta

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
PARAGRAPH = ("Le comité a entendu les personnes accompagnées, les professionnels et les partenaires sur le "
             "non-recours aux droits. Les démarches dématérialisées éloignent ceux qui n'ont ni équipement ni "
             "accompagnement ; les permanences physiques restent nécessaires. ")


def build_app(data):
    from forum import create_app
    url = f"sqlite:///{os.path.join(data, 'agora.db')}"
    return create_app({"INSTANCE_PATH": data, "DATABASE_URL": url, "SQLALCHEMY_DATABASE_URI": url,
                       "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False, "NOTIFICATION_EMAIL_THREAD": False,
                       "SEARCH_DRAIN_AFTER_COMMIT": False, "WTF_CSRF_ENABLED": False})


def prepare(app, count, rng):
    from flask_migrate import upgrade
    from sqlalchemy import insert, select

    from forum.accounts.models import Member
    from forum.clock import now
    from forum.devdata import demo
    from forum.extensions import db
    from forum.syntheses.models import PUBLISHED, Synthesis, SynthesisVersion
    from forum.topics.models import Space
    with app.app_context():
        upgrade()
        demo.seed()
        author = db.session.scalar(select(Member.id).where(Member.pseudonym == "Nadia.M"))
        spaces = db.session.scalars(select(Space.id).where(Space.visibility == "public")).all()
        text = PARAGRAPH * 10
        moment = now()
        rows = []
        for number in range(count):
            when = moment - timedelta(days=rng.randrange(730), minutes=number)
            rows.append(dict(space_id=rng.choice(spaces), author_id=author, title=f"Synthèse n° {number + 1} : "
                             "le non-recours aux droits dans les territoires", source=text, html=f"<p>{text}</p>",
                             status=PUBLISHED, published_version=1, published_at=when, created_at=when,
                             updated_at=when, revision_count=1))
        db.session.execute(insert(Synthesis), rows)
        ids = db.session.execute(select(Synthesis.id, Synthesis.published_at)).all()
        db.session.execute(insert(SynthesisVersion), [
            dict(synthesis_id=synthesis_id, number=1, revision=1, title=f"Synthèse n° {synthesis_id}", source=text,
                 html=f"<p>{text}</p>", approved_at=when, approved_how="", published_at=when,
                 transmitted_at=when if synthesis_id % 3 == 0 else None) for synthesis_id, when in ids])
        db.session.commit()
        return ids[0][1].year


def measure(client, path, requests):
    sizes, times = None, []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(path, headers={"Accept-Encoding": "gzip"})
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, (path, response.status_code)
        body = response.get_data()
        plain = gzip.decompress(body) if response.headers.get("Content-Encoding") == "gzip" else body
        sizes = (len(plain), len(body) if response.headers.get("Content-Encoding") == "gzip"
                 else len(gzip.compress(body)))
    return sizes, statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--syntheses", type=int, default=500)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--data", default="/tmp/agora-capitalisation-bench")
    args = parser.parse_args()
    shutil.rmtree(args.data, ignore_errors=True)
    os.makedirs(args.data)
    app = build_app(args.data)
    year = prepare(app, args.syntheses, random.Random(7))
    visitor, member = app.test_client(), app.test_client()
    answer = member.post("/connexion", data={"login": "Nadia.M", "password": "agora-demo-2026", "submit": "1"})
    assert answer.status_code == 303, answer.status_code
    print(f"{args.syntheses} published syntheses (+ the demo's resources), SQLite, median of {args.requests} requests")
    print("| page | viewer | rows shown | page bytes | gzip bytes | time per request |")
    print("|---|---|---|---|---|---|")
    for name, client, path in (("/capitalisation", "visitor", "/capitalisation"),
                               ("/capitalisation", "member", "/capitalisation"),
                               ("/capitalisation?page=2", "member", "/capitalisation?page=2"),
                               (f"/capitalisation?annee={year}", "member", f"/capitalisation?annee={year}")):
        (plain, packed), seconds = measure(visitor if client == "visitor" else member, path, args.requests)
        rows = client_rows(visitor if client == "visitor" else member, path)
        print(f"| `{name}` | {client} | {rows} | {plain:,} | {packed:,} | {seconds * 1000:.1f} ms |")


def client_rows(client, path):
    return client.get(path).get_data(as_text=True).count('class="capital-entry"')


if __name__ == "__main__":
    main()
