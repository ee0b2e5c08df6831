"""Travel costs pages: a participant's claim (declared, corrected), its receipt; the
coordination's page of claims to decide, a decision, the CSV of validated claims."""
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.errors import NotFound, Refused
from forum.extensions import limiter
from forum.web.forms import attempt, submit
from forum.web.ratelimits import member_key, posting_limit, succeeded

from . import rules, travel, travel_review
from .blueprint import bp, meeting_or_404
from .travel_forms import ClaimForm, DecisionForm


def _typed(form):
    upload = request.files.get(form.receipt.name)
    receipt = (upload.filename, upload.read()) if upload and (upload.filename or upload.content_length) else None
    return travel.ClaimInput(mode=form.mode.data or "", km=form.km.data, amount=form.amount.data,
                             note=form.note.data, receipt=receipt)


@bp.route("/reunion/<int:meeting_id>/frais-de-deplacement", methods=["GET", "POST"], endpoint="travel_claim")
@login_required
@limiter.limit(posting_limit, key_func=member_key, methods=["POST"], deduct_when=succeeded)
def claim(meeting_id):
    meeting = meeting_or_404(meeting_id)
    mine = travel.claim_of(current_user, meeting) if current_user.is_authenticated else None
    form = ClaimForm(obj=travel.form_values(mine) if request.method == "GET" else None)
    done = submit(form, lambda: travel.declare(current_user, meeting, _typed(form)))
    if done.done:
        flash(_("Votre demande de remboursement est envoyée à la coordination."))
        return redirect(url_for("meetings.travel_claim", meeting_id=meeting.id), 303)
    reason = rules.why_cannot_claim(current_user, meeting)
    status = done.status if request.method == "POST" else (403 if reason and mine is None else 200)
    return render_template("meetings/travel_claim.html", meeting=meeting, form=form, reason=reason,
                           claim=travel.claim_view(mine) if mine else None,
                           receipt_limit=travel.receipt_limit()), status


@bp.get("/frais-de-deplacement/<int:claim_id>/justificatif", endpoint="receipt")
@login_required
def receipt(claim_id):
    try:
        body, mimetype, name = travel.receipt_file(current_user, claim_id)
    except NotFound:
        abort(404)
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _review(status=200, failed=None, form=None):
    try:
        page = travel_review.review_page(current_user)
    except Refused as refusal:
        abort(refusal.status)
    return render_template("meetings/travel_review.html", page=page, failed=failed, failed_form=form,
                           empty_form=DecisionForm(formdata=None)), status


@bp.get("/coordination/frais-de-deplacement", endpoint="travel_review")
@login_required
def review():
    return _review()


@bp.post("/coordination/frais-de-deplacement/<int:claim_id>", endpoint="travel_decide")
@login_required
def decide(claim_id):
    form = DecisionForm()
    if not form.validate_on_submit():
        abort(400)
    done = attempt(form, lambda: travel_review.decide(current_user, claim_id, bool(form.validate.data),
                                                      form.reason.data))
    if done.done:
        flash(_("La demande est validée.") if done.value.status == "validated" else _("La demande est refusée."))
        return redirect(url_for("meetings.travel_review"), 303)
    if done.status in (403, 404):
        abort(done.status)
    return _review(done.status, claim_id, form)


@bp.get("/coordination/frais-de-deplacement/valides.csv", endpoint="travel_export")
@login_required
def export():
    try:
        body = travel_review.validated_csv(current_user)
    except Refused as refusal:
        abort(refusal.status)
    response = Response(body.encode("utf-8"), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = 'attachment; filename="frais-de-deplacement-valides.csv"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
