"""Travel costs (« frais de déplacement ») declared by a participant: kilometres driven or a
ticket's amount, a note and a receipt (PDF, JPEG or PNG, recognised by content).

Who may declare is ``rules.why_cannot_claim``'s to say (a refusal here is a 422 at the top of
the form, as the issue asks: the claim is bad input for that meeting). One claim per member and
meeting: sent again while it waits, it is corrected; once decided it stays as it is. Amounts
are seen by the claimant and the coordination only (``rules.can_see_claim``); deciding,
listing and exporting is ``travel_review``'s.
"""
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from forum.clock import now
from forum.errors import Conflict, Invalid, NotFound
from forum.extensions import db
from forum.topics import attachments

from . import rules
from .models import BY_DISTANCE, BY_TICKET, CLAIM_REFUSED, CLAIM_SUBMITTED, CLAIM_VALIDATED, TravelClaim

MAX_KM = Decimal(2000)
MAX_EUROS = Decimal(1000)
NOTE_MAX = 1000
PDF = "application/pdf"
# Receipts are scans and photos of tickets: what a phone or a scanner makes, nothing else.
RECEIPT_TYPES = {PDF: "pdf", "image/jpeg": "jpg", "image/png": "png"}
KM = re.compile(r"\d{1,6}(?:[.,]\d)?")
EUROS = re.compile(r"\d{1,6}(?:[.,]\d{1,2})?")


@dataclass
class ClaimInput:
    """What the form sent, as text; ``receipt`` is (filename, bytes) or None."""
    mode: str = ""
    km: str = ""
    amount: str = ""
    note: str = ""
    receipt: tuple | None = None


def claim_of(member, meeting):
    """``member``'s claim for ``meeting``, or None."""
    return db.session.scalar(select(TravelClaim).where(TravelClaim.meeting_id == meeting.id,
                                                       TravelClaim.member_id == member.id))


def declare(member, meeting, typed):
    """Declare (or correct, while it waits) ``member``'s travel costs for ``meeting``; commits."""
    reason = rules.why_cannot_claim(member, meeting)
    if reason:
        raise Invalid({None: reason})
    claim = claim_of(member, meeting)
    if claim is not None and claim.status != CLAIM_SUBMITTED:
        raise Conflict({None: _("Votre demande a déjà été traitée par la coordination : elle ne se modifie plus.")})
    values = checked(typed, has_receipt=claim is not None and claim.receipt is not None)
    if claim is None:
        claim = TravelClaim(meeting_id=meeting.id, member_id=member.id, created_at=now())
        db.session.add(claim)
    for name, value in values.items():
        setattr(claim, name, value)
    try:
        db.session.commit()
    except IntegrityError as error:     # the same form sent twice at once: the first one stands
        db.session.rollback()
        raise Conflict({None: _("Votre demande est déjà enregistrée : ouvrez-la pour la corriger.")}) from error
    return claim


def checked(typed, has_receipt=False):
    """{column: value} of a valid input, or ``Invalid`` naming every wrong field."""
    errors, values = {}, {"mode": typed.mode, "distance_km": None, "amount_cents": None}
    if typed.mode == BY_DISTANCE:
        values["distance_km"] = _number(typed.km, KM, MAX_KM, "km", errors)
    elif typed.mode == BY_TICKET:
        euros = _number(typed.amount, EUROS, MAX_EUROS, "amount", errors)
        values["amount_cents"] = int(euros * 100) if euros is not None else None
    else:
        errors["mode"] = _("Choisissez des kilomètres parcourus ou un billet.")
    note = (typed.note or "").strip()
    if len(note) > NOTE_MAX:
        errors["note"] = _("La note compte %(n)s caractères au plus.", n=NOTE_MAX)
    values["note"] = note
    if typed.receipt is not None:
        try:
            values.update(receipt_columns(*typed.receipt))
        except Invalid as refusal:
            if errors:      # every message at once; the size refusal keeps its 413 alone
                errors.update(refusal.fields)
            else:
                raise
    elif typed.mode == BY_TICKET and not has_receipt:
        errors["receipt"] = _("Un billet demande son justificatif (PDF, JPEG ou PNG).")
    if errors:
        raise Invalid(errors)
    return values


def _number(text, pattern, limit, field, errors):
    text = "".join((text or "").split())
    if not text:
        errors[field] = _("Indiquez la distance en kilomètres.") if field == "km" else \
            _("Indiquez le montant du billet en euros.")
        return None
    if text.startswith("-"):
        errors[field] = _("Indiquez un nombre positif.")
        return None
    try:
        value = Decimal(text.replace(",", ".")) if pattern.fullmatch(text) else None
    except InvalidOperation:
        value = None
    if value is None:
        errors[field] = _("Écrivez un nombre, par exemple 42 ou 42,5.") if field == "km" else \
            _("Écrivez un montant, par exemple 23 ou 23,50.")
    elif value <= 0:
        errors[field] = _("Indiquez un nombre supérieur à zéro.")
    elif value > limit:
        errors[field] = _("%(limit)s km au plus.", limit=f"{limit:,}".replace(",", "\u202f")) if field == "km" \
            else _("%(limit)s € au plus.", limit=f"{limit:,}".replace(",", "\u202f"))
    else:
        return value
    return None


