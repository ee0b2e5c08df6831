"""What meetings send by email, through a real SMTP server: the cancellation with its
METHOD:CANCEL, the new time with its METHOD:REQUEST, the place freed on the waiting list, the
reminders (each once, to the registered only)."""
from datetime import timedelta

import icalendar
import pytest
import vobject
from aiosmtpd.controller import Controller

from forum.clock import now
from forum.extensions import db
from forum.meetings import registering, reminders, scheduling
from forum.meetings.models import Meeting

from ..conftest import free_port
from ..notifications.conftest import Mailbox, parts
from .conftest import typed

VISIO = "https://visio.example.org/pleniere-13"


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
def world(forum, schedule, register):
    committee = forum.committee("13")
    moderator = forum.moderator(committee, committees=[committee])
    people = dict(committee=committee, moderator=moderator,
                  registered=forum.member(committees=[committee]), waiting=forum.member(committees=[committee]),
                  leaving=forum.member(committees=[committee]), reader=forum.member(committees=[committee]),
                  english=forum.member(committees=[committee], locale="en"))
    meeting = schedule(moderator, committee, mode="hybrid", online_url=VISIO, capacity="3")
    for who in ("registered", "leaving", "english", "waiting"):
        register(people[who], meeting)
    people["meeting"] = meeting
    return people


def calendar_part(message):
    """The attached .ics: (its text, its METHOD), read back by icalendar and by vobject."""
    (attachment,) = [part for part in message.iter_attachments() if part.get_content_type() == "text/calendar"]
    body = attachment.get_content()
    body = body.decode("utf-8") if isinstance(body, bytes) else body
    parsed = icalendar.Calendar.from_ical(body)
    other = vobject.readOne(body)
    assert str(parsed["method"]) == other.method.value == attachment.get_param("method")
    return parsed, other


def addresses(messages):
    return sorted(str(message["To"]).split("<")[-1].rstrip(">") for message in messages)


def test_a_cancellation_sends_a_method_cancel_to_the_registered_and_waiting(app, act, smtp, world):
    act(registering.cancel_registration, world["leaving"], world["meeting"])   # the waiting member moves up
    smtp.messages.clear()
    cancelled = act(scheduling.cancel, world["moderator"], world["meeting"], "Salle indisponible")
    assert addresses(smtp.messages) == sorted(world[w].email for w in ("registered", "english", "waiting"))
    for message in smtp.messages:
        english = world["english"].email in str(message["To"])
        assert str(message["Subject"]) == ("[Agora] Meeting cancelled: Plénière du comité" if english
                                           else "[Agora] Réunion annulée : Plénière du comité")
        text, html = parts(message)
        assert "Salle indisponible" in text and "Salle indisponible" in html
        parsed, other = calendar_part(message)
        (event,) = parsed.walk("VEVENT")
        assert str(parsed["method"]) == "CANCEL" and str(event["status"]) == other.vevent.status.value == "CANCELLED"
        assert other.vevent.uid.value == str(event["uid"]) == f"meeting-{cancelled.id}@127.0.0.1"
        assert int(other.vevent.sequence.value) == cancelled.sequence == world["meeting"].sequence + 1
        # iTIP names the recipient as attendee, and nobody else.
        assert other.vevent.attendee.value.lower() == "mailto:" + str(message["To"]).split("<")[-1].rstrip(">")
        assert len(other.vevent.attendee_list) == 1
        assert VISIO not in text and VISIO not in str(other.vevent.description.value)
    assert smtp.to(world["reader"].email) == [] and smtp.to(world["leaving"].email) == []


def test_a_new_time_sends_the_updated_ics_to_the_registered_only(app, act, smtp, world):
    smtp.messages.clear()
    act(scheduling.change, world["moderator"], world["meeting"], typed(title="Plénière du comité", mode="hybrid",
                                                                       online_url=VISIO, capacity="3", days=9))
    moved = act(lambda: db.session.get(Meeting, world["meeting"].id))
    assert addresses(smtp.messages) == sorted(world[w].email for w in ("registered", "leaving", "english"))
    message = smtp.to(world["registered"].email)[0]
    parsed, other = calendar_part(message)
    assert str(parsed["method"]) == "REQUEST"
    assert other.vevent.dtstart.value.replace(tzinfo=None) == moved.starts_at - other.vevent.dtstart.value.utcoffset()
    assert int(other.vevent.sequence.value) == moved.sequence
    assert VISIO in other.vevent.description.value and VISIO in parts(message)[0]   # registered: the link
    # A change that does not move the meeting sends nothing.
    smtp.messages.clear()
    act(scheduling.change, world["moderator"], world["meeting"], typed(title="Plénière (salle 2)", mode="hybrid",
                                                                       online_url=VISIO, capacity="3", days=9))
    assert smtp.messages == []


