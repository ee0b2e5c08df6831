"""Test fixtures: a real SQLite, and a real PostgreSQL when FORUM_TEST_DATABASE_URL is set.

Every test that takes ``app`` runs once per database backend. The schema is always made by
the migrations (once per session and backend); between tests SQLite gets a fresh copy of the
migrated file and PostgreSQL has its tables truncated.
"""
import os
import re
import shutil
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from forum import create_app
from forum.extensions import db

from .helpers import CSRF, Browser, EventLog, Forum, detach, fresh

SHARED = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "..", "shared")
REQUIRE_SERVICES = os.environ.get("FORUM_TEST_REQUIRE_SERVICES") == "1"
PG_URL = os.environ.get("FORUM_TEST_DATABASE_URL")
REDIS_URL = os.environ.get("FORUM_TEST_REDIS_URL")

BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """After pytest-randomly shuffled the tests (an order of its own each run, its seed printed
    at the top: ``-p randomly --randomly-seed=N`` repeats it), bring each module's tests of one
    database backend together, in their shuffled order: a world built once per module and
    backend (tests/permission_world.py) is then built twice per module, not at every switch."""
    modules = {}
    for item in items:
        modules.setdefault(item.module.__name__ if item.module else "", len(modules))

    def backend(item):   # the ``backend`` fixture's value, or a module world's (its param is the backend)
        params = item.callspec.params if hasattr(item, "callspec") else {}
        return next((value for value in params.values() if isinstance(value, str) and value in BACKENDS), "")
    items.sort(key=lambda item: (modules[item.module.__name__ if item.module else ""], backend(item)))


@pytest.hookimpl(tryfirst=True)
def pytest_generate_tests(metafunc):
    """Tests that drive Chromium run on SQLite only: what a browser does with a page does not
    depend on the database, and every page's database path is tested over HTTP on both backends
    (a browser test on PostgreSQL too cost two and a half minutes of each run)."""
    if "chromium" in metafunc.fixturenames and "backend" in metafunc.fixturenames and \
            not any("backend" in str(mark.args[0]) for mark in metafunc.definition.iter_markers("parametrize")):
        metafunc.definition.add_marker(pytest.mark.parametrize("backend", ["sqlite"], indirect=True))


def pytest_configure(config):
    if REQUIRE_SERVICES and not PG_URL:
        raise pytest.UsageError("FORUM_TEST_REQUIRE_SERVICES=1 needs FORUM_TEST_DATABASE_URL "
                                "(PostgreSQL) so that no test silently skips")


def _shared_engines(make_engine):
    """Flask-SQLAlchemy makes an engine for each app, and each test makes an app: every SQL
    statement was compiled again in every test (SQLAlchemy keeps its compiled statements in the
    engine), a third of the suite's time. Tests share one engine per database address and
    options; between tests its pool is emptied (``dispose``), so no connection outlives a test."""
    engines = {}

    def shared(bind_key, options, app):
        key = (make_url(options["url"]).render_as_string(hide_password=False),
               repr(sorted((name, repr(value)) for name, value in options.items() if name != "url")))
        if key not in engines:
            engines[key] = make_engine(bind_key, {**options, "query_cache_size": 5000}, app)
        return engines[key]
    return shared


db._make_engine = _shared_engines(db._make_engine)


def base_config(instance_path, database_url):
    return {
        "TESTING": True,
        "INSTANCE_PATH": str(instance_path),
        "DATABASE_URL": database_url,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "test-secret-key",
        "PASSWORD_METHOD": "pbkdf2:sha256:1000",   # fast hashing: tests create many members
        "RATELIMIT_ENABLED": False,
        "SERVER_NAME": None,
        "NOTIFICATION_EMAIL_THREAD": False,   # tests send notification emails explicitly
        # Every hit of a member's kept page is checked against the page rendered now.
        "PAGE_CACHE_VERIFY": True,
    }


def migrate(database_url, instance_path):
    from flask_migrate import upgrade
    app = create_app(base_config(instance_path, database_url))
    with app.app_context():
        upgrade()
        db.engine.dispose()


def close_app(app):
    """Close an app's session and its pooled connections (a shared engine stays, emptied)."""
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


