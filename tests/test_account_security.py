"""The leaks of the hardening pass around accounts: where `next` may send a member, sessions
that outlive a logout, what registration tells about an address, cookies over HTTPS."""
import re

import pytest

from .helpers import PASSWORD, Browser, text

OFF_SITE = ["https://evil.example/", "//evil.example/", "/\\evil.example", "/\t/evil.example",
            "javascript:alert(1)", "evil.example"]


@pytest.mark.parametrize("target", OFF_SITE)
def test_accepting_the_charter_never_redirects_off_site(forum, browser, target):
    forum.charter()
    browser.login(forum.member("Camille", accept_charter=False))
    response = browser.post("/reglement/accepter?" + _query(target), {"submit": "1"})
    assert response.status_code == 303 and response.headers["Location"] == "/"


def test_accepting_the_charter_goes_back_to_a_page_of_the_site(forum, browser):
    forum.charter()
    browser.login(forum.member("Camille", accept_charter=False))
    response = browser.post("/reglement/accepter?next=/aide", {"submit": "1"})
    assert response.headers["Location"] == "/aide"


@pytest.mark.parametrize("target", OFF_SITE)
def test_the_login_form_never_carries_an_off_site_next(forum, browser, target):
    page = browser.get("/connexion?" + _query(target)).get_data(as_text=True)
    assert "evil" not in page and "javascript:" not in page
    forum.member("Camille")
    response = browser.post("/connexion", {"login": "camille", "password": PASSWORD, "next": target,
                                           "submit": "1"})
    assert response.headers["Location"] == "/"


def _query(target):
    from urllib.parse import urlencode
    return urlencode({"next": target})


def _login_cookies(app, member, **headers):
    browser = Browser(app.test_client())
    response = browser.client.post("/connexion", data={"login": member.pseudonym, "password": PASSWORD,
                                                       "remember": "y", "submit": "1"}, headers=headers)
    assert response.status_code == 303
    return [c for c in response.headers.getlist("Set-Cookie") if c.startswith(("session=", "remember_token="))]


def test_cookies_are_secure_when_a_trusted_proxy_says_https(app_factory):
    app = app_factory(PROXY_COUNT=1, WTF_CSRF_ENABLED=False)
    from .helpers import Forum
    member = Forum(app).member("Camille")
    cookies = _login_cookies(app, member, **{"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"})
    assert len(cookies) == 2 and all("; Secure" in c for c in cookies)
    plain = _login_cookies(app, member, **{"X-Forwarded-Proto": "http"})
    assert plain and not any("Secure" in c for c in plain)


def test_forwarded_headers_are_ignored_without_a_trusted_proxy(app_factory):
    app = app_factory(WTF_CSRF_ENABLED=False)
    from .helpers import Forum
    member = Forum(app).member("Camille")
    assert not any("Secure" in c for c in _login_cookies(app, member, **{"X-Forwarded-Proto": "https"}))


def test_cookies_are_secure_by_default_for_any_host_but_this_machine(app_factory):
    app = app_factory(WTF_CSRF_ENABLED=False)
    from .helpers import Forum
    member = Forum(app).member("Camille")
    cookies = _login_cookies(app, member, Host="agora.example.org")
    assert len(cookies) == 2 and all("; Secure" in c for c in cookies)


def test_cookies_follow_an_explicit_setting(app_factory):
    app = app_factory(WTF_CSRF_ENABLED=False, SESSION_COOKIE_SECURE=False)
    from .helpers import Forum
    member = Forum(app).member("Camille")
    assert not any("Secure" in c for c in _login_cookies(app, member, Host="agora.example.org"))


@pytest.mark.parametrize("proxies, statuses", [(0, [401, 401, 429]), (1, [401, 401, 401])])
def test_a_forged_forwarded_address_changes_the_rate_limit_key_only_behind_a_trusted_proxy(
        app_factory, proxies, statuses):
    app = app_factory(RATELIMIT_ENABLED=True, RATELIMIT_LOGIN="2 per minute", PROXY_COUNT=proxies,
                      WTF_CSRF_ENABLED=False)
    client = app.test_client()
    # A different account each time: only the per-address limit can answer 429.
    seen = [client.post("/connexion", data={"login": f"personne{i}", "password": "faux", "submit": "1"},
                        headers={"X-Forwarded-For": f"198.51.100.{i}"}).status_code for i in range(3)]
    assert seen == statuses


# --- sessions ---------------------------------------------------------------------------------

