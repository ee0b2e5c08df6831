"""The decisions' part of what concerns one member: their archive ("Mes données") and the
erasure of their account.

- Archive: the ballots still linked to them (an anonymous decision's ballots are unlinked at its
  closing: nothing is left to give back) with their history, and the action items assigned to them.
- Erasure: their ballots stay counted (the voter shows as "Ancien membre N"); when their
  contributions are removed, the reasons kept on their ballots go too (the replies that carried
  them are emptied by the erasure itself).
"""
from flask_babel import lazy_gettext
from sqlalchemy import select, update

from forum import events
from forum.accounts import portability
from forum.accounts.erasure import MODE_REMOVE, FormerMember
from forum.extensions import db

from . import kinds
from .models import ActionItem, Ballot, BallotRevision, Poll

iso = portability.iso

LABELS = {
    "decision": lazy_gettext("Décision"), "topic": lazy_gettext("Sujet"), "space": lazy_gettext("Espace"),
    "choice": lazy_gettext("Votre choix"), "reason": lazy_gettext("Votre raison"),
    "updated_at": lazy_gettext("Enregistré le"), "history": lazy_gettext("Versions"),
    "what": lazy_gettext("Action"), "due_on": lazy_gettext("Échéance"), "status": lazy_gettext("État"),
}


def _choice(poll, raw):
    """The choice in words: option labels with their value (rank, score, answer)."""
    labels = {o.position: kinds.option_label(poll, o) for o in poll.options}
    return {labels.get(position, str(position)): value for position, value in sorted(kinds.loaded(raw).items())}


def ballots_of(member):
    rows = []
    for ballot in db.session.scalars(select(Ballot).where(Ballot.member_id == member.id).order_by(Ballot.id)):
        poll = db.session.get(Poll, ballot.poll_id)
        history = db.session.scalars(select(BallotRevision).where(BallotRevision.ballot_id == ballot.id)
                                     .order_by(BallotRevision.number)).all()
        rows.append({"decision": poll.question, "topic": poll.topic.title, "space": poll.topic.space.name,
                     "choice": _choice(poll, ballot.choice), "reason": ballot.reason,
                     "updated_at": iso(ballot.updated_at),
                     "history": [{"choice": _choice(poll, h.choice), "reason": h.reason,
                                  "updated_at": iso(h.created_at)} for h in history]})
    return rows


def actions_of(member):
    return [{"what": item.what, "decision": item.outcome.poll.question, "due_on": item.due_on.isoformat()
             if item.due_on else None, "status": item.status}
            for item in db.session.scalars(select(ActionItem).where(ActionItem.assignee_id == member.id)
                                           .order_by(ActionItem.id))]


def forget_reasons(event):
    """Contributions removed: the reasons kept with the ballots go with them."""
    former = db.session.get(FormerMember, event.member_id)
    if former is None or former.mode != MODE_REMOVE:
        return
    ballots = select(Ballot.id).where(Ballot.member_id == event.member_id)
    db.session.execute(update(BallotRevision).where(BallotRevision.ballot_id.in_(ballots)).values(reason=""))
    db.session.execute(update(Ballot).where(Ballot.member_id == event.member_id).values(reason=""))


def init_app(app):
    portability.register_section(app, "votes", lazy_gettext("Vos votes"), ballots_of, LABELS)
    portability.register_section(app, "actions", lazy_gettext("Actions qui vous sont confiées"), actions_of,
                                 LABELS)
    events.subscribe(app, events.MemberErased, forget_reasons, phase="transaction")
