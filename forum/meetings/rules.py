"""Who may see, organise and join a meeting, and who sees its private parts: the meetings' part
of ``forum/permissions.py``. Every path out — page, ``.ics``, calendar feed, email, reminder,
digest, CSV — asks these.

- A meeting is seen by who reads its space.
- Its **organisers** are its organiser (while they may still write in the space), the space's
  moderators and the coordination (``permissions.can_moderate``); a meeting is scheduled by the
  space's moderators and the coordination.
- A member **registers** where they may write (a comité space: its members).
- The **online link** is for registered participants and the organisers; the **needs** a
  participant states, for them and the organisers; the **list** of participants, for the
  organisers (members see how many come, by collège, under the small-group rule).
- **Travel costs** are declared by a participant recorded present (or registered, until the
  attendance is recorded) whom the meeting's policy covers, and are seen by the claimant and
  the coordination only, who validates them.
"""
from flask_babel import gettext as _
from sqlalchemy import select

from forum import permissions
from forum.extensions import db

from .models import (CLAIMS_COVERED_COLLEGES, CLAIMS_EVERYONE, PRESENT, REGISTERED, Attendance, Registration)


def can_see(viewer, meeting):
    return permissions.can_read_space(viewer, meeting.space)


def may_schedule(viewer, space):
    """Schedule a meeting in ``space``: its moderators and the coordination."""
    return permissions.is_member(viewer) and permissions.can_moderate(viewer, space) \
        and permissions.why_cannot_post(viewer, space) is None


def can_organise(viewer, meeting):
    """Change, cancel, accept agenda items, see the list and needs, record attendance."""
    if not permissions.is_member(viewer) or not can_see(viewer, meeting):
        return False
    if permissions.can_moderate(viewer, meeting.space):
        return True
    return meeting.organiser_id == viewer.id and permissions.why_cannot_post(viewer, meeting.space) is None


def why_cannot_register(viewer, meeting):
    """None if ``viewer`` may register (or join the waiting list), else why."""
    if not permissions.is_member(viewer):
        return _("Connectez-vous pour vous inscrire.")
    if meeting.is_cancelled:
        return _("Cette réunion est annulée.")
    if meeting.has_ended:
        return _("Cette réunion est passée.")
    return permissions.why_cannot_post(viewer, meeting.space)


def registration_of(viewer, meeting):
    """``viewer``'s registration row for ``meeting`` (any status), or None."""
    if not permissions.is_member(viewer):
        return None
    return db.session.scalar(select(Registration).where(
        Registration.meeting_id == meeting.id, Registration.member_id == viewer.id))


def is_registered(viewer, meeting):
    registration = registration_of(viewer, meeting)
    return registration is not None and registration.status == REGISTERED


def can_see_online_link(viewer, meeting):
    """Registered participants (not those waiting) and the organisers; never once cancelled."""
    if not meeting.is_online or not meeting.online_url or meeting.is_cancelled or not can_see(viewer, meeting):
        return False
    return can_organise(viewer, meeting) or is_registered(viewer, meeting)


def can_see_needs(viewer, registration):
    """The needs a participant stated: them and the meeting's organisers."""
    if not permissions.is_member(viewer):
        return False
    return viewer.id == registration.member_id or can_organise(viewer, registration.meeting)


def can_see_participants(viewer, meeting):
    """Who is registered and waiting, by name: the organisers."""
    return can_organise(viewer, meeting)


def can_propose_item(viewer, meeting):
    """Propose a point for the agenda: who may write in the space, before the meeting."""
    return permissions.is_member(viewer) and can_see(viewer, meeting) and not meeting.is_cancelled \
        and not meeting.has_ended and permissions.why_cannot_post(viewer, meeting.space) is None


def can_write_minutes(viewer, meeting):
    """The compte rendu: the organisers, once the meeting has started (nothing was said before)."""
    return can_organise(viewer, meeting) and not meeting.is_cancelled and meeting.has_started


def attended(viewer, meeting):
    """Recorded present; before any attendance is recorded, registered."""
    recorded = db.session.scalars(select(Attendance).where(Attendance.meeting_id == meeting.id)).all()
    if recorded:
        return any(a.member_id == viewer.id and a.status == PRESENT for a in recorded)
    return is_registered(viewer, meeting)


def is_covered(viewer, meeting):
    """Does the meeting's policy let ``viewer`` declare travel costs at all?"""
    if meeting.travel_claims == CLAIMS_EVERYONE:
        return True
    if meeting.travel_claims == CLAIMS_COVERED_COLLEGES:
        return bool(viewer.college_confirmed and viewer.college is not None
                     and viewer.college.travel_costs_covered)
    return False


def why_cannot_claim(viewer, meeting):
    """None if ``viewer`` may declare travel costs for ``meeting``, else why."""
    if not permissions.is_member(viewer) or not can_see(viewer, meeting):
        return _("Connectez-vous pour déclarer des frais.")
    if meeting.is_cancelled:
        return _("Cette réunion est annulée.")
    if not meeting.has_started:
        return _("Les frais de déplacement se déclarent une fois la réunion commencée.")
    if not is_covered(viewer, meeting):
        return _("Les frais de déplacement de cette réunion ne sont pas pris en charge pour vous "
                 "(voir les règles du comité).")
    if not attended(viewer, meeting):
        return _("Seuls les participants présents à la réunion déclarent des frais de déplacement.")
    return None


def can_see_claim(viewer, claim):
    """A claim and its amount: the claimant and the coordination."""
    return permissions.is_member(viewer) and (viewer.id == claim.member_id or permissions.is_coordinator(viewer))


def can_decide_claims(viewer):
    """Validate or refuse a claim, export the validated ones: the coordination."""
    return permissions.is_coordinator(viewer)
