"""Reminders of a meeting, by email to its registered participants (not those waiting): two
days before (``Meeting.reminded_early_at``) and two hours before (``reminded_late_at``).

Each is claimed by one ``UPDATE … WHERE … IS NULL`` committed before anything is sent: run
twice, or on two machines, whoever writes the claim first sends, the other finds nothing (a
mail server down then loses that reminder rather than sending it twice). Moving a meeting
empties both (``scheduling.change``), so they are due again for the new time. The web
process's background thread runs ``remind_due`` every few minutes; ``flask meetings remind``
does it from cron.
"""
from datetime import timedelta

from sqlalchemy import select, update

from forum.clock import now
from forum.extensions import db
from forum.notifications import mailing

from . import display, emailing
from .models import SCHEDULED, Meeting

EARLY = timedelta(days=2)
LATE = timedelta(hours=2)
EVERY = 300                 # seconds between two runs of the background thread

KIND_EARLY = "early"
KIND_LATE = "late"


def init_app(app):
    mailing.register_periodic(app, remind_due, every=EVERY)


def _column(kind):
    return Meeting.reminded_early_at if kind == KIND_EARLY else Meeting.reminded_late_at


def _window(kind, moment):
    """Conditions on a meeting whose ``kind`` reminder is due at ``moment``. The early one is
    not due once the late one is (one email, not two, for a meeting scheduled at short notice)."""
    if kind == KIND_LATE:
        return (Meeting.starts_at > moment, Meeting.starts_at <= moment + LATE)
    return (Meeting.starts_at > moment + LATE, Meeting.starts_at <= moment + EARLY)


def due_work(moment=None):
    """[(kind, meeting id)] of every reminder whose time has come and that nobody has claimed."""
    moment = moment or now()
    work = []
    for kind in (KIND_LATE, KIND_EARLY):
        ids = db.session.scalars(select(Meeting.id).where(
            Meeting.status == SCHEDULED, _column(kind).is_(None), *_window(kind, moment))
            .order_by(Meeting.starts_at, Meeting.id)).all()
        work += [(kind, meeting_id) for meeting_id in ids]
    return work


def remind_due():
    """Send every due reminder; returns how many emails this call sent."""
    return sum(remind_one(kind, meeting_id) for kind, meeting_id in due_work())


def remind_one(kind, meeting_id):
    """Claim one reminder (committed), then send it; 0 when another run claimed it first."""
    moment = now()
    column = _column(kind)
    try:
        taken = db.session.execute(update(Meeting).where(
            Meeting.id == meeting_id, Meeting.status == SCHEDULED, column.is_(None), *_window(kind, moment))
            .values({column.key: moment}).execution_options(synchronize_session=False)).rowcount == 1
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    if not taken:
        return 0
    meeting = db.session.get(Meeting, meeting_id)
    db.session.refresh(meeting)
    return emailing.deliver(meeting, emailing.registered(meeting), "meeting_reminder", lambda _, locale: _(
        "Rappel : « %(title)s », %(when)s", title=meeting.title, when=display.when(meeting, locale)))
