"""The next meetings a reader may see: on the home page (every space they read; for a visitor,
the public ones), on a space's topic list, and in the weekly digest (``digest_part``).

A meeting shows until it ends; cancelled ones never do. Pages kept for visitors by content
versions (``forum/web/page_cache.py``) also change by the clock when a meeting ends: they add
``next_change()`` to their key.
"""
from dataclasses import dataclass

from sqlalchemy import func, select

from forum import permissions
from forum.clock import now
from forum.extensions import db

from . import rules
from .models import SCHEDULED, Meeting

HOME_LIMIT = 5
SPACE_LIMIT = 3


@dataclass(frozen=True)
class UpcomingMeeting:
    id: int
    title: str
    starts_at: object
    ends_at: object
    kind: str
    mode: str
    place_name: str
    space_name: str
    space_slug: str
    url: str
    started: bool = False


def upcoming(viewer, limit=HOME_LIMIT, space=None, within=None, moment=None):
    """The next meetings, soonest first, of ``space`` or of every space ``viewer`` reads; with
    ``within`` (a timedelta), only those starting before ``moment + within``."""
    moment = moment or now()
    if space is not None:
        space_ids = {space.id} if permissions.can_read_space(viewer, space) else set()
    else:
        space_ids = permissions.readable_space_ids(viewer)
    if not space_ids:
        return []
    query = select(Meeting).where(Meeting.status == SCHEDULED, Meeting.ends_at > moment,
                                  Meeting.space_id.in_(space_ids))
    if within is not None:
        query = query.where(Meeting.starts_at < moment + within)
    meetings = db.session.scalars(query.order_by(Meeting.starts_at, Meeting.id).limit(limit)).all()
    return [UpcomingMeeting(m.id, m.title, m.starts_at, m.ends_at, m.kind, m.mode,
                            m.place_name if m.has_place else "", m.space.name, m.space.slug,
                            f"/reunion/{m.id}", m.starts_at <= moment)
            for m in meetings if rules.can_see(viewer, m)]


def next_change(moment=None):
    """When the lists above next change by themselves (the soonest end of a meeting to come), as
    text for a cache key; "" when no meeting is to come."""
    moment = moment or now()
    soonest = db.session.scalar(select(func.min(Meeting.ends_at)).where(
        Meeting.status == SCHEDULED, Meeting.ends_at > moment))
    return soonest.isoformat() if soonest is not None else ""
