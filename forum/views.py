"""Pages for reading and writing: thin views over ``reading`` and ``posting``."""
from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from . import charter, posting, reading
from .errors import Invalid, Refused
from .extensions import db, limiter
from .forms import ConfirmForm, EditForm, ReplyForm, TopicForm
from .markup import render
from .models import Post, Space, Tag, Topic
from .permissions import (can_delete_post, can_edit_post, can_read_post_text, can_read_space,
                          can_see_post, readable_spaces, why_cannot_post, why_cannot_reply)
from .ratelimits import posting_limit, member_key, succeeded
from .structure import all_tags

bp = Blueprint("forum", __name__)


def fill_errors(form, refusal):
    """Attach a domain refusal's messages to the form fields (unknown fields: to the form)."""
    form.form_errors = list(getattr(form, "form_errors", []))
    for name, message in getattr(refusal, "fields", {None: refusal.message}).items():
        field = getattr(form, name, None) if name else None
        if field is not None and hasattr(field, "errors"):
            field.errors = list(field.errors or []) + [message]
        else:
            form.form_errors.append(message)


def get_readable_space(slug):
    space = db.session.scalar(select(Space).where(Space.slug == slug))
    if space is None or not can_read_space(current_user, space):
        # A space one may not read does not exist, as far as its outsiders know.
        abort(404)
    return space


def get_readable_topic(topic_id):
    topic = db.session.get(Topic, topic_id)
    if topic is None or not can_read_space(current_user, topic.space):
        abort(404)
    return topic


def get_visible_post(post_id):
    post = db.session.get(Post, post_id)
    if post is None or not can_see_post(current_user, post):
        abort(404)
    return post


@bp.route("/")
def home():
    return render_template("home.html", **reading.home_page(current_user))


@bp.route("/espace/<slug>")
def space(slug):
    space = get_readable_space(slug)
    tag = None
    if request.args.get("etiquette"):
        tag = db.session.scalar(select(Tag).where(Tag.slug == request.args["etiquette"]))
        if tag is None:
            abort(404)
    data = reading.space_page(current_user, space, request.args.get("tri", reading.DEFAULT_SORT), tag,
                              request.args.get("page", 1))
    return render_template("space.html", cannot_post=why_cannot_post(current_user, space), **data)


@bp.route("/etiquette/<slug>")
def tag(slug):
    tag = db.session.scalar(select(Tag).where(Tag.slug == slug))
    if tag is None:
        abort(404)
    data = reading.tag_page(current_user, tag, request.args.get("tri", reading.DEFAULT_SORT),
                            request.args.get("page", 1))
    return render_template("tag.html", **data)


@bp.route("/etiquettes")
def tags():
    return render_template("tags.html", tags=all_tags())


def _topic_response(topic, form=None, status=200):
    view = request.args.get("vue", "arbre")
    data = reading.topic_page(current_user, topic, view, request.args.get("page", 1))
    if current_user.is_authenticated and data["highest_number"]:
        if posting.mark_read(current_user, topic, data["highest_number"]):
            db.session.commit()
    form = form or ReplyForm()
    return render_template("topic.html", form=form, cannot_reply=why_cannot_reply(current_user, topic),
                           **data), status


@bp.route("/sujet/<int:topic_id>")
@bp.route("/sujet/<int:topic_id>/<slug>")
def topic(topic_id, slug=None):
    topic = get_readable_topic(topic_id)
    return _topic_response(topic)


@bp.route("/message/<int:post_id>")
def post(post_id):
    """A post's permanent address: the page of its topic that shows it."""
    post = get_visible_post(post_id)
    view = request.args.get("vue", "arbre")
    page = reading.post_page(current_user, post, view)
    args = {"page": page} if page > 1 else {}
    if view == "chrono":
        args["vue"] = "chrono"
    return redirect(url_for("forum.topic", topic_id=post.topic_id, slug=post.topic.slug, **args)
                    + f"#message-{post.number}")


@bp.route("/espace/<slug>/nouveau-sujet", methods=["GET", "POST"])
@bp.route("/nouveau-sujet", methods=["GET", "POST"], defaults={"slug": None})
@login_required
@limiter.limit(posting_limit, key_func=member_key, methods=["POST"], deduct_when=succeeded)
def new_topic(slug):
    form = TopicForm()
    writable = [s for s in readable_spaces(current_user) if why_cannot_post(current_user, s) is None]
    form.space.choices = [("", "— Choisissez un espace —")] + [(s.slug, s.name) for s in writable]
    form.tags.choices = [(t.slug, t.name) for t in all_tags()]
    if request.method == "GET" and slug:
        form.space.data = slug
    preview = None
    status = 200
    if form.validate_on_submit():
        space = db.session.scalar(select(Space).where(Space.slug == form.space.data)) if form.space.data else None
        if space is None or not can_read_space(current_user, space):
            fill_errors(form, Invalid({"space": "Choisissez un espace dans la liste."}))
            status = 422
        elif form.preview.data:
            preview = render(form.body.data or "")
        else:
            try:
                topic = posting.start_topic(current_user, space, form.title.data, form.body.data,
                                            form.tags.data)
            except Refused as refusal:
                db.session.rollback()
                fill_errors(form, refusal)
                status = refusal.status
            else:
                return redirect(url_for("forum.topic", topic_id=topic.id, slug=topic.slug), 303)
    elif request.method == "POST":
        status = 400
    return render_template("new_topic.html", form=form, preview=preview, spaces=writable), status


