"""Coordinators' moderation pages: watched words, the audit log (and its CSV), the règlement."""
from flask import (Response, abort, flash, redirect, render_template, request, stream_with_context,
                   url_for)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from forum.charter import versions as charter
from forum.charter.models import CharterVersion
from forum.clock import now
from forum.extensions import db
from forum.numbers import parse_int
from forum.permissions import can_read_space, is_coordinator
from forum.text.markup import render
from forum.topics.models import Space
from forum.web.forms import ConfirmForm, attempt, require_confirmation, submit

from . import charter_editing, journal, settings
from .blueprint import bp
from .forms import CharterDraftForm, WatchedWordForm
from .models import WatchedWord


def _require_coordinator():
    if not is_coordinator(current_user):
        abort(403)


@bp.route("/moderation/mots-surveilles", methods=["GET", "POST"])
@login_required
def watched_words():
    _require_coordinator()
    form = WatchedWordForm()
    submission = submit(form, lambda: settings.add_word(current_user, form.phrase.data, form.action.data))
    if submission.done:
        flash(_("Mot ajouté à la liste."))
        return redirect(url_for("moderation.watched_words"), 303)
    return render_template("moderation/watched_words.html", form=form, words=settings.watched_words(),
                           labels=settings.WORD_ACTION_LABELS, remove_form=ConfirmForm()), submission.status


@bp.route("/moderation/mots-surveilles/<int:word_id>/retirer", methods=["POST"])
@login_required
def remove_watched_word(word_id):
    _require_coordinator()
    word = db.session.get(WatchedWord, word_id) or abort(404)
    require_confirmation()
    settings.remove_word(current_user, word)
    flash(_("« %(phrase)s » n'est plus surveillé.", phrase=word.phrase))
    return redirect(url_for("moderation.watched_words"), 303)


def _closed_to_me(spaces):
    """The spaces that keep the coordination out (forum.permissions.keeps_staff_out) for this viewer."""
    return [space.id for space in spaces if not can_read_space(current_user, space)]


def _audit_filters():
    space_id = parse_int(request.args.get("espace"), 1)
    return space_id, request.args.get("action") or None


@bp.route("/moderation/journal")
@login_required
def audit():
    _require_coordinator()
    space_id, action = _audit_filters()
    spaces = db.session.scalars(select(Space).order_by(Space.position, Space.name)).all()
    data = journal.audit_page(space_id, action, request.args.get("page", 1), _closed_to_me(spaces))
    return render_template("moderation/audit.html", spaces=[s for s in spaces if can_read_space(current_user, s)],
                           space_id=space_id, action=action, **data)


@bp.route("/moderation/journal.csv")
@login_required
def audit_csv():
    _require_coordinator()
    space_id, action = _audit_filters()
    name = f"journal-moderation-{now():%Y-%m-%d}.csv"
    closed = _closed_to_me(db.session.scalars(select(Space)).all())
    return Response(stream_with_context(journal.audit_csv(space_id, action, hidden_space_ids=closed)),
                    mimetype="text/csv; charset=utf-8", headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/moderation/reglement")
@login_required
def charter_versions(error=None, status=200):
    _require_coordinator()
    counts, members = charter_editing.acceptance_counts()
    return render_template("moderation/charter_versions.html", versions=charter_editing.versions(),
                           draft=charter_editing.draft(), counts=counts, members=members,
                           publish_form=ConfirmForm(), error=error), status


def _preview(text):
    preamble, articles = charter_editing.parse(text)
    return {"preamble": render(preamble), "articles": [(t, render(b), r) for t, b, r in articles]}


@bp.route("/moderation/reglement/brouillon", methods=["GET", "POST"])
@login_required
def charter_draft():
    _require_coordinator()
    form = CharterDraftForm()
    draft = charter_editing.draft()
    if request.method == "GET":
        base = draft or charter.current_version()
        form.title.data = base.title if base else "Règlement de fonctionnement des comités locaux"
        form.text.data = charter_editing.as_text(base)
    submission = submit(form, lambda: _preview(form.text.data) if form.preview.data else
                        charter_editing.save_draft(current_user, form.title.data, form.text.data))
    if submission.done and not form.preview.data:
        flash(_("Brouillon enregistré. Relisez-le, puis publiez-le quand il est prêt."))
        return redirect(url_for("moderation.charter_versions"), 303)
    preview = submission.value if submission.done else None
    changes = charter.changes(charter.current_version(), draft) if draft is not None else []
    return render_template("moderation/charter_draft.html", form=form, draft=draft, preview=preview,
                           changes=changes), submission.status


@bp.route("/moderation/reglement/<int:version_id>/publier", methods=["POST"])
@login_required
def publish_charter(version_id):
    _require_coordinator()
    version = db.session.get(CharterVersion, version_id) or abort(404)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    submission = attempt(form, lambda: charter_editing.publish(current_user, version))
    if not submission.done:
        return charter_versions(error=" ".join(form.form_errors), status=submission.status)
    flash(_("Version %(number)s publiée, et acceptée par vous en la publiant : chaque autre membre devra l'accepter avant de publier à nouveau.",
            number=version.number))
    return redirect(url_for("moderation.charter_versions"), 303)
