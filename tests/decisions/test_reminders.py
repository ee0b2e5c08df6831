"""Reminders of decisions: 24 h before closing to who may vote and has not, an outcome's review
date, an action item due; each once, whoever runs them and however often; by email through a
real SMTP server as each member chose."""
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from forum.clock import now
from forum.decisions import closing, outcomes, reminders
from forum.decisions.models import Outcome, Poll
from forum.extensions import db
from forum.notifications import mailing, preferences
from forum.notifications.models import (EMAIL_NEVER, KIND_ACTION_DUE, KIND_OUTCOME_REVIEW, KIND_VOTE_REMINDER,
                                        Notification)
from forum.topics import posting
from forum.topics.models import Member, Post, Topic

from ..conftest import free_port
from ..notifications.conftest import Mailbox, parts


@pytest.fixture
def smtp():
    """A real SMTP server on 127.0.0.1, as in tests/notifications/."""
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    mailbox.url, mailbox.port = f"smtp://127.0.0.1:{port}", port
    yield mailbox
    controller.stop()


@pytest.fixture
def app(app_factory, smtp):
    return app_factory(SMTP_URL=smtp.url)


@pytest.fixture
def place(forum):
    committee = forum.committee("13")
    college = forum.college("Usagers")
    other_college = forum.college("Employeurs")
    people = {
        "author": forum.member("Alice", committees=[committee], college=college),
        "voted": forum.member("Bruno", committees=[committee], college=college),
        "waiting": forum.member("Chloe", committees=[committee], college=college),
        "unconfirmed": forum.member("Denis", committees=[committee], college=college, confirmed=False),
        "elsewhere": forum.member("Emma", committees=[committee], college=other_college),
        "outsider": forum.member("Olga", college=college),
        "gone": forum.member("Gaston", committees=[committee], college=college, deactivated_at=now()),
        "moderator": forum.moderator(committee, pseudonym="Modeste"),
    }
    topic = forum.topic(people["author"], committee)
    return committee, college, people, topic


def closing_soon(app, poll, hours=23, opened_days_ago=3):
    with app.app_context():
        row = db.session.get(Poll, poll.id)
        row.closes_at, row.created_at = now() + timedelta(hours=hours), now() - timedelta(days=opened_days_ago)
        db.session.commit()


def notified(app, kind):
    with app.app_context():
        return sorted(db.session.scalars(select(Member.pseudonym).join(Notification, Notification.member_id == Member.id)
                                         .where(Notification.kind == kind)))


def run(app):
    with app.app_context():
        return reminders.remind_due()


def test_a_vote_reminder_goes_once_to_eligible_members_who_have_not_voted(app, place, open_poll, vote, smtp):
    committee, college, people, topic = place
    poll = open_poll(people["author"], topic, college_ids=(college.id,))
    vote(people["voted"], poll, {0: 1})
    assert run(app) == 0                       # a week ahead: not yet
    closing_soon(app, poll)
    assert run(app) == 2
    assert notified(app, KIND_VOTE_REMINDER) == ["Alice", "Chloe"]
    assert run(app) == 0 and notified(app, KIND_VOTE_REMINDER) == ["Alice", "Chloe"]
    with app.app_context():
        assert db.session.get(Poll, poll.id).reminded_at is not None
        report = mailing.send_due(force=True)
    assert report.emails == 2
    assert sorted(str(m["To"]).split("<")[1].rstrip(">") for m in smtp.messages) == [
        "alice@test.agora.localhost", "chloe@test.agora.localhost"]
    plain, html = parts(smtp.messages[0])
    assert "Plus que 24 heures pour voter : « Quel jour pour la réunion ? »" in plain
    assert "/message/" in plain and smtp.messages[0]["Subject"].startswith("[Agora] Plus que 24 heures")


def test_two_machines_send_the_reminder_once(app_factory, place, open_poll):
    committee, college, people, topic = place
    first = app_factory()
    second = app_factory()
    poll = open_poll(people["author"], topic)
    closing_soon(first, poll)
    with first.app_context():
        work = reminders.due_work()
    with second.app_context():
        assert reminders.remind_due() == 6     # the comité's five and its moderator; not Olga, not Gaston
    with first.app_context():
        assert sum(reminders.remind_one(kind, row_id) for kind, row_id in work) == 0   # claimed already
    assert notified(first, KIND_VOTE_REMINDER) == ["Alice", "Bruno", "Chloe", "Denis", "Emma", "Modeste"]


def test_no_reminder_for_a_closed_decision_nor_a_short_one(app, place, open_poll):
    committee, college, people, topic = place
    closed, short = open_poll(people["author"], topic), open_poll(people["author"], topic)
    closing_soon(app, closed)
    closing_soon(app, short, hours=10, opened_days_ago=0)
    with app.app_context():
        closing.close_poll(db.session.get(Poll, closed.id), db.session.get(Member, people["author"].id))
    assert run(app) == 0
    assert notified(app, KIND_VOTE_REMINDER) == []


