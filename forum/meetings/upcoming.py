"""The next meetings change by the clock too: a meeting leaves the lists of meetings to come
(``display.upcoming``: the home page, a space's topic list) when it ends, with nothing written.
The pages kept for visitors by content versions (``forum/web/page_cache.py``) add
``next_change()`` to their key, so such a page is made again once that moment has passed.
"""
from sqlalchemy import func, select

from forum.clock import now
from forum.extensions import db

from .models import SCHEDULED, Meeting

HOME_LIMIT = 5       # on the home page
SPACE_LIMIT = 3      # on a space's topic list (its own page lists them all)


def next_change(moment=None):
    """The soonest end of a meeting to come, as text for a cache key; "" when there is none."""
    moment = moment or now()
    soonest = db.session.scalar(select(func.min(Meeting.ends_at)).where(
        Meeting.status == SCHEDULED, Meeting.ends_at > moment))
    return soonest.isoformat() if soonest is not None else ""
