"""Invitations through a real SMTP server (aiosmtpd): invite, read the email, follow its link,
accept; links refused once used, expired, revoked or replaced; who may invite to which comité;
CSV files (web and command line); concurrent acceptance on both databases."""
import re
import threading
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from forum.accounts import acceptance, invitations, membership
from forum.accounts.invitation_models import Invitation
from forum.accounts.membership import ACCEPTED, MembershipRequest
from forum.accounts.models import Member
from forum.clock import now
from forum.errors import Refused
from forum.extensions import db
from forum.topics.models import Space

from .helpers import Browser, text
from .notifications.conftest import parts, smtp  # noqa: F401 - the SMTP server fixture

SECRET = "xqinvitek"


@pytest.fixture
def app(app_factory, smtp):  # noqa: F811
    return app_factory(SMTP_URL=smtp.url)


@pytest.fixture
def world(forum):
    forum.charter()
    college = forum.college("Professionnels")
    c13, c06 = forum.committee("13", "Comité 13"), forum.committee("06", "Comité 06")
    bureau = forum.space("Bureau du comité 13", visibility="restricted", committees=[c13])
    coordinator = forum.member("Coordination", role="coordinator", college=college)
    author = forum.member("auteur13", committees=[c13], college=college)
    forum.topic(author, bureau, f"Sujet {SECRET}")
    mod06 = forum.moderator(c06, pseudonym="Modo06", committees=[c06])
    plain = forum.member("Simple", committees=[c13])
    return {"college": college, "c13": c13, "c06": c06, "bureau": bureau, "coordinator": coordinator,
            "mod06": mod06, "plain": plain}


def _as(app, member):
    browser = Browser(app.test_client())
    browser.login(member)
    return browser


def _link(message):
    text_part, html = parts(message)
    url = re.search(r"https?://\S+/invitation/\S+", text_part).group(0)
    assert url in html
    return urlsplit(url).path


def _invite(forum, world, email="invitee@exemple.fr", committees=("13",), by="coordinator"):
    inviter = world[by]
    return forum.run(lambda: invitations.invite(db.session.get(Member, inviter.id), email, list(committees),
                                                world["college"].slug).id)


def _accept(browser, path, pseudonym="Invitee"):
    return browser.post(path, {"pseudonym": pseudonym, "password": "un-mot-de-passe-solide", "show_college": "default",
                               "adheres_convention": "y", "accepts_charter": "y", "submit": "1"})


def test_an_invited_person_reads_the_comite_s_restricted_space(app, world, smtp):
    coordinator = _as(app, world["coordinator"])
    response = coordinator.post("/invitations", {"email": "Nouvelle@Exemple.fr", "committees": [world["c13"].slug],
                                                 "college": world["college"].slug, "locale": "fr", "submit": "1"})
    assert response.status_code == 303
    [message] = smtp.wait_for(1)
    assert message["To"] == "nouvelle@exemple.fr"
    body = parts(message)[0]
    assert "Coordination vous invite" in body and "Comité 13" in body and "Professionnels" in body
    path = _link(message)

    newcomer = Browser(app.test_client())
    assert newcomer.get(f"/espace/{world['bureau'].slug}").status_code == 404
    page = newcomer.get(path)
    assert page.status_code == 200 and "nouvelle@exemple.fr" in text(page)
    assert _accept(newcomer, path).status_code == 303
    bureau = newcomer.get(f"/espace/{world['bureau'].slug}")
    assert bureau.status_code == 200 and SECRET in text(bureau)
    with app.app_context():
        member = db.session.scalar(select(Member).where(Member.email == "nouvelle@exemple.fr"))
        assert member.college_confirmed and member.college_id == world["college"].id
        assert member.email_confirmed_at is not None and member.committee_ids == {world["c13"].id}
        invitation = db.session.scalar(select(Invitation))
        assert invitation.accepted_by_id == member.id and invitation.token_hash is None

    again = Browser(app.test_client())
    for response in (again.get(path), _accept(again, path, "Autre")):
        assert response.status_code == 410 and "déjà servi" in text(response)
    listing = coordinator.get("/invitations")
    assert "Acceptée" in text(listing) and "Invitee" in text(listing)


