"""The coordination's review of reported private messages (forum/conversations/reports.py):
the list, one report with the message and its neighbours (each reading in the audit log),
closing it."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.conversations import reports
from forum.conversations.models import ConversationReport
from forum.extensions import db
from forum.web.forms import ConfirmForm, require_confirmation

from . import journal
from .blueprint import bp


def _report(report_id):
    if not reports.can_review(current_user):
        abort(403)
    return db.session.get(ConversationReport, report_id) or abort(404)


@bp.route("/moderation/messages-signales")
@login_required
def message_reports():
    if not reports.can_review(current_user):
        abort(403)
    return render_template("moderation/message_reports.html", reports=reports.open_reports())


@bp.route("/moderation/messages-signales/<int:report_id>")
@login_required
def message_report(report_id):
    report = _report(report_id)
    shown = reports.context(report)
    journal.audit(current_user, "read_reported_message", "conversation_message", report.message_id,
                  after={"report": report.id, "messages": [m.number for m in shown]})
    db.session.commit()
    return render_template("moderation/message_report.html", report=report, shown=shown, form=ConfirmForm())


@bp.route("/moderation/messages-signales/<int:report_id>/clore", methods=["POST"])
@login_required
def close_message_report(report_id):
    report = _report(report_id)
    require_confirmation()
    reports.close(report)
    journal.audit(current_user, "close_message_report", "conversation_message", report.message_id,
                  after={"report": report.id})
    db.session.commit()
    flash(_("Signalement clos."))
    return redirect(url_for("moderation.message_reports"), 303)
