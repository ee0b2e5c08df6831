"""Decisions about members, each with its reversal: warn, read-only, suspension, lifting."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from forum import events
from forum.accounts.models import Member
from forum.clock import now
from forum.errors import Forbidden, Invalid
from forum.extensions import db
from moderation import deciding, sanctions
from moderation.models import AuditEntry, Decision

from ..helpers import PASSWORD, Browser, text


def _decide(browser, member, action, **data):
    return browser.post(f"/moderation/membres/{member.id}/{action}", dict(data, submit="1"))


def test_silence_makes_the_account_read_only_until_lifted(world, login, app, notices):
    coordinator = login(world.coordinator)
    response = _decide(coordinator, world.bob, "lecture-seule", duration="3", unit="jours",
                       articles=[world.articles[1]], justification="Propos blessants répétés.")
    assert response.status_code == 303
    with app.app_context():
        bob = db.session.get(Member, world.bob.id)
        assert bob.is_silenced and timedelta(days=2, hours=23) < bob.silenced_until - now() <= timedelta(days=3)
    bob = login(world.bob)
    refused = bob.post(f"/sujet/{world.topic13.id}/repondre", {"body": "Je voudrais répondre", "submit": "1"})
    assert refused.status_code == 403 and "lecture seule" in text(refused)
    assert bob.get(f"/sujet/{world.topic13.id}").status_code == 200     # reading stays possible
    assert any("Lecture seule" in t and "Jusqu'au" in t for m, t, _ in notices if m == world.bob.id)
    assert _decide(coordinator, world.bob, "lever-lecture-seule", justification="").status_code == 303
    with app.app_context():
        assert not db.session.get(Member, world.bob.id).is_silenced
        silence = db.session.scalars(select(Decision).where(Decision.action == "silence")).one()
        assert silence.reversed_by_id is not None
    assert bob.post(f"/sujet/{world.topic13.id}/repondre", {"body": "Je voudrais répondre",
                                                            "submit": "1"}).status_code == 303


def test_suspension_logs_the_member_out_and_refuses_login(world, login, app, act):
    bob = login(world.bob)
    assert bob.get("/preferences").status_code == 200
    decision = act(sanctions.sanction, world.coordinator, world.bob, "suspend", 2, "heures", [world.articles[1]],
                   "Insultes envers un membre.")
    assert bob.get("/preferences").status_code == 302                 # the session no longer counts
    again = Browser(app.test_client())
    response = again.post("/connexion", {"login": "Bob", "password": PASSWORD, "submit": "1"})
    assert response.status_code == 403 and "suspendu" in text(response)
    act(deciding.reverse, world.coordinator, decision, "Excuses présentées.")
    assert again.post("/connexion", {"login": "Bob", "password": PASSWORD, "submit": "1"}).status_code == 303
    with app.app_context():
        lift = db.session.scalars(select(Decision).where(Decision.action == "lift")).one()
    # Undoing the lift puts the suspension back until its first end.
    act(deciding.reverse, world.coordinator, lift, "L'excuse n'était pas sincère.")
    with app.app_context():
        member = db.session.get(Member, world.bob.id)
        assert member.is_suspended and member.suspended_until == decision.until


def test_the_suspended_member_is_emailed_the_suspension_and_where_to_write(world, login, app, act):
    from forum.notifications import mailing

    from ..helpers import email_text, sent_emails
    act(sanctions.sanction, world.coordinator, world.bob, "suspend", 2, "jours", [world.articles[1]],
        "Insultes envers un membre.")
    with app.app_context():
        mailing.send_due(moment=now() + timedelta(minutes=11))
    [notice] = [m for m in sent_emails(app, world.bob.email) if "Décision de modération" in email_text(m)]
    body = " ".join(email_text(notice).split())
    assert "Insultes envers un membre." in body
    assert "vous pouvez écrire à la coordination, aussi pour contester cette décision" in body
    assert "un autre modérateur l'examinera" not in body


def test_sanctions_belong_to_the_coordination(world, login, app):
    moderator = login(world.mod13)
    page = text(moderator.get(f"/moderation/membres/{world.bob.id}"))
    assert "décidées par la coordination" in page and "Suspendre" not in page
    for action in ("lecture-seule", "suspendre"):
        response = _decide(moderator, world.bob, action, duration="1", unit="jours", articles=[world.articles[1]],
                           justification="Essai par un modérateur d'espace.")
        assert response.status_code == 403
    assert login(world.alice).get(f"/moderation/membres/{world.bob.id}").status_code == 403
    with app.app_context():
        assert not db.session.get(Member, world.bob.id).is_silenced
        assert db.session.scalars(select(Decision)).all() == []


@pytest.mark.parametrize("duration, unit", [("0", "jours"), ("abc", "jours"), ("400", "jours"), ("2", "siècles"),
                                            # past timedelta's range, past 2^63, not ASCII digits
                                            ("99999999999", "jours"), ("99999999999", "heures"),
                                            (str(10**25), "jours"), ("-1", "heures"), ("²", "jours")])
def test_bad_durations_are_refused(world, login, duration, unit):
    response = _decide(login(world.coordinator), world.bob, "suspendre", duration=duration, unit=unit,
                       articles=[world.articles[1]], justification="Durée à vérifier.")
    assert response.status_code == 422


@pytest.mark.parametrize("amount, unit, expected", [
    ("1", "heures", timedelta(hours=1)), ("8784", "heures", timedelta(hours=8784)),   # a year of 366 days
    ("1", "jours", timedelta(days=1)), ("366", "jours", timedelta(days=366)),
    ("8785", "heures", None), ("367", "jours", None), ("0", "heures", None)])
def test_a_duration_runs_from_an_hour_to_a_year(app, amount, unit, expected):
    with app.test_request_context():
        if expected is not None:
            assert sanctions.duration_of(amount, unit) == expected
        else:
            with pytest.raises(Invalid) as refusal:
                sanctions.duration_of(amount, unit)
            assert refusal.value.fields == {"duration": "Une durée d'une heure à un an."}


def test_a_duration_in_another_unit_is_refused_on_the_unit(app):
    with app.test_request_context(), pytest.raises(Invalid) as refusal:
        sanctions.duration_of("2", "semaines")
    assert refusal.value.fields == {"unit": "Choisissez heures ou jours."}


def test_a_space_moderator_is_told_why_a_sanction_is_not_theirs(world, act, app):
    with pytest.raises(Forbidden) as refusal:
        act(sanctions.sanction, world.mod13, world.bob, "silence", 1, "jours", [world.articles[1]], "Essai.")
    assert refusal.value.message == "Vous ne pouvez pas prendre cette décision à l'égard de ce membre."
    with app.app_context():
        assert db.session.get(Member, world.bob.id).silenced_until is None
        assert db.session.scalars(select(Decision)).all() == []


def test_nobody_sanctions_themselves_or_an_administrator(world, forum, act):
    admin = forum.member("Administratrice", role="admin")
    with pytest.raises(Forbidden):
        act(sanctions.sanction, world.coordinator, admin, "suspend", 1, "jours", [world.articles[1]], "Essai.")
    with pytest.raises(Forbidden):
        act(sanctions.sanction, world.coordinator, world.coordinator, "silence", 1, "jours", [world.articles[1]],
            "Essai.")
    other = forum.member("Autre-coordination", role="coordinator")
    with pytest.raises(Forbidden):
        act(sanctions.sanction, world.coordinator, other, "silence", 1, "jours", [world.articles[1]], "Essai.")
    act(sanctions.sanction, admin, other, "silence", 1, "jours", [world.articles[1]], "Par l'administration.")


def test_warnings_from_a_post_in_the_moderators_space_and_their_withdrawal(world, login, app, act, notices):
    response = login(world.mod13).post(f"/moderation/messages/{world.reply13.id}/avertir", {
        "articles": [world.articles[2]], "justification": "Anonymisez les situations.", "submit": "1"})
    assert response.status_code == 303
    assert any("Avertissement" in t for m, t, _ in notices if m == world.bob.id)
    refused = login(world.mod83).post(f"/moderation/messages/{world.reply13.id}/avertir", {
        "articles": [world.articles[2]], "justification": "Depuis le Var.", "submit": "1"})
    assert refused.status_code == 403
    with app.app_context():
        warning = db.session.scalars(select(Decision).where(Decision.action == "warn")).one()
        assert warning.space_id == world.c13.id and warning.post_id == world.reply13.id
    act(deciding.reverse, world.mod13b, warning, "Avertissement injustifié.")
    with app.app_context():
        assert db.session.get(Decision, warning.id).reversed_by_id is not None


def test_a_suspensions_end_reads_the_same_everywhere_in_english_too(world, act, app, login, notices):
    """Page, notice, email and the login refusal: one formatter, the forum's time zone (Paris)."""
    from datetime import timezone
    from zoneinfo import ZoneInfo
    from forum.notifications import mailing
    from ..helpers import email_text, sent_emails
    with app.app_context():
        db.session.get(Member, world.bob.id).locale = "en"
        db.session.commit()
    act(sanctions.sanction, world.coordinator, world.bob, "silence", 2, "heures", [world.articles[1]], "Calm down.")
    with app.app_context():
        until = db.session.scalars(select(Decision.until).where(Decision.action == "silence")).one()
        mailing.send_due(moment=now() + timedelta(hours=1), force=True)
    local = until.replace(tzinfo=timezone.utc).astimezone(ZoneInfo("Europe/Paris"))
    months = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    expected = f"{months[local.month - 1]} {local.day}, {local.year}, {local:%H:%M}"
    told = [t for m, t, _ in notices if m == world.bob.id]
    assert any(f"Until {expected}." in t for t in told) and not any("UTC" in t for t in told), told
    assert any(f"Until {expected}." in email_text(m) for m in sent_emails(app, world.bob.email))
    bob = login(world.bob)
    page = re.sub(r"<[^>]+>", "", text(bob.get("/moderation/mes-decisions")))   # the words, as read
    assert f"until {expected}" in page
    refused = bob.post(f"/sujet/{world.topic13.id}/repondre", {"body": "I would like to answer", "submit": "1"})
    assert refused.status_code == 403 and f"read-only until {expected}." in text(refused)


