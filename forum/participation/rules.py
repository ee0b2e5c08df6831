"""Who sees participation, and over which spaces (asked by the page, its CSV and its charts).

- The whole forum: the coordination (coordinators and administrators), over the spaces they
  read: a space that keeps staff out is not counted on their page either.
- One comité: its members (granted memberships only), its moderators and the coordination,
  over the comité's space and the spaces kept for its members, as far as the viewer reads them.

Anyone else is told the page does not exist (404), as for a space they may not read: whether a
comité has a participation page, and how busy it is, is no outsider's business.
"""
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from forum.extensions import db
from forum.permissions import (can_read_space, is_coordinator, is_member, is_space_moderator,
                               readable_spaces)
from forum.topics.models import KIND_COMMITTEE, Space, space_committee_access

from .report import Scope


def may_see_forum(viewer):
    return is_coordinator(viewer)


def may_see_committee(viewer, space):
    if space is None or space.kind != KIND_COMMITTEE or not is_member(viewer) or not can_read_space(viewer, space):
        return False
    return is_coordinator(viewer) or is_space_moderator(viewer, space) or space.id in viewer.committee_ids


def may_see_committee_page(space):
    """For the space's page: whether to link to its participation (the reader's own right)."""
    return may_see_committee(current_user, space)


def forum_scope(viewer):
    return Scope(tuple(readable_spaces(viewer)))


def committee_scope(viewer, space):
    """The comité's space, then the spaces restricted to its members, that ``viewer`` reads."""
    attached = select(space_committee_access.c.space_id).where(space_committee_access.c.committee_id == space.id)
    kept = db.session.scalars(select(Space).where(Space.id.in_(attached))
                              .options(selectinload(Space.allowed_committees), selectinload(Space.allowed_colleges),
                                       selectinload(Space.moderators))
                              .order_by(Space.position, Space.name)).all()
    return Scope((space, *(s for s in kept if s.id != space.id and can_read_space(viewer, s))), committee=space)
