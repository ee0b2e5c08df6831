"""Whom an announcement reaches, and the end date and audience the coordination types.

An announcement is a topic of a space: nobody who cannot read the space ever sees it
(``permissions.can_read_topic`` is asked first, by every path). Among its readers, it reaches
every member (no comité chosen) or the members of the comités chosen. Visitors (not logged in)
are reached only by an announcement to every member in a space they may read (a public one).

The end date is a day typed in the forum's zone (Europe/Paris), as the meetings' dates are:
the announcement stays on the home page until the end of that day (kept as naive UTC: the
midnight after it), at least today, at most ``LONGEST`` ahead.
"""
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import delete, select

from forum import dates
from forum.clock import now
from forum.errors import Invalid
from forum.extensions import db
from forum.permissions import is_member
from forum.topics.models import KIND_COMMITTEE, Space

from .models import AnnouncementCommittee, AnnouncementDismissal

LONGEST = timedelta(days=366)
EVERYONE = "tous"
COMMITTEES = "comites"


def _day(text):
    text = (text or "").strip()
    try:
        return date.fromisoformat(text) if "-" in text else datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError:
        return None


def end_of(day):
    """The midnight after ``day`` in the forum's zone, as naive UTC."""
    local = datetime.combine(day + timedelta(days=1), time(0), ZoneInfo(dates.zone_name()))
    return local.astimezone(timezone.utc).replace(tzinfo=None)


def last_moment(until):
    """A moment of the last day of an end kept as ``until``: what the pages show through ``|date``."""
    return until - timedelta(minutes=1)


def committee_choices():
    """Every comité, in the coordination's order: (id as text, name)."""
    return [(str(space.id), space.name) for space in db.session.scalars(
        select(Space).where(Space.kind == KIND_COMMITTEE, Space.archived_at.is_(None))
        .order_by(Space.position, Space.name))]


def check(until, audience, committee_ids):
    """(end as naive UTC, chosen comités or () for every member), or ``Invalid`` at each bad field."""
    errors = {}
    day = _day(until)
    end = end_of(day) if day is not None else None
    if day is None:
        errors["until"] = _("Une date de fin (jj/mm/aaaa), s'il vous plaît : l'annonce reste sur "
                            "l'accueil jusqu'à ce jour inclus.")
    elif end <= now():
        errors["until"] = _("Cette date est passée : choisissez aujourd'hui ou un jour à venir.")
    elif end > now() + LONGEST:
        errors["until"] = _("Une annonce reste sur l'accueil un an au plus.")
    committees = ()
    if audience not in (EVERYONE, COMMITTEES):
        errors["audience"] = _("Choisissez à qui s'adresse l'annonce.")
    elif audience == COMMITTEES:
        known = {int(value) for value, _name in committee_choices()}
        chosen = {int(i) for i in committee_ids or () if str(i).isdigit() and len(str(i)) < 12}
        if not chosen:
            errors["committees"] = _("Cochez au moins un comité, ou adressez l'annonce à tous les membres.")
        elif chosen - known:
            errors["committees"] = _("Un des comités cochés n'existe plus : vérifiez la liste.")
        committees = tuple(sorted(chosen))
    if errors:
        raise Invalid(errors)
    return end, committees


def store(topic, until, committees):
    """Write the end and audience of ``topic``'s announcement; earlier dismissals go (a new
    announcement is shown again). The caller commits."""
    clear(topic)
    topic.announced_until = until
    db.session.add_all(AnnouncementCommittee(topic_id=topic.id, committee_id=c) for c in committees)


def clear(topic):
    """The announcement ended (unpinned): its audience and dismissals go with it."""
    topic.announced_until = None
    db.session.execute(delete(AnnouncementCommittee).where(AnnouncementCommittee.topic_id == topic.id))
    db.session.execute(delete(AnnouncementDismissal).where(AnnouncementDismissal.topic_id == topic.id))


def committees_of(topic_ids):
    """{topic id: frozenset of comité ids} for the announcements among ``topic_ids`` addressed
    to chosen comités (absent: every member)."""
    found = {}
    if topic_ids:
        for topic_id, committee_id in db.session.execute(
                select(AnnouncementCommittee.topic_id, AnnouncementCommittee.committee_id)
                .where(AnnouncementCommittee.topic_id.in_(set(topic_ids)))):
            found.setdefault(topic_id, set()).add(committee_id)
    return {topic_id: frozenset(ids) for topic_id, ids in found.items()}


def reaches(viewer, committees):
    """Whether an announcement addressed to ``committees`` (empty: every member) reaches
    ``viewer``, who may already read its space (the caller asked ``can_read_topic``)."""
    if not committees:
        return True
    return is_member(viewer) and bool(set(committees) & viewer.committee_ids)


def committee_names(topic_id):
    """The names of the comités an announcement is addressed to ([]: every member)."""
    return list(db.session.scalars(select(Space.name).join(AnnouncementCommittee,
                                                           AnnouncementCommittee.committee_id == Space.id)
                                   .where(AnnouncementCommittee.topic_id == topic_id)
                                   .order_by(Space.position, Space.name)))
