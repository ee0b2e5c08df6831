"""Pages for reading and writing: thin views over ``reading`` and ``posting``."""
from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from . import charter, drafts, history, page_cache, posting, reading
from .errors import Invalid, Refused
from .extensions import db, limiter
from .forms import ConfirmForm, EditForm, ReplyForm, TopicForm
from .models import Post, Space, Tag, Topic
from .permissions import (can_delete_post, can_edit_post, can_read_post_text, can_read_space,
                          can_see_post, readable_spaces, why_cannot_post, why_cannot_reply)
from .ratelimits import posting_limit, member_key, succeeded
from .references import render_preview
from .structure import all_tags
from .writing import quote_of, take_uploads

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


def _space_scopes(slug):
    space_id = db.session.scalar(select(Space.id).where(Space.slug == slug))
    return [page_cache.SITE, f"space-{space_id}"]


ALL_SPACES = [page_cache.SITE, "space-*"]


@bp.route("/")
@page_cache.for_visitors(lambda: ALL_SPACES)
def home():
    return render_template("home.html", **reading.home_page(current_user))


@bp.route("/espace/<slug>")
@page_cache.for_visitors(_space_scopes)
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
@page_cache.for_visitors(lambda slug: ALL_SPACES)
def tag(slug):
    tag = db.session.scalar(select(Tag).where(Tag.slug == slug))
    if tag is None:
        abort(404)
    data = reading.tag_page(current_user, tag, request.args.get("tri", reading.DEFAULT_SORT),
                            request.args.get("page", 1))
    return render_template("tag.html", **data)


@bp.route("/etiquettes")
@page_cache.for_visitors(lambda: ALL_SPACES)
def tags():
    return render_template("tags.html", tags=all_tags())


def _topic_response(topic, form=None, status=200):
    view = request.args.get("vue", "arbre")
    data = reading.topic_page(current_user, topic, view, request.args.get("page", 1))
    if current_user.is_authenticated and data["highest_number"]:
        if posting.mark_read(current_user, topic, data["highest_number"]):
            db.session.commit()
    form = form or ReplyForm()
    draft = drafts.load(current_user, drafts.topic_key(topic))
    if draft is not None and not form.body.data and draft.parent_id is None:
        form.body.data = draft.body
    return render_template("topic.html", form=form, cannot_reply=why_cannot_reply(current_user, topic),
                           draft=draft, **data), status


@bp.route("/sujet/<int:topic_id>")
@bp.route("/sujet/<int:topic_id>/<slug>")
@page_cache.for_visitors(lambda topic_id, slug=None: [page_cache.SITE, f"topic-{topic_id}"])
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
    form.space.choices = [("", _("— Choisissez un espace —"))] + [(s.slug, s.name) for s in writable]
    form.tags.choices = [(t.slug, t.name) for t in all_tags()]
    place = db.session.scalar(select(Space).where(Space.slug == slug)) if slug else None
    if slug and (place is None or not can_read_space(current_user, place)):
        abort(404)
    draft_key = drafts.space_key(place)
    draft = drafts.load(current_user, draft_key)
    if request.method == "GET":
        if slug:
            form.space.data = slug
        if draft is not None:
            form.title.data, form.body.data = draft.title, draft.body
    preview, draft_saved = None, False
    status = 200
    if form.validate_on_submit():
        space = db.session.scalar(select(Space).where(Space.slug == form.space.data)) if form.space.data else None
        status = take_uploads(form, current_user, fill_errors) or 200
        if status != 200:
            pass
        elif form.preview.data or form.save_draft.data:
            draft = drafts.save(current_user, draft_key, form.body.data, form.title.data)
            draft_saved = draft is not None
            if form.preview.data:
                preview = render_preview(current_user, form.body.data or "")
        elif space is None or not can_read_space(current_user, space):
            fill_errors(form, Invalid({"space": _("Choisissez un espace dans la liste.")}))
            status = 422
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
    return render_template("new_topic.html", form=form, preview=preview, spaces=writable,
                           draft=draft, draft_saved=draft_saved,
                           draft_place=f"espace-{place.slug}" if place else "nouveau-sujet"), status


@bp.route("/sujet/<int:topic_id>/repondre", methods=["GET", "POST"])
@login_required
@limiter.limit(posting_limit, key_func=member_key, methods=["POST"], deduct_when=succeeded)
def reply(topic_id):
    topic = get_readable_topic(topic_id)
    form = ReplyForm()
    draft_key = drafts.topic_key(topic)
    draft = drafts.load(current_user, draft_key)
    parent = None
    parent_id = form.parent.data if request.method == "POST" else request.args.get("a")
    if request.method == "GET" and not parent_id and draft is not None and draft.parent_id:
        parent_id = draft.parent_id
    if parent_id:
        parent = db.session.get(Post, int(parent_id)) if str(parent_id).isdigit() else None
        if parent is None:
            fill_errors(form, Invalid({"parent": _("Le message auquel vous répondez n'existe pas.")}))
            return render_template("reply.html", topic=topic, parent=None, form=form, preview=None,
                                   cannot_reply=None, draft=None, draft_saved=False), 422
        form.parent.data = str(parent.id)
    preview, draft_saved, status = None, False, 200
    if request.method == "GET":
        if draft is not None:
            form.body.data = draft.body
        if request.args.get("citer"):
            # Only a post whose text the member may read is quoted; any other is ignored.
            quoted = quote_of(current_user, request.args["citer"])
            if quoted:
                form.body.data = ((form.body.data or "").rstrip() + "\n\n" if form.body.data else "") + quoted
    if form.validate_on_submit():
        status = take_uploads(form, current_user, fill_errors) or 200
        if status != 200:
            pass
        elif form.preview.data or form.save_draft.data:
            draft = drafts.save(current_user, draft_key, form.body.data,
                                parent_id=parent.id if parent else None)
            draft_saved = draft is not None
            if form.preview.data:
                preview = render_preview(current_user, form.body.data or "")
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
                           cannot_reply=why_cannot_reply(current_user, topic), draft=draft,
                           draft_saved=draft_saved), status


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
        status = take_uploads(form, current_user, fill_errors) or 200
        if status != 200:
            pass
        elif form.preview.data:
            preview = render_preview(post.author, form.body.data or "")
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
    revisions = reading.revisions(post)
    by_number = {revision.number: revision for revision in revisions}
    old, new = request.args.get("de", ""), request.args.get("a", "")
    chosen = None
    if old.isdigit() and new.isdigit() and int(old) in by_number and int(new) in by_number:
        chosen = history.compare(by_number[int(old)], by_number[int(new)])
    return render_template("revisions.html", post=post, revisions=revisions, chosen=chosen,
                           changes=history.changes(revisions))


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

