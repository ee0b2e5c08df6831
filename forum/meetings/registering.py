"""Registering for a meeting: places up to its capacity, then the waiting list, moved up in order
of arrival when a place frees (someone cancels, the capacity is raised).

Places are counted under a lock on the meeting's row (``SELECT … FOR UPDATE`` on PostgreSQL;
SQLite writes one transaction at a time), so fifty members registering at once for twenty
places give exactly twenty registered and thirty waiting, in the order they arrived.
"""
from flask_babel import gettext as _
from sqlalchemy import func, select

from forum import events
from forum.clock import now
from forum.errors import Forbidden, Invalid
from forum.extensions import db

from . import rules
from .models import NEEDS, REGISTERED, REGISTRATION_CANCELLED, WAITING, Meeting, Registration

NOTE_MAX = 1000


def _locked(meeting):
    """The meeting's row, locked until the transaction ends (its places are counted next)."""
    return db.session.scalar(select(Meeting).where(Meeting.id == meeting.id).with_for_update()
                             .execution_options(populate_existing=True))


def counts(meeting):
    rows = db.session.execute(select(Registration.status, func.count()).where(
        Registration.meeting_id == meeting.id).group_by(Registration.status)).all()
    return dict(rows)


def _checked_needs(needs, note):
    needs = [need for need in needs if need]
    note = (note or "").strip()
    errors = {}
    if any(need not in NEEDS for need in needs):
        errors["needs"] = _("Ce besoin n'est pas dans la liste proposée.")
    if len(note) > NOTE_MAX:
        errors["needs_note"] = _("Vos précisions tiennent en %(max)d caractères au plus.", max=NOTE_MAX)
    if errors:
        raise Invalid(errors)
    return ",".join(need for need in NEEDS if need in needs), note


def register(member, meeting, needs=(), note=""):
    """Register ``member`` (or put them on the waiting list); registered already: their needs
    change. Returns the registration."""
    why = rules.why_cannot_register(member, meeting)
    if why is not None:
        raise Forbidden(why)
    needs, note = _checked_needs(needs, note)
    meeting = _locked(meeting)
    registration = rules.registration_of(member, meeting)
    if registration is not None and registration.status != REGISTRATION_CANCELLED:
        registration.needs, registration.needs_note, registration.updated_at = needs, note, now()
        db.session.commit()
        return registration
    full = meeting.capacity is not None and counts(meeting).get(REGISTERED, 0) >= meeting.capacity
    status = WAITING if full else REGISTERED
    position = (db.session.scalar(select(func.max(Registration.position)).where(
        Registration.meeting_id == meeting.id)) or 0) + 1
    if registration is None:
        registration = Registration(meeting_id=meeting.id, member_id=member.id, created_at=now())
        db.session.add(registration)
    registration.status, registration.position, registration.updated_at = status, position, now()
    registration.needs, registration.needs_note = needs, note
    db.session.flush()
    events.publish(events.RegistrationMoved(meeting_id=meeting.id, member_id=member.id, status=status))
    db.session.commit()
    return registration


def cancel_registration(member, meeting):
    """``member`` no longer comes (registered or waiting); their place goes to the next waiting."""
    registration = rules.registration_of(member, meeting)
    if registration is None or registration.status == REGISTRATION_CANCELLED:
        raise Invalid(_("Vous n'êtes pas inscrit à cette réunion."))
    if meeting.has_ended:
        raise Forbidden(_("Cette réunion est passée."))
    meeting = _locked(meeting)
    registration.status, registration.updated_at = REGISTRATION_CANCELLED, now()
    db.session.flush()
    events.publish(events.RegistrationMoved(meeting_id=meeting.id, member_id=member.id,
                                            status=REGISTRATION_CANCELLED))
    move_up(meeting)
    db.session.commit()
    return registration


def move_up(meeting):
    """Give the free places to the waiting list, first come first served (the caller commits)."""
    if meeting.is_cancelled:
        return []
    free = None if meeting.capacity is None else meeting.capacity - counts(meeting).get(REGISTERED, 0)
    query = select(Registration).where(Registration.meeting_id == meeting.id, Registration.status == WAITING) \
        .order_by(Registration.position)
    if free is not None:
        if free <= 0:
            return []
        query = query.limit(free)
    promoted = db.session.scalars(query).all()
    for registration in promoted:
        registration.status, registration.updated_at = REGISTERED, now()
        events.publish(events.RegistrationMoved(meeting_id=meeting.id, member_id=registration.member_id,
                                                status=REGISTERED, promoted=True))
    db.session.flush()
    return promoted


def on_member_erased(event):
    """Erasure deleted the member's registrations with the rest of their rows: the places they
    held go to the waiting lists of the meetings still to come."""
    waiting = select(Registration.meeting_id).where(Registration.status == WAITING)
    for meeting in db.session.scalars(select(Meeting).where(Meeting.id.in_(waiting), Meeting.ends_at > now())
                                      .order_by(Meeting.id)).all():
        move_up(_locked(meeting))


def init_app(app):
    events.subscribe(app, events.MemberErased, on_member_erased, phase="transaction")
