"""A meeting as one reader sees it, a space's meetings, the next meetings of a reader: plain
data, every rule of ``rules`` applied here so that templates only show what they get."""
from dataclasses import dataclass, field
from urllib.parse import quote

from babel.dates import format_time
from flask_babel import get_locale, gettext as _, lazy_gettext as _l
from sqlalchemy import select

from forum import dates, permissions
from forum.accounts import administration
from forum.accounts.models import Member
from forum.clock import now
from forum.decisions.protection import protect
from forum.extensions import db

from . import agenda, attendance, calendar, minutes, rules, travel
from .models import (CANCELLED, COORDINATION, HYBRID, IN_PERSON, NEEDS, ONLINE, PLENARY, REGISTERED, WAITING, WORKING_GROUP,
                     Meeting, Registration)

# The parts of a meeting's page that other modules of this package add: (name, function(viewer,
# meeting) -> plain data or None), shown by templates/meetings/_<name>.html when not None.
SECTIONS = [("agenda", agenda.section), ("minutes", minutes.section), ("calendar", calendar.calendar_section),
            ("attendance", attendance.section), ("travel", travel.section)]


def kind_names():
    return {PLENARY: _("Plénière"), WORKING_GROUP: _("Groupe de travail"), COORDINATION: _("Réunion de coordination")}


def mode_names():
    return {IN_PERSON: _("Sur place"), ONLINE: _("En ligne"), HYBRID: _("Sur place et en ligne")}


# What a participant may ask for, in this order (Registration.needs holds the keys).
NEED_LABELS = {"interpreter": _l("Interprète (langue des signes ou autre langue)"),
               "accessibility": _l("Accessibilité (fauteuil, accompagnement…)"),
               "childcare": _l("Garde d'enfants"),
               "falc": _l("Documents en FALC (facile à lire et à comprendre)")}


def need_names():
    return {key: str(label) for key, label in NEED_LABELS.items()}


def when(meeting, locale=None):
    """« 12 janv. 2027, 14:00 – 16:30 » (or two dates when it ends another day), in Paris time."""
    start, end = dates.local(meeting.starts_at), dates.local(meeting.ends_at)
    locale = locale or str(get_locale() or "fr")
    start_time, end_time = format_time(start, "HH:mm", locale=locale), format_time(end, "HH:mm", locale=locale)
    if start.date() == end.date():
        return f"{dates.format_date(meeting.starts_at, locale)}, {start_time} – {end_time}"
    return f"{dates.format_datetime(meeting.starts_at, locale)} – {dates.format_datetime(meeting.ends_at, locale)}"


def map_url(meeting):
    """A link to OpenStreetMap's search for the address: a plain link, no third-party script."""
    if not meeting.has_place or not meeting.address:
        return None
    return f"https://www.openstreetmap.org/search?query={quote(meeting.address)}"


@dataclass
class Coming:
    """How many come, by collège, under the decisions' small-group rule."""
    registered: int = 0
    waiting: int = 0
    by_college: list = field(default_factory=list)    # [(name, count)]
    others: int | None = None                          # « autres collèges », merged


def coming(meeting):
    rows = db.session.execute(select(Registration.status, Registration.member_id).where(
        Registration.meeting_id == meeting.id, Registration.status.in_((REGISTERED, WAITING)))).all()
    registered = [member_id for status, member_id in rows if status == REGISTERED]
    result = Coming(registered=len(registered), waiting=len(rows) - len(registered))
    if not registered:
        return result
    members = db.session.execute(select(Member.college_id, Member.college_confirmed).where(
        Member.id.in_(registered))).all()
    counts = {}
    for college_id, confirmed in members:
        key = college_id if confirmed else None
        counts[key] = counts.get(key, 0) + 1
    colleges = administration.colleges()
    shown, others, _merged = protect(counts, [c.id for c in colleges])
    names = {c.id: c.name for c in colleges}
    result.by_college = [(names[key], count) for key, count in shown.items() if count]
    # Everyone merged: the group is the total, already said.
    result.others = others if result.by_college else None
    return result


@dataclass
class MeetingPage:
    meeting: Meeting
    when: str
    kind: str
    mode: str
    map_url: str | None
    online_url: str | None
    coming: Coming
    places_left: int | None
    can_organise: bool
    registration: Registration | None
    cannot_register: str | None
    needs: list
    sections: list


def meeting_page(viewer, meeting):
    registration = rules.registration_of(viewer, meeting)
    if registration is not None and registration.status not in (REGISTERED, WAITING):
        registration = None
    count = coming(meeting)
    needs = [need_names()[key] for key in (registration.needs.split(",") if registration and registration.needs
                                           else []) if key in NEEDS]
    sections = [(name, data) for name, data in ((name, build(viewer, meeting)) for name, build in SECTIONS)
                if data is not None]
    return MeetingPage(
        meeting=meeting, when=when(meeting), kind=kind_names().get(meeting.kind, ""),
        mode=mode_names().get(meeting.mode, ""), map_url=map_url(meeting),
        online_url=meeting.online_url if rules.can_see_online_link(viewer, meeting) else None,
        coming=count,
        places_left=None if meeting.capacity is None else max(meeting.capacity - count.registered, 0),
        can_organise=rules.can_organise(viewer, meeting), registration=registration,
        cannot_register=rules.why_cannot_register(viewer, meeting), needs=needs, sections=sections)


def visible(viewer, meeting_id):
    """The meeting if ``viewer`` may see it, else None (the view answers 404)."""
    meeting = db.session.get(Meeting, meeting_id)
    return meeting if meeting is not None and rules.can_see(viewer, meeting) else None


def participants(viewer, meeting):
    """The organisers' list: registered then waiting, in order, with their needs."""
    if not rules.can_see_participants(viewer, meeting):
        return None
    rows = db.session.scalars(select(Registration).where(
        Registration.meeting_id == meeting.id, Registration.status.in_((REGISTERED, WAITING)))
        .order_by(Registration.status, Registration.position)).all()
    names = need_names()
    return [dict(member=row.member, status=row.status, since=row.created_at,
                 needs=[names[key] for key in row.needs.split(",") if key in names], note=row.needs_note)
            for row in rows]


def space_meetings(viewer, space, past=False, limit=30):
    """A space's meetings to come (soonest first) or past (latest first), if ``viewer`` reads it."""
    if not permissions.can_read_space(viewer, space):
        return []
    query = select(Meeting).where(Meeting.space_id == space.id)
    query = query.where(Meeting.ends_at <= now()).order_by(Meeting.starts_at.desc()) if past \
        else query.where(Meeting.ends_at > now()).order_by(Meeting.starts_at)
    return [(meeting, when(meeting)) for meeting in db.session.scalars(query.limit(limit))]


def upcoming(viewer, limit=5, space_ids=None):
    """The next meetings (not cancelled) of the spaces ``viewer`` reads — or of ``space_ids``
    among them — soonest first: [(meeting, when)]."""
    readable = set(permissions.readable_space_ids(viewer))
    if space_ids is not None:
        readable &= set(space_ids)
    if not readable:
        return []
    meetings = db.session.scalars(select(Meeting).where(
        Meeting.space_id.in_(readable), Meeting.ends_at > now(), Meeting.status != CANCELLED)
        .order_by(Meeting.starts_at).limit(limit)).all()
    return [(meeting, when(meeting)) for meeting in meetings]

