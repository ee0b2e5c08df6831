"""A meeting prepared from a closed « date de réunion » decision: the comité chose its date
together (forum/decisions/, kind ``meeting``), an organiser schedules it from there with the
title, the chosen slot and a link back to the decision filled in.

The slot is the label members voted on (« mardi 12 janvier, 14 h »), free text: it is shown as a
reminder beside the date fields, never guessed into a date.
"""
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from forum.decisions import results, rules as decision_rules
from forum.decisions.models import MEETING, Poll
from forum.extensions import db

from . import rules


@dataclass
class Proposal:
    poll_id: int
    question: str
    slot: str
    yes: int
    maybe: int


def chosen_slot(poll):
    """The slot most said yes to (then maybe, then the first proposed), with its counts."""
    options = results.current(poll)["options"]

    def key(option):
        counts = options.get(str(option.position), {})
        return counts.get("yes", 0), counts.get("maybe", 0), -option.position
    best = max(poll.options, key=key)
    counts = options.get(str(best.position), {})
    return best.label, counts.get("yes", 0), counts.get("maybe", 0)


def proposal(viewer, poll_id, space):
    """What a closed meeting-time decision of ``space`` proposes, if ``viewer`` may schedule
    there and see its results; else None."""
    poll = db.session.scalar(select(Poll).where(Poll.id == poll_id)) if poll_id else None
    if poll is None or poll.kind != MEETING or not poll.is_closed or poll.topic.space_id != space.id:
        return None
    if not rules.may_schedule(viewer, space) or not decision_rules.can_see_tally(viewer, poll):
        return None
    slot, yes, maybe = chosen_slot(poll)
    return Proposal(poll_id=poll.id, question=poll.question, slot=slot, yes=yes, maybe=maybe)


def description(found, decision_url):
    return _("Date choisie ensemble : [%(question)s](%(url)s) — « %(slot)s ».",
             question=found.question, url=decision_url, slot=found.slot)


def may_schedule_from(viewer, poll):
    """Does a closed decision's block offer ``viewer`` to schedule the meeting it chose?"""
    return poll.kind == MEETING and poll.is_closed and rules.may_schedule(viewer, poll.topic.space)