@bp.route("/sujet/<int:topic_id>/repondre", methods=["GET", "POST"])
@login_required
@limiter.limit(posting_limit, key_func=member_key, methods=["POST"], deduct_when=succeeded)
def reply(topic_id):
    topic = get_readable_topic(topic_id)
    form = ReplyForm()
    parent = None
    parent_id = form.parent.data if request.method == "POST" else request.args.get("a")
    if parent_id:
        parent = db.session.get(Post, int(parent_id)) if str(parent_id).isdigit() else None
        if parent is None:
            fill_errors(form, Invalid({"parent": "Le message auquel vous répondez n'existe pas."}))
            return render_template("reply.html", topic=topic, parent=None, form=form, preview=None,
                                   cannot_reply=None), 422
        form.parent.data = str(parent.id)
    preview, status = None, 200
    if form.validate_on_submit():
        if form.preview.data:
            preview = render(form.body.data or "")
        else:
            try:
                post = posting.reply(current_user, topic, form.body.data, parent)
            except Refused as refusal:
                db.session.rollback()
                fill_errors(form, refusal)
                status = refusal.status
            else:
                return redirect(url_for("forum.post", post_id=post.id), 303)
    elif request.method == "POST":
        status = 400
    shown_parent = parent if parent is not None and parent.topic_id == topic.id \
        and can_read_post_text(current_user, parent) else None
    return render_template("reply.html", topic=topic, parent=shown_parent, form=form, preview=preview,
                           cannot_reply=why_cannot_reply(current_user, topic)), status


@bp.route("/message/<int:post_id>/modifier", methods=["GET", "POST"])
@login_required
def edit(post_id):
    post = get_visible_post(post_id)
    if not can_edit_post(current_user, post):
        abort(403)
    form = EditForm()
    if request.method == "GET":
        form.body.data = post.source
        form.title.data = post.topic.title
    preview, status = None, 200
    if form.validate_on_submit():
        if form.preview.data:
            preview = render(form.body.data or "")
        else:
            try:
                posting.edit_post(current_user, post, form.body.data,
                                  form.title.data if post.is_opening else None)
            except Refused as refusal:
                db.session.rollback()
                fill_errors(form, refusal)
                status = refusal.status
            else:
                return redirect(url_for("forum.post", post_id=post.id), 303)
    elif request.method == "POST":
        status = 400
    return render_template("edit.html", post=post, form=form, preview=preview), status


@bp.route("/message/<int:post_id>/supprimer", methods=["GET", "POST"])
@login_required
def delete(post_id):
    post = get_visible_post(post_id)
    if not can_delete_post(current_user, post):
        abort(403)
    form = ConfirmForm()
    if form.validate_on_submit():
        posting.delete_post(current_user, post)
        return redirect(url_for("forum.post", post_id=post.id), 303)
    return render_template("delete.html", post=post, form=form), 400 if request.method == "POST" else 200


@bp.route("/message/<int:post_id>/versions")
def revisions(post_id):
    post = get_visible_post(post_id)
    if not can_read_post_text(current_user, post):
        abort(404)
    return render_template("revisions.html", post=post, revisions=reading.revisions(post))


@bp.route("/reglement")
def charter_page():
    version = charter.current_version()
    accepted = (current_user.is_authenticated and charter.has_accepted_current(current_user))
    previous = charter.previous_version(version) if version is not None else None
    return render_template("charter.html", version=version, accepted=accepted, form=ConfirmForm(),
                           previous=previous, changes=charter.changes(previous, version))


@bp.route("/reglement/accepter", methods=["POST"])
@login_required
def accept_charter():
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    charter.accept_current(current_user)
    return redirect(request.args.get("next") or url_for("forum.home"), 303)


@bp.route("/convention")
def convention():
    return render_template("convention.html")


@bp.route("/aide")
def help_page():
    return render_template("help.html")


@bp.app_context_processor
def inject_charter_notice():
    if current_user.is_authenticated and request.endpoint not in ("static",):
        return {"charter_pending": not charter.has_accepted_current(current_user)}
    return {"charter_pending": False}

