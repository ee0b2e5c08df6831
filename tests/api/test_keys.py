"""API keys (issue 22, « Authentication »): made on the settings page or from the command line,
kept hashed, presented in Discourse's ``Api-Key`` / ``Api-Username`` headers, refused in
Discourse's shape, scoped, revocable, limited per key, dying with their member."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.accounts import deactivation, erasure, portability
from forum.accounts.models import Member
from forum.api import keys
from forum.api.key_models import ApiKey
from forum.clock import now
from forum.extensions import db
from forum.topics.models import Post

from ..helpers import Forum, snapshot, text

KEY = re.compile(r'id="cle-api" type="text" readonly value="([0-9a-f]{64})"')


@pytest.fixture
def world(forum):
    space = forum.space("Thème public")
    alice, bob = forum.member("Alice"), forum.member("Bob")
    topic = forum.topic(alice, space, "Un sujet ouvert")
    admin = forum.member("Admin", role="admin")
    return {"space": space, "alice": alice, "bob": bob, "topic": topic, "admin": admin}


def make_key(browser, scope="read", label="Mon robot"):
    page = browser.post("/preferences/cles-api", {"label": label, "scope": scope, "submit": "1"})
    assert page.status_code == 200, text(page)[:2000]
    return KEY.search(page.get_data(as_text=True)).group(1)


def with_key(key, username=None):
    headers = {"Api-Key": key}
    if username is not None:
        headers["Api-Username"] = username
    return headers


def as_json(client, path, key, username=None, method="get", **kwargs):
    return getattr(client, method)(path, headers=with_key(key, username), **kwargs)


def assert_refused(answer, status=403, error_type="invalid_access"):
    assert answer.status_code == status, answer.get_data(as_text=True)[:2000]
    body = answer.get_json()
    assert body["error_type"] == error_type and isinstance(body["errors"], list) and body["errors"][0]


def key_rows(app):
    with app.app_context():
        rows = db.session.scalars(select(ApiKey).order_by(ApiKey.id)).all()
        db.session.expunge_all()
        return rows


def test_a_key_is_shown_once_kept_hashed_and_authenticates(app, login, world):
    browser = login(world["alice"])
    assert "Clés d'API" in text(browser.get("/preferences"))
    assert "Vous n'avez encore aucune clé." in text(browser.get("/preferences/cles-api"))
    key = make_key(browser)
    page = text(browser.get("/preferences/cles-api"))
    assert "Mon robot" in page and "jamais utilisée" in page and key not in page
    # Only the hash is anywhere in the database.
    assert key not in repr(snapshot(app))
    (row,) = key_rows(app)
    assert row.key_hash == keys.key_hash(key) and row.member_id == world["alice"].id and row.scope == "read"
    # A tool without any cookie, as Discourse's clients send it.
    answer = as_json(app.test_client(), "/session/current.json", key, "Alice")
    assert answer.status_code == 200
    user = answer.get_json()["current_user"]
    assert user["id"] == world["alice"].id and user["username"] == "Alice" and "avatar_template" in user
    assert "alice@" not in answer.get_data(as_text=True) and "email" not in user
    # Without Api-Username, a member's key acts as its member; the name is compared case-folded.
    assert as_json(app.test_client(), "/session/current.json", key).get_json()["current_user"]["username"] == "Alice"
    assert as_json(app.test_client(), "/session/current.json", key, "alice").status_code == 200
    assert key_rows(app)[0].last_used_at is not None
    assert "dernière utilisation le" in text(browser.get("/preferences/cles-api"))


def test_the_current_session_is_404_for_a_visitor_and_the_member_for_a_session(app, login, world):
    assert_refused(app.test_client().get("/session/current.json"), 404, "not_found")
    answer = login(world["bob"]).get("/session/current.json")
    assert answer.status_code == 200 and answer.get_json()["current_user"]["username"] == "Bob"


def test_bad_revoked_or_another_members_keys_are_refused(app, login, world):
    alice = login(world["alice"])
    key = make_key(alice)
    client = app.test_client()
    assert_refused(as_json(client, "/session/current.json", key, "Bob"))           # Alice's key, Bob's name
    assert_refused(as_json(client, "/session/current.json", "0" * 64))             # unknown
    assert_refused(as_json(client, "/session/current.json", "pas-une-clé"))        # malformed
    assert_refused(as_json(client, "/session/current.json", ""))
    assert_refused(as_json(client, "/t/1.json", key, "Bob"))                       # before the view, any path
    # Bob cannot revoke it (not found); Alice can, once.
    (row,) = key_rows(app)
    bob = login(world["bob"])
    assert bob.post(f"/preferences/cles-api/{row.id}/revoquer", {"submit": "1"}).status_code == 404
    assert key_rows(app)[0].revoked_at is None
    assert alice.post(f"/preferences/cles-api/{row.id}/revoquer", {"submit": "1"}, csrf=False).status_code == 400
    assert key_rows(app)[0].revoked_at is None
    assert alice.post(f"/preferences/cles-api/{row.id}/revoquer", {"submit": "1"}).status_code == 303
    assert "révoquée le" in text(alice.get("/preferences/cles-api"))
    assert_refused(as_json(client, "/session/current.json", key, "Alice"))
    assert_refused(as_json(client, "/session/current.json", key))
    assert alice.post(f"/preferences/cles-api/{row.id}/revoquer", {"submit": "1"}).status_code == 409


def test_a_read_key_cannot_write_and_writes_nothing(app, login, world):
    key = make_key(login(world["alice"]), scope="read")
    before = snapshot(app)
    for method in ("post", "put", "delete", "patch"):
        answer = getattr(app.test_client(), method)(
            f"/sujet/{world['topic'].id}/repondre", data={"body": "Écrit par une clé de lecture.", "submit": "1"},
            headers={**with_key(key), "Accept": "application/json"})
        assert_refused(answer)
        assert "lecture" in answer.get_json()["errors"][0]
    assert snapshot(app) == before


def test_a_write_key_writes_as_its_member_without_csrf_token(app, login, world):
    key = make_key(login(world["alice"]), scope="write")
    answer = app.test_client().post(f"/sujet/{world['topic'].id}/repondre", headers=with_key(key, "Alice"),
                                    data={"body": "Écrit par mon robot.", "submit": "1"})
    assert answer.status_code in (302, 303), text(answer)[:2000]
    with app.app_context():
        post = db.session.scalars(select(Post).where(Post.source == "Écrit par mon robot.")).one()
        assert post.author_id == world["alice"].id


def test_a_session_cookie_without_csrf_token_is_refused_even_as_json(app, login, world):
    browser = login(world["alice"])
    before = snapshot(app)
    path = f"/sujet/{world['topic'].id}/repondre"
    answer = browser.client.post(path, json={"body": "Sans jeton.", "submit": "1"},
                                 headers={"Accept": "application/json"})
    assert answer.status_code == 400 and answer.get_json()["error_type"] == "invalid_parameters"
    assert browser.client.post(path, data={"body": "Sans jeton.", "submit": "1"}).status_code == 400
    assert snapshot(app) == before


def test_a_key_request_ignores_the_session_cookie(app, login, world):
    key = make_key(login(world["bob"]), scope="write")
    alice = login(world["alice"])            # the same client holds Alice's session cookie
    answer = alice.client.get("/session/current.json", headers=with_key(key))
    assert answer.get_json()["current_user"]["username"] == "Bob"
    assert "Set-Cookie" not in answer.headers
    # A bad key does not fall back on the cookie.
    assert_refused(alice.client.get("/session/current.json", headers=with_key("f" * 64)))
    # And the cookie still works alone.
    assert alice.get("/session/current.json").get_json()["current_user"]["username"] == "Alice"


def test_query_parameter_keys_are_refused(app, login, world):
    key = make_key(login(world["alice"]))
    assert_refused(app.test_client().get(f"/session/current.json?api_key={key}&api_username=Alice"),
                   400, "invalid_parameters")
    assert_refused(app.test_client().get("/session/current.json?api_username=Alice"), 400, "invalid_parameters")


def test_a_global_key_acts_as_the_member_named(app, act, world):
    _row, key = act(keys.create_by_administrator, "write", "Intégration", None)
    client = app.test_client()
    for name in ("Bob", "Alice"):
        assert as_json(client, "/session/current.json", key, name).get_json()["current_user"]["username"] == name
    assert_refused(as_json(client, "/session/current.json", key))                 # no Api-Username
    assert_refused(as_json(client, "/session/current.json", key, "Personne"))     # nobody of that name
    for odd in ("Bob\x00", "\x00", "B" * 5000, "Bob\x7f", "é" * 60):      # never a 500, on any database
        assert_refused(as_json(client, "/session/current.json", key, odd))
    answer = client.post(f"/sujet/{world['topic'].id}/repondre", headers=with_key(key, "Bob"),
                         data={"body": "Bob, par la clé globale.", "submit": "1"})
    assert answer.status_code in (302, 303)
    with app.app_context():
        assert db.session.scalars(select(Post.author_id).where(Post.source == "Bob, par la clé globale.")).one() \
            == world["bob"].id


def test_a_suspended_members_key_gets_what_the_member_may(app, login, world):
    key = make_key(login(world["bob"]), scope="write")
    with app.app_context():
        db.session.get(Member, world["bob"].id).suspended_until = now() + timedelta(days=2)
        db.session.commit()
    # Suspended: a visitor's rights (Flask-Login's is_authenticated is is_active), so nothing written.
    assert_refused(as_json(app.test_client(), "/session/current.json", key), 404, "not_found")
    before = snapshot(app)      # after the key's first use (noted at most once a minute)
    answer = app.test_client().post(f"/sujet/{world['topic'].id}/repondre", headers=with_key(key),
                                    data={"body": "Pendant la suspension.", "submit": "1"})
    assert answer.status_code == 302 and "/connexion" in answer.headers["Location"]
    assert snapshot(app) == before


def test_keys_die_with_deactivation_and_erasure(app, act, login, world):
    key = make_key(login(world["bob"]))
    act(deactivation.deactivate, world["admin"], world["bob"])
    (row,) = key_rows(app)
    assert row.revoked_at is not None
    act(deactivation.reactivate, world["admin"], world["bob"])
    assert_refused(as_json(app.test_client(), "/session/current.json", key))     # stays revoked
    other = make_key(login(world["alice"]))
    _row, global_key = act(keys.create_by_administrator, "read", "", None)
    act(erasure.anonymise, world["alice"], world["admin"])
    assert [r.member_id for r in key_rows(app)] == [world["bob"].id, None]
    assert_refused(as_json(app.test_client(), "/session/current.json", other))
    # A global key acts as nobody erased, whatever name is given.
    with app.app_context():
        former = db.session.get(Member, world["alice"].id).pseudonym
    assert_refused(as_json(app.test_client(), "/session/current.json", global_key, former))


def test_each_key_has_its_rate_limit(app_factory):
    check_rate_limit(app_factory(RATELIMIT_ENABLED=True, RATELIMIT_API_KEY="3 per minute"))


def test_the_rate_limit_counts_in_redis_for_every_process(app_factory, redis_url):
    import redis   # only this test needs Redis's client
    server = redis.Redis.from_url(redis_url)
    for name in server.scan_iter("*LIMITER/api-key/*"):   # counts of an earlier run (key ids repeat)
        server.delete(name)
    check_rate_limit(app_factory(RATELIMIT_ENABLED=True, RATELIMIT_API_KEY="3 per minute",
                                 RATELIMIT_STORAGE_URI=redis_url))


def check_rate_limit(app):
    alice = Forum(app).member("Alice")
    with app.app_context():
        (_row, first), (_other, second) = (keys.create(db.session.get(Member, alice.id), "read") for _ in range(2))
    client = app.test_client()
    for _ in range(3):
        assert as_json(client, "/session/current.json", first).status_code == 200
    refused = as_json(client, "/session/current.json", first)
    assert_refused(refused, 429, "rate_limit")
    assert 1 <= int(refused.headers["Retry-After"]) <= 61
    assert as_json(client, "/session/current.json", second).status_code == 200     # its own count


def test_last_use_is_written_at_most_once_a_minute(app, login, world):
    key = make_key(login(world["alice"]))
    with app.app_context():
        db.session.get(Member, world["alice"].id).last_seen_at = None
        db.session.commit()
    as_json(app.test_client(), "/session/current.json", key)
    first = key_rows(app)[0].last_used_at
    as_json(app.test_client(), "/session/current.json", key)
    assert key_rows(app)[0].last_used_at == first
    with app.app_context():
        db.session.get(ApiKey, key_rows(app)[0].id).last_used_at = first - timedelta(minutes=2)
        db.session.commit()
    as_json(app.test_client(), "/session/current.json", key)
    assert key_rows(app)[0].last_used_at > first - timedelta(minutes=1)
    # A tool's use is not the member's visit: their notification emails are not held back by it.
    with app.app_context():
        assert db.session.get(Member, world["alice"].id).last_seen_at is None


def test_bad_form_input_is_422_and_the_number_of_keys_is_limited(app, act, login, world):
    browser = login(world["alice"])
    answer = browser.post("/preferences/cles-api", {"label": "x", "scope": "admin", "submit": "1"})
    assert answer.status_code == 422 and "lire et écrire" in text(answer)
    answer = browser.post("/preferences/cles-api", {"label": "x" * 101, "scope": "read", "submit": "1"})
    assert answer.status_code == 422 and "100 caractères" in text(answer)
    assert key_rows(app) == []
    for _ in range(keys.MAX_LIVE_KEYS):
        act(keys.create, world["alice"], "read", "")
    answer = browser.post("/preferences/cles-api", {"label": "Une de trop", "scope": "read", "submit": "1"})
    assert answer.status_code == 409 and len(key_rows(app)) == keys.MAX_LIVE_KEYS


@pytest.mark.parametrize("configured", ["", "https://outil.example.org https://autre.example.org"])
def test_no_cors_headers_unless_the_origin_is_configured(app_factory, configured):
    app = app_factory(API_CORS_ORIGINS=configured)
    alice = Forum(app).member("Alice")
    with app.app_context():
        _row, key = keys.create(db.session.get(Member, alice.id), "read")
    client = app.test_client()
    for origin in ("https://outil.example.org", "https://ailleurs.example.org"):
        answer = client.get("/session/current.json", headers={**with_key(key), "Origin": origin})
        assert answer.status_code == 200
        allowed = configured and origin == "https://outil.example.org"
        assert answer.headers.get("Access-Control-Allow-Origin") == (origin if allowed else None)
        assert "Access-Control-Allow-Credentials" not in answer.headers
        preflight = client.options("/session/current.json", headers={
            "Origin": origin, "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "api-key"})
        assert preflight.headers.get("Access-Control-Allow-Origin") == (origin if allowed else None)
    # A page elsewhere never gets them for the pages themselves.
    assert "Access-Control-Allow-Origin" not in client.get("/", headers={"Origin": "https://outil.example.org"}).headers


def test_the_members_keys_are_in_their_archive_without_the_key(app, act, login, world):
    key = make_key(login(world["alice"]), label="Tableau de bord")
    content = act(portability.collect, world["alice"])
    (entry,) = content["cles-api"]
    assert entry["label"] == "Tableau de bord" and entry["scope"] == "read" and entry["revoked_at"] is None
    assert key not in repr(content) and keys.key_hash(key) not in repr(content)
    assert act(portability.collect, world["bob"])["cles-api"] == []


def test_a_label_with_control_characters_is_cleaned_never_a_500(app, login, world):
    browser = login(world["alice"])
    make_key(browser, label="Robot\x00 du\tcomité\x7f")
    (row,) = key_rows(app)
    assert row.label == "Robot du comité"


def test_a_staff_key_waits_for_two_step_login_where_it_is_required(app_factory):
    app = app_factory(TWO_STEP_REQUIRED_FOR_STAFF=True)
    admin = Forum(app).member("Admin", role="admin")
    with app.app_context():
        _row, key = keys.create_by_administrator("read", "", db.session.get(Member, admin.id))
    answer = as_json(app.test_client(), "/session/current.json", key)
    assert answer.status_code == 303 and "/preferences/deux-etapes" in answer.headers["Location"]
