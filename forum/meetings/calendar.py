"""Meetings as iCalendar (RFC 5545): one meeting's ``.ics``, a member's private feed, and the
files attached to the emails (METHOD:REQUEST, METHOD:CANCEL).

Built with ``icalendar``; every event is made for one reader, with the rules of ``rules``: the
online link only for who may see it, never the needs nor the other participants.

Times are written in UTC (``…Z``), with no VTIMEZONE. Stored times are UTC already, every
calendar shows them in its owner's zone, and a UTC instant is never ambiguous: a meeting at
02:30 on the night the clocks go back (25 October 2026, Europe/Paris) happens twice in local
time, and RFC 5545 reads a local time in that hour as its first occurrence. A VTIMEZONE would
also have to be written out (icalendar's stops in 2038) and kept right by every client.
"""
from datetime import timedelta, timezone
from email.utils import parseaddr
from urllib.parse import urlsplit

from flask import current_app, url_for
from flask_babel import gettext as _
from sqlalchemy import or_, select

from forum import permissions
from forum.accounts.models import committee_membership
from forum.clock import now
from forum.extensions import db
from forum.notifications import mail
from forum.web.served_address import default_server_name

from . import rules
from .models import REGISTERED, WAITING, Meeting, Registration

PRODID = "-//Agora//Réunions//FR"
FEED_PAST = timedelta(days=30)     # a feed keeps the last month's meetings (minutes, travel costs)
FEED_LIMIT = 200                   # and at most this many, the soonest first

REQUEST = "REQUEST"
CANCEL = "CANCEL"
PUBLISH = "PUBLISH"


def server_host():
    """The host of the configured server name, without its port: the UIDs stay the same when
    the embedded server moves to another port."""
    name = current_app.config.get("SERVER_NAME") or default_server_name(current_app.instance_path)
    return urlsplit("//" + name).hostname or "agora.localhost"


def uid(meeting):
    return f"meeting-{meeting.id}@{server_host()}"


def meeting_url(meeting):
    return mail.absolute_url("meetings.show", meeting_id=meeting.id)


def _utc(value):
    return value.replace(tzinfo=timezone.utc)


def location(meeting):
    """The place and its address, as one line ("" for a meeting only online)."""
    if not meeting.has_place:
        return ""
    return ", ".join(part for part in (meeting.place_name.strip(), meeting.address.strip()) if part)


def description(viewer, meeting):
    """Plain text: the description (its Markdown source reads as text), the online link when
    ``viewer`` may see it, the meeting's page."""
    parts = [meeting.description.strip()] if meeting.description.strip() else []
    if meeting.is_cancelled:
        reason = meeting.cancel_reason.strip()
        parts.insert(0, _("Réunion annulée.") + (f" {reason}" if reason else ""))
    if rules.can_see_online_link(viewer, meeting):
        parts.append(_("Lien de la réunion en ligne : %(url)s", url=meeting.online_url))
    parts.append(_("Page de la réunion : %(url)s", url=meeting_url(meeting)))
    return "\n\n".join(parts)


def event(viewer, meeting, sequence=None, attendee=None):
    """The VEVENT of ``meeting`` as ``viewer`` may see it. ``attendee``: the member an email
    goes to; iTIP (RFC 5546) asks a REQUEST or CANCEL to name its organiser and attendee, so
    the file names the forum's address and that member, never another participant."""
    # icalendar costs a web process 7 MiB: only the processes that write a calendar pay it.
    from icalendar import Event, vCalAddress
    vevent = Event()
    vevent.add("uid", uid(meeting))
    vevent.add("dtstamp", _utc(now()))
    vevent.add("dtstart", _utc(meeting.starts_at))
    vevent.add("dtend", _utc(meeting.ends_at))
    vevent.add("sequence", meeting.sequence if sequence is None else sequence)
    vevent.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    vevent.add("summary", meeting.title)
    vevent.add("description", description(viewer, meeting))
    place = location(meeting)
    if place:
        vevent.add("location", place)
    vevent.add("url", meeting_url(meeting))
    vevent.add("last-modified", _utc(meeting.updated_at))
    if attendee is not None:
        name, address = parseaddr(mail.sender_address())
        vevent.add("organizer", vCalAddress(f"mailto:{address}"), parameters={"cn": name or "Agora"})
        vevent.add("attendee", vCalAddress(f"mailto:{attendee.email}"),
                   parameters={"cn": attendee.pseudonym, "rsvp": "FALSE", "partstat": "ACCEPTED"})
    return vevent


def _calendar(method=None, name=None):
    from icalendar import Calendar      # as above: only when a calendar is written
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    return calendar


def one_meeting(viewer, meeting, method=PUBLISH, sequence=None, attendee=None):
    """The ``.ics`` bytes of one meeting for ``viewer`` (who must be allowed to see it)."""
    calendar = _calendar(method)
    calendar.add_component(event(viewer, meeting, sequence, attendee))
    return calendar.to_ical()


def feed_meetings(member):
    """The meetings of ``member``'s feed: where they are registered (or waiting) and those of
    their comités' spaces, from a month ago, the soonest first, as far as they may see them."""
    registered = select(Registration.meeting_id).where(
        Registration.member_id == member.id, Registration.status.in_((REGISTERED, WAITING)))
    committees = select(committee_membership.c.space_id).where(committee_membership.c.member_id == member.id)
    meetings = db.session.scalars(select(Meeting).where(
        Meeting.starts_at >= now() - FEED_PAST,
        or_(Meeting.id.in_(registered), Meeting.space_id.in_(committees)))
        .order_by(Meeting.starts_at, Meeting.id).limit(FEED_LIMIT)).all()
    return [meeting for meeting in meetings if rules.can_see(member, meeting)]


def feed(member):
    """The ``.ics`` bytes of ``member``'s private feed."""
    calendar = _calendar(PUBLISH, name=_("Mes réunions Agora"))
    for meeting in feed_meetings(member):
        calendar.add_component(event(member, meeting))
    return calendar.to_ical()


def calendar_section(viewer, meeting):
    """The meeting page's section ``calendar`` (display.SECTIONS): its ``.ics``, and for a
    member the page of their subscription."""
    return {"ics_url": url_for("meetings.ics", meeting_id=meeting.id),
            "feed_url": url_for("meetings.calendar_settings") if permissions.is_member(viewer) else None}
