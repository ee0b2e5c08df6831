"""/capitalisation (published syntheses and resources, by facets) and the resources' pages:
adding one, reading, editing and deleting it. Thin: the rules live in ``resources``."""
from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from forum.errors import Invalid
from forum.extensions import db, limiter
from forum.permissions import can_read_space
from forum.topics.models import Space
from forum.topics.reading import clamp_page
from forum.web import page_cache
from forum.web.forms import ConfirmForm, require_confirmation, submit
from forum.web.ratelimits import member_key, posting_limit, succeeded

from . import listing, resources
from .blueprint import bp
from .forms import ResourceForm
from .models import Resource


@bp.route("/capitalisation")
@page_cache.for_visitors(lambda: [page_cache.SITE, "space-*", "capitalisation"])
def index():
    labels = {listing.SYNTHESIS: _("Synthèses"), listing.RESOURCE: _("Fiches ressources")}
    found = listing.capitalisation_page(current_user, request.args, clamp_page(request.args.get("page", 1)), labels)
    return render_template("capitalisation/index.html", found=found, synthesis_url=listing.synthesis_url,
                           can_add=resources.may_add_somewhere(current_user))


def _chosen_space(slug):
    """The space a new resource goes to: one the member reads, else ``Invalid`` at the field."""
    space = db.session.scalar(select(Space).where(Space.slug == (slug or "")))
    if space is None or not can_read_space(current_user, space):
        raise Invalid({"space": _("Choisissez un espace de la liste.")})
    return space


@bp.route("/capitalisation/fiches/nouvelle", methods=["GET", "POST"])
@login_required
@limiter.limit(posting_limit, key_func=member_key, methods=["POST"], deduct_when=succeeded)
def new():
    form = ResourceForm().with_choices(current_user)
    if request.method == "GET":
        form.space.data = request.args.get("espace", "")[:60]
    submission = submit(form, lambda: resources.add_resource(
        current_user, _chosen_space(form.space.data), form.typed()))
    if submission.done:
        return redirect(url_for("capitalisation.show", resource_id=submission.value.id), 303)
    status = 403 if not form.space.choices and submission.status == 200 else submission.status
    return render_template("capitalisation/edit.html", form=form, resource=None), status


def _readable(resource_id):
    resource = db.session.get(Resource, resource_id)
    if resource is None or not resources.can_read_resource(current_user, resource):
        abort(404)
    return resource


@bp.route("/fiche/<int:resource_id>")
def show(resource_id):
    resource = _readable(resource_id)
    return render_template("capitalisation/show.html", resource=resource,
                           may_change=resources.can_change_resource(current_user, resource))


def _changeable(resource_id):
    resource = _readable(resource_id)
    if not resources.can_change_resource(current_user, resource):
        abort(403)
    return resource


@bp.route("/fiche/<int:resource_id>/modifier", methods=["GET", "POST"])
@login_required
def edit(resource_id):
    resource = _changeable(resource_id)
    form = ResourceForm().with_choices(current_user, spaces=False)
    if request.method == "GET":
        form.fill(resources.as_input(resource))
    submission = submit(form, lambda: resources.edit_resource(current_user, resource, form.typed()))
    if submission.done:
        return redirect(url_for("capitalisation.show", resource_id=resource.id), 303)
    return render_template("capitalisation/edit.html", form=form, resource=resource), submission.status


@bp.route("/fiche/<int:resource_id>/supprimer", methods=["GET", "POST"])
@login_required
def delete(resource_id):
    resource = _changeable(resource_id)
    if request.method == "GET":
        return render_template("capitalisation/delete.html", resource=resource, form=ConfirmForm())
    require_confirmation()
    resources.delete_resource(current_user, resource)
    return redirect(url_for("capitalisation.index"), 303)
