""""Mes données": the page, the request for an archive, and the emailed link's download page."""
import io

from flask import Blueprint, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.web.forms import ConfirmForm, attempt, submit

from . import data_export, portability

bp = Blueprint("data_export", __name__, url_prefix="/preferences/mes-donnees")


@bp.after_request
def never_cached(response):
    # An archive or a page about one: never kept by any cache.
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _archive(handle_or_bytes, filename):
    source = io.BytesIO(handle_or_bytes) if isinstance(handle_or_bytes, bytes) else handle_or_bytes
    return send_file(source, mimetype="application/zip", as_attachment=True, download_name=filename)


@bp.route("", methods=["GET", "POST"])
@login_required
def page():
    form = ConfirmForm()
    submission = submit(form, lambda: data_export.request_archive(current_user))
    if submission.done and submission.value.data is not None:
        return _archive(submission.value.data, submission.value.filename)
    if submission.done:
        flash(_("Votre archive est en préparation : vous recevrez un courriel avec un lien pour la "
                "télécharger, valable %(days)s jours.", days=data_export.LINK_DAYS))
        return redirect(url_for("data_export.page"), 303)
    if submission.status == 200:
        data_export.purge_expired()
    return render_template(
        "data_export/page.html", form=form, latest=data_export.latest(current_user),
        sections=portability.sections(), posts=portability.post_count(current_user),
        days=data_export.LINK_DAYS), submission.status


@bp.route("/archive/<token>", methods=["GET", "POST"])
@login_required
def download(token):
    form = ConfirmForm()
    submission = submit(form, lambda: data_export.take(current_user, token))
    if submission.done:
        return _archive(*submission.value)
    if submission.status == 200:   # first display: say at once whether the link still works
        submission = attempt(form, lambda: data_export.find_ready(current_user, token))
    return render_template("data_export/download.html", form=form, usable=submission.done), submission.status
