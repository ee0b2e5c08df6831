"""Scheduling a meeting, changing it and cancelling it.

Times are typed in the forum's zone (Europe/Paris) and kept as naive UTC: ``zoneinfo`` gives
the right instant on either side of the October and March clock changes; an hour that does
not exist (the March night) or exists twice (the October night) takes the offset in force
before the change (PEP 495 ``fold=0``), and the page shows back what it became.
"""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import select

from forum import dates, events
from forum.clock import now
from forum.errors import Forbidden, Invalid
from forum.extensions import db
from forum.numbers import parse_int
from forum.text import markup

from . import rules
from .registering import counts, move_up
from .models import (CANCELLED, CLAIM_POLICIES, HYBRID, IN_PERSON, KINDS, MODES, ONLINE, REGISTERED,
                     REGISTRATION_CANCELLED, Meeting, Registration)

TITLE_MAX = 200
DESCRIPTION_MAX = 20_000
LONGEST = timedelta(days=3)
CAPACITY_MAX = 10_000
FIELD_MAX = {"place_name": 200, "address": 300, "transport": 300, "access_notes": 500, "online_url": 500}


@dataclass
class MeetingInput:
    """What the form typed, as text: parsed and checked by ``check``."""
    title: str = ""
    kind: str = KINDS[0]
    mode: str = IN_PERSON
    day: str = ""              # YYYY-MM-DD or DD/MM/YYYY
    start: str = ""            # HH:MM
    end: str = ""              # HH:MM, the same day (or end_day)
    end_day: str = ""          # empty: the same day
    description: str = ""
    place_name: str = ""
    address: str = ""
    step_free: bool = False
    hearing_loop: bool = False
    transport: str = ""
    access_notes: str = ""
    online_url: str = ""
    capacity: str = ""
    travel_claims: str = CLAIM_POLICIES[0]
    errors: dict = field(default_factory=dict)


def paris_time(day, moment):
    """A day and time typed in the forum's zone as naive UTC, or None if they do not read."""
    day, moment = (day or "").strip(), (moment or "").strip().replace("h", ":").replace(" ", "")
    try:
        parsed_day = date.fromisoformat(day) if "-" in day else datetime.strptime(day, "%d/%m/%Y").date()
        parsed_time = time.fromisoformat(moment if ":" in moment else f"{moment}:00")
    except ValueError:
        return None
    local = datetime.combine(parsed_day, parsed_time.replace(second=0, microsecond=0), ZoneInfo(dates.zone_name()))
    return local.astimezone(timezone.utc).replace(tzinfo=None)


def _check(values, meeting=None):
    """The meeting's columns from ``values``, or ``Invalid`` naming every bad field."""
    errors = {}
    title = " ".join(values.title.split())
    if not title:
        errors["title"] = _("Donnez un titre à la réunion.")
    elif len(title) > TITLE_MAX:
        errors["title"] = _("Le titre tient en %(max)d caractères au plus.", max=TITLE_MAX)
    if values.kind not in KINDS:
        errors["kind"] = _("Choisissez le type de réunion.")
    if values.mode not in MODES:
        errors["mode"] = _("Choisissez : sur place, en ligne, ou les deux.")
    starts_at = paris_time(values.day, values.start)
    ends_at = paris_time(values.end_day or values.day, values.end)
    if starts_at is None:
        errors["day"] = _("Une date (jj/mm/aaaa) et une heure de début (hh:mm), s'il vous plaît.")
    elif (meeting is None or starts_at != meeting.starts_at) and starts_at <= now():
        errors["day"] = _("Cette date est passée : une réunion se prévoit à venir.")
    if ends_at is None:
        errors["end"] = _("Une heure de fin (hh:mm), s'il vous plaît.")
    elif starts_at is not None and ends_at <= starts_at:
        errors["end"] = _("La réunion doit finir après son début.")
    elif starts_at is not None and ends_at - starts_at > LONGEST:
        errors["end"] = _("Une réunion dure trois jours au plus.")
    if len(values.description) > DESCRIPTION_MAX:
        errors["description"] = _("La présentation tient en %(max)d caractères au plus.", max=DESCRIPTION_MAX)
    texts = {name: " ".join((getattr(values, name) or "").split()) for name in FIELD_MAX}
    for name, limit in FIELD_MAX.items():
        if len(texts[name]) > limit:
            errors[name] = _("Ce champ tient en %(max)d caractères au plus.", max=limit)
    if values.mode in (IN_PERSON, HYBRID) and not (texts["place_name"] or texts["address"]):
        errors["address"] = _("Indiquez le lieu ou l'adresse de la réunion.")
    url = texts["online_url"]
    if url and (urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc):
        errors["online_url"] = _("Le lien de visioconférence commence par https:// (ou http://).")
    elif values.mode in (ONLINE, HYBRID) and not url:
        errors["online_url"] = _("Indiquez le lien de la visioconférence.")
    capacity = None
    if values.capacity.strip():
        capacity = parse_int(values.capacity.strip(), 1, CAPACITY_MAX)
        if capacity is None:
            errors["capacity"] = _("Un nombre de places entre 1 et %(max)d, ou rien pour ne pas limiter.",
                                   max=CAPACITY_MAX)
        elif meeting is not None and capacity < counts(meeting).get(REGISTERED, 0):
            errors["capacity"] = _("%(count)d personnes sont déjà inscrites : la capacité ne peut pas être "
                                   "inférieure.", count=counts(meeting).get(REGISTERED, 0))
    if values.travel_claims not in CLAIM_POLICIES:
        errors["travel_claims"] = _("Choisissez qui peut déclarer des frais de déplacement.")
    if errors:
        raise Invalid(errors)
    if values.mode == ONLINE:
        texts.update(place_name="", address="", transport="", access_notes="")
    elif values.mode == IN_PERSON:
        texts["online_url"] = ""
    return dict(title=title, kind=values.kind, mode=values.mode, starts_at=starts_at, ends_at=ends_at,
                description=values.description, description_html=markup.render(values.description),
                step_free=bool(values.step_free) and values.mode != ONLINE,
                hearing_loop=bool(values.hearing_loop) and values.mode != ONLINE,
                capacity=capacity, travel_claims=values.travel_claims,
                **{name: texts[name] for name in FIELD_MAX})