def _copy_cookies(source, target):
    for cookie in source.client._cookies.values():
        target.client.set_cookie(cookie.key, cookie.value, domain=cookie.domain, path=cookie.path)


def test_a_copied_session_cookie_dies_with_the_logout(forum, app):
    member = forum.member("Camille")
    original, thief = Browser(app.test_client()), Browser(app.test_client())
    original.client.post("/connexion", data={"login": "camille", "password": PASSWORD, "remember": "y",
                                              "submit": "1", "csrf_token": original.token()})
    _copy_cookies(original, thief)
    assert "Se déconnecter" in text(thief.get("/"))
    assert original.logout().status_code == 303
    assert "Se connecter" in text(thief.get("/")) and thief.get("/preferences").status_code == 302
    assert member.id


def test_logging_out_on_one_device_keeps_the_others(forum, app):
    member = forum.member("Camille")
    phone, laptop = Browser(app.test_client()), Browser(app.test_client())
    phone.login(member)
    laptop.login(member)
    phone.logout()
    assert "Se déconnecter" in text(laptop.get("/"))


def _client(app, user_agent):
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = user_agent
    return client


def test_a_member_sees_and_ends_their_other_sessions(forum, app):
    member = forum.member("Camille")
    here = Browser(_client(app, "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"))
    phone = Browser(_client(app, "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36"))
    tablet = Browser(app.test_client())
    for browser in (here, phone, tablet):
        browser.login(member)
    page = text(here.get("/preferences"))
    assert "Vos sessions" in page and "Firefox, Linux</strong> (cette session)" in page and "Chrome, Android" in page
    assert page.count(">Mettre fin<span") == 2 and "Fermer toutes les autres sessions" in page
    with app.app_context():
        from forum.accounts import sessions
        from forum.accounts.models import Member
        from forum.extensions import db
        phone_id = next(s.id for s in sessions.sessions_of(db.session.get(Member, member.id))
                        if s.device == "Chrome, Android")
    assert here.post(f"/preferences/sessions/{phone_id}/fin").status_code == 303
    assert "Se connecter" in text(phone.get("/")) and "Se déconnecter" in text(tablet.get("/"))
    assert here.post(f"/preferences/sessions/{phone_id}/fin").status_code == 404
    assert here.post("/preferences/sessions/fin-des-autres").status_code == 303
    assert "Se connecter" in text(tablet.get("/")) and "Se déconnecter" in text(here.get("/"))


def test_a_member_cannot_end_someone_elses_session(forum, app):
    camille, dominique = forum.member("Camille"), forum.member("Dominique")
    theirs, mine = Browser(app.test_client()), Browser(app.test_client())
    theirs.login(camille)
    mine.login(dominique)
    with app.app_context():
        from forum.accounts import sessions
        from forum.accounts.models import Member
        from forum.extensions import db
        target = sessions.sessions_of(db.session.get(Member, camille.id))[0].id
    assert mine.post(f"/preferences/sessions/{target}/fin").status_code == 404
    assert "Se déconnecter" in text(theirs.get("/"))


def test_the_database_keeps_no_session_secret(forum, app):
    member = forum.member("Camille")
    browser = Browser(app.test_client())
    browser.login(member)
    with app.app_context():
        from forum.accounts import sessions
        from forum.accounts.models import Member
        from forum.extensions import db
        row = sessions.sessions_of(db.session.get(Member, member.id))[0]
        assert len(row.secret_hash) == 64
        # A cookie made of the id and the stored hash opens nothing.
        assert sessions.find_member(f"{row.id}.{row.secret_hash}") is None


def test_logout_ends_the_live_connection_of_that_session(forum, app):
    from forum.extensions import socketio
    member = forum.member("Camille")
    browser = Browser(app.test_client())
    browser.login(member)
    live = socketio.test_client(app, flask_test_client=browser.client)
    assert live.is_connected()
    browser.logout()
    assert app.extensions["agora_realtime"].flush()
    assert not live.is_connected()


# --- registration -----------------------------------------------------------------------------

@pytest.fixture
def choices(forum):
    return {"pro": forum.college("Professionnels du travail social"), "c13": forum.committee("13")}


def _form(choices, pseudonym, email):
    return {"pseudonym": pseudonym, "email": email, "password": "un-mot-de-passe-long",
            "college": str(choices["pro"].id), "committees": [str(choices["c13"].id)],
            "show_college": "default", "adheres_convention": "y", "accepts_charter": "y", "submit": "1"}