class PostgresDatabase:
    """A database of its own on the test server, for one test session (xdist-safe)."""

    def __init__(self, url):
        self.admin_url = make_url(url)
        self.name = f"agora_test_{uuid.uuid4().hex[:12]}"
        self.url = self.admin_url.set(database=self.name).render_as_string(hide_password=False)

    def create(self, template=None):
        """An empty database, or a copy of ``template`` (a database nobody is connected to)."""
        engine = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{self.name}"' + (f' TEMPLATE "{template}"' if template else "")))
        engine.dispose()

    def drop(self):
        engine = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        engine.dispose()


def migrated_postgres(folder, cleanups):
    """A new PostgreSQL database of this session, migrated to the head (dropped by ``cleanups``)."""
    database = PostgresDatabase(PG_URL)
    database.create()
    cleanups.append(database.drop)
    migrate(database.url, folder)
    return database


@pytest.fixture(scope="session")
def migrated(tmp_path_factory):
    """{backend: (url of a migrated database, how to reset it)}, made lazily."""
    made, cleanups = {}, []

    def get(backend):
        if backend in made:
            return made[backend]
        folder = tmp_path_factory.mktemp(f"template-{backend}")
        if backend == "sqlite":
            template = folder / "template.db"
            migrate(f"sqlite:///{template}", folder)
            made[backend] = str(template)
        else:
            made[backend] = migrated_postgres(folder, cleanups).url
        return made[backend]

    yield get
    for cleanup in cleanups:
        cleanup()


@pytest.fixture(scope="session")
def seeded(migrated, tmp_path_factory):
    """{backend: (database file or name, instance folder)} holding ``flask forum seed-demo``, made
    lazily once per session: seeding takes 8 to 20 s, a copy well under one (``demo_app``)."""
    made, cleanups = {}, []

    def get(backend):
        if backend in made:
            return made[backend]
        folder = tmp_path_factory.mktemp(f"demo-{backend}")
        if backend == "sqlite":
            shutil.copyfile(migrated(backend), folder / "demo.db")
            url, kept = f"sqlite:///{folder / 'demo.db'}", folder / "demo.db"
        else:
            database = migrated_postgres(folder, cleanups)
            url, kept = database.url, database.name
        app = create_app(base_config(folder / "instance", url))
        result = app.test_cli_runner().invoke(args=["forum", "seed-demo"])
        assert result.exit_code == 0, result.output
        close_app(app)   # a template database takes no connection while copied
        made[backend] = (kept, folder / "instance")
        return made[backend]

    yield get
    for cleanup in cleanups:
        cleanup()


@pytest.fixture
def demo_app(backend, seeded, tmp_path):
    """An app on a copy of the demo (database and instance folder: uploads, search index), its own
    to change. The demo's own command is tested as such in tests/test_cli.py."""
    kept, instance = seeded(backend)
    if instance.exists():
        shutil.copytree(instance, tmp_path / "instance")
    database = None
    if backend == "sqlite":
        shutil.copyfile(kept, tmp_path / "agora.db")
        url = f"sqlite:///{tmp_path / 'agora.db'}"
    else:
        database = PostgresDatabase(PG_URL)
        database.create(template=kept)
        url = database.url
    app = create_app(base_config(tmp_path / "instance", url))
    yield app
    close_app(app)
    if database is not None:
        database.drop()


def _truncate_all(app):
    """Empty every table and restart every sequence, as a freshly migrated database.

    TRUNCATE of all the tables cost 0.35 s per test (it makes new files for each table and
    index); most tables are empty, so only those holding rows are emptied, by DELETE with the
    foreign-key triggers off (the session is the tests' superuser), in a few milliseconds."""
    tables = [t.name for t in db.metadata.sorted_tables]
    with db.engine.begin() as connection:
        holding = connection.execute(text("SELECT " + ", ".join(
            f'EXISTS (SELECT 1 FROM "{name}")' for name in tables))).one()
        connection.execute(text("SET LOCAL session_replication_role = replica"))
        for name, has_rows in zip(tables, holding):
            if has_rows:
                connection.execute(text(f'DELETE FROM "{name}"'))
        connection.execute(text("SELECT setval(c.oid, 1, false) FROM pg_class c "
                                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                                "WHERE c.relkind = 'S' AND n.nspname = current_schema()"))


@pytest.fixture(params=BACKENDS)
def backend(request):
    return request.param


