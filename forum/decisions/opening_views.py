"""Opening a decision in a topic (with the reply that says what is decided), and changing it."""
from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from forum import permissions
from forum.accounts import administration
from forum.coordination import structure
from forum.extensions import db, limiter
from forum.numbers import parse_int
from forum.topics.finding import get_readable_topic
from forum.topics.models import Post
from forum.web.forms import submit
from forum.web.ratelimits import member_key, posting_limit, succeeded

from . import display, editing, forms, kinds, rules, voting
from .blueprint import bp
from .forms import EditForm, OpenForm


def _parent(topic):
    """The post the decision answers (``?parent=``), if it is of the topic and may be read."""
    post_id = parse_int(request.args.get("parent"), 1)
    post = db.session.scalar(select(Post).where(Post.id == post_id, Post.topic_id == topic.id)) if post_id else None
    return post if post is not None and permissions.can_read_post_text(current_user, post) else None


def _lists(form):
    return form.with_choices(structure.committees(), administration.colleges())


@bp.route("/sujet/<int:topic_id>/decision", methods=["GET", "POST"])
@login_required
@limiter.limit(posting_limit, key_func=member_key, methods=["POST"], deduct_when=succeeded)
def new(topic_id):
    topic = get_readable_topic(topic_id)
    parent = _parent(topic)
    cannot = rules.why_cannot_open(current_user, topic)
    form = _lists(OpenForm())
    if request.method == "GET":
        form.suggest()
    submission = submit(form, lambda: forms.on_form(
        lambda: voting.open_poll(current_user, topic, form.poll_settings(), form.body.data or "", parent)))
    if submission.done:
        return redirect(display_url(submission.value), 303)
    status = 403 if cannot and submission.status == 200 else submission.status
    return render_template("decisions/open.html", topic=topic, parent=parent, form=form, cannot=cannot,
                           kind_help=kinds.KIND_HELP), status


@bp.route("/decision/<int:poll_id>/modifier", methods=["GET", "POST"])
@login_required
def edit(poll_id):
    poll = display.visible_poll(current_user, poll_id) or abort(404)
    if not editing.may_edit(current_user, poll):
        abort(409 if poll.is_closed else 403)
    form = _lists(EditForm())
    if request.method == "GET":
        form.fill(poll)
    submission = submit(form, lambda: forms.on_form(
        lambda: editing.edit_poll(current_user, poll, form.settings(poll.kind, poll.anonymous))))
    if submission.done:
        return redirect(display_url(poll), 303)
    return render_template("decisions/edit.html", poll=poll, form=form,
                           kind_name=kinds.KIND_NAMES[poll.kind]), submission.status


def display_url(poll):
    return url_for("decisions.show", poll_id=poll.id)