def test_the_member_moved_up_from_the_waiting_list_is_told(app, act, smtp, world):
    smtp.messages.clear()
    act(registering.cancel_registration, world["leaving"], world["meeting"])
    assert addresses(smtp.messages) == [world["waiting"].email]
    (message,) = smtp.messages
    assert "Une place s'est libérée" in str(message["Subject"])
    parsed, other = calendar_part(message)
    assert VISIO in other.vevent.description.value       # now registered: the link


def test_an_email_speaks_its_recipients_language(app, act, smtp, world):
    smtp.messages.clear()
    act(scheduling.cancel, world["moderator"], world["meeting"], "")
    (english,) = smtp.to(world["english"].email)
    (french,) = smtp.to(world["registered"].email)
    assert '<html lang="en"' in parts(english)[1] and '<html lang="fr"' in parts(french)[1]
    assert "Bonjour" in parts(french)[0] and "Bonjour" not in parts(english)[0]
    assert str(english["Subject"]).startswith("[Agora] Meeting cancelled")


def shift_to(app, meeting, hours):
    """Move ``meeting`` to start in ``hours`` hours (directly: scheduling refuses the past)."""
    with app.app_context():
        row = db.session.get(Meeting, meeting.id)
        length = row.ends_at - row.starts_at
        row.starts_at = now() + timedelta(hours=hours)
        row.ends_at = row.starts_at + length
        db.session.commit()


def test_reminders_go_once_to_the_registered_two_days_then_two_hours_before(app, act, smtp, world):
    act(registering.cancel_registration, world["leaving"], world["meeting"])   # the waiting one moves up
    smtp.messages.clear()
    with app.app_context():
        assert reminders.remind_due() == 0          # in a week: nothing due
    shift_to(app, world["meeting"], 40)
    with app.app_context():
        assert reminders.remind_due() == 3
        assert reminders.remind_due() == 0          # once
    assert addresses(smtp.messages) == sorted(world[w].email for w in ("registered", "english", "waiting"))
    assert all(str(m["Subject"]).startswith("[Agora] Reminder: " if world["english"].email in str(m["To"])
                                            else "[Agora] Rappel") for m in smtp.messages)
    assert VISIO in parts(smtp.to(world["registered"].email)[0])[0]
    smtp.messages.clear()
    shift_to(app, world["meeting"], 1)
    result = app.test_cli_runner().invoke(args=["meetings", "remind"])
    assert result.exit_code == 0 and "3 courriel(s)" in result.output
    assert app.test_cli_runner().invoke(args=["meetings", "remind"]).output.endswith("0 rappel(s) dû(s), 0 courriel(s) envoyé(s).\n")
    assert len(smtp.messages) == 3 and smtp.to(world["leaving"].email) == []


def test_no_reminder_for_the_waiting_list_nor_a_cancelled_meeting(app, act, forum, schedule, register, smtp):
    committee = forum.committee("84")
    moderator = forum.moderator(committee, committees=[committee])
    first, second = forum.member(committees=[committee]), forum.member(committees=[committee])
    meeting = schedule(moderator, committee, capacity="1")
    register(first, meeting)
    register(second, meeting)                        # waiting
    other = schedule(moderator, committee, title="Annulée")
    register(second, other)
    act(scheduling.cancel, moderator, other, "")
    shift_to(app, meeting, 30)
    shift_to(app, other, 30)
    smtp.messages.clear()
    with app.app_context():
        assert reminders.remind_due() == 1
    assert addresses(smtp.messages) == [first.email]


def test_a_moved_meeting_is_reminded_again(app, act, smtp, world):
    shift_to(app, world["meeting"], 40)
    with app.app_context():
        reminders.remind_due()
        assert db.session.get(Meeting, world["meeting"].id).reminded_early_at is not None
    act(scheduling.change, world["moderator"], world["meeting"], typed(title="Plénière du comité", mode="hybrid",
                                                                       online_url=VISIO, capacity="3", days=9))
    with app.app_context():
        row = db.session.get(Meeting, world["meeting"].id)
        assert row.reminded_early_at is None and row.reminded_late_at is None
