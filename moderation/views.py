"""Moderation pages for members: report a post, the decisions about me, appeal, the public log."""
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from forum.extensions import db, limiter
from forum.permissions import can_read_space
from forum.topics.finding import get_post_for
from forum.topics.models import Space
from forum.web.forms import submit
from forum.web.ratelimits import is_new_member, member_key, succeeded

from . import appeals, journal, reporting
from .blueprint import bp
from .deciding import ACTION_LABELS, APPEALABLE
from .forms import AppealForm, ReportForm
from .models import REPORT_OPEN, Decision, Report
from .permissions import can_read_moderation_log, can_report_post


def reporting_limit():
    if is_new_member():
        return current_app.config["RATELIMIT_REPORTING_NEW_MEMBER"]
    return current_app.config["RATELIMIT_REPORTING"]


@bp.route("/message/<int:post_id>/signaler", methods=["GET", "POST"])
@login_required
@limiter.limit(reporting_limit, key_func=member_key, methods=["POST"], deduct_when=succeeded)
def report(post_id):
    post = get_post_for(post_id, can_report_post)
    form = ReportForm()
    already = db.session.scalar(select(Report.id).where(Report.post_id == post.id, Report.status == REPORT_OPEN,
                                                        Report.reporter_id == current_user.id))
    submission = submit(form, lambda: reporting.report_post(current_user, post, form.reason.data, form.detail.data,
                                                            form.message.data))
    if submission.done:
        flash(_("Merci : votre signalement est transmis à la modération. La personne concernée ne saura "
                "pas qui l'a fait."))
        return redirect(url_for("topics.post", post_id=post.id), 303)
    return render_template("moderation/report.html", post=post, form=form, already=already), submission.status


@bp.route("/moderation/mes-decisions")
@login_required
def my_decisions():
    decisions = db.session.scalars(select(Decision).where(Decision.member_id == current_user.id)
                                   .order_by(Decision.created_at.desc(), Decision.id.desc()).limit(200)).all()
    return render_template("moderation/my_decisions.html", decisions=decisions, labels=ACTION_LABELS,
                           appealable=APPEALABLE, why_not=lambda d: appeals.why_cannot_appeal(current_user, d),
                           readable=lambda space: space is None or can_read_space(current_user, space))


@bp.route("/moderation/decisions/<int:decision_id>/contester", methods=["GET", "POST"])
@login_required
def appeal(decision_id):
    decision = db.session.get(Decision, decision_id)
    if decision is None or decision.member_id != current_user.id:
        abort(404)
    form = AppealForm()
    submission = submit(form, lambda: appeals.file_appeal(current_user, decision, form.message.data))
    if submission.done:
        flash(_("Votre recours est enregistré : un autre modérateur va l'examiner, et vous serez prévenu "
                "de sa réponse."))
        return redirect(url_for("moderation.my_decisions") + f"#decision-{decision.id}", 303)
    return render_template("moderation/appeal.html", decision=decision, form=form, labels=ACTION_LABELS,
                           cannot=appeals.why_cannot_appeal(current_user, decision)), submission.status


@bp.route("/espace/<slug>/journal-de-moderation")
def public_log(slug):
    space = db.session.scalar(select(Space).where(Space.slug == slug))
    if space is None or not can_read_space(current_user, space):
        abort(404)
    if not can_read_moderation_log(current_user, space):
        return current_app.login_manager.unauthorized()
    data = journal.public_log(space, request.args.get("page", 1))
    return render_template("moderation/public_log.html", space=space, labels=ACTION_LABELS, **data)
