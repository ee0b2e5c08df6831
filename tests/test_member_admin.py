"""The coordination's member administration: the searchable list, deactivation (no login, no
live session), reactivation, an administrator's verified change of address, a reset link,
erasure on request, and every refusal."""
import re
import time
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from forum.accounts.models import Member
from forum.coordination import directory
from forum.extensions import db, socketio
from moderation.models import AuditEntry

from .helpers import PASSWORD, Browser, email_text, sent_emails, text


@pytest.fixture
def people(forum):
    pro, pa = forum.college("Professionnels"), forum.college("Personnes accompagnées", sensitive=True)
    c13, c06 = forum.committee("13", "Comité 13"), forum.committee("06", "Comité 06")
    return {
        "c13": c13, "c06": c06, "pro": pro, "pa": pa,
        "admin": forum.member("Admin-Agora", role="admin", email="admin@exemple.fr"),
        "coordo": forum.member("Coordination-PACA", role="coordinator", email="coordo@exemple.fr"),
        "karim": forum.member("Karim", college=pa, committees=[c13], email="karim@exemple.fr"),
        "nadia": forum.member("Nadia.M", college=pro, committees=[c13, c06], email="nadia@travail.fr"),
        "waiting": forum.member("Nouvelle", college=pro, confirmed=False, committees=[c06],
                                email="nouvelle@exemple.fr"),
        "mod": forum.moderator(c13, pseudonym="Mod-13", college=pro, committees=[c13], email="mod13@exemple.fr"),
    }


def _as(app, member):
    browser = Browser(app.test_client())
    browser.login(member)
    return browser


def _listed(response):
    assert response.status_code == 200
    return re.findall(r'<th scope="row"><a href="/coordination/membres/\d+">([^<]+)</a>', response.get_data(as_text=True))


def test_the_list_searches_and_filters(app, people):
    coordo = _as(app, people["coordo"])
    everyone = _listed(coordo.get("/coordination/membres"))
    assert set(everyone) == {"Admin-Agora", "Coordination-PACA", "Karim", "Nadia.M", "Nouvelle", "Mod-13"}
    page = text(coordo.get("/coordination/membres"))
    assert "karim@exemple.fr" in page and "Comité 13, Comité 06" in page and "à confirmer" in page
    assert _listed(coordo.get("/coordination/membres?q=nadi")) == ["Nadia.M"]
    assert _listed(coordo.get("/coordination/membres?q=TRAVAIL.fr")) == ["Nadia.M"]          # by address
    assert _listed(coordo.get("/coordination/membres?q=%25")) == []                         # no wildcard
    assert set(_listed(coordo.get(f"/coordination/membres?comite={people['c06'].id}"))) == {"Nadia.M", "Nouvelle"}
    assert _listed(coordo.get(f"/coordination/membres?college={people['pa'].id}")) == ["Karim"]
    assert _listed(coordo.get("/coordination/membres?etat=college-a-confirmer")) == ["Nouvelle"]
    assert _listed(coordo.get("/coordination/membres?role=admin")) == ["Admin-Agora"]
    assert _listed(coordo.get("/coordination/membres?role=moderator")) == ["Mod-13"]
    assert "karim" not in text(coordo.get("/coordination/membres?role=moderator")).lower()
    # Nonsense in the query string is ignored, never a 500.
    assert len(_listed(coordo.get("/coordination/membres?comite=x&college=-1&etat=zz&role=root&page=99999"))) == 6


def test_the_list_is_paginated(app, people, monkeypatch):
    monkeypatch.setattr(directory, "PER_PAGE", 4)
    coordo = _as(app, people["coordo"])
    first, second = coordo.get("/coordination/membres"), coordo.get("/coordination/membres?page=2")
    assert len(_listed(first)) == 4 and len(_listed(second)) == 2
    assert set(_listed(first)).isdisjoint(_listed(second))
    assert "Page 1 sur 2" in text(first) and 'href="/coordination/membres?page=2"' in first.get_data(as_text=True)
    filtered = coordo.get(f"/coordination/membres?comite={people['c13'].id}&q=a")
    assert "page=2" not in filtered.get_data(as_text=True)


@pytest.mark.parametrize("who", ["karim", "mod"])
def test_members_and_moderators_never_see_the_list_nor_act(app, people, who):
    browser = _as(app, people[who])
    target = people["nadia"].id
    for url in ("/coordination/membres", f"/coordination/membres/{target}/desactiver",
                f"/coordination/membres/{target}/reactiver", f"/coordination/membres/{target}/adresse"):
        assert browser.get(url).status_code == 403
    assert browser.post(f"/coordination/membres/{target}/desactiver", {"submit": "1"}).status_code == 403
    assert browser.post(f"/coordination/membres/{target}/adresse", {"email": "x@y.fr", "submit": "1"}).status_code == 403
    with app.app_context():
        row = db.session.get(Member, target)
        assert row.deactivated_at is None and row.email == "nadia@travail.fr"


