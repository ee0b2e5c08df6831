"""Who manages webhooks, and who a webhook reads as: the webhooks' part of ``forum/permissions.py``.

- Webhooks are the **administrators'** (``Member.is_admin``, the role that alone may name other
  administrators): created, changed, disabled and deleted by them only; coordinators do not
  see them (a payload address could carry what the forum holds).
- A webhook **reads as a visitor without an account** (``flask_login``'s anonymous user):
  every payload is built from what ``forum.permissions`` lets that viewer read.
- A webhook **scoped to a space** reads that space as a member its access lists let in, who holds
  no role and wrote nothing (``SpaceReader``): the same rules, asked of that viewer, so a hidden
  post's text or a pending post never leaves, and only that space's events go out.
"""
from flask_login import AnonymousUserMixin

from forum.permissions import is_member
from forum.topics.models import VISIBILITY_PUBLIC


def may_manage(viewer):
    """May ``viewer`` see and change the webhooks?"""
    return is_member(viewer) and viewer.is_admin


class SpaceReader:
    """A member admitted by ``space``'s access lists (a granted comité, a confirmed collège),
    with no role, no space to moderate and no post of their own (``id`` is None)."""
    is_authenticated = True
    is_active = True
    is_anonymous = False
    id = None
    is_coordinator = False
    is_admin = False
    locale = "fr"

    def __init__(self, space):
        self.committee_ids = {committee.id for committee in space.allowed_committees}
        colleges = sorted(college.id for college in space.allowed_colleges)
        self.college_id = colleges[0] if colleges else None
        self.college_confirmed = bool(colleges)

    def get_id(self):
        return None


def viewer_of(webhook):
    """Who ``webhook`` reads as."""
    if webhook.space_id is None:
        return AnonymousUserMixin()
    return SpaceReader(webhook.space)


def may_scope_to(space):
    """A scope opens what a visitor cannot read: a public space needs none."""
    return space.visibility != VISIBILITY_PUBLIC


def covers(webhook, space_id):
    """Does ``webhook`` take the events of the space ``space_id`` (None: an event of no space,
    such as a member joining, which every webhook may take)?"""
    return space_id is None or webhook.space_id is None or webhook.space_id == space_id
