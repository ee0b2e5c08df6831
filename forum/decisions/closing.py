"""Closing a decision: by its author or a moderator, or at its closing date (the web process's
background thread, and `flask decisions close-due` from cron: safe twice, on two machines)."""
import logging
import random

from flask_babel import gettext as _
from sqlalchemy import delete, select, update

from forum import events
from forum.clock import now
from forum.errors import Forbidden, Refused
from forum.extensions import db

from . import results, rules, voting
from .models import Ballot, BallotRevision, Poll

log = logging.getLogger(__name__)


def close_poll(poll, closer=None):
    """Close ``poll`` now (``closer`` None: its date has come). Refused with 409 when it is
    already closed: whoever writes the closing first wins, a ballot written before counts."""
    if poll.is_closed:
        raise Refused(_("Cette décision est déjà close."), status=409)
    if closer is not None and not rules.can_close(closer, poll):
        raise Forbidden(_("Seuls l'auteur de la décision et ses modérateurs peuvent la clore."))
    moment = now()
    # The same row every ballot writes first: a ballot committed before this counts, one
    # arriving after finds the decision closed (409), none is lost between the two.
    taken = db.session.execute(update(Poll).where(Poll.id == poll.id, Poll.closed_at.is_(None))
                               .values(closed_at=moment, closed_by_id=closer.id if closer else None)
                               .execution_options(synchronize_session=False))
    if taken.rowcount != 1:
        db.session.rollback()
        raise Refused(_("Cette décision est déjà close."), status=409)
    db.session.refresh(poll)
    table = results.final(poll)
    poll.results, poll.quorum_reached = table, table["quorum"]["reached"]
    if poll.anonymous:
        _unlink(poll)
    events.publish(events.PollClosed(poll_id=poll.id, topic_id=poll.topic_id, space_id=poll.topic.space_id))
    db.session.commit()
    _publish_kept_reasons(poll)
    return poll


def _unlink(poll):
    """Anonymous: from the closing on, nothing links a ballot to a voter. The ballots are
    written again in a random order without member or time (ids and times would otherwise
    follow the order of ``PollVoter``), and no history is kept."""
    rows = db.session.execute(select(Ballot.college_id, Ballot.choice).where(Ballot.poll_id == poll.id)).all()
    ballot_ids = select(Ballot.id).where(Ballot.poll_id == poll.id)
    db.session.execute(delete(BallotRevision).where(BallotRevision.ballot_id.in_(ballot_ids)))
    db.session.execute(delete(Ballot).where(Ballot.poll_id == poll.id))
    rows = list(rows)
    random.SystemRandom().shuffle(rows)
    db.session.add_all(Ballot(poll_id=poll.id, member_id=None, college_id=college_id, choice=choice,
                              updated_at=poll.closed_at) for college_id, choice in rows)


def _publish_kept_reasons(poll):
    """Reasons kept out of the thread while the tally was hidden go into it now, each as its
    voter's reply; one its voter may no longer post stays with the ballot (logged)."""
    if voting.reasons_published_while_open(poll) or poll.anonymous:
        return
    ballots = db.session.scalars(select(Ballot).where(Ballot.poll_id == poll.id, Ballot.reason != "",
                                                      Ballot.reason_post_id.is_(None))).all()
    for ballot in ballots:
        try:
            voting.publish_reason(ballot.member, poll, ballot)
        except Refused as refusal:
            db.session.rollback()
            log.info("reason of ballot %s not published at the closing of poll %s: %s",
                     ballot.id, poll.id, refusal.message)


def close_due():
    """Close every decision whose date has come; returns how many this call closed. Another
    machine closing the same one first is no error."""
    due = db.session.scalars(select(Poll.id).where(Poll.closed_at.is_(None), Poll.closes_at <= now())
                             .order_by(Poll.closes_at)).all()
    closed = 0
    for poll_id in due:
        poll = db.session.get(Poll, poll_id)
        try:
            close_poll(poll)
            closed += 1
        except Refused:
            db.session.rollback()
    return closed
