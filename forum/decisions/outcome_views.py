"""Closing a decision by hand, its outcome and action items, a space's follow-up page."""
import re

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField, TextAreaField

from forum.errors import Invalid, Refused
from forum.extensions import db
from forum.numbers import parse_int
from forum.topics.finding import get_readable_space
from forum.web.forms import ConfirmForm, fill_errors, require_confirmation
from forum.web.navigation import safe_next

from . import closing, followup, outcomes, rules
from .blueprint import bp
from .models import ActionItem, Poll

NEW_ROWS = 3
ROW_FIELD = re.compile(r"^actions-(\d{1,3})-(id|what|who|due_on|status)$")


class OutcomeForm(FlaskForm):
    """The outcome's own fields; the rows of action items are read by ``_posted_rows``."""
    text = TextAreaField(lazy_gettext("Ce qui a été décidé"))
    review_on = StringField(lazy_gettext("Date de revue (facultative)"))
    submit = SubmitField(lazy_gettext("Enregistrer l'issue"))


def init_app(app):
    # A registered global that calls the permission-checked ``outcome_view`` for the current
    # member: _outcome.html is included by a block whose ``poll`` is plain data, and templates
    # never query by themselves.
    app.add_template_global(decision_outcome)


def decision_outcome(poll_id):
    poll = db.session.get(Poll, poll_id)
    return outcomes.outcome_view(current_user, poll) if poll is not None else None


def _visible_poll(poll_id):
    poll = db.session.get(Poll, poll_id)
    if poll is None or not rules.can_see_poll(current_user, poll):
        abort(404)
    return poll


def _posted_rows():
    """The rows of action items as typed, in their order (``actions-N-field``)."""
    rows = {}
    for name, value in request.form.items():
        match = ROW_FIELD.match(name)
        if match:
            rows.setdefault(int(match.group(1)), {})[match.group(2)] = value
    return [outcomes.ActionRow(parse_int(row.get("id"), 1), row.get("what", ""), row.get("who", ""),
                               row.get("due_on", ""), row.get("status", "open")) for _, row in sorted(rows.items())]


def _row_errors(form, refusal):
    """Row messages stay beside their row (returned); the others go to the form's own fields."""
    fields = getattr(refusal, "fields", {None: refusal.message})
    rows = {name: message for name, message in fields.items() if name and name.startswith("actions-")}
    rest = {name: message for name, message in fields.items() if name not in rows}
    if rest:
        fill_errors(form, Invalid(rest, refusal.status))
    return rows


def _outcome_page(poll):
    """(page context, status) of the outcome form: first display, more rows, or a submission
    (None once saved). Rows keep their posted order: a message names its row by position."""
    form, errors, status = OutcomeForm(), {}, 200
    if request.method == "GET":
        rows = outcomes.form_rows(poll.outcome) + [outcomes.ActionRow() for _ in range(NEW_ROWS)]
        if poll.outcome is not None:
            form.text.data = poll.outcome.source
            form.review_on.data = poll.outcome.review_on.isoformat() if poll.outcome.review_on else ""
    elif "more" in request.form:        # « Ajouter des lignes »: nothing is saved, nothing lost
        rows = _posted_rows() + [outcomes.ActionRow() for _ in range(NEW_ROWS)]
    else:
        rows = _posted_rows()
        if not form.validate_on_submit():
            status = 400
        else:
            try:
                outcomes.write_outcome(current_user, poll, form.text.data, form.review_on.data, rows)
                return None, 303
            except Refused as refusal:
                db.session.rollback()
                errors, status = _row_errors(form, refusal), refusal.status
    topic = poll.topic
    return {"form": form, "rows": rows, "row_errors": errors, "statuses": outcomes.STATUS_LABELS,
            "poll": {"id": poll.id, "question": poll.question, "post_id": poll.post_id, "topic_title": topic.title,
                     "space_name": topic.space.name, "space_slug": topic.space.slug}}, status


@bp.route("/decision/<int:poll_id>/clore", methods=["POST"])
@login_required
def close(poll_id):
    """« Clore maintenant »: the author or a moderator; then the outcome form."""
    require_confirmation()
    poll = _visible_poll(poll_id)
    closing.close_poll(poll, current_user)
    flash(_("La décision est close : ses résultats sont définitifs. Écrivez maintenant son issue."))
    return redirect(url_for("decisions.outcome", poll_id=poll.id), 303)


@bp.route("/decision/<int:poll_id>/issue", methods=["GET", "POST"])
@login_required
def outcome(poll_id):
    poll = _visible_poll(poll_id)
    refusal = outcomes.why_cannot_write(current_user, poll)
    if refusal is not None:
        raise refusal
    context, status = _outcome_page(poll)
    if context is None:
        return redirect(url_for("topics.post", post_id=poll.post_id), 303)
    return render_template("decisions/outcome.html", **context), status


@bp.route("/action/<int:action_id>/etat", methods=["POST"])
@login_required
def action(action_id):
    require_confirmation()
    item = db.session.get(ActionItem, action_id)
    if item is None:
        abort(404)
    outcomes.set_action_status(current_user, item, request.form.get("status", ""))
    back = safe_next(request.args.get("next")) or url_for("topics.post", post_id=item.outcome.poll.post_id)
    return redirect(back, 303)


@bp.route("/espace/<slug>/suivi", endpoint="followup")
def followup_page(slug):
    space = get_readable_space(slug)
    return render_template("decisions/followup.html", page=followup.space_followup(current_user, space),
                           form=ConfirmForm())
