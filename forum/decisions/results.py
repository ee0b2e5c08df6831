"""The tally of a decision: overall while it is open (where its author lets it be seen), and
once closed the final table per collège, computed once on the final ballots and stored.

Why the per-collège table waits for the closing: every refresh of a moving table is a new
release, and two releases subtract (a collège crossing the threshold of five unmasks its past
votes; docs/decisions.md). One table, computed once, cannot be differenced.
"""
import itertools
import json

from sqlalchemy import Text, cast, func, select

from forum.accounts.models import College
from forum.extensions import db

from . import kinds, tally
from .models import Ballot


def _ballots(poll_id):
    """(collège, choice) of every ballot. The database counts identical ballots and each is
    decoded once: decoding 10,000 JSON rows one by one was most of the tally's time, over the
    50 ms it may take (bench/decisions_bench.py); a decision has a few hundred distinct ballots."""
    choice = cast(Ballot.choice, Text)
    rows = db.session.execute(select(Ballot.college_id, choice, func.count()).where(Ballot.poll_id == poll_id)
                              .group_by(Ballot.college_id, choice))
    decoded, ballots = {}, []
    for college_id, raw, number in rows:
        if raw not in decoded:
            decoded[raw] = kinds.loaded(json.loads(raw))
        ballots.extend(itertools.repeat((college_id, decoded[raw]), number))
    return ballots


def option_keys(poll):
    return [option.position for option in poll.options]


def current(poll):
    """The overall tally now, keys as strings like the stored table (callers ask
    ``rules.can_see_tally`` first)."""
    if poll.results is not None:
        return poll.results["overall"]
    return _json_safe(tally.count(poll.kind, option_keys(poll), (c for _, c in _ballots(poll.id)),
                                  max_score=poll.max_score))


def college_order(poll):
    """The collèges of the electorate in their public order (never sorted by count): the poll's
    chosen collèges, or all of them."""
    if poll.colleges:
        return [c.id for c in poll.colleges]
    return list(db.session.scalars(select(College.id).order_by(College.position, College.id)))


def final(poll):
    """The table stored at closing: overall, shown collèges, "autres collèges", quorum."""
    ballots = _ballots(poll.id)
    table = tally.per_college(poll.kind, option_keys(poll), ballots, college_order(poll),
                              max_score=poll.max_score)
    represented = len({college for college, _ in ballots if college is not None})
    table["quorum"] = {"voters": len(ballots), "colleges": represented,
                       "reached": quorum_reached(poll, len(ballots), represented)}
    return _json_safe(table)


def quorum_reached(poll, voters, colleges):
    return voters >= poll.quorum_voters and colleges >= poll.quorum_colleges


def colleges_represented(poll_id):
    return db.session.scalar(select(func.count(func.distinct(Ballot.college_id)))
                             .where(Ballot.poll_id == poll_id, Ballot.college_id.is_not(None)))


def _json_safe(value):
    """JSON keeps string keys only: every table, stored or not, has its option and collège
    keys as strings."""
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_json_safe(v) for v in value]
    return value
