"""Two-step login: codes computed here with pyotp, as an authenticator app would, on both databases."""
import re
import time
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import func, select

from forum.accounts import signin, twostep
from forum.accounts.models import Member, MemberSession
from forum.accounts.twostep_models import RecoveryCode, TwoStepLogin
from forum.clock import now
from forum.extensions import db

from .helpers import PASSWORD, Browser, email_text, sent_emails, text

STEP = "/connexion/deux-etapes"
SETUP = "/preferences/deux-etapes"


def code(secret, steps=0):
    """The app's code ``steps`` time steps from now (30 s each)."""
    return pyotp.TOTP(secret).at(time.time() + 30 * steps)


def enrol(forum, member):
    """Two-step login on for ``member`` (the code of the step before now: later ones stay free).
    Returns (secret, recovery codes)."""
    secret = twostep.new_secret()
    with forum.app.test_request_context():
        codes = twostep.enable(db.session.get(Member, member.id), secret, code(secret, -1))
    return secret, codes


def first_step(browser, member, password=PASSWORD, **extra):
    return browser.post("/connexion", {"login": member.pseudonym, "password": password, "submit": "1", **extra})


def second_step(browser, typed):
    return browser.post(STEP, {"code": typed, "submit": "1"})


def logged_in(browser):
    return "Se déconnecter" in text(browser.get("/aide"))


