"""/metrics for Prometheus (forum/web/metrics.py) and one log line per request
(forum/web/request_log.py): who may read the metrics, what they count, what the log lines hold
and what they never hold."""
import json
import logging
import re
from datetime import timedelta

from prometheus_client.parser import text_string_to_metric_families

from forum.clock import now
from forum.extensions import db
from forum.notifications.models import MAIL_CLAIMED, MAIL_PENDING, Notification

from .helpers import Browser


def samples(response):
    """{(name, frozenset(labels)): value} of a /metrics answer, parsed by prometheus_client."""
    found = {}
    for family in text_string_to_metric_families(response.get_data(as_text=True)):
        for sample in family.samples:
            found[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return found


def value(found, name, **labels):
    return found.get((name, frozenset(labels.items())), 0)


def test_the_machine_itself_reads_the_metrics_and_they_count_requests_by_route(app, client):
    before = samples(client.get("/metrics"))
    for _ in range(3):
        assert client.get("/aide").status_code == 200
    client.get("/sujet/999999")
    after = samples(client.get("/metrics"))
    route = dict(route="charter.help_page", method="GET", status="200")
    assert value(after, "agora_requests_total", **route) - value(before, "agora_requests_total", **route) == 3
    assert value(after, "agora_requests_total", route="topics.topic", method="GET", status="404") >= 1
    assert value(after, "agora_request_duration_seconds_count", route="charter.help_page") >= 3
    assert ("agora_emails_waiting", frozenset()) in after and ("agora_search_journal_lag_seconds", frozenset()) in after


def test_anyone_else_gets_a_404_unless_they_bring_the_token(app_factory):
    closed = app_factory()
    elsewhere = {"REMOTE_ADDR": "203.0.113.9"}
    assert closed.test_client().get("/metrics", environ_base=elsewhere).status_code == 404
    assert closed.test_client().get("/metrics", environ_base=elsewhere,
                                    headers={"Authorization": "Bearer "}).status_code == 404

    opened = app_factory(METRICS_TOKEN="jeton-de-supervision-2026")
    client = opened.test_client()
    assert client.get("/metrics", environ_base=elsewhere,
                      headers={"Authorization": "Bearer jeton-de-supervision-2026"}).status_code == 200
    for wrong in ("Bearer jeton-de-supervision-2025", "jeton-de-supervision-2026", "Basic jeton"):
        assert client.get("/metrics", environ_base=elsewhere, headers={"Authorization": wrong}).status_code == 404


def test_behind_a_trusted_proxy_the_clients_address_decides(app_factory):
    """nginx on the same machine forwards a remote client: the app must see the client's
    address (PROXY_COUNT=1), not the proxy's loopback one, and refuse."""
    app = app_factory(PROXY_COUNT=1)
    forwarded = app.test_client().get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"})
    assert forwarded.status_code == 404
    assert app.test_client().get("/metrics").status_code == 200


def test_emails_waiting_and_stuck_are_read_from_the_outbox(app, client, forum):
    member = forum.member("Nadia")
    with app.app_context():
        moment = now()
        db.session.add_all([
            Notification(member_id=member.id, kind="reply", mail_state=MAIL_PENDING, mail_due_at=moment),
            Notification(member_id=member.id, kind="reply", mail_state=MAIL_PENDING,
                         mail_due_at=moment - timedelta(hours=1)),
            Notification(member_id=member.id, kind="reply", mail_state=MAIL_CLAIMED,
                         mail_due_at=moment - timedelta(hours=1), mail_claimed_at=moment - timedelta(minutes=20)),
            Notification(member_id=member.id, kind="reply", mail_state="sent")])
        db.session.commit()
    found = samples(client.get("/metrics"))
    assert value(found, "agora_emails_waiting") == 3
    assert value(found, "agora_emails_stuck") == 2


def request_lines(caplog):
    return [record.getMessage() for record in caplog.records if record.name == "agora.requests"]


def test_one_json_line_per_request_with_the_member_hashed_and_no_path(app_factory, forum, caplog):
    app = app_factory(LOG_FORMAT="json")
    member = forum.member("Nadia-Secrète")
    browser = Browser(app.test_client())
    browser.login(member)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="agora.requests"):
        answer = browser.get("/membre/Nadia-Secrète")
        browser.get("/recherche?q=logement+Marseille")
    lines = [json.loads(line) for line in request_lines(caplog)]
    assert [line["route"] for line in lines] == ["accounts.profile", "search.results"]
    first = lines[0]
    assert set(first) == {"request_id", "method", "route", "status", "duration_ms", "member"}
    assert first["status"] == 200 and first["method"] == "GET" and first["duration_ms"] >= 0
    assert answer.headers["X-Request-Id"] == first["request_id"]
    assert re.fullmatch(r"[0-9a-f]{16}", first["member"]) and first["member"] == lines[1]["member"]
    everything = " ".join(request_lines(caplog))
    for secret in ("Nadia", "Marseille", "logement", "/membre", "127.0.0.1"):
        assert secret not in everything


def test_a_request_id_is_taken_from_a_trusted_proxy_only(app_factory, caplog):
    trusting = app_factory(PROXY_COUNT=1, LOG_FORMAT="json")
    answer = trusting.test_client().get("/aide", headers={"X-Request-Id": "0f3c2a9be1d04c5f"})
    assert answer.headers["X-Request-Id"] == "0f3c2a9be1d04c5f"
    odd = trusting.test_client().get("/aide", headers={"X-Request-Id": 'x", "forged": "1'})
    assert re.fullmatch(r"[0-9a-f]{32}", odd.headers["X-Request-Id"])
    direct = app_factory(LOG_FORMAT="json").test_client().get("/aide", headers={"X-Request-Id": "0f3c2a9be1d04c5f"})
    assert direct.headers["X-Request-Id"] != "0f3c2a9be1d04c5f"


def test_text_lines_for_make_run(app_factory, caplog):
    app = app_factory(LOG_FORMAT="text")
    with caplog.at_level(logging.INFO, logger="agora.requests"):
        app.test_client().get("/aide")
    assert re.fullmatch(r"GET charter\.help_page 200 \d+\.\d ms", request_lines(caplog)[-1])


def test_the_search_journals_lag_is_the_age_of_its_oldest_job(app_factory, forum):
    from sqlalchemy import update

    from search.models import SearchJob
    app = app_factory(SEARCH_DRAIN_AFTER_COMMIT=False)     # jobs wait for `flask search drain`
    forum = type(forum)(app)
    forum.topic(forum.member("Nadia"), forum.space("Logement"), "Un sujet pas encore indexé")
    with app.app_context():
        db.session.execute(update(SearchJob).values(created_at=now() - timedelta(minutes=5)))
        db.session.commit()
    found = samples(app.test_client().get("/metrics"))
    assert 300 <= value(found, "agora_search_journal_lag_seconds") < 400
    assert app.test_cli_runner().invoke(args=["search", "drain"]).exit_code == 0
    assert value(samples(app.test_client().get("/metrics")), "agora_search_journal_lag_seconds") == 0