def test_links_refused_after_expiry_revoke_and_resend(app, world, forum, smtp):
    browser = Browser(app.test_client())
    first = _invite(forum, world, "a@exemple.fr")
    path = _link(smtp.wait_for(1)[0])
    with app.app_context():
        db.session.get(Invitation, first).expires_at = now() - timedelta(seconds=1)
        db.session.commit()
    response = browser.get(path)
    assert response.status_code == 410 and "expiré" in text(response)
    assert _accept(browser, path).status_code == 410

    coordinator = _as(app, world["coordinator"])
    assert coordinator.post(f"/invitations/{first}/renvoyer").status_code == 303
    newer = _link(smtp.wait_for(2)[1])
    assert newer != path and browser.get(newer).status_code == 200
    response = browser.get(path)
    assert response.status_code == 410 and "remplacé" in text(response)

    assert coordinator.post(f"/invitations/{first}/retirer").status_code == 303
    response = browser.get(newer)
    assert response.status_code == 410 and "retirée" in text(response)
    assert _accept(browser, newer).status_code == 410
    with app.app_context():
        assert db.session.scalar(select(func.count(Member.id)).where(Member.email == "a@exemple.fr")) == 0
    assert coordinator.post(f"/invitations/{first}/renvoyer").status_code == 409


@pytest.mark.parametrize("path", ["/invitation/n-importe-quoi", "/invitation/eyJpIjoxfQ.abc.def"])
def test_forged_links_are_refused_in_french(app, world, path):
    response = Browser(app.test_client()).get(path)
    assert response.status_code == 400 and "pas valable" in text(response)


def test_a_forged_signature_of_a_real_invitation_is_refused(app, world, forum, smtp):
    _invite(forum, world)
    path = _link(smtp.wait_for(1)[0])
    response = Browser(app.test_client()).get(path[:-3] + ("aaa" if not path.endswith("aaa") else "bbb"))
    assert response.status_code == 400


def test_a_comite_06_moderator_invites_to_06_only(app, world, smtp):
    moderator = _as(app, world["mod06"])
    page = moderator.get("/invitations")
    assert page.status_code == 200 and "Comité 06" in text(page) and "Comité 13" not in text(page)
    refused = moderator.post("/invitations", {"email": "x@exemple.fr", "committees": [world["c13"].slug],
                                              "college": world["college"].slug, "submit": "1"})
    assert refused.status_code == 403 and "Vous ne pouvez pas inviter au comité" in text(refused)
    assert "x@exemple.fr" in text(refused)   # what was typed is kept
    none = moderator.post("/invitations", {"email": "x@exemple.fr", "college": world["college"].slug,
                                           "submit": "1"})
    assert none.status_code == 422
    with app.app_context():
        assert db.session.scalar(select(func.count(Invitation.id))) == 0
    assert moderator.post("/invitations", {"email": "x@exemple.fr", "committees": [world["c06"].slug],
                                           "college": world["college"].slug, "submit": "1"}).status_code == 303
    assert len(smtp.wait_for(1)) == 1


def test_a_moderator_sees_and_manages_only_invitations_of_his_comites(app, world, forum):
    to_13 = _invite(forum, world, "treize@exemple.fr", ["13"])
    moderator = _as(app, world["mod06"])
    assert "treize@exemple.fr" not in text(moderator.get("/invitations"))
    assert moderator.post(f"/invitations/{to_13}/retirer").status_code == 404
    assert moderator.post(f"/invitations/{to_13}/renvoyer").status_code == 404
    with app.app_context():
        assert db.session.get(Invitation, to_13).revoked_at is None


def test_a_plain_member_cannot_invite(app, world, forum):
    member = _as(app, world["plain"])
    assert member.get("/invitations").status_code == 403
    assert member.post("/invitations", {"email": "y@exemple.fr", "committees": [world["c13"].slug],
                                        "college": world["college"].slug, "submit": "1"}).status_code == 403
    assert "/invitations" not in text(member.get("/"))
    assert Browser(app.test_client()).get("/invitations").status_code == 302
    with pytest.raises(Refused):
        _invite(forum, world, by="plain")


