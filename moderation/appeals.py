"""Appeals: the person concerned contests a decision; another moderator confirms or reverses it."""
from flask_babel import gettext as _
from sqlalchemy import or_, select

from forum.clock import now
from forum.errors import Conflict, Forbidden, Invalid
from forum.extensions import db
from forum.permissions import is_coordinator, is_member
from forum.topics.models import space_moderator

from . import deciding, journal
from .deciding import APPEALABLE, clean_justification
from .models import APPEAL_CONFIRMED, APPEAL_OPEN, APPEAL_REVERSED, Appeal, Decision
from .permissions import can_review_appeal

MESSAGE_MAX_CHARS = 4000


def why_cannot_appeal(member, decision):
    """None if ``member`` may contest ``decision``, else why (in French)."""
    if not is_member(member) or decision.member_id != member.id:
        return _("Seule la personne concernée peut contester une décision.")
    if decision.action not in APPEALABLE:
        return _("Cette décision ne se conteste pas.")
    if decision.appeal is not None:
        return _("Vous avez déjà contesté cette décision.")
    if decision.reversed_by_id is not None:
        return _("Cette décision a déjà été annulée.")
    return None


def file_appeal(member, decision, message):
    reason = why_cannot_appeal(member, decision)
    if reason:
        raise (Conflict({None: reason}) if decision.member_id == getattr(member, "id", None) else Forbidden(reason))
    message = (message or "").replace("\r\n", "\n").strip()
    if len(message) < 10:
        raise Invalid({"message": _("Expliquez en quelques phrases pourquoi vous contestez cette décision.")})
    if len(message) > MESSAGE_MAX_CHARS:
        raise Invalid({"message": _("Le message est trop long (%(n)s caractères au plus).", n=MESSAGE_MAX_CHARS)})
    deciding.lock(Decision, decision.id)
    deciding.fresh(decision)
    if db.session.scalar(select(Appeal.id).where(Appeal.decision_id == decision.id)):
        raise Conflict({None: _("Vous avez déjà contesté cette décision.")})
    appeal = Appeal(decision_id=decision.id, member_id=member.id, message=message, status=APPEAL_OPEN,
                    created_at=now())
    db.session.add(appeal)
    db.session.flush()
    journal.audit(member, "appeal", "decision", decision.id, space_id=decision.space_id, decision=decision,
                  after={"appeal_id": appeal.id})
    db.session.commit()
    return appeal


def resolve(moderator, appeal, outcome, response, articles=()):
    """``outcome`` is "confirm" or "reverse"; the response is shown to the member."""
    decision = appeal.decision
    if not can_review_appeal(moderator, decision):
        raise Forbidden(_("Un autre modérateur que l'auteur de la décision, ayant autorité sur l'espace, "
                          "examine ce recours."))
    if outcome not in ("confirm", "reverse"):
        raise Invalid({"outcome": _("Choisissez : confirmer ou annuler la décision.")})
    response = clean_justification(response)
    # The appeal row serializes reviewers: the second one finds it resolved.
    deciding.lock(Appeal, appeal.id)
    deciding.fresh(appeal)
    if appeal.status != APPEAL_OPEN:
        raise Conflict({None: _("Ce recours vient d'être examiné par un autre modérateur.")})
    appeal.status = APPEAL_CONFIRMED if outcome == "confirm" else APPEAL_REVERSED
    appeal.resolved_at, appeal.resolved_by_id, appeal.response = now(), moderator.id, response
    if outcome == "confirm":
        result = deciding.record(moderator, "appeal_confirmed", member=decision.member, space=decision.space,
                                 topic=decision.topic, post=decision.post, justification=response,
                                 details={"appeal_id": appeal.id, "decision_id": decision.id},
                                 before={"appeal": APPEAL_OPEN}, after={"appeal": APPEAL_CONFIRMED})
        appeal.outcome_id = result.id
        db.session.commit()
        return result
    # The reversal commits the appeal's resolution with it.
    journal.audit(moderator, "appeal_reversed", "decision", decision.id, space_id=decision.space_id,
                  decision=decision, before={"appeal": APPEAL_OPEN}, after={"appeal": APPEAL_REVERSED})
    result = deciding.reverse(moderator, decision, f"Recours accepté : {response}", articles)
    result.details = dict(result.details or {}, appeal_id=appeal.id)
    appeal.outcome_id = result.id
    db.session.commit()
    return result


def reviewable(moderator):
    """Open appeals ``moderator`` may examine (never about their own decisions)."""
    query = select(Appeal).join(Decision, Decision.id == Appeal.decision_id).where(
        Appeal.status == APPEAL_OPEN, or_(Decision.moderator_id.is_(None), Decision.moderator_id != moderator.id),
        Decision.member_id != moderator.id)
    if not is_coordinator(moderator):
        spaces = select(space_moderator.c.space_id).where(space_moderator.c.member_id == moderator.id)
        query = query.where(Decision.space_id.in_(spaces))
    # A space that keeps staff out is not the coordination's to review (can_review_appeal).
    return [appeal for appeal in db.session.scalars(query.order_by(Appeal.created_at)).all()
            if appeal.decision.space is None or can_review_appeal(moderator, appeal.decision)]

