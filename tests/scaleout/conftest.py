"""Scale-out fixtures: gunicorn with several workers, a TCP proxy that can cut a service off,
a Redis server of our own that a test may restart."""
import os
import select
import shutil
import socket
import subprocess
import threading
import time

import pytest

from ..conftest import PG_URL, REQUIRE_SERVICES, free_port
from ..processes import GUNICORN, ServedApp


class Gunicorn(ServedApp):
    """The app under gunicorn (gunicorn.conf.py: gevent workers), in a process group of its own."""

    def __init__(self, database_url, tmp_path, workers=1, redis_url=None, secret="test-secret-key",
                 host="127.0.0.1", **env):
        super().__init__(tmp_path, "gunicorn")
        # Another loopback address stands for another machine (tests/scaleout/test_nginx.py).
        self.host, self.url = host, f"http://{host}:{self.port}"
        self.env = dict(os.environ, PORT=str(self.port), AGORA_BIND=f"{host}:{self.port}", PYTHONUNBUFFERED="1",
                        AGORA_WORKERS=str(workers), FORUM_DATABASE_URL=database_url,
                        FORUM_SECRET_KEY=secret, FORUM_INSTANCE_PATH=self.instance_path,
                        FORUM_PASSWORD_METHOD="pbkdf2:sha256:1000", FORUM_RATELIMIT_ENABLED="false",
                        FORUM_BENCH_HOOKS="true", FORUM_NOTIFICATION_EMAIL_THREAD="false")
        for name in ("FORUM_REDIS_URL", "FORUM_SOCKETIO_ASYNC_MODE"):
            self.env.pop(name, None)
        if redis_url:
            self.env["FORUM_REDIS_URL"] = redis_url
        self.env.update(env)
        self.start()

    def start(self, timeout=30):
        super().start(GUNICORN, self.env, timeout)

    def workers(self):
        """The worker pids (children of the master)."""
        out = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True).stdout
        return [int(pid) for pid in out.split()]


@pytest.fixture
def gunicorns(tmp_path):
    started = []

    def start(database_url, **kwargs):
        server = Gunicorn(database_url, tmp_path, **kwargs)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()
        server.log.close()


class TcpProxy:
    """Forwards 127.0.0.1:<port> to a service; ``cut()`` drops every connection and refuses
    new ones (as a database that went away), ``restore()`` lets them through again."""

    def __init__(self, target_port, target_host="127.0.0.1"):
        self.target = (target_host, target_port)
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        self.open = True
        self.pairs = []
        self.lock = threading.Lock()
        self.stopped = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self.stopped:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.open:
                client.close()
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.pairs.append((client, upstream))
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()

    def _pump(self, client, upstream):
        sockets = [client, upstream]
        try:
            while True:
                readable, _, _ = select.select(sockets, [], [], 1.0)
                if self.stopped:
                    break
                for source in readable:
                    data = source.recv(65536)
                    if not data:
                        raise OSError("closed")
                    (upstream if source is client else client).sendall(data)
        except (OSError, ValueError):
            pass
        finally:
            for sock in sockets:
                try:
                    sock.close()
                except OSError:
                    pass

    def cut(self):
        self.open = False
        with self.lock:
            pairs, self.pairs = self.pairs, []
        for pair in pairs:
            for sock in pair:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def restore(self):
        self.open = True

    def close(self):
        self.stopped = True
        self.cut()
        self.listener.close()


@pytest.fixture
def tcp_proxy():
    made = []

    def make(port, host="127.0.0.1"):
        proxy = TcpProxy(port, host)
        made.append(proxy)
        return proxy

    yield make
    for proxy in made:
        proxy.close()


@pytest.fixture
def postgres_url(migrated):
    """A migrated PostgreSQL database of this session (skips without FORUM_TEST_DATABASE_URL)."""
    if not PG_URL:
        pytest.skip("FORUM_TEST_DATABASE_URL is not set (PostgreSQL is needed)")
    return migrated("postgresql")


class RedisServer:
    """A redis-server of our own on a free port (never the shared one): a test may restart it."""

    def __init__(self, tmp_path):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.dir = tmp_path / f"redis-{self.port}"
        self.dir.mkdir()
        self.process = None
        self.start()

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
             "--appendonly", "no", "--dir", str(self.dir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        import redis
        client = redis.Redis(port=self.port)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise AssertionError("redis-server did not start")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


@pytest.fixture
def own_redis(tmp_path):
    if not shutil.which("redis-server"):
        if REQUIRE_SERVICES:
            pytest.fail("redis-server is missing")
        pytest.skip("redis-server is missing (apt-get install redis-server)")
    server = RedisServer(tmp_path)
    yield server
    server.stop()
