"""Reading syntheses: a space's list, a synthesis (a published version or the working text),
its history, its exports and the files sent to the HCTS."""
from flask import Response, abort, render_template, request
from flask_login import current_user

from forum.errors import NotFound, Refused
from forum.numbers import parse_int
from forum.topics import history
from forum.topics.finding import get_readable_space

from . import export, reading, rules, writing
from .blueprint import bp
from .responses import find, show_page


@bp.get("/espace/<slug>/syntheses", endpoint="of_space")
def of_space(slug):
    space = get_readable_space(slug)
    return render_template("syntheses/list.html", space=space, syntheses=reading.of_space(current_user, space),
                           may_start=rules.why_cannot_start(current_user, space) is None)


@bp.get("/synthese/<int:synthesis_id>", endpoint="show")
def show(synthesis_id):
    synthesis = find(synthesis_id)
    return show_page(synthesis, parse_int(request.args.get("version"), 1), request.args.get("texte") == "en-cours")


@bp.get("/synthese/<int:synthesis_id>/historique", endpoint="history")
def revisions(synthesis_id):
    synthesis = find(synthesis_id)
    if not rules.can_read_working_text(current_user, synthesis):
        abort(404)
    found = writing.revisions(synthesis)
    return render_template("syntheses/history.html", synthesis=synthesis, changes=history.changes(found))


@bp.get("/synthese/<int:synthesis_id>/export.<fmt>", endpoint="export")
def download(synthesis_id, fmt):
    synthesis = find(synthesis_id)
    try:
        body, mimetype, name = export.render(current_user, synthesis, fmt, parse_int(request.args.get("version"), 1))
    except NotFound:
        abort(404)
    except Refused as refusal:      # a layout that fails (forum/syntheses/pdf_export.py): said, in French
        return render_template("syntheses/refused.html", synthesis=synthesis, message=refusal.message), refusal.status
    return _attachment(body, mimetype, name)


@bp.get("/synthese/<int:synthesis_id>/version/<int:number>/transmis.<fmt>", endpoint="kept_file")
def kept_file(synthesis_id, number, fmt):
    synthesis = find(synthesis_id)
    try:
        found = export.kept_file(current_user, synthesis, number, fmt)
    except NotFound:
        abort(404)
    return _attachment(found.content, "application/pdf" if fmt == "pdf" else "application/vnd.oasis.opendocument.text",
                       found.filename)


def _attachment(body, mimetype, name):
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