def _answer(browser, choices, pseudonym, email):
    response = browser.post("/inscription", _form(choices, pseudonym, email))
    followed = browser.get(response.headers.get("Location", "/inscription")) if response.status_code == 303 else None
    page = text(followed).replace(email.lower(), "ADRESSE") if followed else ""
    # Each page carries its own CSRF tokens (the meta tag, the footer's language form): not an answer.
    page = re.sub(r'name="csrf_token" value="[^"]+"', "", re.sub(r'content="[^"]+"', "", page))
    return response.status_code, response.headers.get("Location"), page


def test_registration_answers_the_same_for_a_known_address(forum, app, choices):
    from .helpers import email_text, sent_emails
    forum.member("Camille", email="camille@example.fr")
    new = _answer(Browser(app.test_client()), choices, "Nouvelle", "nouvelle@example.fr")
    known = _answer(Browser(app.test_client()), choices, "Autre", "Camille@Example.fr")
    assert new == known and new[0] == 303
    assert "existe déjà" not in known[2]
    # Only the owner of the address learns it, by email, with the way to log in.
    warning = sent_emails(app, "camille@example.fr")
    assert len(warning) == 1 and "/connexion" in email_text(warning[0])
    assert "déjà un compte" in email_text(warning[0]) and "/inscription/confirmer/" not in email_text(warning[0])
    with app.app_context():
        from sqlalchemy import func, select

        from forum.accounts.models import Member
        from forum.extensions import db
        assert db.session.scalar(select(func.count()).select_from(Member)) == 2   # no "Autre"


def test_the_confirmation_link_works_once(app, choices):
    from .helpers import confirmation_path
    browser = Browser(app.test_client())
    browser.post("/inscription", _form(choices, "Nouvelle", "nouvelle@example.fr"))
    link = confirmation_path(app, "nouvelle@example.fr")
    assert browser.post(link, {"submit": "1"}).status_code == 303
    other = Browser(app.test_client())
    again = other.post(link, {"submit": "1"})
    assert again.status_code == 410 and "déjà servi" in text(again)
    forged = other.post(link[:-3] + "abc", {"submit": "1"})
    assert forged.status_code == 400 and "pas valable" in text(forged)
    assert "Se connecter" in text(other.get("/"))


def test_registration_is_rate_limited_per_network(app_factory):
    app = app_factory(RATELIMIT_ENABLED=True, RATELIMIT_REGISTRATION_NETWORK="3 per hour")
    from .helpers import Forum
    forum = Forum(app)
    choices = {"pro": forum.college("Pros"), "c13": forum.committee("13")}
    browser = Browser(app.test_client())
    statuses = [browser.post("/inscription", _form(choices, f"Compte{i}", f"compte{i}@example.fr")).status_code
                for i in range(4)]
    assert statuses == [303, 303, 303, 429]


def test_registration_is_rate_limited_per_address(app_factory):
    app = app_factory(RATELIMIT_ENABLED=True, RATELIMIT_REGISTRATION_ADDRESS="2 per hour")
    from .helpers import Forum
    forum = Forum(app)
    choices = {"pro": forum.college("Pros"), "c13": forum.committee("13")}
    statuses = []
    for i in range(3):   # from three networks: the address's own limit answers
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"192.0.2.{i + 1}"
        statuses.append(Browser(client).post("/inscription", _form(choices, f"Compte{i}", "cible@example.fr"))
                        .status_code)
    assert statuses == [303, 303, 429]


def test_refused_registrations_do_not_use_up_the_network_limit(app_factory):
    """A plenary on one wifi: people who mistype, or pick a taken pseudonym, still get in after."""
    app = app_factory(RATELIMIT_ENABLED=True, RATELIMIT_REGISTRATION_NETWORK="3 per hour")
    from .helpers import Forum
    forum = Forum(app)
    choices = {"pro": forum.college("Pros"), "c13": forum.committee("13")}
    forum.member("Pris")
    browser = Browser(app.test_client())
    refused = [browser.post("/inscription", dict(_form(choices, "Pris", "a@example.fr"))).status_code,
               browser.post("/inscription", dict(_form(choices, "Court", "b@example.fr"), password="court")).status_code,
               browser.post("/inscription", dict(_form(choices, "Sans", "pas-une-adresse"))).status_code]
    accepted = [browser.post("/inscription", _form(choices, f"Compte{i}", f"compte{i}@example.fr")).status_code
                for i in range(3)]
    assert (refused, accepted) == ([409, 422, 422], [303, 303, 303])
