"""The coordination's side of travel costs: the claims to decide, validating or refusing one
(with a reason, the claimant told), the validated claims as CSV for the accounting of the
structure that pays; and a member's claims in their archive and at erasure.

Erasure: waiting and refused claims go with the account (nothing is owed on them); validated
claims stay, signed "Ancien membre N" like every contribution, their note emptied: they are
entries of the accounts of the structure that paid, which must keep them and their receipts
(ten years in France, Code de commerce L123-22) and cannot have them vanish from a later export.
"""
from flask_babel import force_locale, gettext as _, lazy_gettext
from sqlalchemy import delete, select, update

from forum import events
from forum.accounts import portability
from forum.clock import now
from forum.dates import local
from forum.decisions.export import to_csv
from forum.errors import Conflict, Forbidden, Invalid
from forum.extensions import db

from . import rules
from .models import CLAIM_REFUSED, CLAIM_SUBMITTED, CLAIM_VALIDATED, Meeting, TravelClaim
from .travel import claim_view, find_claim

REASON_MAX = 1000

LABELS = {
    "meeting": lazy_gettext("Réunion"), "date": lazy_gettext("Date"), "mode": lazy_gettext("Mode"),
    "km": lazy_gettext("Kilomètres"), "amount": lazy_gettext("Montant (euros)"), "note": lazy_gettext("Note"),
    "status": lazy_gettext("État"), "reason": lazy_gettext("Motif du refus"),
    "created_at": lazy_gettext("Déclarée le"), "decided_at": lazy_gettext("Décidée le"),
    "receipt_name": lazy_gettext("Justificatif"),
}


def _require(viewer):
    if not rules.can_decide_claims(viewer):
        raise Forbidden(_("Seule la coordination décide des frais de déplacement."))


def _row(claim):
    shown = claim_view(claim)
    member = claim.member
    meeting = claim.meeting
    shown.update(member=member.pseudonym, college=member.college.name if member.college else "",
                 meeting=meeting.title, meeting_id=meeting.id, starts_at=meeting.starts_at,
                 space=meeting.space.name)
    return shown


def review_page(viewer):
    """The claims waiting for a decision, oldest first, and the last ones decided."""
    _require(viewer)
    waiting = db.session.scalars(select(TravelClaim).where(TravelClaim.status == CLAIM_SUBMITTED)
                                 .order_by(TravelClaim.created_at, TravelClaim.id)).all()
    decided = db.session.scalars(select(TravelClaim).where(TravelClaim.status != CLAIM_SUBMITTED)
                                 .order_by(TravelClaim.decided_at.desc(), TravelClaim.id.desc()).limit(50)).all()
    return {"waiting": [_row(c) for c in waiting], "decided": [_row(c) for c in decided]}


def decide(viewer, claim_id, validate, reason=""):
    """Validate or refuse (``reason`` required) a waiting claim; the claimant is told; commits."""
    _require(viewer)
    claim = find_claim(viewer, claim_id)
    if claim.member_id == viewer.id:
        raise Forbidden(_("Vos propres frais sont décidés par une autre personne de la coordination."))
    if claim.status != CLAIM_SUBMITTED:
        raise Conflict({None: _("Cette demande a déjà été traitée.")})
    reason = " ".join((reason or "").split())
    if not validate and not reason:
        raise Invalid({"reason": _("Dites pourquoi la demande est refusée : le membre le lira.")})
    if len(reason) > REASON_MAX:
        raise Invalid({"reason": _("Le motif compte %(n)s caractères au plus.", n=REASON_MAX)})
    claim.status = CLAIM_VALIDATED if validate else CLAIM_REFUSED
    claim.reason = "" if validate else reason
    claim.decided_by_id, claim.decided_at = viewer.id, now()
    _tell(claim)
    db.session.commit()
    return claim


def _tell(claim):
    """A notice (notification and email) in the claimant's language; as for comité requests, the
    decider's name stays out: the answer is the coordination's, not a person's."""
    member, meeting = claim.member, claim.meeting
    with force_locale(member.locale or "fr"):
        if claim.status == CLAIM_VALIDATED:
            text = _("Vos frais de déplacement pour « %(meeting)s » sont validés par la coordination.",
                     meeting=meeting.title)
        else:
            text = _("Vos frais de déplacement pour « %(meeting)s » sont refusés par la coordination : %(reason)s",
                     meeting=meeting.title, reason=claim.reason)
    events.publish(events.MemberNotice(member_id=member.id, kind="travel", text=str(text),
                                       url=f"/reunion/{meeting.id}/frais-de-deplacement"))


def validated_csv(viewer):
    """The validated claims for the accounting: plain numbers (a dot, no unit), ISO dates."""
    _require(viewer)
    claims = db.session.scalars(select(TravelClaim).join(Meeting).where(TravelClaim.status == CLAIM_VALIDATED)
                                .order_by(Meeting.starts_at, TravelClaim.id)).all()
    table = [["membre", "college", "reunion", "date", "mode", "km", "montant_euros", "decidee_le"]]
    for claim in claims:
        member = claim.member
        table.append([member.pseudonym, member.college.name if member.college else "", claim.meeting.title,
                      local(claim.meeting.starts_at).date().isoformat(), claim.mode,
                      f"{claim.distance_km:f}" if claim.distance_km is not None else "",
                      f"{claim.amount_cents // 100}.{claim.amount_cents % 100:02d}"
                      if claim.amount_cents is not None else "",
                      local(claim.decided_at).date().isoformat()])
    return to_csv(table)


# --- the member's archive and erasure ------------------------------------------------------------

def claims_of(member):
    iso = portability.iso
    return [{"meeting": c.meeting.title, "date": iso(c.meeting.starts_at), "mode": c.mode,
             "km": f"{c.distance_km:f}" if c.distance_km is not None else None,
             "amount": f"{c.amount_cents // 100}.{c.amount_cents % 100:02d}" if c.amount_cents is not None else None,
             "note": c.note, "status": c.status, "reason": c.reason, "receipt_name": c.receipt_name,
             "created_at": iso(c.created_at), "decided_at": iso(c.decided_at)}
            for c in db.session.scalars(select(TravelClaim).where(TravelClaim.member_id == member.id)
                                        .order_by(TravelClaim.id))]


def on_member_erased(event):
    """Waiting and refused claims go; validated ones stay for the accounts, without their note."""
    db.session.execute(delete(TravelClaim).where(TravelClaim.member_id == event.member_id,
                                                 TravelClaim.status != CLAIM_VALIDATED))
    db.session.execute(update(TravelClaim).where(TravelClaim.member_id == event.member_id).values(note=""))


def init_app(app):
    portability.register_section(app, "frais-de-deplacement", lazy_gettext("Vos frais de déplacement"), claims_of,
                                 LABELS)
    events.subscribe(app, events.MemberErased, on_member_erased, phase="transaction")
