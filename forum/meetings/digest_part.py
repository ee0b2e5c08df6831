"""« Prochaines réunions » in the weekly digest: the meetings of the next 14 days in the spaces
the recipient reads (and the previewer, when there is one), cancelled ones left out.

Read once per run (``source.shared``) as plain values, filtered per member in memory: a meeting
is seen exactly by who reads its space (``rules.can_see``), which ``readable`` holds.
"""
from datetime import timedelta

from sqlalchemy import select

from forum import dates
from forum.extensions import db
from forum.notifications import digest
from forum.notifications.mail import absolute_url
from forum.topics.models import Space

from .models import SCHEDULED, Meeting

AHEAD = timedelta(days=14)
ITEMS = 10


def init_app(app):
    digest.register_part(app, upcoming_part)


def _coming(source):
    rows = db.session.execute(
        select(Meeting.id, Meeting.title, Meeting.starts_at, Meeting.space_id, Space.name.label("space"))
        .join(Space, Space.id == Meeting.space_id)
        .where(Meeting.status == SCHEDULED, Meeting.starts_at >= source.end, Meeting.starts_at < source.end + AHEAD)
        .order_by(Meeting.starts_at, Meeting.id)).all()
    return [{"id": row.id, "title": row.title, "starts_at": row.starts_at, "space_id": row.space_id,
             "space": row.space} for row in rows]


def upcoming_part(member, source, readable, gettext):
    """The meetings to come in the spaces ``readable`` (already the member's and previewer's)."""
    entries = [digest.PartEntry(entry["title"], absolute_url("meetings.show", meeting_id=entry["id"]),
                                gettext("%(space)s, le %(when)s", space=entry["space"],
                                        when=dates.format_datetime(entry["starts_at"], member.locale or "fr")))
               for entry in source.shared("meetings-coming", lambda: _coming(source))
               if entry["space_id"] in readable][:ITEMS]
    return digest.DigestPart(gettext("Prochaines réunions"), entries) if entries else None