def test_visitors_are_sent_to_log_in_and_pages_are_never_cached(app, people):
    assert app.test_client().get("/coordination/membres").status_code == 302
    response = _as(app, people["coordo"]).get("/coordination/membres")
    assert response.headers["Cache-Control"] == "private, no-store"


def test_deactivation_stops_login_and_ends_live_sessions(app, people):
    karim = _as(app, people["karim"])
    live = socketio.test_client(app, flask_test_client=karim.client)
    assert live.is_connected()
    coordo = _as(app, people["coordo"])
    page = coordo.get(f"/coordination/membres/{people['karim'].id}/desactiver")
    assert page.status_code == 200 and "Désactiver le compte" in text(page)
    assert coordo.post(f"/coordination/membres/{people['karim'].id}/desactiver", {}, csrf=False).status_code == 400
    done = coordo.post(f"/coordination/membres/{people['karim'].id}/desactiver", {"submit": "1"})
    assert done.status_code == 303
    assert "désactivé" in text(coordo.get(done.headers["Location"]))
    # The open browser is logged out, its live connection dropped; logging in again is refused.
    assert karim.get("/preferences").status_code == 302
    assert app.extensions["agora_realtime"].flush()
    assert not live.is_connected()
    again = Browser(app.test_client()).post("/connexion", {"login": "Karim", "password": PASSWORD, "submit": "1"})
    assert again.status_code == 403 and "désactivé" in text(again)
    assert app.config["CONTACT_EMAIL"] in text(again)   # whom to write to, without a page to find it on
    # A deactivated account gets no email: no reset link is offered for it.
    assert "lien-de-reinitialisation" not in coordo.get(f"/coordination/membres/{people['karim'].id}").get_data(as_text=True)
    assert _listed(coordo.get("/coordination/membres?etat=desactive")) == ["Karim"]
    twice = coordo.post(f"/coordination/membres/{people['karim'].id}/desactiver", {"submit": "1"})
    assert twice.status_code == 409
    # Reactivated: the password works again. Both acts are in the audit log.
    assert coordo.post(f"/coordination/membres/{people['karim'].id}/reactiver", {"submit": "1"}).status_code == 303
    _as(app, people["karim"])
    with app.app_context():
        logged = db.session.scalars(select(AuditEntry.action).where(AuditEntry.target_id == people["karim"].id)
                                    .order_by(AuditEntry.id)).all()
        assert logged == ["member_deactivated", "member_reactivated"]
        assert db.session.scalars(select(AuditEntry)).first().actor_id == people["coordo"].id


def test_a_coordinator_cannot_deactivate_an_administrator_nor_themselves(app, people):
    coordo = _as(app, people["coordo"])
    for target, why in ((people["admin"], "administrateur"), (people["coordo"], "propre compte")):
        page = coordo.get(f"/coordination/membres/{target.id}/desactiver")
        assert page.status_code == 403 and why in text(page) and 'class="danger"' not in text(page)
        refused = coordo.post(f"/coordination/membres/{target.id}/desactiver", {"submit": "1"})
        assert refused.status_code == 403 and why in text(refused)
    with app.app_context():
        assert db.session.get(Member, people["admin"].id).deactivated_at is None
        assert db.session.get(Member, people["coordo"].id).deactivated_at is None
    # An administrator may deactivate a coordinator, but not themselves either.
    admin = _as(app, people["admin"])
    assert admin.post(f"/coordination/membres/{people['admin'].id}/desactiver", {"submit": "1"}).status_code == 403
    assert admin.post(f"/coordination/membres/{people['coordo'].id}/desactiver", {"submit": "1"}).status_code == 303


def _emails(app, address, count=1):
    """The emails to ``address`` once ``count`` arrived (account emails leave from a thread)."""
    deadline = time.monotonic() + 10
    while len(found := sent_emails(app, address)) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    return found


