"""Who came (« présences »): once a meeting has started, its organisers record each registered
member present, excused or absent, and add a member of the space who came without
registering. The sign-in sheet (« feuille d'émargement ») is a PDF to print and sign.

Recording attendance decides who may declare travel costs (``rules.attended``). Everything here
is for the organisers (``rules.can_organise``); other members see nothing of it.
"""
from flask_babel import gettext as _
from sqlalchemy import func, select

from forum import permissions
from forum.accounts.models import Member
from forum.clock import now
from forum.errors import Forbidden, Invalid
from forum.extensions import db
from forum.text.pseudonyms import pseudonym_key

from . import rules
from .models import ABSENT, ATTENDANCE, EXCUSED, PRESENT, REGISTERED, Attendance, Registration


def status_labels():
    return {PRESENT: _("Présent·e"), EXCUSED: _("Excusé·e"), ABSENT: _("Absent·e")}


def _require(viewer, meeting):
    if not rules.can_organise(viewer, meeting):
        raise Forbidden(_("Seuls les organisateurs de la réunion enregistrent les présences."))
    if meeting.is_cancelled:
        raise Forbidden(_("Cette réunion est annulée."))
    if not meeting.has_started:
        raise Forbidden(_("Les présences s'enregistrent une fois la réunion commencée."))


def _recorded(meeting):
    return {a.member_id: a for a in db.session.scalars(select(Attendance).where(Attendance.meeting_id == meeting.id))}


def _people(meeting):
    """The registered members and those recorded without registering, by name."""
    registered = db.session.scalars(select(Member).join(Registration, Registration.member_id == Member.id).where(
        Registration.meeting_id == meeting.id, Registration.status == REGISTERED)).all()
    walk_ins = db.session.scalars(select(Member).join(Attendance, Attendance.member_id == Member.id).where(
        Attendance.meeting_id == meeting.id)).all()
    people = {m.id: m for m in [*registered, *walk_ins]}
    return sorted(people.values(), key=lambda m: (m.pseudonym_key, m.id)), {m.id for m in registered}


def sheet(viewer, meeting):
    """The attendance form's rows (plain data): every person and their recorded status."""
    if not rules.can_organise(viewer, meeting):
        raise Forbidden(_("Seuls les organisateurs de la réunion enregistrent les présences."))
    recorded = _recorded(meeting)
    people, registered = _people(meeting)
    college = (lambda m: m.public_college.name if m.public_college else "")
    return [{"id": m.id, "pseudonym": m.pseudonym, "college": college(m), "registered": m.id in registered,
             "status": recorded[m.id].status if m.id in recorded else ""} for m in people]


def record(viewer, meeting, statuses):
    """Record ``statuses`` ({member id: status}) for the people of the sheet; commits.

    Every person must have a status; an unknown person or status is refused."""
    _require(viewer, meeting)
    people, _registered = _people(meeting)
    errors = {}
    for member in people:
        if statuses.get(member.id) not in ATTENDANCE:
            errors[f"status-{member.id}"] = _("Choisissez présent·e, excusé·e ou absent·e pour %(name)s.",
                                              name=member.pseudonym)
    if set(statuses) - {m.id for m in people}:
        errors[None] = _("Une personne de la liste n'est pas inscrite à cette réunion.")
    if errors:
        raise Invalid(errors)
    recorded, moment = _recorded(meeting), now()
    for member in people:
        row = recorded.get(member.id) or Attendance(meeting_id=meeting.id, member_id=member.id)
        row.status, row.recorded_by_id, row.recorded_at = statuses[member.id], viewer.id, moment
        db.session.add(row)
    db.session.commit()


def add_walk_in(viewer, meeting, pseudonym):
    """Record present a member of the space who came without registering; commits."""
    _require(viewer, meeting)
    key = pseudonym_key((pseudonym or "").strip().lstrip("@")) if (pseudonym or "").strip() else ""
    member = db.session.scalar(select(Member).where(Member.pseudonym_key == key)) if key else None
    if member is None or not member.is_active or not _belongs(member, meeting.space):
        raise Invalid({"pseudonym": _("Aucun membre de cet espace ne porte ce pseudonyme.")})
    if db.session.scalar(select(Attendance).where(Attendance.meeting_id == meeting.id,
                                                  Attendance.member_id == member.id)) is not None:
        raise Invalid({"pseudonym": _("%(name)s est déjà sur la liste.", name=member.pseudonym)}, status=409)
    db.session.add(Attendance(meeting_id=meeting.id, member_id=member.id, status=PRESENT,
                              recorded_by_id=viewer.id, recorded_at=now()))
    db.session.commit()
    return member


def _belongs(member, space):
    """A member of the space: who reads it and, in a comité's space, a member of that comité."""
    if not permissions.can_read_space(member, space):
        return False
    return space.kind != "comite" or space.id in member.committee_ids


def counts(meeting):
    """{status: number} of what is recorded."""
    rows = db.session.execute(select(Attendance.status, func.count()).where(Attendance.meeting_id == meeting.id)
                              .group_by(Attendance.status)).all()
    found = dict(rows)
    return {status: found.get(status, 0) for status in ATTENDANCE}


def section(viewer, meeting):
    """The meeting page's part: for the organisers, the counts by status and the links; for
    everyone else, nothing."""
    if not rules.can_organise(viewer, meeting):
        return None
    found = counts(meeting)
    labels = status_labels()
    return {"counts": [{"status": s, "label": labels[s], "count": found[s]} for s in ATTENDANCE],
            "recorded": sum(found.values()) > 0, "may_record": meeting.has_started and not meeting.is_cancelled}
