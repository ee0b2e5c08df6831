"""A space's meetings, a meeting's page, scheduling, changing and cancelling it, registering and
the organisers' list. Thin: the rules live in ``rules``, the work in ``scheduling`` and
``registering``."""
from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from forum.extensions import limiter
from forum.numbers import parse_int
from forum.topics.finding import get_readable_space
from forum.web.forms import ConfirmForm, require_confirmation, submit
from forum.web.ratelimits import member_key, posting_limit, succeeded

from . import display, from_decision, registering, rules, scheduling
from .blueprint import bp, meeting_or_404
from .forms import CancelForm, MeetingForm, RegistrationForm


def _organised(meeting_id):
    meeting = meeting_or_404(meeting_id)
    if not rules.can_organise(current_user, meeting):
        abort(403)
    return meeting


def from_decision_link(poll):
    """The link under a closed « date de réunion » decision (a Jinja global), or None."""
    if not from_decision.may_schedule_from(current_user, poll):
        return None
    return url_for("meetings.new", slug=poll.topic.space.slug, decision=poll.id)


def show_url(meeting):
    return url_for("meetings.show", meeting_id=meeting.id)


@bp.route("/espace/<slug>/reunions")
def space_list(slug):
    space = get_readable_space(slug)
    return render_template("meetings/space.html", space=space,
                           upcoming=display.space_meetings(current_user, space),
                           past=display.space_meetings(current_user, space, past=True),
                           may_schedule=rules.may_schedule(current_user, space))


@bp.route("/espace/<slug>/reunions/nouvelle", methods=["GET", "POST"])
@login_required
@limiter.limit(posting_limit, key_func=member_key, methods=["POST"], deduct_when=succeeded)
def new(slug):
    space = get_readable_space(slug)
    if not rules.may_schedule(current_user, space):
        abort(403)
    form = MeetingForm()
    found = from_decision.proposal(current_user, parse_int(request.args.get("decision"), 1), space)
    if found is not None and request.method == "GET":
        form.title.data = found.question
        form.description.data = from_decision.description(found, url_for("decisions.show", poll_id=found.poll_id))
    submission = submit(form, lambda: scheduling.schedule(current_user, space, form.typed()))
    if submission.done:
        return redirect(show_url(submission.value), 303)
    return render_template("meetings/edit.html", form=form, space=space, meeting=None,
                           found=found), submission.status


@bp.route("/reunion/<int:meeting_id>")
def show(meeting_id):
    meeting = meeting_or_404(meeting_id)
    return render_template("meetings/show.html", page=display.meeting_page(current_user, meeting), meeting=meeting,
                           form=RegistrationForm(), confirm=ConfirmForm())


@bp.route("/reunion/<int:meeting_id>/modifier", methods=["GET", "POST"])
@login_required
def edit(meeting_id):
    meeting = _organised(meeting_id)
    if meeting.is_cancelled:
        abort(409)
    form = MeetingForm()
    if request.method == "GET":
        form.fill(meeting)
    submission = submit(form, lambda: scheduling.change(current_user, meeting, form.typed()))
    if submission.done:
        return redirect(show_url(meeting), 303)
    return render_template("meetings/edit.html", form=form, space=meeting.space, meeting=meeting), submission.status


@bp.route("/reunion/<int:meeting_id>/annuler", methods=["GET", "POST"])
@login_required
def cancel(meeting_id):
    meeting = _organised(meeting_id)
    form = CancelForm()
    submission = submit(form, lambda: scheduling.cancel(current_user, meeting, form.reason.data))
    if submission.done:
        return redirect(show_url(meeting), 303)
    return render_template("meetings/cancel.html", form=form, meeting=meeting), submission.status


@bp.route("/reunion/<int:meeting_id>/inscription", methods=["GET", "POST"])
@login_required
@limiter.limit(posting_limit, key_func=member_key, methods=["POST"], deduct_when=succeeded)
def register(meeting_id):
    meeting = meeting_or_404(meeting_id)
    form = RegistrationForm()
    registration = rules.registration_of(current_user, meeting)
    if request.method == "GET" and registration is not None:
        form.needs.data, form.needs_note.data = registration.needs.split(","), registration.needs_note
    submission = submit(form, lambda: registering.register(current_user, meeting, form.needs.data or [],
                                                           form.needs_note.data))
    if submission.done:
        return redirect(show_url(meeting) + "#inscription", 303)
    return render_template("meetings/register.html", form=form, meeting=meeting, registration=registration,
                           cannot=rules.why_cannot_register(current_user, meeting)), submission.status


@bp.route("/reunion/<int:meeting_id>/desinscription", methods=["POST"])
@login_required
def unregister(meeting_id):
    meeting = meeting_or_404(meeting_id)
    require_confirmation()
    form = ConfirmForm()
    submission = submit(form, lambda: registering.cancel_registration(current_user, meeting))
    if submission.done:
        return redirect(show_url(meeting) + "#inscription", 303)
    return render_template("meetings/refused.html", form=form, meeting=meeting), submission.status


@bp.route("/reunion/<int:meeting_id>/participants")
@login_required
def participants(meeting_id):
    meeting = _organised(meeting_id)
    return render_template("meetings/participants.html", meeting=meeting,
                           rows=display.participants(current_user, meeting), coming=display.coming(meeting))