def test_a_hidden_decision_reminds_nobody(app, place, open_poll):
    committee, college, people, topic = place
    poll = open_poll(people["author"], topic)
    closing_soon(app, poll)
    with app.app_context():
        posting.set_post_state(db.session.get(Post, db.session.get(Poll, poll.id).post_id), "hidden")
        db.session.commit()
    run(app)
    assert notified(app, KIND_VOTE_REMINDER) == []


def test_reading_the_topic_leaves_the_reminder_and_its_email(app, place, open_poll, smtp):
    committee, college, people, topic = place
    poll = open_poll(people["author"], topic, college_ids=(college.id,))
    closing_soon(app, poll)
    run(app)
    with app.app_context():
        chloe = db.session.get(Member, people["waiting"].id)
        posting.mark_read(chloe, db.session.get(Topic, topic.id), 99)
        db.session.commit()
        preferences.save(db.session.get(Member, people["author"].id), EMAIL_NEVER, True)
        assert db.session.scalar(select(Notification.read_at).where(Notification.member_id == chloe.id)) is None
        mailing.send_due(force=True)
    assert sorted(str(m["To"]) for m in smtp.messages) == ["Bruno <bruno@test.agora.localhost>",
                                                          "Chloe <chloe@test.agora.localhost>"]


def write_outcome(app, people, poll, review="", rows=()):
    with app.app_context():
        closing.close_poll(db.session.get(Poll, poll.id), db.session.get(Member, people["author"].id))
        return outcomes.write_outcome(db.session.get(Member, people["author"].id), db.session.get(Poll, poll.id),
                                      "Décidé.", review, [outcomes.ActionRow(**row) for row in rows]).id


def test_the_review_date_tells_the_writer_and_the_moderators_once(app, place, open_poll):
    committee, college, people, topic = place
    poll = open_poll(people["author"], topic)
    outcome_id = write_outcome(app, people, poll, review=(outcomes.today() + timedelta(days=2)).isoformat())
    assert run(app) == 0
    with app.app_context():
        db.session.get(Outcome, outcome_id).review_on = outcomes.today()
        db.session.commit()
    assert run(app) == 2 and run(app) == 0
    assert notified(app, KIND_OUTCOME_REVIEW) == ["Alice", "Modeste"]


def test_an_action_due_tomorrow_tells_its_assignee_once_unless_done(app, place, open_poll):
    committee, college, people, topic = place
    poll = open_poll(people["author"], topic)
    tomorrow, later = (outcomes.today() + timedelta(days=d) for d in (1, 10))
    write_outcome(app, people, poll, rows=[
        {"what": "Réserver la salle", "who": "@Chloe", "due_on": tomorrow.isoformat()},
        {"what": "Déjà fait", "who": "@Bruno", "due_on": tomorrow.isoformat(), "status": "done"},
        {"what": "Plus tard", "who": "@Emma", "due_on": later.isoformat()},
        {"what": "Écrire à la CAF", "who": "CAF des Bouches-du-Rhône", "due_on": tomorrow.isoformat()}])
    assert run(app) == 1 and run(app) == 0
    assert notified(app, KIND_ACTION_DUE) == ["Chloe"]
    with app.app_context():
        text = db.session.scalar(select(Notification.text).where(Notification.kind == KIND_ACTION_DUE))
    assert text == "Réserver la salle"


def test_the_command_sends_what_is_due(app, place, open_poll):
    committee, college, people, topic = place
    poll = open_poll(people["author"], topic, college_ids=(college.id,))
    closing_soon(app, poll)
    result = app.test_cli_runner().invoke(args=["decisions", "remind"])
    assert result.exit_code == 0, result.output
    assert "1 rappel(s) dû(s), 3 membre(s) prévenu(s)." in result.output
    again = app.test_cli_runner().invoke(args=["decisions", "remind"])
    assert "0 rappel(s) dû(s), 0 membre(s) prévenu(s)." in again.output


def test_the_reminders_run_in_the_background_thread(app):
    from forum.registry import of
    assert (reminders.remind_due, reminders.EVERY) in of(app).periodic


def test_two_runs_at_the_same_instant_remind_once(app_factory, place, open_poll):
    import threading
    committee, college, people, topic = place
    apps = [app_factory(), app_factory()]
    poll = open_poll(people["author"], topic, college_ids=(college.id,))
    closing_soon(apps[0], poll)
    start, told, errors = threading.Barrier(2), [], []

    def go(one):
        with one.app_context():
            try:
                start.wait()
                told.append(reminders.remind_due())
            except Exception as error:      # noqa: BLE001  (reported below: a lost race must not raise)
                errors.append(error)
            finally:
                db.session.remove()
    threads = [threading.Thread(target=go, args=(one,)) for one in apps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == [] and sorted(told) == [0, 3]
    assert notified(apps[0], KIND_VOTE_REMINDER) == ["Alice", "Bruno", "Chloe"]
