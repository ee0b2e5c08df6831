"""The decision's block (under its post, and alone for live pages), voting, one's own history."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.topics import reading
from forum.web.forms import attempt

from . import display, forms, voting
from .blueprint import bp


def _visible(poll_id):
    poll = display.visible_poll(current_user, poll_id)
    if poll is None:
        abort(404)
    return poll


def anchor_url(viewer, poll):
    """The page of its topic that shows the decision, at its block."""
    page = reading.post_page(viewer, poll.post)
    args = {"page": page} if page > 1 else {}
    return url_for("topics.topic", topic_id=poll.topic_id, slug=poll.topic.slug, **args) + f"#decision-{poll.id}"


@bp.route("/decision/<int:poll_id>")
def show(poll_id):
    return redirect(anchor_url(current_user, _visible(poll_id)))


@bp.route("/decision/<int:poll_id>/bloc")
def block(poll_id):
    poll = _visible(poll_id)
    return render_template("decisions/_poll.html", poll_view=display.poll_view(current_user, poll), poll=poll,
                           ballot_form=forms.BallotForm(formdata=None))


@bp.route("/decision/<int:poll_id>/vote", methods=["POST"])
def vote(poll_id):
    poll = _visible(poll_id)
    form = forms.BallotForm()
    if not form.validate_on_submit():
        abort(400)
    submission = attempt(form, lambda: forms.cast_from_form(current_user, poll, request.form, form.reason.data))
    if submission.done:
        flash(_("Votre vote est enregistré."))
        return redirect(anchor_url(current_user, poll), 303)
    poll = _visible(poll_id)
    errors = {"choice": form.choice.errors, "reason": form.reason.errors, None: form.form_errors}
    view = display.poll_view(current_user, poll, typed=forms.read_choice(poll, request.form, strict=False),
                             reason=form.reason.data or "", errors={k: " ".join(v) for k, v in errors.items() if v})
    return render_template("decisions/refused.html", poll_view=view, poll=poll, ballot_form=form,
                           back=anchor_url(current_user, poll)), submission.status


@bp.route("/decision/<int:poll_id>/mon-vote")
@login_required
def history(poll_id):
    poll = _visible(poll_id)
    revisions = [(r, display.describe_choice(poll, voting.kinds.loaded(r.choice)))
                 for r in voting.history(current_user, poll)]
    return render_template("decisions/history.html", poll=poll, revisions=revisions,
                           back=anchor_url(current_user, poll))