def test_a_sanction_is_recorded_whole_and_ends_the_members_live_access(world, act, app, committed_events):
    with pytest.raises(Invalid) as unknown:
        act(sanctions.sanction, world.coordinator, world.bob, "bannir", 1, "jours", [world.articles[1]], "Essai.")
    assert unknown.value.fields == {None: "Sanction inconnue."}
    access = committed_events(events.MemberAccessChanged)
    first = act(sanctions.sanction, world.coordinator, world.bob, "silence", 1, "jours", [world.articles[1]],
                "  Propos répétés malgré un avertissement.\r\n")
    longer = act(sanctions.sanction, world.coordinator, world.bob, "silence", 3, "jours", [world.articles[1]],
                 "Prolongée après un nouvel écart.", first)
    with app.app_context():
        rows = {d.id: d for d in db.session.scalars(select(Decision))}
        assert (rows[first.id].moderator_id, rows[first.id].justification, rows[first.id].reverses_id) == (
            world.coordinator.id, "Propos répétés malgré un avertissement.", None)
        assert (rows[longer.id].moderator_id, rows[longer.id].reverses_id) == (world.coordinator.id, first.id)
        entries = {e.decision_id: e for e in db.session.scalars(select(AuditEntry))}
        until = lambda decision: decision.until.isoformat(timespec="seconds")   # noqa: E731
        assert (entries[first.id].before, entries[first.id].after) == (
            {"silenced_until": None, "suspended_until": None},
            {"silenced_until": until(rows[first.id]), "suspended_until": None})
        assert (entries[longer.id].before, entries[longer.id].after) == (
            {"silenced_until": until(rows[first.id]), "suspended_until": None},
            {"silenced_until": until(rows[longer.id]), "suspended_until": None})
    assert [e.member_id for e in access.seen] == [world.bob.id, world.bob.id]
