"""What meetings send by email, each in its recipient's language (French by default):

- a meeting cancelled: to whoever was registered or waiting, with its ``.ics`` METHOD:CANCEL
  (same UID, the raised SEQUENCE), so that calendars remove it;
- a meeting moved (its start or end): to the registered, with the updated ``.ics`` METHOD:REQUEST;
- a place freed: to the member moved up from the waiting list, with the ``.ics``;
- the reminders (forum/meetings/reminders.py).

Sent after the commit (``events`` subscribers) and by the reminders' job; every message is
composed for one reader with the rules of ``rules`` (the online link only for who may see it).
A refused or failed message is logged and never stops the others.
"""
import base64
import logging
import secrets
import smtplib

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import select

from forum import events
from forum.accounts.models import Member
from forum.extensions import db
from forum.notifications import mail

from . import calendar, display, rules
from .models import REGISTERED, Meeting, Registration

log = logging.getLogger(__name__)

CATEGORY = "reunions"


def init_app(app):
    events.subscribe(app, events.MeetingCancelled, _in_own_session(cancelled))
    events.subscribe(app, events.MeetingChanged, _in_own_session(changed, lambda event: event.time_changed))
    events.subscribe(app, events.RegistrationMoved, _in_own_session(
        moved, lambda event: event.promoted and event.status == REGISTERED))


def _in_own_session(handler, concerns=lambda event: True):
    """After a commit the session that committed may not query: an app context of its own has
    a session of its own (Flask-SQLAlchemy scopes sessions by app context), closed after. An
    event that sends nothing opens none (each is a second connection: fifty members registering
    at once would hold a hundred)."""
    def run(event):
        if not concerns(event):
            return
        with current_app.app_context():
            handler(event)
    run.__name__ = handler.__name__
    return run


# --- the events ---------------------------------------------------------------------------------

def cancelled(event):
    meeting = db.session.get(Meeting, event.meeting_id)
    if meeting is None:
        return 0
    return deliver(meeting, _members(event.member_ids), "meeting_cancelled",
                   lambda _, locale: _("Réunion annulée : %(title)s", title=meeting.title), method=calendar.CANCEL)


def changed(event):
    meeting = db.session.get(Meeting, event.meeting_id)
    if meeting is None or not event.time_changed or meeting.is_cancelled:
        return 0
    return deliver(meeting, registered(meeting), "meeting_changed",
                   lambda _, locale: _("Réunion déplacée : %(title)s", title=meeting.title), method=calendar.REQUEST)


def moved(event):
    meeting = db.session.get(Meeting, event.meeting_id)
    if meeting is None or not event.promoted or event.status != REGISTERED or meeting.is_cancelled:
        return 0
    return deliver(meeting, _members([event.member_id]), "meeting_promoted",
                   lambda _, locale: _("Une place s'est libérée : vous êtes inscrit à « %(title)s »", title=meeting.title),
                   method=calendar.REQUEST)


# --- whom ---------------------------------------------------------------------------------------

def _members(member_ids):
    if not member_ids:
        return []
    return db.session.scalars(select(Member).where(Member.id.in_(list(member_ids))).order_by(Member.id)).all()


def registered(meeting):
    """The members registered (not waiting, not cancelled) for ``meeting``."""
    return db.session.scalars(select(Member).join(Registration, Registration.member_id == Member.id).where(
        Registration.meeting_id == meeting.id, Registration.status == REGISTERED).order_by(Member.id)).all()


# --- what ---------------------------------------------------------------------------------------

def details(member, meeting, locale):
    """What every email says of the meeting, as ``member`` may see it (plain data)."""
    return {"title": meeting.title, "when": display.when(meeting, locale), "place": calendar.location(meeting),
            "online": meeting.is_online,
            "online_url": meeting.online_url if rules.can_see_online_link(member, meeting) else "",
            "url": calendar.meeting_url(meeting), "cancel_reason": meeting.cancel_reason.strip(),
            "space": meeting.space.name}


def compose(member, meeting, template, subject, method=None):
    """The message to ``member``; ``subject(_, locale)`` gives its subject in their language; with
    ``method``, the meeting's ``.ics`` attached (METHOD:REQUEST or CANCEL)."""
    locale = member.locale or "fr"
    subject = "[Agora] " + subject(mail.gettext_for(locale), locale)
    text, html = mail.render(template, locale=locale, member=member, subject=subject,
                             meeting=details(member, meeting, locale))
    message = mail.build(member, subject, text, html, category=CATEGORY)
    if method is None:
        return message
    with force_locale(locale):
        ics = calendar.one_meeting(member, meeting, method=method, attendee=member)
    return attach_calendar(message, ics, method)


def attach_calendar(message, ics, method):
    """``message`` (multipart/alternative) inside a multipart/mixed with the ``.ics`` attached."""
    boundary = "=_agora_" + secrets.token_hex(12)
    head, _blank, body = message.text.partition("\n\n")
    headers = dict(message.headers)
    inner_type = headers["Content-Type"]
    headers["Content-Type"] = f'multipart/mixed; boundary="{boundary}"'
    encoded = base64.encodebytes(ics).decode("ascii")
    lines = [f"{key}: {value}" for key, value in headers.items()]
    lines += ["", f"--{boundary}", f"Content-Type: {inner_type}", "", body,
              f"--{boundary}", f'Content-Type: text/calendar; charset="utf-8"; method={method}',
              'Content-Disposition: attachment; filename="reunion.ics"', "Content-Transfer-Encoding: base64", "",
              encoded, f"--{boundary}--", ""]
    return mail.Outgoing(message.envelope_from, message.recipient, headers, "\n".join(lines))


def deliver(meeting, members, template, subject, method=None):
    """Send to each of ``members`` who may still see ``meeting``; returns how many were sent."""
    sent = 0
    with mail.transport() as transport:
        for member in members:
            if not member.is_active or not rules.can_see(member, meeting):
                continue
            try:
                transport.send(compose(member, meeting, template, subject, method))
                sent += 1
            except (smtplib.SMTPException, OSError, ValueError):
                log.exception("meeting email (%s) to member %s not sent", template, member.id)
    return sent
