"""Pages for reading and writing topics: thin views over ``reading``, ``posting`` and the editor."""
import os

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from forum.announcements import showing as announcements
from forum.coordination.structure import all_tags
from forum.errors import Invalid, Refused
from forum.extensions import db, limiter
from forum.meetings import display as meetings, upcoming
from forum.numbers import parse_int
from forum.permissions import (can_delete_post, can_download_attachment, can_edit_post, can_edit_tags,
                               can_read_post_text, can_read_space, readable_spaces, why_cannot_post,
                               why_cannot_reply)
from forum.web import page_cache
from forum.web.forms import ConfirmForm, fill_errors, submit
from forum.web.navigation import is_navigation
from forum.web.ratelimits import member_key, posting_limit, succeeded

from . import attachments, drafts, editor, history, posting, reading, tagging
from .editor import Editing
from .finding import get_post_for, get_readable_space, get_readable_topic, get_tag, get_visible_post
from .forms import EditForm, ReplyForm, TagsForm, TopicForm
from .models import Space, Topic

bp = Blueprint("topics", __name__)

ALL_SPACES = [page_cache.SITE, "space-*"]


def _space_scopes(slug):
    space_id = db.session.scalar(select(Space.id).where(Space.slug == slug))
    return [page_cache.SITE, f"space-{space_id}"]


def _home_changes():
    """What changes the home page by the clock alone: a meeting or an announcement ends."""
    return upcoming.next_change(), announcements.next_change()


@bp.route("/")
@page_cache.for_visitors(lambda: ALL_SPACES, variant=_home_changes, members=True)
def home():
    return render_template("home.html", meetings=meetings.upcoming(current_user, upcoming.HOME_LIMIT),
                           announcements=announcements.current(current_user),
                           **reading.home_page(current_user))


@bp.route("/espace/<slug>")
@page_cache.for_visitors(_space_scopes, variant=upcoming.next_change, members=True)
def space(slug):
    space = get_readable_space(slug)
    tag = get_tag(request.args["etiquette"]) if request.args.get("etiquette") else None
    data = reading.space_page(current_user, space, request.args.get("tri", reading.DEFAULT_SORT), tag,
                              request.args.get("page", 1))
    return render_template("space.html", cannot_post=why_cannot_post(current_user, space),
                           meetings=meetings.upcoming(current_user, upcoming.SPACE_LIMIT, [space.id]), **data)


@bp.route("/etiquette/<slug>")
@page_cache.for_visitors(lambda slug: ALL_SPACES, members=True)
def tag(slug):
    data = reading.tag_page(current_user, get_tag(slug), request.args.get("tri", reading.DEFAULT_SORT),
                            request.args.get("page", 1))
    return render_template("tag.html", **data)


@bp.route("/etiquettes")
@page_cache.for_visitors(lambda: ALL_SPACES, members=True)
def tags():
    return render_template("tags.html", **reading.tags_page(current_user))


@bp.route("/sujet/<int:topic_id>")
@bp.route("/sujet/<int:topic_id>/<slug>")
@page_cache.for_visitors(lambda topic_id, slug=None: [page_cache.SITE, f"topic-{topic_id}"], members=True)
def topic(topic_id, slug=None):
    topic = get_readable_topic(topic_id)
    data = reading.topic_page(current_user, topic, request.args.get("vue", "arbre"), request.args.get("page", 1))
    # Only the page actually opened counts as read: never an image or a fetch aimed at it.
    if current_user.is_authenticated and data["highest_number"] and is_navigation():
        if posting.mark_read(current_user, topic, data["highest_number"]):
            db.session.commit()
    form = ReplyForm()
    draft = drafts.load(current_user, drafts.topic_key(topic))
    if draft is not None and draft.parent_id is None:
        form.body.data = draft.body
    return render_template("topic.html", form=form, cannot_reply=why_cannot_reply(current_user, topic),
                           draft=draft, may_edit_tags=can_edit_tags(current_user, topic), **data)


