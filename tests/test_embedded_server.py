"""`make run` as a newcomer sees it (issue 16, items 18 and 20): the embedded server says where it
answers without Werkzeug's production warnings, and links made later outside a request (emails,
`flask digest preview` in another terminal) point to the port it serves on."""
import os
import sys

import pytest

from forum.notifications import mail
from forum.web import served_address

from .processes import ServedApp


@pytest.fixture
def backend():
    """One process on a SQLite file is what `make run` serves; PostgreSQL adds nothing here."""
    return "sqlite"


def test_make_run_serves_quietly_and_links_follow_its_port(app, tmp_path, monkeypatch):
    server = ServedApp(tmp_path, "app")
    env = dict(os.environ, PORT=str(server.port), PYTHONUNBUFFERED="1",
               FORUM_DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"], FORUM_SECRET_KEY=app.config["SECRET_KEY"],
               FORUM_INSTANCE_PATH=app.instance_path, FORUM_PASSWORD_METHOD=app.config["PASSWORD_METHOD"])
    env.pop("FORUM_SERVER_NAME", None)
    try:
        server.start([sys.executable, "app.py"], env)
    finally:
        server.stop()
    output = server.output()
    assert f" * Agora : http://127.0.0.1:{server.port}/" in output
    assert "make serve-prod" in output
    for alarm in ("WARNING", "production deployment", "development server", "Debug mode"):
        assert alarm not in output, output

    # A command typed later in another terminal, without PORT: the links lead to that server.
    monkeypatch.delenv("PORT", raising=False)
    with app.app_context():
        assert mail.absolute_url("topics.home") == f"http://127.0.0.1:{server.port}/"
        assert mail.site_url("/sujet/3") == f"http://127.0.0.1:{server.port}/sujet/3"


def test_the_default_address_without_any_server(tmp_path, monkeypatch):
    monkeypatch.delenv("PORT", raising=False)
    assert served_address.default_server_name(str(tmp_path)) == "127.0.0.1:5000"
    served_address.remember(str(tmp_path), 5123)
    assert served_address.default_server_name(str(tmp_path)) == "127.0.0.1:5123"
    monkeypatch.setenv("PORT", "5077")             # the server's own process: its PORT wins
    assert served_address.default_server_name(str(tmp_path)) == "127.0.0.1:5077"
    monkeypatch.setenv("PORT", "beaucoup")
    assert served_address.default_server_name(str(tmp_path)) == "127.0.0.1:5123"