def test_an_existing_account_joins_the_invited_comites(app, world, forum, smtp):
    member = forum.member("Dejala", committees=[world["c06"]], confirmed=False, college=None)
    _invite(forum, world, member.email, ["13"])
    message = smtp.wait_for(1)[0]
    assert "Bonjour Dejala" in parts(message)[0]
    path = _link(message)
    browser = Browser(app.test_client())
    page = browser.get(path)
    assert page.status_code == 200 and "déjà un compte" in text(page)
    assert _accept(browser, path).status_code == 409
    other = _as(app, world["plain"])
    assert other.post(path, {"submit": "1"}).status_code == 409
    browser.login(member)
    assert browser.post(path, {"submit": "1"}).status_code == 303
    with app.app_context():
        row = db.session.get(Member, member.id)
        assert row.committee_ids == {world["c06"].id, world["c13"].id}
        assert row.college_confirmed and row.college_id == world["college"].id
    assert browser.get(f"/espace/{world['bureau'].slug}").status_code == 200
    assert browser.post(path, {"submit": "1"}).status_code == 410


def test_already_members_and_pending_addresses_are_refused(app, world, forum):
    member = forum.member("Membre13", committees=[world["c13"]])
    with pytest.raises(Refused, match="déjà membre"):
        _invite(forum, world, member.email, ["13"])
    _invite(forum, world, "deux@exemple.fr")
    with pytest.raises(Refused, match="attend déjà"):
        _invite(forum, world, "deux@exemple.fr")


CSV = (
    "email,comites,college\n"
    "bon@exemple.fr,13;06,{college}\n"
    "pas-une-adresse,13,{college}\n"
    "c@exemple.fr,99,{college}\n"
    "d@exemple.fr,13,inconnu\n"
    "{member},13,{college}\n"
    "\n"
    "e@exemple.fr,comite-06,{college},en\n"
)


def _csv(world, member):
    return CSV.format(college=world["college"].slug, member=member.email)


def test_the_command_line_imports_the_good_lines_and_reports_the_bad(app, world, forum, smtp, tmp_path):
    member = forum.member("Deja13", committees=[world["c13"]])
    path = tmp_path / "invitations.csv"
    path.write_text(_csv(world, member), encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["accounts", "invite", str(path)])
    assert result.exit_code == 0, result.output
    assert "2 invitation(s) envoyée(s)." in result.output
    assert "Ligne 3 : Adresse électronique non valable" in result.output
    assert "Ligne 4 : Comité inconnu : « 99 »." in result.output
    assert "Ligne 5 : Collège inconnu : « inconnu »." in result.output
    assert "Ligne 6 : « deja13@test.agora.localhost » est déjà membre de ces comités." in result.output
    assert "Invitations" in result.output   # the progress bar's label
    messages = smtp.wait_for(2)
    assert sorted(str(m["To"]) for m in messages) == ["bon@exemple.fr", "e@exemple.fr"]
    english = next(m for m in messages if m["To"] == "e@exemple.fr")
    assert "The regional coordination invites you to join Agora" in parts(english)[0]
    with app.app_context():
        assert db.session.scalar(select(func.count(Invitation.id))) == 2

    as_moderator = app.test_cli_runner().invoke(args=["accounts", "invite", str(path), "--by", "Modo06"])
    assert "Ligne 2 : Vous ne pouvez pas inviter au comité « Comité 13 »." in as_moderator.output
    assert app.test_cli_runner().invoke(args=["accounts", "invite", str(path), "--by", "personne"]).exit_code == 1


