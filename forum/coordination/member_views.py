"""The coordination's member administration: the searchable list, and the account's actions
(deactivate, reactivate, change the address), each a page with a button, then a POST.

Every page here shows personal data: coordinators and administrators only (never moderators),
and never kept by any cache.
"""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext
from flask_login import current_user, login_required

from forum.accounts import administration, deactivation
from forum.accounts.models import Member
from forum.coordination.structure import committees
from forum.extensions import db
from forum.permissions import is_coordinator
from forum.web.forms import ConfirmForm, attempt, submit

from . import directory
from .forms import EmailChangeForm, EraseForm

bp = Blueprint("member_admin", __name__, url_prefix="/coordination/membres")

# action: (domain function, who may, page title, what it does, what the page says once done)
ACTIONS = {
    "deactivate": (deactivation.deactivate, deactivation.why_cannot_administer, lazy_gettext("Désactiver le compte"),
                   lazy_gettext("Le membre ne pourra plus se connecter, ses sessions se terminent tout de suite et il "
                                "ne reçoit plus de courriels. Ses messages restent. Vous pourrez le réactiver."),
                   lazy_gettext("Compte de %(pseudonym)s désactivé : ses sessions sont terminées.")),
    "reactivate": (deactivation.reactivate, deactivation.why_cannot_administer, lazy_gettext("Réactiver le compte"),
                   lazy_gettext("Le membre pourra de nouveau se connecter avec son mot de passe."),
                   lazy_gettext("Compte de %(pseudonym)s réactivé.")),
    "reset": (deactivation.send_reset_link, deactivation.why_cannot_send_reset,
              lazy_gettext("Envoyer un lien de réinitialisation"),
              lazy_gettext("Le membre reçoit un courriel avec un lien, valable une heure, pour choisir un nouveau "
                           "mot de passe. Son mot de passe actuel reste valable tant qu'il n'en a pas choisi un autre."),
              lazy_gettext("Lien de réinitialisation envoyé à %(pseudonym)s.")),
}


@bp.before_request
@login_required
def require_coordinator():
    if not is_coordinator(current_user):
        abort(403)


@bp.after_request
def never_cached(response):
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("")
def index():
    return render_template("coordination/members.html", found=directory.search(directory.Filters.parse(request.args)),
                           committees=committees(), colleges=administration.colleges(),
                           states=directory.STATES, roles=directory.ROLE_FILTERS)


def _account_action(member_id, action):
    """The confirmation page of ``action`` (refused at once when not allowed), then the act."""
    member = db.session.get(Member, member_id) or abort(404)
    act, why_not, title, explanation, done = ACTIONS[action]
    form = ConfirmForm()
    submission = submit(form, lambda: act(current_user, member))
    if submission.done:
        flash(done % {"pseudonym": member.pseudonym})
        return redirect(url_for("coordination.member", member_id=member.id), 303)
    if submission.status == 200 and why_not(current_user, member):
        submission = attempt(form, lambda: deactivation.refuse(why_not(current_user, member)))
    return render_template("coordination/member_action.html", member=member, form=form, title=title,
                           explanation=explanation, allowed=not why_not(current_user, member)), submission.status


@bp.route("/<int:member_id>/desactiver", methods=["GET", "POST"])
def deactivate(member_id):
    return _account_action(member_id, "deactivate")


@bp.route("/<int:member_id>/reactiver", methods=["GET", "POST"])
def reactivate(member_id):
    return _account_action(member_id, "reactivate")


@bp.route("/<int:member_id>/lien-de-reinitialisation", methods=["GET", "POST"])
def send_reset_link(member_id):
    return _account_action(member_id, "reset")


@bp.route("/<int:member_id>/effacer", methods=["GET", "POST"])
def erase(member_id):
    """Erase an account at its owner's request (RGPD): the choice of what becomes of the posts,
    then the button; the page of the member then names "Ancien membre N"."""
    member = db.session.get(Member, member_id) or abort(404)
    form = EraseForm()
    submission = submit(form, lambda: deactivation.erase(current_user, member, form.mode.data))
    if submission.done:
        flash(_("Compte effacé : il s'appelle désormais « %(pseudonym)s ».", pseudonym=member.pseudonym))
        return redirect(url_for("coordination.member", member_id=member.id), 303)
    reason = deactivation.why_cannot_erase(current_user, member)
    if submission.status == 200 and reason:
        submission = attempt(form, lambda: deactivation.refuse(reason))
    return render_template("coordination/member_erase.html", member=member, form=form,
                           allowed=not reason), submission.status


@bp.route("/<int:member_id>/adresse", methods=["GET", "POST"])
def change_email(member_id):
    member = db.session.get(Member, member_id) or abort(404)
    form = EmailChangeForm()
    submission = submit(form, lambda: deactivation.change_email(current_user, member, form.email.data))
    if submission.done:
        flash(_("Adresse de %(pseudonym)s changée : les deux adresses ont reçu un courriel.",
                pseudonym=member.pseudonym))
        return redirect(url_for("coordination.member", member_id=member.id), 303)
    reason = deactivation.why_cannot_change_email(current_user, member)
    if submission.status == 200 and reason:
        submission = attempt(form, lambda: deactivation.refuse(reason))
    return render_template("coordination/member_email.html", member=member, form=form,
                           allowed=not reason), submission.status
