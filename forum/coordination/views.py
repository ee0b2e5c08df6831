"""Coordination pages: spaces, tags, collèges, members' collèges and roles, space moderators."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.accounts import administration, registration
from forum.accounts.models import College, Member
from forum.charter import convention
from forum.extensions import db
from forum.permissions import is_coordinator, keeps_staff_out
from forum.topics.models import Space, Tag
from forum.web.forms import ConfirmForm, attempt, require_confirmation, submit

from . import structure
from .forms import CollegeForm, ConventionForm, MemberAdminForm, ModeratorForm, SpaceForm, TagForm

bp = Blueprint("coordination", __name__, url_prefix="/coordination")
bp.add_app_template_global(keeps_staff_out, "keeps_staff_out")   # the space page: who moderates when nobody is named


@bp.before_request
@login_required
def require_coordinator():
    if not is_coordinator(current_user):
        abort(403)


def _found(model, ident):
    """The row ``ident`` names, or 404."""
    return db.session.get(model, ident) or abort(404)


def _found_or_new(model, ident):
    """The row ``ident`` names (404 if none); None on the page that creates one (no ``ident``)."""
    return _found(model, ident) if ident is not None else None


def _save(form, action, template, done_url, **context):
    """Run ``action`` on a valid POST and go to ``done_url``; else ``template`` again, with the refusal."""
    submission = submit(form, action)
    if submission.done:
        flash(_("Enregistré."))
        return redirect(done_url, 303)
    return render_template(template, form=form, **context), submission.status


@bp.route("/")
def index(error=None, status=200):
    return render_template("coordination/index.html", spaces=structure.spaces_in_order(),
                           tags=structure.all_tags(), colleges=administration.colleges(),
                           pending=administration.pending_colleges(), order_form=ConfirmForm(),
                           error=error), status


def _space_form(space):
    form = SpaceForm(obj=None)
    form.committees.choices = [(str(s.id), s.name) for s in structure.committees()]
    form.colleges.choices = [(str(c.id), c.name) for c in administration.colleges()]
    if request.method == "GET" and space is not None:
        form.name.data, form.kind.data, form.department.data = space.name, space.kind, space.department
        form.description.data, form.visibility.data = space.description, space.visibility
        form.committees.data = [str(s.id) for s in space.allowed_committees]
        form.colleges.data = [str(c.id) for c in space.allowed_colleges]
        form.staff_reads.data = space.staff_reads
        form.decisions_opened_by.data = space.decisions_opened_by
    return form


@bp.route("/espaces/nouveau", methods=["GET", "POST"], defaults={"space_id": None})
@bp.route("/espaces/<int:space_id>", methods=["GET", "POST"])
def space(space_id):
    space = _found_or_new(Space, space_id)
    form = _space_form(space)

    def action():
        structure.save_space(current_user, space, name=form.name.data, kind=form.kind.data,
                             description=form.description.data, visibility=form.visibility.data,
                             department=form.department.data, committee_ids=form.committees.data,
                             college_ids=form.colleges.data, staff_reads=form.staff_reads.data,
                             decisions_opened_by=form.decisions_opened_by.data)
    return _save(form, action, "coordination/space.html", url_for("coordination.index"), space=space,
                 moderator_form=ModeratorForm(), remove_form=ConfirmForm(),
                 cannot_remove=structure.why_cannot_remove(space) if space else None)


def _act_on_space(space_id, action, done, back=None):
    """A button on a space (move, archive, remove): ``action(space)``; a refusal shows the page again."""
    space = _found(Space, space_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    message, url = done(space), back(space) if back else url_for("coordination.index") + "#titre-espaces"
    submission = attempt(form, lambda: action(space))   # said and addressed before: a removed space is gone
    if not submission.done:
        return index(error=" ".join(form.form_errors), status=submission.status)
    flash(message)
    return redirect(url, 303)


@bp.route("/espaces/<int:space_id>/ordre", methods=["POST"])
def move_space(space_id):
    step = {"haut": -1, "bas": 1}.get(request.form.get("sens"), 0)
    return _act_on_space(space_id, lambda space: structure.move_space(current_user, space, step),
                         lambda space: _("« %(space)s » a changé de place.", space=space.name))


@bp.route("/espaces/<int:space_id>/archiver", methods=["POST"])
def archive_space(space_id):
    return _act_on_space(space_id, lambda space: structure.archive_space(current_user, space),
                         lambda space: _("« %(space)s » est archivé : lisible, plus ouvert à l'écriture.",
                                         space=space.name),
                         lambda space: url_for("coordination.space", space_id=space.id))


@bp.route("/espaces/<int:space_id>/desarchiver", methods=["POST"])
def unarchive_space(space_id):
    return _act_on_space(space_id, lambda space: structure.archive_space(current_user, space, archived=False),
                         lambda space: _("« %(space)s » est de nouveau ouvert.", space=space.name),
                         lambda space: url_for("coordination.space", space_id=space.id))


@bp.route("/espaces/<int:space_id>/supprimer", methods=["POST"])
def remove_space(space_id):
    return _act_on_space(space_id, lambda space: structure.remove_space(current_user, space),
                         lambda space: _("« %(space)s » est supprimé.", space=space.name))


@bp.route("/convention", methods=["GET", "POST"])
def edit_convention():
    form = ConventionForm()
    current = convention.current()
    if request.method == "GET":
        form.text.data = current.text if current else render_template("convention_text.md").strip()
    return _save(form, lambda: convention.publish(current_user, form.text.data, form.note.data),
                 "coordination/convention.html", url_for("charter.convention"),
                 history=convention.history())


@bp.route("/espaces/<int:space_id>/moderateurs", methods=["POST"])
def appoint(space_id):
    space = _found(Space, space_id)
    form = ModeratorForm()
    if not form.validate_on_submit():
        abort(400)
    member = registration.find_by_login(form.pseudonym.data)
    if member is None:
        flash(_("Aucun membre ne porte ce pseudonyme."))
        return redirect(url_for("coordination.space", space_id=space.id), 303)
    administration.appoint_moderator(current_user, space, member)
    flash(_("%(pseudonym)s modère désormais « %(space)s ».", pseudonym=member.pseudonym, space=space.name))
    return redirect(url_for("coordination.space", space_id=space.id), 303)


@bp.route("/espaces/<int:space_id>/moderateurs/<int:member_id>/retirer", methods=["POST"])
def dismiss(space_id, member_id):
    space, member = _found(Space, space_id), _found(Member, member_id)
    require_confirmation()
    administration.dismiss_moderator(current_user, space, member)
    return redirect(url_for("coordination.space", space_id=space.id), 303)


def _edit_named(model, form_class, ident, save):
    """The page of a tag or a collège (a name and a description): ``save(form, row)`` on POST."""
    row = _found_or_new(model, ident)
    form = form_class(obj=row if request.method == "GET" else None)
    return _save(form, lambda: save(form, row), "coordination/tag_or_college.html", url_for("coordination.index"),
                 edited=row)


@bp.route("/etiquettes/nouvelle", methods=["GET", "POST"], defaults={"tag_id": None})
@bp.route("/etiquettes/<int:tag_id>", methods=["GET", "POST"])
def tag(tag_id):
    return _edit_named(Tag, TagForm, tag_id, lambda form, tag: structure.save_tag(
        current_user, tag, name=form.name.data, description=form.description.data))


@bp.route("/colleges/nouveau", methods=["GET", "POST"], defaults={"college_id": None})
@bp.route("/colleges/<int:college_id>", methods=["GET", "POST"])
def college(college_id):
    return _edit_named(College, CollegeForm, college_id, lambda form, college: structure.save_college(
        current_user, college, name=form.name.data, description=form.description.data, sensitive=form.sensitive.data,
        travel_costs_covered=form.travel_costs_covered.data))


@bp.route("/membres/<int:member_id>", methods=["GET", "POST"])
def member(member_id):
    member = _found(Member, member_id)
    form = MemberAdminForm()
    form.college.choices = [(str(c.id), c.name) for c in administration.colleges()]
    if request.method == "GET":
        form.college.data = str(member.college_id or "")
        form.role.data = member.role
    return _save(form, lambda: administration.update_member(current_user, member, form.college.data, form.role.data),
                 "coordination/member.html", url_for("coordination.index"), member=member)


@bp.route("/membres/<int:member_id>/confirmer", methods=["POST"])
def confirm(member_id):
    member = _found(Member, member_id)
    require_confirmation()
    administration.confirm_college(current_user, member)
    flash(_("Collège de %(pseudonym)s confirmé.", pseudonym=member.pseudonym))
    return redirect(url_for("coordination.index"), 303)
