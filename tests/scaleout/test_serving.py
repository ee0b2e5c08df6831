"""Serving with real gunicorn processes: requests never share `g` or a database session; the
database going away gives a clear 503 page and the site recovers; SQLite is hardened."""
import threading
import time

import pytest
import requests
from sqlalchemy import text
from sqlalchemy.engine import make_url

from forum.extensions import db

from ..realtime.conftest import WebSession

pytestmark = pytest.mark.slow


def test_two_clients_of_one_worker_never_share_g_or_a_database_session(app, forum, gunicorns):
    """One gevent worker serves a member and an anonymous visitor at the same time, requests
    overlapping (each pauses mid-request): each sees its own `g`, session and user, always."""
    member = forum.member("Solène")
    space = forum.space("Éthique et déontologie")
    forum.topic(member, space, "Le secret partagé")
    server = gunicorns(app.config["SQLALCHEMY_DATABASE_URI"], workers=1)
    assert len(server.workers()) == 1
    logged = WebSession(server.url).login(member)
    anonymous = requests.Session()
    reports, failures = [], []

    def browse(http, expected_user):
        try:
            for _ in range(15):
                answer = http.get(server.url + "/_bench/contexte?pause=0.05", timeout=10).json()
                reports.append((expected_user, answer))
                page = http.get(server.url + "/", timeout=10).text
                if expected_user is None and ("Se déconnecter" in page or "/preferences" in page):
                    failures.append("an anonymous visitor was served the member's page")
                if expected_user is not None and "Se déconnecter" not in page:
                    failures.append("the member was served an anonymous page")
        except Exception as error:   # reported below with the others
            failures.append(repr(error))

    threads = [threading.Thread(target=browse, args=(logged.http, member.id)) for _ in range(3)] + \
        [threading.Thread(target=browse, args=(anonymous, None)) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failures, failures[:5]
    assert len(reports) == 6 * 15
    spans = []
    for expected_user, answer in reports:
        spans.append((answer.pop("span"), expected_user))
        assert answer == {"user": expected_user, "g_fresh": True, "session_fresh": True,
                          "g_kept": True, "session_kept": True, "user_kept": True}
    # The worker served them at the same time: a member's probe overlapped a visitor's.
    assert any(a[0] < b[1] and b[0] < a[1] for (a, user_a) in spans for (b, user_b) in spans
               if user_a is not None and user_b is None)


def test_database_unavailable_answers_a_clear_503_and_recovers(postgres_url, tcp_proxy, gunicorns):
    url = make_url(postgres_url)
    proxy = tcp_proxy(url.port or 5432, url.host or "127.0.0.1")
    through_proxy = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    server = gunicorns(through_proxy, workers=1)
    assert requests.get(server.url + "/", timeout=10).status_code == 200

    proxy.cut()
    for path in ("/", "/_sante", "/espace/inexistant"):
        response = requests.get(server.url + path, timeout=20)
        assert response.status_code == 503, (path, response.status_code)
        assert response.headers["Retry-After"] == "10"
        assert "Service momentanément indisponible" in response.text
        assert "Traceback" not in response.text and "psycopg" not in response.text
        assert "OperationalError" not in response.text
    login = requests.post(server.url + "/connexion", data={"login": "x", "password": "y"}, timeout=20)
    assert login.status_code in (400, 503) and "Traceback" not in login.text

    proxy.restore()
    deadline = time.monotonic() + 20
    while True:
        status = requests.get(server.url + "/", timeout=20).status_code
        if status == 200 or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert status == 200
    assert requests.get(server.url + "/_sante", timeout=10).json() == {"ok": True}
    assert server.process.poll() is None, "the server must survive the outage"


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_sqlite_is_hardened(app_factory):
    app = app_factory()
    with app.app_context():
        connection = db.session.connection()
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_sqlite_concurrent_writers_never_see_database_is_locked(app, forum, backend):
    """Eight threads reply at once in one topic through the domain functions: all are stored."""
    from forum.accounts.models import Member
    from forum.topics import posting
    from forum.topics.models import Post, Topic
    members = [forum.member(f"Plume{i}") for i in range(8)]
    topic = forum.topic(members[0], forum.space("Jeunesse"), "Écrire ensemble")
    errors = []

    def write(member):
        with app.app_context():
            try:
                for n in range(10):
                    posting.reply(db.session.get(Member, member.id), db.session.get(Topic, topic.id),
                                  f"Réponse {n} de {member.pseudonym}")
            except Exception as error:
                errors.append(repr(error))

    threads = [threading.Thread(target=write, args=(member,)) for member in members]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors[:3]
    with app.app_context():
        count = db.session.scalar(text("SELECT count(*) FROM post WHERE topic_id = :t"), {"t": topic.id})
        assert count == 81
        numbers = db.session.scalars(db.select(Post.number).where(Post.topic_id == topic.id)).all()
        assert sorted(numbers) == list(range(1, 82))
