"""Deleting one's account: the request page, cancelling (banner button, email link)."""
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import SQLAlchemyError

from forum.web.forms import ConfirmForm, require_confirmation, submit

from . import deletion
from .deletion_forms import DeletionForm

bp = Blueprint("deletion", __name__)


@bp.app_context_processor
def _pending_deletion():
    """The banner of every page while the member's own deletion is scheduled."""
    if not current_user or not current_user.is_authenticated:
        return {"pending_deletion": None}
    try:
        return {"pending_deletion": deletion.pending_request(current_user)}
    except SQLAlchemyError:      # the error page of a database outage still renders
        return {"pending_deletion": None}


@bp.route("/preferences/suppression", methods=["GET", "POST"])
@login_required
def request_page():
    form = DeletionForm()
    submission = submit(form, lambda: deletion.request_deletion(current_user, form.password.data,
                                                                 form.mode.data))
    if submission.done:
        flash(_("La suppression de votre compte est programmée. Un courriel vous permet de l'annuler."))
        return redirect(url_for("deletion.request_page"), 303)
    return render_template("deletion.html", form=form, grace_days=deletion.GRACE.days), submission.status


@bp.route("/preferences/suppression/annuler", methods=["POST"])
@login_required
def cancel():
    require_confirmation()
    deletion.cancel(current_user)
    flash(_("La suppression de votre compte est annulée : rien ne change."))
    return redirect(url_for("accounts.settings"), 303)


@bp.route("/suppression/annuler/<token>", methods=["GET", "POST"])
def cancel_link(token):
    # A button, not the GET: mail scanners that open links must not spend a single-use link.
    form = ConfirmForm()
    submission = submit(form, lambda: deletion.cancel_by_token(token))
    if submission.done:
        flash(_("La suppression de votre compte est annulée : rien ne change."))
        return redirect(url_for("topics.home"), 303)
    if not form.is_submitted():
        refusal = deletion.check_token(token)
        if refusal is not None:
            form.form_errors = [refusal.message]
            submission.status = refusal.status
    return render_template("deletion_cancel.html", form=form), submission.status