def test_an_administrator_changes_an_address_once_the_new_one_is_verified(app, people):
    admin = _as(app, people["admin"])
    url = f"/coordination/membres/{people['nadia'].id}/adresse"
    assert "nadia@travail.fr" in text(admin.get(url))
    bad = admin.post(url, {"email": "pas une adresse", "submit": "1"})
    assert bad.status_code == 422 and 'value="pas une adresse"' in bad.get_data(as_text=True)
    assert admin.post(url, {"email": "Nadia.Martin@Exemple.fr", "submit": "1"}).status_code == 303
    [link] = _emails(app, "nadia.martin@exemple.fr")
    [notice] = _emails(app, "nadia@travail.fr")
    assert "administration" in email_text(notice)
    with app.app_context():   # nothing changes before the new address answers
        assert db.session.get(Member, people["nadia"].id).email == "nadia@travail.fr"
    path = urlsplit(re.search(r"https?://\S+/preferences/adresse/confirmer/\S+", email_text(link)).group(0)).path
    follower = Browser(app.test_client())
    assert follower.get(path).status_code == 200
    assert follower.post(path, {"submit": "1"}).status_code == 303
    login = Browser(app.test_client()).post("/connexion", {"login": "nadia.martin@exemple.fr", "password": PASSWORD,
                                                           "submit": "1"})
    assert login.status_code == 303                                        # the new address logs in
    with app.app_context():
        assert db.session.scalars(select(AuditEntry.action)).all() == ["member_email_change_sent"]


def test_an_address_taken_by_another_account_changes_nothing(app, people):
    admin = _as(app, people["admin"])
    url = f"/coordination/membres/{people['nadia'].id}/adresse"
    assert admin.post(url, {"email": "Karim@exemple.fr", "submit": "1"}).status_code == 303
    assert len(_emails(app, "karim@exemple.fr")) == 1                       # its owner is told
    with app.app_context():
        assert db.session.get(Member, people["nadia"].id).email == "nadia@travail.fr"


def test_the_coordination_sends_a_reset_link(app, people):
    coordo = _as(app, people["coordo"])
    url = f"/coordination/membres/{people['karim'].id}/lien-de-reinitialisation"
    assert "valable une heure" in text(coordo.get(url))
    assert coordo.post(url, {"submit": "1"}).status_code == 303
    [message] = _emails(app, "karim@exemple.fr")
    assert "/connexion/nouveau-mot-de-passe/" in email_text(message)
    admin_url = f"/coordination/membres/{people['admin'].id}/lien-de-reinitialisation"
    assert coordo.post(admin_url, {"submit": "1"}).status_code == 403      # never an administrator's
    assert _as(app, people["mod"]).post(url, {"submit": "1"}).status_code == 403
    with app.app_context():
        assert db.session.scalars(select(AuditEntry.action)).all() == ["member_reset_link_sent"]


def test_the_coordination_erases_an_account_on_request(app, people):
    coordo = _as(app, people["coordo"])
    url = f"/coordination/membres/{people['karim'].id}/effacer"
    missing = coordo.post(url, {"submit": "1"})
    assert missing.status_code == 422 and "Choisissez ce que deviennent" in text(missing)
    assert coordo.post(f"/coordination/membres/{people['coordo'].id}/effacer",
                       {"mode": "anonymise", "submit": "1"}).status_code == 403   # not one's own
    assert coordo.post(f"/coordination/membres/{people['admin'].id}/effacer",
                       {"mode": "anonymise", "submit": "1"}).status_code == 403   # nor an administrator's
    assert _as(app, people["mod"]).post(url, {"mode": "anonymise", "submit": "1"}).status_code == 403
    assert coordo.post(url, {"mode": "anonymise", "submit": "1"}).status_code == 303
    with app.app_context():
        karim = db.session.get(Member, people["karim"].id)
        assert karim.pseudonym.startswith("Ancien membre") and "karim" not in karim.email
        assert db.session.scalars(select(AuditEntry.action)).all() == ["member_erased"]
    assert "Ancien membre" in text(coordo.get(f"/coordination/membres/{people['karim'].id}"))
    assert coordo.post(url, {"mode": "anonymise", "submit": "1"}).status_code == 409  # once


def test_a_coordinator_cannot_change_an_address(app, people):
    coordo = _as(app, people["coordo"])
    url = f"/coordination/membres/{people['nadia'].id}/adresse"
    page = coordo.get(url)
    assert page.status_code == 403 and "Seul un administrateur" in text(page)
    assert coordo.post(url, {"email": "autre@exemple.fr", "submit": "1"}).status_code == 403
    assert "Changer l'adresse" not in text(coordo.get(f"/coordination/membres/{people['nadia'].id}"))
    assert sent_emails(app) == []


def test_unknown_members_are_404(app, people):
    coordo = _as(app, people["coordo"])
    for action in ("desactiver", "reactiver", "adresse"):
        assert coordo.get(f"/coordination/membres/999999/{action}").status_code == 404


def test_the_member_page_shows_the_account_and_its_reserved_places(app, people):
    page = text(_as(app, people["admin"]).get(f"/coordination/membres/{people['karim'].id}"))
    assert "Compte" in page and "Désactiver le compte…" in page and "Changer l'adresse…" in page
    assert "Comité 13" in page and "Dernière visite" in page
