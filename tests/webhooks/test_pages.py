"""/coordination/webhooks: administrators only; bad input is a French error at its field (422),
never a 500; every form needs its CSRF token."""
import re

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import func, select

from forum.extensions import db
from forum.webhooks.models import FAILED, PENDING, TOPIC_CREATED, Webhook, WebhookDelivery

from ..helpers import Browser, text


def count(app, model=Webhook):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def as_admin(hooks_app, admin):
    browser = Browser(hooks_app.test_client())
    browser.login(admin)
    return browser


def form(url="https://hooks.example.org/agora", events=(TOPIC_CREATED,), **extra):
    return {"url": url, "name": "Chat de l'équipe", "events": list(events), "space_id": "", "submit": "1", **extra}


@pytest.mark.parametrize("who", ["member", "coordinator"])
def test_who_is_not_an_administrator_neither_sees_nor_changes_webhooks(hooks_app, forum, make_webhook, who):
    webhook = make_webhook("https://hooks.example.org/agora")
    browser = Browser(hooks_app.test_client())
    browser.login(forum.member(f"Qui-{who}", role=who))
    for path in ("/coordination/webhooks/", "/coordination/webhooks/nouveau", f"/coordination/webhooks/{webhook.id}",
                 f"/coordination/webhooks/{webhook.id}/modifier"):
        answer = browser.get(path)
        assert answer.status_code == 403 and webhook.secret not in text(answer)
    assert "webhooks" not in text(browser.get("/coordination/")).lower() or who == "member"
    for path, data in (("/coordination/webhooks/nouveau", form()),
                       (f"/coordination/webhooks/{webhook.id}/modifier", form(url="https://ailleurs.example.org/")),
                       (f"/coordination/webhooks/{webhook.id}/desactiver", {}),
                       (f"/coordination/webhooks/{webhook.id}/supprimer", {})):
        assert browser.post(path, data).status_code == 403
    with hooks_app.app_context():
        row = db.session.get(Webhook, webhook.id)
        assert (row.url, row.active) == ("https://hooks.example.org/agora", True)
    assert count(hooks_app) == 1
    anonymous = hooks_app.test_client().get("/coordination/webhooks/")
    assert anonymous.status_code == 302 and "/connexion" in anonymous.headers["Location"]


def test_an_administrator_creates_a_webhook_and_sees_its_secret(hooks_app, as_admin):
    assert "Webhooks" in text(as_admin.get("/coordination/"))
    answer = as_admin.post("/coordination/webhooks/nouveau", form())
    assert answer.status_code == 303
    page = text(as_admin.get(answer.headers["Location"]))
    with hooks_app.app_context():
        webhook = db.session.scalars(select(Webhook)).one()
        assert webhook.url == "https://hooks.example.org/agora" and webhook.event_list == [TOPIC_CREATED]
        assert re.fullmatch(r"[0-9a-f]{64}", webhook.secret) and webhook.secret in page
    assert "Sujet créé" in page and "X-Discourse-Event-Signature" in page
    listing = text(as_admin.get("/coordination/webhooks/"))
    assert "Chat de l'équipe" in listing and "https://hooks.example.org/agora" in listing and "actif" in listing
    edit = as_admin.get(f"/coordination/webhooks/{webhook.id}/modifier")
    assert edit.status_code == 200 and 'value="https://hooks.example.org/agora"' in edit.get_data(as_text=True)


@pytest.mark.parametrize("data,field,words", [
    (form(url="ftp://hooks.example.org/"), "url", "doit commencer par http"),
    (form(url="pas une adresse"), "url", "ni espace"),
    (form(url="https://" + "a" * 600 + ".org/"), "url", "trop longue"),
    (form(url="http://127.0.0.1:5000/"), "url", "réseau privé"),
    (form(url="https://moi:motdepasse@hooks.example.org/"), "url", "Pas d'identifiant"),
    (form(url="http://hooks.example.org:99999/"), "url", "pas valide"),
    (form(events=("topic_destroyed",)), "events", "Événement inconnu"),
    (form(events=()), "events", "au moins un événement"),
    (form(name="n" * 200), "name", "trop long"),
    (form(space_id="999999"), "space_id", "non public"),
    (form(space_id="1" * 40), "space_id", "non public"),
])
def test_bad_input_is_a_french_error_at_its_field(hooks_app, as_admin, data, field, words):
    hooks_app.config["WEBHOOK_ALLOW_PRIVATE_ADDRESSES"] = False
    answer = as_admin.post("/coordination/webhooks/nouveau", data)
    assert answer.status_code == 422
    page = text(answer)
    assert words in page and f'id="{field}-erreurs"' in page
    assert count(hooks_app) == 0


def test_a_public_space_is_no_scope(hooks_app, as_admin, forum):
    space = forum.space("Accueil")
    answer = as_admin.post("/coordination/webhooks/nouveau", form(space_id=str(space.id)))
    assert answer.status_code == 422 and "non public" in text(answer)


