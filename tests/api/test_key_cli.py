"""`flask api create-key`, `revoke-key`, `list-keys`: the key printed once, kept hashed."""
import re

from sqlalchemy import select

from forum.api.key_models import ApiKey
from forum.extensions import db

from ..helpers import snapshot


def run(app, *args):
    return app.test_cli_runner().invoke(args=["api", *args])


def current(app, key, username=None):
    headers = {"Api-Key": key, **({"Api-Username": username} if username else {})}
    return app.test_client().get("/session/current.json", headers=headers)


def test_an_administrator_makes_and_revokes_keys_from_the_command_line(app, forum):
    forum.member("Alice")
    made = run(app, "create-key", "--member", "alice", "--scope", "read", "--label", "Tableau")
    assert made.exit_code == 0, made.output + made.stderr
    key = made.stdout.strip()
    assert re.fullmatch(r"[0-9a-f]{64}", key) and "never shown again" in made.stderr
    assert key not in repr(snapshot(app))
    assert current(app, key).get_json()["current_user"]["username"] == "Alice"
    made = run(app, "create-key", "--global", "--scope", "write")
    global_key = made.stdout.strip()
    assert current(app, global_key, "Alice").get_json()["current_user"]["username"] == "Alice"
    with app.app_context():
        ids = db.session.scalars(select(ApiKey.id).order_by(ApiKey.id)).all()
    listed = run(app, "list-keys").stdout
    assert f"{ids[1]}\twrite\tactive" in listed and key not in listed and global_key not in listed
    assert "Tableau" in run(app, "list-keys", "--member", "Alice").stdout
    assert run(app, "revoke-key", str(ids[0])).exit_code == 0
    assert current(app, key).status_code == 403
    assert current(app, global_key, "Alice").status_code == 200
    assert "revoked" in run(app, "list-keys", "--member", "Alice").stdout


def test_the_commands_refuse_what_makes_no_sense(app, forum):
    forum.member("Alice")
    before = snapshot(app)
    for args in (["create-key", "--scope", "read"],                                   # neither
                 ["create-key", "--member", "Alice", "--global", "--scope", "read"],  # both
                 ["create-key", "--member", "Personne", "--scope", "read"],
                 ["create-key", "--member", "Alice", "--scope", "admin"],
                 ["create-key", "--member", "Alice", "--scope", "read", "--label", "x" * 101],
                 ["revoke-key", "999"], ["revoke-key", "-1"], ["list-keys", "--member", "Personne"]):
        result = run(app, *args)
        assert result.exit_code != 0, args
    assert snapshot(app) == before
    run(app, "create-key", "--member", "Alice", "--scope", "read")
    with app.app_context():
        key_id = db.session.scalar(select(ApiKey.id))
    assert run(app, "revoke-key", str(key_id)).exit_code == 0
    again = run(app, "revoke-key", str(key_id))
    assert again.exit_code == 1 and "déjà révoquée" in again.stderr