@bp.route("/message/<int:post_id>")
def post(post_id):
    """A post's permanent address: the page of its topic that shows it."""
    post = get_visible_post(post_id)
    view = request.args.get("vue", "arbre")
    page = reading.post_page(current_user, post, view)
    args = {"page": page} if page > 1 else {}
    if view == "chrono":
        args["vue"] = "chrono"
    return redirect(url_for("topics.topic", topic_id=post.topic_id, slug=post.topic.slug, **args)
                    + f"#message-{post.number}")


def _writable_spaces():
    return [s for s in readable_spaces(current_user) if why_cannot_post(current_user, s) is None]


def _why_closed(place, writable):
    """Why the member cannot open a topic here (or anywhere, when no space is writable): said
    instead of an empty form."""
    if place is not None:
        return why_cannot_post(current_user, place)
    if writable:
        return None
    return next((why for why in (why_cannot_post(current_user, s) for s in readable_spaces(current_user)) if why),
                _("Aucun espace ne vous est ouvert en écriture pour l'instant."))


def _chosen_space(slug):
    space = db.session.scalar(select(Space).where(Space.slug == slug)) if slug else None
    if space is None or not can_read_space(current_user, space):
        raise Invalid({"space": _("Choisissez un espace dans la liste.")})
    return space


@bp.route("/espace/<slug>/nouveau-sujet", methods=["GET", "POST"])
@bp.route("/nouveau-sujet", methods=["GET", "POST"], defaults={"slug": None})
@login_required
@limiter.limit(posting_limit, key_func=member_key, methods=["POST"], deduct_when=succeeded)
def new_topic(slug):
    place = get_readable_space(slug) if slug else None
    writable = _writable_spaces()
    form = TopicForm.for_choices(writable, all_tags(), place)
    editing = editor.run(form, lambda: posting.start_topic(
        current_user, _chosen_space(form.space.data), form.title.data, form.body.data, form.tags.data,
        form.new_tags.data),
        drafts.space_key(place), {"title": form.title.data})
    if editing.done:
        return redirect(url_for("topics.topic", topic_id=editing.value.id, slug=editing.value.slug), 303)
    return render_template("new_topic.html", form=form.prefill(editing.draft), editing=editing, spaces=writable,
                           closed=_why_closed(place, writable),
                           draft_place=f"espace-{place.slug}" if place else "nouveau-sujet"), editing.status


@bp.route("/sujet/<int:topic_id>/etiquettes", methods=["GET", "POST"])
@login_required
def topic_tags(topic_id):
    topic = get_readable_topic(topic_id)
    if not can_edit_tags(current_user, topic):
        abort(403)
    form = TagsForm.of(topic, all_tags())
    submission = submit(form, lambda: tagging.set_tags(current_user, topic, form.tags.data, form.new_tags.data))
    if submission.done:
        flash(_("Étiquettes enregistrées."))
        return redirect(url_for("topics.topic", topic_id=topic.id, slug=topic.slug), 303)
    return render_template("topic_tags.html", topic=topic, form=form), submission.status


@bp.route("/sujet/<int:topic_id>/repondre", methods=["GET", "POST"])
@login_required
@limiter.limit(posting_limit, key_func=member_key, methods=["POST"], deduct_when=succeeded)
def reply(topic_id):
    topic = get_readable_topic(topic_id)
    form = ReplyForm()
    draft_key = drafts.topic_key(topic)
    try:
        parent = form.parent_post(drafts.load(current_user, draft_key))
    except Invalid as refusal:
        fill_errors(form, refusal)
        return render_template("reply.html", topic=topic, parent=None, form=form, editing=Editing(status=422)), 422
    editing = editor.run(form, lambda: posting.reply(current_user, topic, form.body.data, parent),
                         draft_key, {"parent_id": parent.id if parent else None})
    if editing.done:
        return redirect(url_for("topics.post", post_id=editing.value.id), 303)
    shown = parent if parent is not None and parent.topic_id == topic.id \
        and can_read_post_text(current_user, parent) else None
    form.prefill(editing.draft, editor.quote_of(current_user, request.args.get("citer")))
    return render_template("reply.html", topic=topic, parent=shown, form=form, editing=editing,
                           cannot_reply=why_cannot_reply(current_user, topic)), editing.status


