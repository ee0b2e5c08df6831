"""Builders of decisions for the tests of forum/decisions/."""
from datetime import timedelta

import pytest

from forum.clock import now
from forum.decisions import voting
from forum.decisions.models import Poll
from forum.extensions import db
from forum.topics.models import Member, Post, Topic

from ..helpers import detach
# Fixtures of live decisions (tests/decisions/test_live.py).
from ..realtime.conftest import servers, sockets  # noqa: F401


def settings(kind="single", options=("Mardi", "Jeudi"), days=7, **chosen):
    return voting.PollSettings(kind=kind, question=chosen.pop("question", "Quel jour pour la réunion ?"),
                               closes_at=chosen.pop("closes_at", now() + timedelta(days=days)),
                               options=list(options), **chosen)


@pytest.fixture
def open_poll(app):
    """``open_poll(author, topic, kind=…, options=…, **settings)``: a decision opened with a reply."""
    def build(author, topic, body="Décidons ensemble.", parent=None, **chosen):
        with app.app_context():
            poll = voting.open_poll(db.session.get(Member, author.id), db.session.get(Topic, topic.id),
                                    settings(**chosen), body,
                                    db.session.get(Post, parent.id) if parent else None)
            return detach(poll)
    return build


@pytest.fixture
def vote(app):
    """``vote(member, poll, {position: value}, reason="")``: the ballot as cast, detached."""
    def cast(member, poll, choice, reason=""):
        with app.app_context():
            try:
                return detach(voting.cast_ballot(db.session.get(Member, member.id), db.session.get(Poll, poll.id),
                                                 choice, reason))
            except Exception:
                db.session.rollback()
                raise
    return cast
