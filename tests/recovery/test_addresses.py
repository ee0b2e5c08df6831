"""A new email address counts once the link sent to it is followed; the old one is told."""
import pytest

from forum.accounts import addresses
from forum.accounts.models import Member
from forum.errors import Forbidden
from forum.extensions import db

from ..helpers import PASSWORD, Browser, text
from .conftest import body, link_path, mails_to


def _ask(browser, address, password=PASSWORD):
    return browser.post("/preferences/adresse", {"email": address, "current_password": password, "submit": "1"})


def _email_of(app, member):
    with app.app_context():
        return db.session.get(Member, member.id).email


def test_an_address_changes_when_the_new_one_is_verified(forum, app, smtp):
    member = forum.member("Camille", email="camille@example.fr")
    browser = Browser(app.test_client())
    browser.login(member)
    assert "Changer d'adresse électronique" in text(browser.get("/preferences"))
    wrong = _ask(browser, "nouvelle@example.fr", "pas-le-bon")
    assert wrong.status_code == 422 and "actuel ne correspond pas" in text(wrong)
    assert 'value="nouvelle@example.fr"' in text(wrong)               # what was typed stays
    assert _ask(browser, "Nouvelle@Example.fr").status_code == 303
    [link_mail] = mails_to(smtp, "nouvelle@example.fr")
    [notice] = mails_to(smtp, "camille@example.fr")
    assert "nouvelle@example.fr" in body(notice) and "48 heures" in body(link_mail)
    assert _email_of(app, member) == "camille@example.fr"               # not before the link is followed

    link = link_path(link_mail)
    other = Browser(app.test_client())       # the link may be opened on another device
    page = other.get(link)
    assert page.status_code == 200 and "nouvelle@example.fr" in text(page)
    assert _email_of(app, member) == "camille@example.fr"               # a GET changes nothing
    assert other.post(link, {"submit": "1"}).status_code == 303
    assert _email_of(app, member) == "nouvelle@example.fr"
    changed = mails_to(smtp, "camille@example.fr", 2)[1]
    assert "désormais nouvelle@example.fr" in body(changed)
    again = other.post(link, {"submit": "1"})
    assert again.status_code == 410 and 'action="/preferences/adresse"' in text(again)
    assert Browser(app.test_client()).post("/connexion", {"login": "nouvelle@example.fr", "password": PASSWORD,
                                                          "submit": "1"}).status_code == 303
    assert Browser(app.test_client()).post("/connexion", {"login": "camille@example.fr", "password": PASSWORD,
                                                          "submit": "1"}).status_code == 401


def test_an_address_taken_by_another_account_gets_the_same_answer(forum, app, smtp):
    member = forum.member("Camille", email="camille@example.fr")
    forum.member("Dominique", email="dominique@example.fr")
    browser = Browser(app.test_client())
    browser.login(member)
    free = _ask(browser, "libre@example.fr")
    taken = _ask(browser, "dominique@example.fr")
    assert (free.status_code, free.headers["Location"]) == (taken.status_code, taken.headers["Location"]) == \
        (303, "/preferences")
    [warning] = mails_to(smtp, "dominique@example.fr")
    assert "reste la vôtre" in body(warning) and "http" not in body(warning)
    mails_to(smtp, "camille@example.fr", 2)                              # told of both requests
    assert len(mails_to(smtp, "libre@example.fr")) == 1
    assert _email_of(app, member) == "camille@example.fr"


def test_a_change_link_serves_48_hours(forum, app, smtp, later):
    member = forum.member("Camille", email="camille@example.fr")
    browser = Browser(app.test_client())
    browser.login(member)
    _ask(browser, "nouvelle@example.fr")
    link = link_path(mails_to(smtp, "nouvelle@example.fr")[0])
    later(hours=49)
    assert Browser(app.test_client()).post(link, {"submit": "1"}).status_code == 410
    assert _email_of(app, member) == "camille@example.fr"


def test_an_address_taken_meanwhile_is_refused_at_the_link(forum, app, smtp):
    member = forum.member("Camille", email="camille@example.fr")
    browser = Browser(app.test_client())
    browser.login(member)
    _ask(browser, "nouvelle@example.fr")
    link = link_path(mails_to(smtp, "nouvelle@example.fr")[0])
    forum.member("Rapide", email="nouvelle@example.fr")
    response = Browser(app.test_client()).post(link, {"submit": "1"})
    assert response.status_code == 409 and "autre compte" in text(response)
    assert _email_of(app, member) == "camille@example.fr"


def test_an_administrator_changes_an_address_and_both_are_told(forum, app, smtp):
    admin = forum.member("Admin", role="admin")
    member = forum.member("Camille", email="camille@example.fr")
    other = forum.member("Dominique")
    with app.app_context():
        addresses.change_email(db.session.get(Member, admin.id), db.session.get(Member, member.id),
                               "nouvelle@example.fr")
        with pytest.raises(Forbidden):
            addresses.change_email(db.session.get(Member, other.id), db.session.get(Member, member.id),
                                   "pirate@example.fr")
    assert "administration" in body(mails_to(smtp, "nouvelle@example.fr")[0])
    assert "administration" in body(mails_to(smtp, "camille@example.fr")[0])
    assert smtp.to("pirate@example.fr") == []