def fresh_sqlite_copy(template, database):
    """``database`` made a new copy of ``template``: a new file (a connection some thread of an
    earlier test left open keeps the old one), without the old write-ahead log."""
    for leftover in (f"{database}-wal", f"{database}-shm"):
        if os.path.exists(leftover):
            os.remove(leftover)
    shutil.copyfile(template, f"{database}.new")
    os.replace(f"{database}.new", database)


@pytest.fixture
def app_factory(backend, migrated, tmp_path, tmp_path_factory):
    """Build apps on one fresh, migrated database; keyword arguments override the config."""
    apps, state = [], {}

    def build(**extra):
        if "url" not in state:
            template = migrated(backend)
            if backend == "sqlite":
                # The same address in every test of this process: its engine, and the
                # statements compiled in it, are reused (``_shared_engines``). Per process:
                # mutmut forks several at once from one session.
                database = tmp_path_factory.getbasetemp() / f"agora-sqlite-{os.getpid()}.db"
                fresh_sqlite_copy(template, database)
                state["url"] = f"sqlite:///{database}"
            else:
                state["url"] = template
        config = base_config(tmp_path / "instance", state["url"])
        config.update(extra)
        app = create_app(config)
        if backend == "postgresql" and not apps:
            with app.app_context():
                _truncate_all(app)
        apps.append(app)
        return app

    yield build
    for app in apps:
        close_app(app)


@pytest.fixture
def app(app_factory):
    return app_factory()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def forum(app):
    """Builders for members, spaces and topics (each in its own app context)."""
    return Forum(app)


@pytest.fixture
def browser(client):
    return Browser(client)


def shared_path(*parts):
    path = os.path.normpath(os.path.join(SHARED, *parts))
    if not os.path.exists(path):
        pytest.fail(f"shared test material missing: {path} (the ../shared folder must be beside the project)")
    return path


def extract_csrf(html):
    """The CSRF token of a page (its meta tag, else a form's hidden field)."""
    match = CSRF.search(html) or re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


@pytest.fixture
def act(app):
    """``act(function, *args, **kwargs)``: a domain call in an app context, rows passed reloaded
    (``fresh``), a row returned detached."""
    def call(function, *args, **kwargs):
        with app.app_context():
            result = function(*[fresh(a) for a in args], **{k: fresh(v) for k, v in kwargs.items()})
            return detach(result) if isinstance(result, db.Model) else result
    return call


@pytest.fixture
def login(app):
    """``login(member)``: a browser of its own, logged in as ``member``."""
    def open_as(member):
        browser = Browser(app.test_client())
        browser.login(member)
        return browser
    return open_as


@pytest.fixture
def committed_events(app):
    """``committed_events(EventType, ...)``: an ``EventLog`` of those events, published after commit."""
    logs = []

    def record(*event_types):
        logs.append(EventLog(app, event_types))
        return logs[-1]
    yield record
    for log in logs:
        log.close()


# --- shared infrastructure: a live server, a real browser, Redis ------------------------

def free_port():
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    """The app served by Werkzeug's threaded server in a background thread (WebSocket included)."""

    def __init__(self, app):
        import threading

        from werkzeug.serving import make_server
        self.app = app
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = make_server("127.0.0.1", self.port, app, threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.thread.join(timeout=10)


@pytest.fixture
def live_server(app):
    server = LiveServer(app)
    yield server
    server.stop()


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def chromium():
    """Debian's chromium driven by Playwright (browsers cannot be downloaded here)."""
    if not os.path.exists(CHROMIUM):
        if REQUIRE_SERVICES:
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def redis_url():
    """A Redis database for this test, flushed before use (FORUM_TEST_REDIS_URL)."""
    if not REDIS_URL:
        if REQUIRE_SERVICES:
            pytest.fail("FORUM_TEST_REDIS_URL is not set and FORUM_TEST_REQUIRE_SERVICES=1")
        pytest.skip("FORUM_TEST_REDIS_URL is not set (a Redis server is needed)")
    import redis
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError as error:
        if REQUIRE_SERVICES:
            pytest.fail(f"Redis at {REDIS_URL} does not answer: {error}")
        pytest.skip(f"Redis at {REDIS_URL} does not answer")
    return REDIS_URL
