"""A member deletes their own account: password, seven days of grace, a cancel link that works
once, the banner, ``flask accounts purge`` (due deletions and connection data)."""
import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from forum.accounts import deletion, erasure
from forum.accounts.deletion import DeletionRequest
from forum.accounts.models import Member, MemberSession
from forum.clock import now
from forum.extensions import db

from ..helpers import Browser, email_text, sent_emails, text


@pytest.fixture
def engine():
    return "whoosh"


def cancel_paths(app, address):
    """The cancel links emailed to ``address`` (mail files are not named in sending order)."""
    return {urlsplit(link).path for message in sent_emails(app, address)
            for link in re.findall(r"https?://\S+/suppression/annuler/\S+", email_text(message))}


def ask(browser, mode="anonymise", password="mot-de-passe-test"):
    return browser.post("/preferences/suppression", {"mode": mode, "password": password, "submit": "1"})


def test_a_wrong_password_or_no_choice_is_refused_and_nothing_is_scheduled(app, forum, client):
    member = forum.member("Karim")
    browser = Browser(client)
    browser.login(member)
    refused = ask(browser, password="pas le bon")
    assert refused.status_code == 422 and "Le mot de passe ne correspond pas." in text(refused)
    assert 'value="anonymise" checked' in text(refused) or "checked" in text(refused)   # the choice is kept
    assert ask(browser, mode="").status_code == 422
    assert ask(browser, mode="tout-effacer").status_code == 422
    with app.app_context():
        assert db.session.scalar(select(DeletionRequest.id)) is None
    assert sent_emails(app) == []


def test_the_cancel_link_works_once_and_not_after_the_deletion(app, forum, client):
    member = forum.member("Nadia.M", email="nadia@exemple.fr")
    browser = Browser(client)
    browser.login(member)
    assert ask(browser).status_code == 303
    assert ask(browser).status_code == 409                          # already scheduled
    page = text(client.get("/"))
    assert "La suppression de votre compte est programmée" in page and "Annuler la suppression" in page
    (path,) = cancel_paths(app, "nadia@exemple.fr")
    visitor = Browser(app.test_client())
    assert visitor.get(path).status_code == 200                     # a page with a button: nothing spent
    assert visitor.get(path).status_code == 200
    assert visitor.post(path, {"submit": "1"}).status_code == 303
    spent = visitor.post(path, {"submit": "1"})
    assert spent.status_code == 410 and "déjà servi" in text(spent)
    assert visitor.get(path).status_code == 410
    assert visitor.get(path + "x").status_code == 400
    assert "Annuler la suppression" not in text(client.get("/"))

    assert ask(browser, mode="remove").status_code == 303       # asked again, carried out this time
    (path,) = cancel_paths(app, "nadia@exemple.fr") - {path}
    with app.app_context():
        assert deletion.carry_out_due(now() + timedelta(days=6)) == 0   # not before seven days
        assert deletion.carry_out_due(now() + timedelta(days=7, minutes=1)) == 1
        erased = db.session.get(Member, member.id)
        assert erased.pseudonym == "Ancien membre 1"
        assert db.session.get(erasure.FormerMember, member.id).mode == "remove"
    late = visitor.post(path, {"submit": "1"})
    assert late.status_code == 410 and "déjà été supprimé" in text(late), re.findall(r"<li>.*?</li>", text(late))
    assert client.get("/preferences").status_code in (302, 401)     # the session is gone


def test_the_banner_button_cancels_and_only_ones_own(app, forum, client):
    member, other = forum.member("Membre1"), forum.member("Membre2")
    browser = Browser(client)
    browser.login(member)
    assert browser.post("/preferences/suppression/annuler").status_code == 404   # nothing to cancel
    assert ask(browser).status_code == 303
    second = Browser(app.test_client())
    second.login(other)
    assert second.post("/preferences/suppression/annuler").status_code == 404    # not someone else's
    browser.logout()
    browser.login(member)                                        # logging in during the grace period
    assert "Annuler la suppression" in text(client.get("/"))
    assert browser.post("/preferences/suppression/annuler").status_code == 303
    with app.app_context():
        assert deletion.pending_request(db.session.get(Member, member.id)) is None
        assert deletion.carry_out_due(now() + timedelta(days=30)) == 0


def test_purge_carries_out_due_deletions_and_forgets_old_connections(app, forum, client):
    leaving, staying = forum.member("Depart"), forum.member("Reste")
    Browser(client).login(leaving)
    Browser(app.test_client()).login(staying)
    recent = forum.member("Recent", last_seen_at=now())
    with app.app_context():
        request = DeletionRequest(member_id=leaving.id, mode="anonymise", token_hash="0" * 64,
                                  requested_at=now() - timedelta(days=8), due_at=now() - timedelta(days=1))
        db.session.add(request)
        db.session.flush()
        request_id = request.id
        old = now() - timedelta(days=app.config["CONNECTION_DATA_DAYS"] + 1)
        db.session.execute(MemberSession.__table__.update().where(MemberSession.member_id == staying.id)
                           .values(last_seen_at=old))
        db.session.execute(Member.__table__.update().where(Member.id == staying.id).values(last_seen_at=old))
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["accounts", "purge"])
    assert result.exit_code == 0, result.output
    assert "1 comptes supprimés" in result.output
    with app.app_context():
        assert db.session.get(Member, leaving.id).pseudonym == "Ancien membre 1"
        assert db.session.get(DeletionRequest, request_id).done_at is not None
        assert db.session.scalar(select(MemberSession.id).where(MemberSession.member_id == staying.id)) is None
        assert db.session.get(Member, staying.id).last_seen_at is None
        assert db.session.get(Member, recent.id).last_seen_at is not None
    again = app.test_cli_runner().invoke(args=["accounts", "purge"])
    assert "0 comptes supprimés" in again.output
