"""Builders of meetings for the tests of forum/meetings/."""
from dataclasses import replace
from datetime import timedelta

import pytest

from forum import dates
from forum.clock import now
from forum.extensions import db
from forum.meetings import registering, scheduling
from forum.meetings.models import Meeting
from forum.topics.models import Member, Space

from ..helpers import detach


def typed(days=7, hours=2, **chosen):
    """A ``MeetingInput`` for a meeting in ``days`` days at 14:00 Paris time, ``hours`` long."""
    start = dates.local(now() + timedelta(days=days)).replace(hour=14, minute=0)
    end = start + timedelta(hours=hours)
    values = scheduling.MeetingInput(
        title="Plénière du comité", day=f"{start:%Y-%m-%d}", start=f"{start:%H:%M}", end=f"{end:%H:%M}",
        end_day=f"{end:%Y-%m-%d}" if end.date() != start.date() else "",
        place_name="Maison des associations", address="12 rue de la République, 13001 Marseille",
        step_free=True, transport="Métro Vieux-Port")
    return replace(values, **chosen)


@pytest.fixture
def schedule(app):
    """``schedule(organiser, space, days=7, **fields)``: a meeting scheduled through the domain,
    detached."""
    def build(organiser, space, days=7, hours=2, **chosen):
        with app.app_context():
            meeting = scheduling.schedule(db.session.get(Member, organiser.id), db.session.get(Space, space.id),
                                          typed(days, hours, **chosen))
            return detach(meeting)
    return build


@pytest.fixture
def register(app):
    """``register(member, meeting, needs=(), note="")``: the registration, detached."""
    def build(member, meeting, needs=(), note=""):
        with app.app_context():
            return detach(registering.register(db.session.get(Member, member.id),
                                               db.session.get(Meeting, meeting.id), needs, note))
    return build


@pytest.fixture
def move(app):
    """``move(meeting, days)``: shift a meeting in time directly (a meeting in the past cannot be
    scheduled), detached."""
    def shift(meeting, days):
        with app.app_context():
            row = db.session.get(Meeting, meeting.id)
            row.starts_at += timedelta(days=days)
            row.ends_at += timedelta(days=days)
            db.session.commit()
            return detach(row)
    return shift
