"""decisions.export: a decision's results as CSV (forum/decisions/export.py)."""
from flask import Response
from flask_login import current_user

from forum.extensions import db

from . import export
from .blueprint import bp
from .models import Poll


@bp.get("/decision/<int:poll_id>/resultats.csv", endpoint="export")
def export_results(poll_id):
    poll = db.session.get(Poll, poll_id)
    body = export.to_csv(export.rows(current_user, poll))
    response = Response(body.encode("utf-8"), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{export.filename(poll)}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
