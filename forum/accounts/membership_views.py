"""Pages of comité membership: a member leaves a comité or withdraws a request (from the settings
page); who decides lists and decides requests; a comité's members, added and removed."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.errors import Refused
from forum.extensions import db
from forum.permissions import (can_decide_membership, can_manage_committee, is_coordinator, is_member,
                               moderates_a_committee, readers_statement)
from forum.topics.models import KIND_COMMITTEE, Space
from forum.web.forms import ConfirmForm, fill_errors, require_confirmation, submit

from . import membership
from .forms import AddMemberForm, DecideForm
from .models import Member
from .blueprint import bp


@bp.app_template_global()
def space_readers(space):
    """Who can read ``space``, said plainly (forum.permissions.readers_statement)."""
    return readers_statement(space)


@bp.app_template_global()
def decides_memberships():
    """Does the current member decide requests of some comité (a link in the navigation)?"""
    # Who manages a comité (``can_manage_committee``): the coordination and the comité's moderators.
    return is_coordinator(current_user) or moderates_a_committee(current_user)


@bp.app_template_global()
def awaits_membership(space):
    """Has the current member a pending request to join the comité ``space``?"""
    return is_member(current_user) and membership.is_pending(current_user, space)


def _refused(refusal, target):
    """A refused button-only action: its message, then back where it came from."""
    db.session.rollback()
    flash(refusal.message)
    if refusal.status == 403:
        abort(403)
    return redirect(target, 303)


@bp.route("/preferences/comites/<int:space_id>/quitter", methods=["POST"])
@login_required
def leave_committee(space_id):
    require_confirmation()
    space = db.session.get(Space, space_id) or abort(404)
    try:
        membership.leave(current_user, space)
    except Refused as refusal:
        return _refused(refusal, url_for("accounts.settings"))
    flash(_("Vous avez quitté « %(name)s ».", name=space.name))
    return redirect(url_for("accounts.settings", _anchor="titre-comites"), 303)


@bp.route("/preferences/demandes/<int:request_id>/retirer", methods=["POST"])
@login_required
def withdraw_request(request_id):
    require_confirmation()
    try:
        membership.withdraw(current_user, request_id)
    except Refused as refusal:
        return abort(404) if refusal.status == 404 else _refused(refusal, url_for("accounts.settings"))
    flash(_("Votre demande est retirée."))
    return redirect(url_for("accounts.settings", _anchor="titre-comites"), 303)


@bp.route("/adhesions", methods=["GET"])
@login_required
def membership_requests():
    if not decides_memberships():
        abort(403)
    return render_template("membership/requests.html", requests=membership.decidable(current_user),
                           form=DecideForm(), committees=membership.managed_committees(current_user))


@bp.route("/adhesions/<int:request_id>", methods=["POST"])
@login_required
def decide_request(request_id):
    found = membership.find_request(request_id)
    if found is None or not can_decide_membership(current_user, found):
        abort(404)   # another comité's request does not exist for this moderator
    form = DecideForm()
    if request.method == "POST" and not (form.accept.data or form.refuse.data):
        abort(400)   # neither button: no answer is guessed
    outcome = submit(form, lambda: membership.decide(current_user, found, bool(form.accept.data), form.note.data))
    if outcome.done:
        flash(_("Demande de %(pseudonym)s : %(answer)s.", pseudonym=found.member.pseudonym,
                answer=_("acceptée") if form.accept.data else _("refusée")))
        return redirect(url_for("accounts.membership_requests"), 303)
    return render_template("membership/requests.html", requests=membership.decidable(current_user), form=form,
                           failed=found.id, committees=membership.managed_committees(current_user)), outcome.status


def _managed(space_id):
    space = db.session.get(Space, space_id)
    if space is None or space.kind != KIND_COMMITTEE or not can_manage_committee(current_user, space):
        abort(404)
    return space


def _committee_page(space, form, status=200):
    return render_template("membership/committee.html", space=space, form=form, remove_form=ConfirmForm(),
                           members=membership.members_of(current_user, space)), status


@bp.route("/comites/<int:space_id>/membres", methods=["GET", "POST"])
@login_required
def committee_members(space_id):
    space = _managed(space_id)
    form = AddMemberForm()
    if request.method == "POST":
        outcome = submit(form, lambda: membership.add_member(current_user, space, form.pseudonym.data))
        if outcome.done:
            flash(_("%(pseudonym)s fait désormais partie du comité.", pseudonym=outcome.value.pseudonym))
            return redirect(url_for("accounts.committee_members", space_id=space.id), 303)
        return _committee_page(space, form, outcome.status)
    return _committee_page(space, form)


@bp.route("/comites/<int:space_id>/membres/<int:member_id>/retirer", methods=["POST"])
@login_required
def remove_committee_member(space_id, member_id):
    space = _managed(space_id)
    require_confirmation()
    member = db.session.get(Member, member_id) or abort(404)
    try:
        membership.remove_member(current_user, space, member)
    except Refused as refusal:
        form = AddMemberForm()
        fill_errors(form, refusal)
        db.session.rollback()
        return _committee_page(space, form, refusal.status)
    flash(_("%(pseudonym)s ne fait plus partie du comité.", pseudonym=member.pseudonym))
    return redirect(url_for("accounts.committee_members", space_id=space.id), 303)
