"""Invitation pages: the list with its forms (one address, a CSV file), resend and revoke, the
acceptance page of the emailed link, and the coordination's list of accounts awaiting approval."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.charter import versions as charter
from forum.extensions import limiter
from forum.permissions import can_invite, is_coordinator
from forum.web.forms import ConfirmForm, Submission, require_confirmation, submit
from forum.web.ratelimits import (invitation_limit, member_key, network_key, registration_network_limit,
                                  succeeded)

from . import acceptance, administration, approval, invitation_import, invitations, signin
from .invitation_forms import AcceptForm, ImportForm, InviteForm

bp = Blueprint("invitations", __name__)
# The site menu shows "Invitations" to whoever may invite (templates/base.html).
bp.add_app_template_global(can_invite, "can_invite")


def _inviter():
    if not can_invite(current_user):
        abort(403)
    return InviteForm.for_choices(invitations.invitable_committees(current_user), administration.colleges())


def _page(invite_form, import_form, status, report=None):
    return render_template("invitations/index.html", invite_form=invite_form, import_form=import_form,
                           invitations=invitations.visible(current_user), report=report,
                           action_form=ConfirmForm(), max_kib=invitation_import.MAX_BYTES // 1024), status


@bp.route("/invitations", methods=["GET", "POST"])
@login_required
@limiter.limit(invitation_limit, key_func=member_key, methods=["POST"], deduct_when=succeeded)
def index():
    form = _inviter()
    submission = submit(form, lambda: invitations.invite(current_user, form.email.data, form.committees.data,
                                                         form.college.data, form.locale.data))
    if submission.done:
        flash(_("Invitation envoyée à %(email)s.", email=submission.value.email) if submission.value.sent_at
              else _("Invitation enregistrée, mais le courriel n'a pas pu partir : renvoyez-la plus tard."))
        return redirect(url_for("invitations.index"), 303)
    return _page(form, ImportForm(), submission.status)


def _upload(form):
    storage = form.file.data
    return storage.read(invitation_import.MAX_BYTES + 1) if hasattr(storage, "read") else b""


@bp.route("/invitations/fichier", methods=["POST"])
@login_required
@limiter.limit(invitation_limit, key_func=member_key)
def import_file():
    invite_form, form = _inviter(), ImportForm()
    submission = submit(form, lambda: invitation_import.import_lines(
        current_user, invitation_import.read_csv(_upload(form))))
    report = invitation_import.describe(submission.value) if submission.done else None
    return _page(invite_form, form, submission.status, report)


@bp.route("/invitations/<int:invitation_id>/renvoyer", methods=["POST"])
@login_required
@limiter.limit(invitation_limit, key_func=member_key)
def resend(invitation_id):
    require_confirmation()
    sent = invitations.resend(current_user, invitation_id)
    flash(_("Invitation renvoyée : l'ancien lien ne fonctionne plus.") if sent
          else _("Le courriel n'a pas pu partir : réessayez plus tard."))
    return redirect(url_for("invitations.index"), 303)


@bp.route("/invitations/<int:invitation_id>/retirer", methods=["POST"])
@login_required
def revoke(invitation_id):
    require_confirmation()
    invitations.revoke(current_user, invitation_id)
    flash(_("Invitation retirée : son lien ne fonctionne plus."))
    return redirect(url_for("invitations.index"), 303)


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@limiter.limit(registration_network_limit, key_func=network_key, methods=["POST"], deduct_when=succeeded)
def accept(token):
    # A page with a button: mail scanners that open the link must not spend it.
    invitation = acceptance.find(token)
    account = invitations.account_of(invitation.email)
    if account is not None or current_user.is_authenticated:
        return _accept_with_account(token, invitation, account)
    form = AcceptForm()
    submission = submit(form, lambda: acceptance.accept_as_new(
        token, form.pseudonym.data, form.password.data, form.show_college.data, form.adheres_convention.data,
        form.accepts_charter.data))
    if submission.done:
        flash(_("Bienvenue ! Votre compte est créé et vos comités vous sont ouverts."))
        return redirect(signin.complete_login(submission.value), 303)
    return render_template("invitations/accept.html", form=form, invitation=invitation, situation="new",
                           version=charter.current_version()), submission.status


def _accept_with_account(token, invitation, account):
    """The address has an account (log in as it, then join), or another member is logged in."""
    form, submission = ConfirmForm(), Submission()
    if not current_user.is_authenticated or account is None or current_user.id != account.id:
        situation = "login" if not current_user.is_authenticated else "other"
        submission.status = 409 if request.method == "POST" else 200
    else:
        situation = "join"
        submission = submit(form, lambda: acceptance.accept_as_member(token, current_user._get_current_object()))
        if submission.done:
            flash(_("C'est fait : les comités de l'invitation sont ajoutés à votre compte."))
            return redirect(url_for("topics.home"), 303)
    return render_template("invitations/accept.html", form=form, invitation=invitation, situation=situation,
                           version=None), submission.status


@bp.route("/coordination/inscriptions")
@login_required
def awaiting():
    if not is_coordinator(current_user):
        abort(403)
    return render_template("invitations/approvals.html", members=approval.awaiting(), form=ConfirmForm(),
                           mode=approval.mode())


@bp.route("/coordination/inscriptions/<int:member_id>/approuver", methods=["POST"], defaults={"decision": "approuver"})
@bp.route("/coordination/inscriptions/<int:member_id>/refuser", methods=["POST"], defaults={"decision": "refuser"})
@login_required
def decide(member_id, decision):
    require_confirmation()
    if decision == "approuver":
        flash(_("Compte de %(name)s ouvert ; un courriel l'en informe.",
                name=approval.approve(current_user, member_id).pseudonym))
    else:
        flash(_("Demande de %(name)s refusée ; un courriel l'en informe.",
                name=approval.refuse(current_user, member_id)))
    return redirect(url_for("invitations.awaiting"), 303)
