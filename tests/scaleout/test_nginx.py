"""Agora behind real nginx, configured by deploy/nginx/agora.conf as shipped (only its addresses,
ports and paths rewritten for loopback): HTTPS with a certificate made here, HTTP redirected,
HSTS, static files from disk with long cache headers, the request size limit, the forwarded
scheme trusted (cookies Secure), and live events through nginx to a WebSocket client and to a
long-polling one, posted through either of two application hosts (127.0.0.2, 127.0.0.3)
sharing the database and Redis."""
import os
import re
import shutil
import subprocess
import threading
import time

import pytest
import requests

from ..conftest import REQUIRE_SERVICES
from ..helpers import CSRF, PASSWORD
from ..processes import ROOT

pytestmark = pytest.mark.slow
CONFIG = os.path.join(ROOT, "deploy", "nginx", "agora.conf")


def free_tcp_port():
    from ..conftest import free_port
    return free_port()


class Nginx:
    """nginx in the foreground with the shipped site file, rewritten for loopback."""

    def __init__(self, tmp_path, hosts):
        for tool in ("nginx", "openssl"):
            if not shutil.which(tool) and not os.path.exists(f"/usr/sbin/{tool}"):
                if REQUIRE_SERVICES:
                    pytest.fail(f"{tool} is missing (.ci/run installs it)")
                pytest.skip(f"{tool} is missing (apt-get install nginx openssl)")
        self.folder = tmp_path / "nginx"
        self.folder.mkdir()
        self.http, self.https = free_tcp_port(), free_tcp_port()
        self.certificate, self.key = self.folder / "agora.crt", self.folder / "agora.key"
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                        "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(self.key),
                        "-out", str(self.certificate)], check=True, capture_output=True)
        with open(CONFIG) as handle:
            site = handle.read()
        replacements = [("listen 80;", f"listen 127.0.0.1:{self.http};"),
                        ("listen 443 ssl;", f"listen 127.0.0.1:{self.https} ssl;"),
                        ("return 301 https://$host$request_uri;", f"return 301 https://$host:{self.https}$request_uri;"),
                        ("/etc/ssl/agora/agora.crt", str(self.certificate)),
                        ("/etc/ssl/agora/agora.key", str(self.key)),
                        ("/srv/agora/static/", os.path.join(ROOT, "static") + "/"),
                        ("server 127.0.0.2:8000;", f"server {hosts[0]};"),
                        ("server 127.0.0.3:8000;", f"server {hosts[1]};")]
        for old, new in replacements:
            assert old in site, f"deploy/nginx/agora.conf no longer has {old!r}: update this test"
            site = site.replace(old, new)
        (self.folder / "agora.conf").write_text(site)
        temp = "".join(f"{kind}_temp_path {self.folder / kind};\n"
                       for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        (self.folder / "nginx.conf").write_text(
            ("user root;\n" if os.geteuid() == 0 else "") +
            f"worker_processes 1;\npid {self.folder / 'nginx.pid'};\nerror_log {self.folder / 'error.log'};\n"
            "events { worker_connections 256; }\n"
            f"http {{\ninclude /etc/nginx/mime.types;\naccess_log {self.folder / 'access.log'};\n{temp}"
            f"include {self.folder / 'agora.conf'};\n}}\n")
        binary = shutil.which("nginx") or "/usr/sbin/nginx"
        self.process = subprocess.Popen([binary, "-p", str(self.folder), "-c", str(self.folder / "nginx.conf"),
                                         "-g", "daemon off;"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.url = f"https://127.0.0.1:{self.https}"
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                requests.get(self.url + "/aide", verify=str(self.certificate), timeout=2)
                return
            except requests.RequestException:
                if self.process.poll() is not None:
                    break
                time.sleep(0.2)
        self.stop()
        raise AssertionError("nginx did not start: " + (self.folder / "error.log").read_text()[-2000:])

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


@pytest.fixture
def behind_nginx(app, forum, gunicorns, own_redis, tmp_path):
    database_url = app.config["SQLALCHEMY_DATABASE_URI"]
    hosts = [gunicorns(database_url, redis_url=own_redis.url, host=host, FORUM_PROXY_COUNT="1")
             for host in ("127.0.0.2", "127.0.0.3")]
    proxy = Nginx(tmp_path, [f"{server.host}:{server.port}" for server in hosts])
    yield proxy, hosts
    proxy.stop()


def logged_in(url, member, verify=True):
    # ``verify`` on each request: a session's own is overridden by REQUESTS_CA_BUNDLE when set.
    http = requests.Session()
    page = http.get(url + "/connexion", timeout=20, verify=verify).text
    answer = http.post(url + "/connexion", data={"login": member.pseudonym, "password": PASSWORD, "submit": "1",
                                                 "csrf_token": CSRF.search(page).group(1)},
                       allow_redirects=False, timeout=20, verify=verify,
                       # Over HTTPS Flask-WTF also checks that the form came from the site, as a
                       # browser says it did.
                       headers={"Referer": url + "/connexion"})
    assert answer.status_code == 303, answer.text[:300]
    return http, answer


def test_https_redirect_hsts_static_files_size_limit_and_secure_cookies(behind_nginx, forum):
    proxy, hosts = behind_nginx
    certificate = str(proxy.certificate)
    plain = requests.get(f"http://127.0.0.1:{proxy.http}/aide", allow_redirects=False, timeout=10)
    assert plain.status_code == 301 and plain.headers["Location"] == f"{proxy.url}/aide"

    page = requests.get(proxy.url + "/aide", verify=certificate, timeout=10)
    assert page.status_code == 200 and "Content-Security-Policy" in page.headers        # from the app
    assert page.headers["Strict-Transport-Security"] == "max-age=63072000"
    stylesheet = re.search(r'href="(/static/css/agora\.css\?v=[0-9a-f]+)"', page.text).group(1)
    static = requests.get(proxy.url + stylesheet, verify=certificate, timeout=10)
    assert static.status_code == 200 and "immutable" in static.headers["Cache-Control"]
    assert "Content-Security-Policy" not in static.headers           # from the disk, not the app
    with open(os.path.join(ROOT, "static", "css", "agora.css"), "rb") as handle:
        assert static.content == handle.read()

    too_big = requests.post(proxy.url + "/connexion", data=b"x" * (17 * 1024 * 1024), verify=certificate,
                            headers={"Content-Type": "application/x-www-form-urlencoded"}, timeout=30)
    assert too_big.status_code == 413 and "nginx" in too_big.text

    member = forum.member("Nadia")
    _http, login = logged_in(proxy.url, member, verify=certificate)
    # The app sees https through X-Forwarded-Proto (FORUM_PROXY_COUNT=1): its cookies are Secure,
    # though 127.0.0.1 would otherwise get plain ones.
    assert "Secure" in login.headers["Set-Cookie"]
    # Asked for 127.0.0.1 without the proxy's headers, the app gives plain ones.
    direct = requests.get(hosts[0].url + "/connexion", headers={"Host": "127.0.0.1"}, timeout=10)
    assert "Set-Cookie" in direct.headers and "Secure" not in direct.headers["Set-Cookie"]


class DirectWriter:
    """A member writing to one application host directly, over plain HTTP on its loopback
    address. Its cookies are Secure (a host other than 127.0.0.1), which a client keeps to HTTPS:
    they are sent by hand, as plain values."""

    def __init__(self, url, member):
        self.url, self.cookies = url, {}
        self.post("/connexion", {"login": member.pseudonym, "password": PASSWORD, "submit": "1"}, expect=303)

    def get(self, path):
        answer = requests.get(self.url + path, cookies=self.cookies, allow_redirects=False, timeout=20)
        self.cookies.update(answer.cookies.get_dict())
        return answer

    def post(self, path, data, expect=None):
        token = CSRF.search(self.get("/aide").text).group(1)
        answer = requests.post(self.url + path, data={**data, "csrf_token": token}, cookies=self.cookies,
                               allow_redirects=False, timeout=20)
        self.cookies.update(answer.cookies.get_dict())
        assert expect is None or answer.status_code == expect, answer.text[:300]
        return answer


@pytest.mark.parametrize("transport", ["websocket", "polling"])
def test_live_events_reach_a_client_through_nginx_whichever_host_the_reply_went_through(
        behind_nginx, forum, transport):
    import socketio as python_socketio
    proxy, hosts = behind_nginx
    author = forum.member("Karim")
    space = forum.space("Éthique et déontologie")
    topic = forum.topic(author, space, "Le secret partagé")
    seen, joined = [], threading.Event()
    http = requests.Session()
    # The certificate made by this test, on loopback only; without the environment's CA bundle,
    # which would override a session's own setting.
    http.verify, http.trust_env = False, False
    client = python_socketio.Client(http_session=http, ssl_verify=False)
    client.on("post_created", lambda data: seen.append(data["post_id"]))
    client.connect(proxy.url, transports=[transport], wait_timeout=10)
    try:
        client.emit("join_topic", {"topic_id": topic.id, "after": 0}, callback=lambda ack: joined.set())
        assert joined.wait(10)
        assert client.transport() == transport
        posted = []
        for server in hosts:          # one of them is not the host nginx keeps this client on
            answer = DirectWriter(server.url, author).post(
                f"/sujet/{topic.id}/repondre", {"body": f"Réponse par {server.host}.", "submit": "1"})
            assert answer.status_code == 303, answer.text[:300]
            posted.append(int(answer.headers["Location"].rstrip("/").rsplit("/", 1)[1]))
        deadline = time.monotonic() + 15
        while set(posted) - set(seen) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert set(posted) <= set(seen), (posted, seen)
    finally:
        client.disconnect()
