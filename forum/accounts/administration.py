"""What coordinators do to members: confirm collèges, give roles, appoint moderators.

And what members do to themselves: choose what others see. (Comités: forum/accounts/membership.py.)
"""
from flask_babel import gettext as _
from sqlalchemy import select

from forum import events
from forum.errors import Forbidden, Invalid
from forum.extensions import db
from forum.numbers import parse_int
from forum.permissions import is_coordinator

from . import membership
from .models import ROLE_ADMIN, ROLES, College, Member


def _require_coordinator(actor):
    if not is_coordinator(actor):
        raise Forbidden(_("Réservé à la coordination."))


def confirm_college(actor, member, college=None):
    """Confirm ``member``'s collège (or assign ``college`` and confirm it)."""
    _require_coordinator(actor)
    college = college or member.college
    if college is None:
        raise Invalid({"college": _("Ce membre n'a pas demandé de collège.")})
    member.college, member.college_confirmed = college, True
    membership.close_college_request(actor, member)
    events.publish(events.CollegeConfirmed(member_id=member.id, college_id=college.id))
    events.publish(events.MemberAccessChanged(member_id=member.id))
    db.session.commit()
    return member


def set_role(actor, member, role):
    _require_coordinator(actor)
    if role not in ROLES:
        raise Invalid({"role": _("Rôle inconnu.")})
    if (role == ROLE_ADMIN or member.is_admin) and not actor.is_admin:
        raise Forbidden(_("Seul un administrateur peut donner ou retirer ce rôle."))
    member.role = role
    events.publish(events.MemberAccessChanged(member_id=member.id))
    db.session.commit()
    return member


def update_member(actor, member, college_id, role):
    """The coordination's member form: confirm (or change) the collège, then the role."""
    college_id = parse_int(college_id, 1)
    college = db.session.get(College, college_id) if college_id else None
    if college is not None and (college.id != member.college_id or not member.college_confirmed):
        confirm_college(actor, member, college)
    if role != member.role:
        set_role(actor, member, role)


def appoint_moderator(actor, space, member):
    _require_coordinator(actor)
    if member not in space.moderators:
        space.moderators.append(member)
        events.publish(events.MemberAccessChanged(member_id=member.id))
        db.session.commit()


def dismiss_moderator(actor, space, member):
    _require_coordinator(actor)
    if member in space.moderators:
        space.moderators.remove(member)
        events.publish(events.MemberAccessChanged(member_id=member.id))
        db.session.commit()


def update_profile(member, show_college, bio, locale):
    if locale not in (None, "", "fr", "en"):
        raise Invalid({"locale": _("Langue inconnue.")})
    if len(bio or "") > 2000:
        raise Invalid({"bio": _("La présentation est trop longue (2 000 caractères au plus).")})
    member.show_college = bool(show_college)
    member.bio = (bio or "").strip()
    member.locale = locale or None
    db.session.commit()


def pending_colleges():
    return db.session.scalars(select(Member).where(Member.college_confirmed.is_(False),
                                                   Member.college_id.is_not(None))
                              .order_by(Member.created_at)).all()


def colleges():
    return db.session.scalars(select(College).order_by(College.position, College.name)).all()
