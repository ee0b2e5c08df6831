"""The founding texts as pages: the règlement (and accepting it), the convention, the help."""
from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from forum.web.forms import ConfirmForm, require_confirmation
from forum.web.navigation import safe_next

from . import convention as convention_text, versions

bp = Blueprint("charter", __name__)


@bp.route("/reglement")
def charter_page():
    version = versions.current_version()
    accepted = current_user.is_authenticated and versions.has_accepted_current(current_user)
    previous = versions.previous_version(version) if version is not None else None
    return render_template("charter.html", version=version, accepted=accepted, form=ConfirmForm(),
                           previous=previous, changes=versions.changes(previous, version))


@bp.route("/reglement/accepter", methods=["POST"])
@login_required
def accept_charter():
    require_confirmation()
    versions.accept_current(current_user)
    return redirect(safe_next(request.args.get("next")) or url_for("topics.home"), 303)


@bp.route("/convention")
def convention():
    return render_template("convention.html", convention=convention_text.current(),
                           history=convention_text.history())


@bp.route("/aide")
def help_page():
    return render_template("help.html")


@bp.app_context_processor
def inject_charter_notice():
    if current_user.is_authenticated and request.endpoint not in ("static",):
        return {"charter_pending": not versions.has_accepted_current(current_user)}
    return {"charter_pending": False}
