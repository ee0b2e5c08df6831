"""Attendance pages: the organisers' form (present, excused, absent), a walk-in added, the sign-in
sheet as PDF."""
from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.errors import Refused
from forum.numbers import parse_int
from forum.web.forms import submit

from . import attendance, signin_sheet
from .blueprint import bp, meeting_or_404
from .travel_forms import AttendanceForm, WalkInForm


def _typed_statuses():
    """{member id: status} from the radio groups ``status-<id>``."""
    found = {}
    for name, value in request.form.items():
        ident = parse_int(name.removeprefix("status-"), 1) if name.startswith("status-") else None
        if ident is not None:
            found[ident] = value
    return found


def _page(meeting, form, walk_in, status, typed=None):
    try:
        rows = attendance.sheet(current_user, meeting)
    except Refused as refusal:
        return render_template("meetings/refused.html", meeting=meeting, message=refusal.message), refusal.status
    return render_template("meetings/attendance.html", meeting=meeting, rows=rows, form=form, walk_in=walk_in,
                           typed=typed, labels=attendance.status_labels()), status


@bp.route("/reunion/<int:meeting_id>/presences", methods=["GET", "POST"], endpoint="attendance")
@login_required
def record(meeting_id):
    meeting = meeting_or_404(meeting_id)
    form, typed = AttendanceForm(), _typed_statuses()
    done = submit(form, lambda: attendance.record(current_user, meeting, typed))
    if done.done:
        flash(_("Les présences sont enregistrées."))
        return redirect(url_for("meetings.attendance", meeting_id=meeting.id), 303)
    return _page(meeting, form, WalkInForm(formdata=None), done.status, typed if request.method == "POST" else None)


@bp.post("/reunion/<int:meeting_id>/presences/ajouter", endpoint="walk_in")
@login_required
def walk_in(meeting_id):
    meeting = meeting_or_404(meeting_id)
    form = WalkInForm()
    done = submit(form, lambda: attendance.add_walk_in(current_user, meeting, form.pseudonym.data))
    if done.done:
        flash(_("%(name)s est enregistré·e comme présent·e.", name=done.value.pseudonym))
        return redirect(url_for("meetings.attendance", meeting_id=meeting.id), 303)
    return _page(meeting, AttendanceForm(formdata=None), form, done.status)


@bp.get("/reunion/<int:meeting_id>/emargement.pdf", endpoint="signin_sheet")
@login_required
def sheet_pdf(meeting_id):
    meeting = meeting_or_404(meeting_id)
    try:
        body, name = signin_sheet.to_pdf(current_user, meeting)
    except Refused as refusal:
        return render_template("meetings/refused.html", meeting=meeting, message=refusal.message), refusal.status
    response = Response(body, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
