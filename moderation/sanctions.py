"""Decisions about a member: warn, read-only (silence), suspend, and lift them.

Read-only and suspension reach every space, so they are the coordination's (``can_sanction``);
a space moderator warns about what happens in their space (``can_warn``). The core reads
``Member.silenced_until`` (no posting) and ``Member.suspended_until`` (logged out: Flask-Login
sees an inactive account); ``MemberAccessChanged`` lets realtime drop the member's sockets.
"""
from datetime import timedelta

from flask_babel import gettext as _

from forum import events
from forum.accounts.models import Member
from forum.clock import now
from forum.errors import Conflict, Forbidden, Invalid
from forum.extensions import db
from forum.numbers import parse_int

from . import deciding
from .deciding import cite, clean_justification, record, reversal
from .permissions import can_sanction, can_warn

UNITS = {"heures": timedelta(hours=1), "jours": timedelta(days=1)}
MAX_DURATION = timedelta(days=366)
# Sanction kind → the Member column holding its end.
COLUMNS = {"silence": "silenced_until", "suspend": "suspended_until"}


def duration_of(amount, unit):
    if unit not in UNITS:
        raise Invalid({"unit": _("Choisissez heures ou jours.")})
    # Bounded before multiplying: 99999999999 days overflow timedelta.
    amount = parse_int(amount, 1, MAX_DURATION // UNITS[unit])
    if amount is None:
        raise Invalid({"duration": _("Une durée d'une heure à un an.")})
    return UNITS[unit] * amount


def _state(member):
    return {"silenced_until": _iso(member.silenced_until), "suspended_until": _iso(member.suspended_until)}


def _iso(value):
    return value.isoformat(timespec="seconds") if value else None


def _begin(member, allowed):
    """Check, lock the member's row and read it again, check again: another moderator may have
    acted on the member meanwhile."""
    for attempt in (1, 2):
        if not allowed():
            raise Forbidden(_("Vous ne pouvez pas prendre cette décision à l'égard de ce membre."))
        if attempt == 1:
            deciding.lock(Member, member.id)
            deciding.fresh(member)


def warn(moderator, member, articles, justification, space=None, post=None, reverses=None):
    """A warning: no effect but a recorded, explained reminder of the règlement."""
    articles = cite(articles)
    justification = clean_justification(justification)
    space = post.topic.space if post is not None else space
    _begin(member, lambda: can_warn(moderator, member, space))
    decision = record(moderator, "warn", member=member, space=space, topic=post.topic if post else None,
                      post=post, articles=articles, justification=justification, reverses=reverses,
                      before=_state(member), after=_state(member))
    db.session.commit()
    return decision


def withdraw_warning(moderator, decision, justification="", articles=()):
    member = decision.member
    justification = clean_justification(justification, required=False) or "Avertissement retiré."
    _begin(member, lambda: can_warn(moderator, member, decision.space))
    result = record(moderator, "withdraw_warning", member=member, space=decision.space, topic=decision.topic,
                    post=decision.post, articles=cite(articles, required=False), justification=justification,
                    reverses=decision, before=_state(member), after=_state(member))
    db.session.commit()
    return result


def sanction(moderator, member, kind, amount, unit, articles, justification, reverses=None, until=None):
    """Read-only (``kind="silence"``) or suspension (``"suspend"``) for a duration."""
    if kind not in COLUMNS:
        raise Invalid({None: _("Sanction inconnue.")})
    articles = cite(articles)
    justification = clean_justification(justification)
    until = until or now() + duration_of(amount, unit)
    _begin(member, lambda: can_sanction(moderator, member))
    before = _state(member)
    setattr(member, COLUMNS[kind], until)
    decision = record(moderator, kind, member=member, articles=articles, justification=justification,
                      until=until, reverses=reverses, before=before, after=_state(member))
    events.publish(events.MemberAccessChanged(member_id=member.id))
    db.session.commit()
    return decision


def lift(moderator, member, kind, justification="", articles=(), reverses=None):
    """End a read-only period or a suspension now."""
    if kind not in COLUMNS:
        raise Invalid({None: _("Sanction inconnue.")})
    justification = clean_justification(justification, required=False) or "Sanction levée."
    _begin(member, lambda: can_sanction(moderator, member))
    current = getattr(member, COLUMNS[kind])
    if current is None or current <= now():
        raise Conflict({None: _("Cette sanction n'est plus en cours.")})
    before = _state(member)
    target = reverses or deciding.in_force(deciding.Decision.member_id == member.id, (kind,))
    setattr(member, COLUMNS[kind], None)
    decision = record(moderator, "lift", member=member, articles=cite(articles, required=False),
                      justification=justification, reverses=target, details={"kind": kind},
                      before=before, after=_state(member))
    events.publish(events.MemberAccessChanged(member_id=member.id))
    db.session.commit()
    return decision


# --- reversals --------------------------------------------------------------------------

@reversal("warn")
def _undo_warning(moderator, decision, justification, articles):
    return withdraw_warning(moderator, decision, justification, articles)


@reversal("silence", "suspend")
def _undo_sanction(moderator, decision, justification, articles):
    return lift(moderator, decision.member, decision.action, justification, articles, reverses=decision)


@reversal("lift")
def _undo_lift(moderator, decision, justification, articles):
    """Put a lifted sanction back until its first end (if that end is still to come)."""
    kind = decision.details.get("kind")
    lifted = db.session.get(deciding.Decision, decision.reverses_id) if decision.reverses_id else None
    if lifted is None or lifted.until is None or lifted.until <= now():
        raise Conflict({None: _("La sanction levée serait déjà terminée : rien à rétablir.")})
    return sanction(moderator, decision.member, kind, None, None, articles or [a.article_id for a in lifted.articles],
                    justification, reverses=decision, until=lifted.until)