def test_the_csv_upload_reports_bad_lines_and_refuses_other_files(app, world, forum, smtp):
    from io import BytesIO
    member = forum.member("Deja13", committees=[world["c13"]])
    coordinator = _as(app, world["coordinator"])

    def upload(data, name="liste.csv"):
        return coordinator.post("/invitations/fichier", {"file": (BytesIO(data), name), "submit": "1"},
                                content_type="multipart/form-data")
    response = upload(_csv(world, member).encode())
    assert response.status_code == 200
    page = text(response)
    assert "2 invitation(s) envoyée(s)." in page and "Ligne 4 : Comité inconnu" in page
    assert "Ligne 6 :" in page and "Ligne 2 :" not in page
    png = upload(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image.csv")
    assert png.status_code == 415 and "CSV" in text(png)
    big = upload(b"a@exemple.fr,13,x\n" * 20000)
    assert big.status_code == 413 and "trop gros" in text(big)
    assert upload(b"").status_code == 415


def test_invitations_are_rate_limited(app_factory, world, smtp):
    app = app_factory(SMTP_URL=smtp.url, RATELIMIT_ENABLED=True, RATELIMIT_INVITATIONS="2 per hour")
    coordinator = _as(app, world["coordinator"])
    statuses = [coordinator.post("/invitations", {"email": f"r{i}@exemple.fr", "committees": [world["c13"].slug],
                                                  "college": world["college"].slug, "submit": "1"}).status_code
                for i in range(3)]
    assert statuses == [303, 303, 429]


def test_concurrent_acceptance_creates_one_account(app, world, forum, smtp):
    invitation_id = _invite(forum, world, "course@exemple.fr")
    token = _link(smtp.wait_for(1)[0]).rsplit("/", 1)[1]
    start, outcomes = threading.Barrier(2), []

    def accept(pseudonym):
        with app.test_request_context():
            start.wait()
            try:
                acceptance.accept_as_new(token, pseudonym, "un-mot-de-passe-solide", "default", True, True)
                outcomes.append("created")
            except Refused as refusal:
                outcomes.append(refusal.status)
            finally:
                db.session.remove()
    threads = [threading.Thread(target=accept, args=(name,)) for name in ("Premier", "Second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(map(str, outcomes)) == ["410", "created"]
    with app.app_context():
        assert db.session.scalar(select(func.count(Member.id)).where(Member.email == "course@exemple.fr")) == 1
        assert db.session.get(Invitation, invitation_id).accepted_by_id is not None


def test_two_claims_that_both_read_the_invitation_pending_take_it_once(app, world, forum, smtp):
    """Both acceptances have checked the link before either writes: the conditional UPDATE alone decides."""
    _invite(forum, world, "course@exemple.fr")
    token = _link(smtp.wait_for(1)[0]).rsplit("/", 1)[1]
    checked, outcomes = threading.Barrier(2), []

    def claim():
        with app.app_context():
            try:
                invitation = acceptance.find(token)
                checked.wait()
                acceptance._claim(invitation, token)
                db.session.commit()
                outcomes.append("claimed")
            except Refused as refusal:
                outcomes.append(refusal.status)
            finally:
                db.session.remove()
    threads = [threading.Thread(target=claim) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(map(str, outcomes)) == ["410", "claimed"]


def test_the_purge_forgets_invitations_left_unanswered(app, forum, world):
    """Who did not join is not kept: an invitation never accepted goes once it has been expired
    or withdrawn for FORUM_CONNECTION_DATA_DAYS (30); an accepted one stays, the record."""
    ids = {name: _invite(forum, world, f"{name}@exemple.fr") for name in
           ("pending", "expired_long_ago", "expired_lately", "withdrawn_long_ago", "accepted_long_ago")}
    long_ago, lately = now() - timedelta(days=31), now() - timedelta(days=29)
    with app.app_context():
        def set_(name, **values):
            db.session.execute(db.update(Invitation).where(Invitation.id == ids[name]).values(**values))
        set_("expired_long_ago", expires_at=long_ago)
        set_("expired_lately", expires_at=lately)
        set_("withdrawn_long_ago", revoked_at=long_ago)
        set_("accepted_long_ago", expires_at=long_ago, accepted_at=long_ago - timedelta(days=1))
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["accounts", "purge"])
    assert result.exit_code == 0 and "2 invitations restées sans réponse supprimées" in result.output
    with app.app_context():
        kept = set(db.session.scalars(select(Invitation.email)))
    assert kept == {"pending@exemple.fr", "expired_lately@exemple.fr", "accepted_long_ago@exemple.fr"}


def test_an_invitation_answers_the_requests_it_grants(app, world, forum, smtp):
    """A member who had asked to join comité 13 and is then invited to it: accepting closes the
    request as accepted, so that no moderator is left deciding it."""
    member = forum.member("Demandeuse", committees=[world["c06"]])
    with app.app_context():
        membership.request_committee(db.session.get(Member, member.id), db.session.get(Space, world["c13"].id),
                                     "Je souhaite rejoindre le comité 13.")
    _invite(forum, world, member.email, ["13"])
    path = _link(smtp.wait_for(1)[0])
    browser = Browser(app.test_client())
    browser.login(member)
    assert browser.post(path, {"submit": "1"}).status_code == 303
    with app.app_context():
        request = db.session.scalars(select(MembershipRequest).where(MembershipRequest.member_id == member.id)).one()
        assert (request.state, request.decided_by_id) == (ACCEPTED, world["coordinator"].id)
        assert world["c13"].id in db.session.get(Member, member.id).committee_ids