def receipt_columns(filename, data):
    """The receipt's columns: a PDF as sent, an image re-encoded without its metadata (a
    phone's photo carries where it was taken); anything else refused (422; too big, 413)."""
    limit = current_app.config["MEETING_RECEIPT_MAX_BYTES"]
    name = attachments.clean_filename(filename)
    if len(data) > limit:
        raise Invalid({"receipt": _("« %(name)s » est trop volumineux (%(size)s ; %(limit)s au plus).", name=name,
                                    size=attachments.human_size(len(data)),
                                    limit=attachments.human_size(limit))}, status=413)
    if not data:
        raise Invalid({"receipt": _("« %(name)s » est vide.", name=name)})
    kind = PDF if attachments.detect_document(data) == PDF else None
    if kind is None:
        try:
            # The attachments' check: decoded by Pillow, bounded in pixels, re-encoded.
            image = attachments.reencode(data)
        except Invalid as refusal:
            raise Invalid({"receipt": refusal.message}, status=refusal.status) from refusal
        if image is not None and image[1] in RECEIPT_TYPES:
            data, kind = image[0], image[1]
    if kind is None:
        raise Invalid({"receipt": _("« %(name)s » n'est pas un PDF, un JPEG ou un PNG : le type est reconnu "
                                    "d'après le contenu du fichier.", name=name)})
    return {"receipt": data, "receipt_type": kind, "receipt_name": name}


def receipt_limit():
    return attachments.human_size(current_app.config["MEETING_RECEIPT_MAX_BYTES"])


def find_claim(viewer, claim_id):
    """The claim ``viewer`` may see (its claimant, the coordination), else ``NotFound``."""
    claim = db.session.get(TravelClaim, claim_id)
    if claim is None or not rules.can_see_claim(viewer, claim):
        raise NotFound(_("Cette demande n'existe pas."))
    return claim


def receipt_file(viewer, claim_id):
    """(bytes, media type, file name) of a claim's receipt, for who may see the claim."""
    claim = find_claim(viewer, claim_id)
    if claim.receipt is None:
        raise NotFound(_("Cette demande n'a pas de justificatif."))
    return claim.receipt, claim.receipt_type, f"justificatif-{claim.id}.{RECEIPT_TYPES.get(claim.receipt_type, 'bin')}"


# --- as pages show it ------------------------------------------------------------------------------

def euros(cents):
    """"12,50 €" (French writing of an amount)."""
    return f"{cents // 100},{cents % 100:02d} €" if cents is not None else ""


def kilometres(km):
    return (f"{km:f}".rstrip("0").rstrip(".").replace(".", ",") + " km") if km is not None else ""


def status_label(status):
    return {CLAIM_SUBMITTED: _("en attente de la coordination"), CLAIM_VALIDATED: _("validée"),
            CLAIM_REFUSED: _("refusée")}.get(status, status)


def claim_view(claim):
    """A claim as its claimant and the coordination see it (plain data)."""
    return {"id": claim.id, "mode": claim.mode, "km": kilometres(claim.distance_km),
            "amount": euros(claim.amount_cents), "note": claim.note, "status": claim.status,
            "status_label": status_label(claim.status), "reason": claim.reason,
            "has_receipt": claim.receipt is not None, "receipt_name": claim.receipt_name,
            "decided_at": claim.decided_at, "created_at": claim.created_at,
            "may_correct": claim.status == CLAIM_SUBMITTED}


def form_values(claim):
    """What the correction form starts from."""
    if claim is None:
        return ClaimInput()
    km = f"{claim.distance_km:f}".rstrip("0").rstrip(".").replace(".", ",") if claim.distance_km is not None else ""
    amount = euros(claim.amount_cents)[:-2] if claim.amount_cents is not None else ""
    return ClaimInput(mode=claim.mode, km=km, amount=amount, note=claim.note)


def section(viewer, meeting):
    """The meeting page's part: the viewer's own claim and its state, or the way to declare;
    None when there is neither (never another member's claim)."""
    claim = claim_of(viewer, meeting) if getattr(viewer, "is_authenticated", False) else None
    if claim is not None:
        return {"claim": claim_view(claim), "may_claim": claim.status == CLAIM_SUBMITTED}
    if rules.why_cannot_claim(viewer, meeting) is None:
        return {"claim": None, "may_claim": True}
    return None