@bp.route("/message/<int:post_id>/modifier", methods=["GET", "POST"])
@login_required
def edit(post_id):
    post = get_post_for(post_id, can_edit_post)
    form = EditForm.of(post)
    editing = editor.run(form, lambda: posting.edit_post(
        current_user, post, form.body.data, form.title.data if post.is_opening else None), author=post.author)
    if editing.done:
        return redirect(url_for("topics.post", post_id=post.id), 303)
    return render_template("edit.html", post=post, form=form, editing=editing), editing.status


@bp.route("/message/<int:post_id>/supprimer", methods=["GET", "POST"])
@login_required
def delete(post_id):
    post = get_post_for(post_id, can_delete_post)
    form = ConfirmForm()
    submission = submit(form, lambda: posting.delete_post(current_user, post))
    if submission.done:
        return redirect(url_for("topics.post", post_id=post.id), 303)
    return render_template("delete.html", post=post, form=form), submission.status


@bp.route("/message/<int:post_id>/versions")
def revisions(post_id):
    post = get_visible_post(post_id)
    if not can_read_post_text(current_user, post):
        abort(404)
    revisions = reading.revisions(post)
    chosen = history.chosen_pair(revisions, request.args.get("de", ""), request.args.get("a", ""))
    return render_template("revisions.html", post=post, revisions=revisions, chosen=chosen,
                           changes=history.changes(revisions), redaction_label=history.redaction_label)


@bp.route("/piece-jointe/<key>/<name>")
def attachment(key, name):
    found = attachments.find(key)
    if found is None or not can_download_attachment(current_user, found) or not os.path.exists(found.path()):
        abort(404)
    response = send_file(found.path(), mimetype=found.content_type, as_attachment=not found.is_image,
                         download_name=found.filename, conditional=True, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    # Even opened on its own, a file never runs anything in this site's origin.
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


@bp.route("/brouillon", methods=["POST"])
@login_required
@limiter.limit("60 per minute")
def autosave():
    """The editor's autosave (JavaScript): answers JSON."""
    parent = request.form.get("parent")
    try:
        draft = drafts.save(current_user, _draft_key(request.form.get("lieu")), request.form.get("body"),
                            request.form.get("title"), parse_int(parent, 1))
    except Refused as refusal:
        db.session.rollback()
        return jsonify({"error": refusal.message}), refusal.status
    return jsonify({"saved": draft is not None,
                    "saved_at": draft.updated_at.isoformat() + "Z" if draft else None})


def _draft_key(place):
    """The draft key named by the editor's ``lieu`` field, checked against permissions."""
    place = place or ""
    if place.startswith("sujet-") and parse_int(place[6:], 1):
        return drafts.key_for(current_user, "topic", db.session.get(Topic, parse_int(place[6:], 1)))
    if place.startswith("espace-"):
        space = db.session.scalar(select(Space).where(Space.slug == place[7:]))
        return drafts.key_for(current_user, "space", space)
    if place == "nouveau-sujet":
        return drafts.key_for(current_user, drafts.NEW_TOPIC, None)
    # Private conversations (templates/conversations/): an answer, a new one, a letter to a group.
    if place.startswith("conversation-") and parse_int(place[13:], 1):
        return drafts.key_for(current_user, "conversation", parse_int(place[13:], 1))
    if place == "nouvelle-conversation":
        return drafts.key_for(current_user, drafts.NEW_CONVERSATION, None)
    if place.startswith("lettre-"):
        return drafts.key_for(current_user, "letter", place[7:])
    return drafts.key_for(current_user, None, None)