def test_every_form_needs_its_csrf_token(hooks_app, as_admin, make_webhook):
    webhook = make_webhook("https://hooks.example.org/agora")
    for path, data in (("/coordination/webhooks/nouveau", form()),
                       (f"/coordination/webhooks/{webhook.id}/modifier", form(url="https://ailleurs.example.org/")),
                       (f"/coordination/webhooks/{webhook.id}/desactiver", {}),
                       (f"/coordination/webhooks/{webhook.id}/supprimer", {})):
        assert as_admin.post(path, data, csrf=False).status_code == 400, path
    with hooks_app.app_context():
        row = db.session.get(Webhook, webhook.id)
        assert (row.url, row.active) == ("https://hooks.example.org/agora", True)
    assert count(hooks_app) == 1


def test_disable_enable_resend_and_delete_from_its_page(hooks_app, as_admin, forum, make_webhook, receiver):
    webhook = make_webhook(receiver.url, events=[TOPIC_CREATED])
    author = forum.member("Alice")
    forum.topic(author, forum.space("Accueil"))
    from forum.webhooks import sending
    with hooks_app.app_context():
        sending.deliver_due()
        delivery_id = db.session.scalar(select(WebhookDelivery.id))
    page = text(as_admin.get(f"/coordination/webhooks/{webhook.id}"))
    assert "Renvoyer" in page and "HTTP 200" in page and " ms" in page
    base = f"/coordination/webhooks/{webhook.id}"
    assert as_admin.post(f"{base}/envois/{delivery_id}/renvoyer", {"submit": "1"}, csrf=False).status_code == 400
    assert as_admin.post(f"{base}/envois/{delivery_id}/renvoyer", {"submit": "1"}).status_code == 303
    assert as_admin.post(f"{base}/envois/999999/renvoyer", {"submit": "1"}).status_code == 404
    with hooks_app.app_context():
        states = db.session.scalars(select(WebhookDelivery.state).order_by(WebhookDelivery.id)).all()
        assert states == ["delivered", PENDING]
        sending.deliver_due()
    assert len(receiver.requests) == 2 and receiver.requests[0][1] == receiver.requests[1][1]
    assert as_admin.post(f"{base}/desactiver", {"submit": "1"}).status_code == 303
    assert "Désactivé à la main" in text(as_admin.get(base))
    refused = as_admin.post(f"{base}/envois/{delivery_id}/renvoyer", {"submit": "1"})
    assert refused.status_code == 409 and "réactivez-le" in text(refused)
    assert as_admin.post(f"{base}/reactiver", {"submit": "1"}).status_code == 303
    with hooks_app.app_context():
        assert db.session.get(Webhook, webhook.id).active
    assert as_admin.post(f"{base}/supprimer", {"submit": "1"}).status_code == 303
    assert count(hooks_app) == 0 and count(hooks_app, WebhookDelivery) == 0
    assert as_admin.get(base).status_code == 404


def test_the_log_is_pruned_after_its_days(hooks_app, forum, make_webhook, receiver):
    from datetime import timedelta

    from forum.clock import now
    from forum.webhooks import sending
    make_webhook(receiver.url, events=[TOPIC_CREATED])
    forum.topic(forum.member("Alice"), forum.space("Accueil"))
    with hooks_app.app_context():
        sending.deliver_due()
        assert sending.deliver_due(now() + timedelta(days=29)).pruned == 0
        db.session.execute(db.update(WebhookDelivery).values(state=PENDING))     # waiting: kept
        db.session.commit()
        hooks_app.config["WEBHOOK_ALLOW_PRIVATE_ADDRESSES"] = False               # (so it fails, pending)
        assert sending.prune(now() + timedelta(days=31)) == 0
        db.session.execute(db.update(WebhookDelivery).values(state=FAILED))
        assert sending.prune(now() + timedelta(days=31)) == 1
        db.session.commit()


TEXTS = st.one_of(st.text(max_size=40), st.sampled_from(["\x00", "http://\x00", "https://[::1", "http://[zz]/",
                                                         "https://é.example/", "x" * 20000, "http://a:b@",
                                                         "javascript:alert(1)", "HTTP://EXAMPLE.ORG"]))


def test_no_input_makes_a_500(hooks_app, as_admin, make_webhook):
    webhook = make_webhook("https://hooks.example.org/agora")
    hooks_app.config["WEBHOOK_ALLOW_PRIVATE_ADDRESSES"] = False

    @settings(max_examples=40, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(url=TEXTS, name=TEXTS, events=st.lists(TEXTS, max_size=8), space=TEXTS, renew=TEXTS)
    def fuzz(url, name, events, space, renew):
        data = {"url": url, "name": name, "events": events, "space_id": space, "renew_secret": renew, "submit": "1"}
        for path in ("/coordination/webhooks/nouveau", f"/coordination/webhooks/{webhook.id}/modifier"):
            assert as_admin.post(path, data).status_code in (303, 400, 422)

    fuzz()


def test_the_demo_webhook_is_disabled_and_sends_nothing(demo_app):
    with demo_app.app_context():
        [webhook] = db.session.scalars(select(Webhook)).all()
        assert not webhook.active and webhook.url.startswith("https://messagerie.example.org/")
        assert db.session.scalar(select(func.count()).select_from(WebhookDelivery)) == 0
