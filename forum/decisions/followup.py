"""A space's follow-up page (« Suivi des décisions », a comité's above all), as plain data:
open action items, outcomes whose review date has come, decisions open now, recent outcomes.

Every decision passes ``rules.can_see_poll`` (a held post hides its decision here too); the
page itself is for whoever reads the space (``permissions.can_read_space``, else 404).
"""
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from forum.errors import NotFound
from forum.extensions import db
from forum.permissions import can_read_space
from forum.topics.models import Topic

from . import outcomes, rules
from .models import ACTION_OPEN, ActionItem, Outcome, Poll

RECENT_OUTCOMES = 10
OPEN_ACTIONS = 200
OWED_OUTCOMES = 50


def _poll_entry(poll):
    return {"id": poll.id, "question": poll.question, "topic_title": poll.topic.title,
            "post_id": poll.post_id, "closes_at": poll.closes_at, "closed_at": poll.closed_at}


def _outcome_entry(outcome):
    return {"poll": _poll_entry(outcome.poll), "html": outcome.html, "author": outcome.author.pseudonym,
            "created_at": outcome.created_at, "review_on": outcome.review_on,
            "review_label": outcomes.day_label(outcome.review_on)}


def space_followup(viewer, space):
    """{"space", "actions", "reviews", "open_polls", "owed", "recent"} of ``space`` for ``viewer``
    ("owed": closed decisions whose outcome is not written yet);
    ``NotFound`` when the viewer may not read the space."""
    if not can_read_space(viewer, space):
        raise NotFound("")
    seen = {}

    def visible(poll):
        if poll.id not in seen:
            seen[poll.id] = rules.can_see_poll(viewer, poll)
        return seen[poll.id]

    in_space = select(Topic.id).where(Topic.space_id == space.id)
    open_polls = db.session.scalars(
        select(Poll).options(selectinload(Poll.topic), selectinload(Poll.post))
        .where(Poll.topic_id.in_(in_space), Poll.closed_at.is_(None)).order_by(Poll.closes_at, Poll.id)).all()
    # Closed, and nobody has written what was decided yet: the comité owes itself an outcome.
    owed = db.session.scalars(
        select(Poll).options(selectinload(Poll.topic), selectinload(Poll.post))
        .outerjoin(Outcome, Outcome.poll_id == Poll.id)
        .where(Poll.topic_id.in_(in_space), Poll.closed_at.is_not(None), Outcome.id.is_(None))
        .order_by(Poll.closed_at.desc(), Poll.id.desc()).limit(OWED_OUTCOMES)).all()
    written = (select(Outcome).join(Poll, Poll.id == Outcome.poll_id)
               .options(selectinload(Outcome.poll).selectinload(Poll.topic),
                        selectinload(Outcome.poll).selectinload(Poll.post))
               .where(Poll.topic_id.in_(in_space)))
    day = outcomes.today()
    reviews = db.session.scalars(written.where(Outcome.review_on.is_not(None), Outcome.review_on <= day)
                                 .order_by(Outcome.review_on, Outcome.id)).all()
    recent = db.session.scalars(written.order_by(Outcome.created_at.desc(), Outcome.id.desc())
                                .limit(RECENT_OUTCOMES * 3)).all()
    items = db.session.scalars(
        select(ActionItem).join(Outcome, Outcome.id == ActionItem.outcome_id).join(Poll, Poll.id == Outcome.poll_id)
        .options(selectinload(ActionItem.outcome).selectinload(Outcome.poll).selectinload(Poll.topic))
        .where(Poll.topic_id.in_(in_space), ActionItem.status == ACTION_OPEN)
        .order_by(ActionItem.due_on.is_(None), ActionItem.due_on, ActionItem.id).limit(OPEN_ACTIONS)).all()
    actions = []
    for item in items:
        if visible(item.outcome.poll):
            entry = outcomes.action_view(viewer, item, day)
            entry["poll"] = _poll_entry(item.outcome.poll)
            actions.append(entry)
    return {"space": {"name": space.name, "slug": space.slug, "kind": space.kind},
            "actions": actions,
            "reviews": [_outcome_entry(o) for o in reviews if visible(o.poll)],
            "open_polls": [_poll_entry(p) for p in open_polls if visible(p)],
            "owed": [_poll_entry(p) for p in owed if visible(p)],
            "recent": [_outcome_entry(o) for o in recent if visible(o.poll)][:RECENT_OUTCOMES]}
