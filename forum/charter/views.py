"""The founding texts as pages: the règlement (and accepting it), the convention, the help."""
from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from forum.numbers import parse_int
from forum.web.forms import ConfirmForm, require_confirmation
from forum.web.navigation import safe_next

from . import citations, convention as convention_text, versions

bp = Blueprint("charter", __name__)


@bp.route("/reglement")
def charter_page():
    """The règlement in force; ``?version=N`` an earlier one, as decisions taken then cite it."""
    current = versions.current_version()
    version, replaced_by = current, None
    asked = parse_int(request.args.get("version"), 1)
    if asked is not None and current is not None and asked != current.number:
        version = versions.published_version(asked)
        if version is None:
            abort(404)
        replaced_by = versions.next_version(version)
    accepted = current_user.is_authenticated and versions.has_accepted_current(current_user)
    previous = versions.previous_version(version) if version is not None else None
    return render_template("charter.html", version=version, accepted=accepted, form=ConfirmForm(),
                           previous=previous, changes=versions.changes(previous, version),
                           replaced_by=replaced_by, current=current)


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


@bp.app_template_global()
def current_convention():
    """Jinja: the convention as the coordination last published it (None: the shipped text)."""
    return convention_text.current()


@bp.app_template_global()
def article_references(articles):
    """Jinja: the articles an act cited, each as it was and where it is today."""
    return citations.references(articles)