def count(app, model, **where):
    with app.app_context():
        query = select(func.count()).select_from(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return db.session.scalar(query)


# --- logging in ---------------------------------------------------------------------------------

def test_a_member_with_two_step_logs_in_with_a_code_from_the_app(app, forum, browser):
    member = forum.member("Nadia")
    secret, _codes = enrol(forum, member)
    response = first_step(browser, member, next="/aide")
    assert response.status_code == 303 and response.headers["Location"] == STEP
    assert not logged_in(browser) and count(app, MemberSession) == 0   # the password alone opens nothing
    page = text(browser.get(STEP))
    assert "saisissez le code à 6 chiffres" in page
    done = second_step(browser, code(secret))
    assert done.status_code == 303 and done.headers["Location"] == "/aide"   # where they were going
    assert logged_in(browser) and count(app, MemberSession, member_id=member.id) == 1


def test_a_member_without_two_step_logs_in_with_the_password_alone(app, forum, browser):
    member = forum.member("Karim")
    response = first_step(browser, member)
    assert response.status_code == 303 and response.headers["Location"] == "/"
    assert logged_in(browser)
    assert browser.get(STEP).status_code == 302   # logged in: nothing to ask


def test_a_code_is_refused_the_second_time(app, forum, browser):
    member = forum.member("Nadia")
    secret, _codes = enrol(forum, member)
    typed = code(secret)
    first_step(browser, member)
    assert second_step(browser, typed).status_code == 303
    browser.logout()
    first_step(browser, member)
    again = second_step(browser, typed)
    assert again.status_code == 401 and "il a déjà servi" in text(again)
    assert not logged_in(browser)


def test_a_wrong_code_is_refused_and_a_malformed_one_explained(app, forum, browser):
    member = forum.member("Nadia")
    secret, _codes = enrol(forum, member)
    first_step(browser, member)
    right = code(secret)
    wrong = f"{(int(right) + 1) % 1000000:06d}"
    refused = second_step(browser, wrong)
    assert refused.status_code == 401 and "Ce code n'est pas le bon" in text(refused)
    malformed = second_step(browser, "12ab")
    assert malformed.status_code == 422 and "Saisissez les 6 chiffres" in text(malformed)
    assert 'value="12ab"' in malformed.get_data(as_text=True)   # what was typed is kept
    assert not logged_in(browser)
    assert second_step(browser, right).status_code == 303   # the state survives a mistake


def test_a_recovery_code_works_once(app, forum, browser):
    member = forum.member("Nadia")
    _secret, codes = enrol(forum, member)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert count(app, RecoveryCode, member_id=member.id) == 10
    with app.app_context():   # kept hashed: no code appears in the table
        stored = db.session.scalars(select(RecoveryCode.code_hash)).all()
    assert not any(c.replace("-", "") in stored for c in codes)
    first_step(browser, member)
    done = second_step(browser, " " + codes[0].upper() + " ")   # as typed from paper
    assert done.status_code == 303
    assert "Il vous en reste 9." in text(browser.get(done.headers["Location"]))
    browser.logout()
    first_step(browser, member)
    again = second_step(browser, codes[0])
    assert again.status_code == 401 and "déjà servi" in text(again)
    assert second_step(browser, codes[1]).status_code == 303


def test_the_pending_state_expires_after_five_minutes(app, forum, browser):
    member = forum.member("Nadia")
    secret, _codes = enrol(forum, member)
    with app.test_request_context():
        old = signin.pending_token(db.session.get(Member, member.id), moment=now() - timedelta(minutes=6))
    with browser.client.session_transaction() as session:
        session[signin.PENDING_KEY] = old
    page = browser.get(STEP)
    assert page.status_code == 410 and "Votre connexion a expiré" in text(page)
    with browser.client.session_transaction() as session:
        session[signin.PENDING_KEY] = old
    refused = second_step(browser, code(secret))
    assert refused.status_code == 410 and not logged_in(browser)


def test_a_forged_or_missing_pending_state_is_refused_clearly(app, forum, browser):
    member = forum.member("Nadia")
    secret, _codes = enrol(forum, member)
    assert browser.get(STEP).headers["Location"] == "/connexion"   # nothing pending: the login page
    missing = second_step(browser, code(secret))
    assert missing.status_code == 410 and "Aucune connexion n'est en cours" in text(missing)
    with browser.client.session_transaction() as session:
        session[signin.PENDING_KEY] = "eyJtIjoxfQ.forged"
    forged = second_step(browser, code(secret))
    assert forged.status_code == 400 and "n'est pas valable" in text(forged)
    assert not logged_in(browser)


def test_a_new_password_voids_the_pending_state(app, forum, browser):
    member = forum.member("Nadia")
    secret, _codes = enrol(forum, member)
    first_step(browser, member)
    with app.app_context():
        db.session.get(Member, member.id).password_hash = "pbkdf2:sha256:1000$autre$0000"
        db.session.commit()
    refused = second_step(browser, code(secret))
    assert refused.status_code == 410 and not logged_in(browser)


def test_wrong_codes_are_rate_limited_per_account(app_factory):
    app = app_factory(RATELIMIT_ENABLED=True, RATELIMIT_TWO_STEP="2 per minute", PROXY_COUNT=1)
    from .helpers import Forum
    forum = Forum(app)
    member = forum.member("Nadia")
    secret, _codes = enrol(forum, member)
    wrong = f"{(int(code(secret)) + 1) % 1000000:06d}"
    seen = []
    for i in range(3):   # from three addresses: only the per-account limit can answer 429
        browser = Browser(app.test_client())
        headers = {"X-Forwarded-For": f"198.51.100.{i}"}
        first_step(browser, member, headers=headers)
        seen.append(browser.post(STEP, {"code": wrong, "submit": "1"}, headers=headers))
    assert [r.status_code for r in seen] == [401, 401, 429]
    assert "Trop de tentatives" in text(seen[-1])


def test_wrong_codes_are_rate_limited_per_network(app_factory):
    app = app_factory(RATELIMIT_ENABLED=True, RATELIMIT_TWO_STEP="2 per minute")
    from .helpers import Forum
    forum = Forum(app)
    seen = []
    for name in ("Nadia", "Karim", "Lucas"):   # three accounts from one address
        member = forum.member(name)
        secret, _codes = enrol(forum, member)
        browser = Browser(app.test_client())
        first_step(browser, member)
        seen.append(second_step(browser, f"{(int(code(secret)) + 1) % 1000000:06d}").status_code)
    assert seen == [401, 401, 429]


# --- staff ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["admin", "coordinator", "moderator"])
def test_staff_must_enrol_when_the_forum_requires_it(app_factory, who):
    app = app_factory(TWO_STEP_REQUIRED_FOR_STAFF=True)
    from .helpers import Forum
    forum = Forum(app)
    space = forum.space("Éthique")
    member = forum.moderator(space, pseudonym="Staff") if who == "moderator" else forum.member("Staff", role=who)
    browser = Browser(app.test_client())
    response = first_step(browser, member)
    assert response.status_code == 303 and response.headers["Location"] == SETUP
    for path in ("/", f"/espace/{space.slug}", "/preferences", "/nouveau-sujet"):
        assert browser.get(path).headers.get("Location") == SETUP, path
    page = text(browser.get(SETUP))
    assert "Votre rôle sur Agora demande la connexion en deux étapes." in page
    secret = re.search(r'id="cle-secrete">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    enabled = browser.post(SETUP + "/activer", {"code": code(secret), "submit": "1"})
    assert enabled.status_code == 200 and "Vos codes de secours" in text(enabled)
    assert browser.get("/").status_code == 200   # now every page is open


def test_staff_can_log_out_before_enrolling(app_factory):
    app = app_factory(TWO_STEP_REQUIRED_FOR_STAFF=True)
    from .helpers import Forum
    member = Forum(app).member("Coordination", role="coordinator")
    browser = Browser(app.test_client())
    first_step(browser, member)
    assert browser.logout().status_code == 303 and not logged_in(browser)


def test_staff_are_not_forced_when_the_setting_is_off(app, forum, browser):
    member = forum.member("Coordination", role="coordinator")
    assert first_step(browser, member).headers["Location"] == "/"
    assert browser.get("/").status_code == 200


def test_members_are_never_forced(app_factory):
    app = app_factory(TWO_STEP_REQUIRED_FOR_STAFF=True)
    from .helpers import Forum
    member = Forum(app).member("Karim")
    browser = Browser(app.test_client())
    assert first_step(browser, member).headers["Location"] == "/"
    assert browser.get("/").status_code == 200 and browser.get("/preferences").status_code == 200


# --- settings: turning it on, new recovery codes, turning it off --------------------------------

def test_turning_it_on_needs_a_first_code_ends_other_sessions_and_tells_the_member(app, forum):
    member = forum.member("Nadia")
    phone, laptop = Browser(app.test_client()), Browser(app.test_client())
    phone.login(member)
    laptop.login(member)
    page = laptop.get(SETUP)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'src="data:image/svg+xml;base64,' in html
    assert "<script" not in html.split("<main", 1)[1] and " style=" not in html
    secret = re.search(r'id="cle-secrete">([A-Z2-7 ]+)<', html).group(1).replace(" ", "")
    assert laptop.get(SETUP).get_data(as_text=True).count(secret[:4]) >= 1   # the same secret on reload
    wrong = laptop.post(SETUP + "/activer", {"code": f"{(int(code(secret)) + 1) % 1000000:06d}", "submit": "1"})
    assert wrong.status_code == 401 and count(app, TwoStepLogin) == 0
    assert secret[:4] in wrong.get_data(as_text=True)   # the same secret again, to try once more
    enabled = laptop.post(SETUP + "/activer", {"code": code(secret), "submit": "1"})
    assert enabled.status_code == 200 and count(app, TwoStepLogin, member_id=member.id) == 1
    shown = re.findall(r"<code>([0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4})</code>", enabled.get_data(as_text=True))
    assert len(shown) == 10
    assert logged_in(laptop) and not logged_in(phone)   # the phone had passed one step only
    mails = sent_emails(app, member.email)
    assert any("Connexion en deux étapes activée" in m["Subject"] for m in mails)
    assert "activée sur votre compte Agora" in email_text(mails[-1])
    assert "Codes de secours" in text(laptop.get(SETUP))


def test_new_recovery_codes_need_the_password_and_void_the_old_ones(app, forum, browser):
    member = forum.member("Nadia")
    _secret, old = enrol(forum, member)
    browser.post("/connexion", {"login": member.pseudonym, "password": PASSWORD, "submit": "1"})
    second_step(browser, old[0])
    refused = browser.post(SETUP + "/codes", {"codes-password": "faux", "codes-submit": "1"})
    assert refused.status_code == 401 and "Mot de passe incorrect." in text(refused)
    renewed = browser.post(SETUP + "/codes", {"codes-password": PASSWORD, "codes-submit": "1"})
    new = re.findall(r"<code>([0-9a-f-]{19})</code>", renewed.get_data(as_text=True))
    assert renewed.status_code == 200 and len(new) == 10 and not set(new) & set(old)
    browser.logout()
    first_step(browser, member)
    assert second_step(browser, old[1]).status_code == 401
    assert second_step(browser, new[0]).status_code == 303


def test_turning_it_off_needs_the_password_and_a_code(app, forum, browser):
    member = forum.member("Nadia")
    secret, codes = enrol(forum, member)
    first_step(browser, member)
    typed = code(secret)
    second_step(browser, typed)
    off = SETUP + "/desactiver"
    wrong_password = browser.post(off, {"off-password": "faux", "off-code": code(secret, 1), "off-submit": "1"})
    assert wrong_password.status_code == 401 and "Mot de passe incorrect." in text(wrong_password)
    no_code = browser.post(off, {"off-password": PASSWORD, "off-code": "", "off-submit": "1"})
    assert no_code.status_code == 422
    used = browser.post(off, {"off-password": PASSWORD, "off-code": typed, "off-submit": "1"})
    assert used.status_code == 401   # the code of the login: spent
    assert count(app, TwoStepLogin) == 1
    done = browser.post(off, {"off-password": PASSWORD, "off-code": codes[3], "off-submit": "1"})
    assert done.status_code == 303 and done.headers["Location"] == "/preferences"
    assert count(app, TwoStepLogin) == 0 and count(app, RecoveryCode) == 0
    assert logged_in(browser)   # the session that turned it off stays
    assert any("désactivée" in m["Subject"] for m in sent_emails(app))
    browser.logout()
    assert first_step(browser, member).headers["Location"] == "/"   # the password alone again


def test_the_settings_page_says_whether_it_is_on(app, forum, browser):
    member = forum.member("Nadia")
    browser.login(member)
    assert "Activer la connexion en deux étapes" in text(browser.get("/preferences"))
    browser.logout()
    secret, _codes = enrol(forum, member)
    first_step(browser, member)
    second_step(browser, code(secret))
    assert "Codes de secours, désactivation" in text(browser.get("/preferences"))


def test_an_administrator_command_turns_it_off_for_a_member_who_lost_everything(app, forum, browser):
    member = forum.member("Nadia")
    enrol(forum, member)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["accounts", "two-step-off", "nadia"])
    assert result.exit_code == 0 and "désactivée pour Nadia" in result.output
    assert count(app, TwoStepLogin) == 0 and count(app, RecoveryCode) == 0
    assert any("désactivée" in m["Subject"] for m in sent_emails(app, member.email))
    assert first_step(browser, member).headers["Location"] == "/"
    again = runner.invoke(args=["accounts", "two-step-off", "nadia"])
    assert again.exit_code != 0 and "not on" in again.output
    assert runner.invoke(args=["accounts", "two-step-off", "personne"]).exit_code != 0


def test_a_form_of_the_other_state_is_refused_with_its_reason(app, forum, browser):
    member = forum.member("Nadia")
    browser.login(member)
    off = browser.post(SETUP + "/desactiver", {"off-password": PASSWORD, "off-code": "123456", "off-submit": "1"})
    assert off.status_code == 409 and "n'est pas activée" in text(off)
    codes = browser.post(SETUP + "/codes", {"codes-password": PASSWORD, "codes-submit": "1"})
    assert codes.status_code == 409 and "n'est pas activée" in text(codes)
    browser.logout()
    secret, _codes = enrol(forum, member)
    first_step(browser, member)
    second_step(browser, code(secret))
    again = browser.post(SETUP + "/activer", {"code": code(secret, 1), "submit": "1"})
    assert again.status_code == 409 and "déjà activée" in text(again)


def test_stay_logged_in_is_carried_through_the_second_step(app, forum, browser):
    member = forum.member("Nadia")
    secret, _codes = enrol(forum, member)
    first = first_step(browser, member, remember="y")
    assert not any(c.startswith("remember_token=") for c in first.headers.getlist("Set-Cookie"))
    done = second_step(browser, code(secret))
    assert any(c.startswith("remember_token=") for c in done.headers.getlist("Set-Cookie"))