def schedule(organiser, space, values):
    """A new meeting in ``space``, organised by ``organiser``."""
    if not rules.may_schedule(organiser, space):
        raise Forbidden(_("Les réunions de cet espace sont prévues par ses modérateurs et la coordination."))
    columns = _check(values)
    meeting = Meeting(space=space, organiser_id=organiser.id, created_at=now(), updated_at=now(), **columns)
    db.session.add(meeting)
    db.session.flush()
    events.publish(events.MeetingScheduled(meeting_id=meeting.id))
    db.session.commit()
    return meeting


def change(viewer, meeting, values):
    """Change a meeting; calendars follow (SEQUENCE), reminders are due again if it moved. A
    capacity raised moves the waiting list up."""
    if not rules.can_organise(viewer, meeting):
        raise Forbidden(_("Seuls les organisateurs de cette réunion la modifient."))
    if meeting.is_cancelled:
        raise Forbidden(_("Cette réunion est annulée : elle ne se modifie plus."))
    columns = _check(values, meeting)
    moved = (columns["starts_at"], columns["ends_at"]) != (meeting.starts_at, meeting.ends_at)
    changed = any(getattr(meeting, name) != value for name, value in columns.items())
    if not changed:
        return meeting
    for name, value in columns.items():
        setattr(meeting, name, value)
    meeting.sequence += 1
    meeting.updated_at = now()
    if moved:
        meeting.reminded_early_at = meeting.reminded_late_at = None
    move_up(meeting)
    events.publish(events.MeetingChanged(meeting_id=meeting.id, sequence=meeting.sequence, time_changed=moved))
    db.session.commit()
    return meeting


def cancel(viewer, meeting, reason=""):
    """Cancel a meeting (it stays, marked cancelled); its participants are told."""
    if not rules.can_organise(viewer, meeting):
        raise Forbidden(_("Seuls les organisateurs de cette réunion l'annulent."))
    if meeting.is_cancelled:
        return meeting
    reason = " ".join((reason or "").split())
    if len(reason) > 500:
        raise Invalid({"reason": _("La raison tient en 500 caractères au plus.")})
    member_ids = tuple(db.session.scalars(select(Registration.member_id).where(
        Registration.meeting_id == meeting.id, Registration.status != REGISTRATION_CANCELLED)))
    meeting.status, meeting.cancelled_at, meeting.cancel_reason = CANCELLED, now(), reason
    meeting.sequence += 1
    events.publish(events.MeetingCancelled(meeting_id=meeting.id, member_ids=member_ids))
    db.session.commit()
    return meeting
