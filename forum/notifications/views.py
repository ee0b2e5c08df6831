"""Notification pages: the list, watch levels, email choices, unsubscribe, digest preview."""
import base64
import hashlib

from flask import (Blueprint, abort, flash, make_response, redirect, render_template, request,
                   url_for)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.accounts.models import Member
from forum.errors import Refused
from forum.extensions import csrf, db
from forum.permissions import is_coordinator
from forum.topics.finding import get_readable_space, get_readable_topic, get_tag
from forum.web.forms import ConfirmForm, require_confirmation, submit

from . import inbox, preferences, watching, weekly
from .digest import compose
from .forms import MailForm, WatchForm
from .mail import email_style
from .models import Notification

bp = Blueprint("notifications", __name__)


@bp.route("/notifications")
@login_required
def index():
    data = inbox.page(current_user, request.args.get("page", 1))
    return render_template("notifications/index.html", form=ConfirmForm(), **data)


@bp.route("/notifications/etat.json")
@login_required
def state():
    """The counter and the newest id: what a live page needs to catch up after reconnecting."""
    return {"unread": inbox.unread_count(current_user.id), "last_id": inbox.latest_id(current_user.id)}


def _own_notification(notification_id):
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.member_id != current_user.id:
        abort(404)
    return notification


@bp.route("/notifications/<int:notification_id>", methods=["GET", "POST"])
@login_required
def open_notification(notification_id):
    """Follow a notification to what it is about. Only the list's button (a POST with its CSRF
    token) marks it read: a GET may come from an image or a link on another site."""
    notification = _own_notification(notification_id)
    if not inbox.readable(current_user, notification):
        abort(404)
    if request.method == "POST":
        require_confirmation()
        inbox.mark_read(current_user, notification)
    return redirect(inbox.target_url(notification), 303)


@bp.route("/notifications/<int:notification_id>/lue", methods=["POST"])
@login_required
def mark_read(notification_id):
    require_confirmation()
    inbox.mark_read(current_user, _own_notification(notification_id))
    return redirect(url_for("notifications.index", page=request.args.get("page") or None), 303)


@bp.route("/notifications/tout-lu", methods=["POST"])
@login_required
def mark_all_read():
    require_confirmation()
    inbox.mark_all_read(current_user)
    flash(_("Toutes vos notifications sont marquées comme lues."))
    return redirect(url_for("notifications.index"), 303)


# --- watch levels ------------------------------------------------------------------------------

def _save_level(target_url, **target):
    form = WatchForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        level = watching.set_level(current_user, form.level.data, **target)
    except Refused as refusal:
        db.session.rollback()
        return render_template("notifications/watch_refused.html", message=refusal.message,
                               back=target_url), refusal.status
    db.session.commit()
    flash(_("Niveau de suivi enregistré : %(level)s.", level=watching.LABELS[level]))
    return redirect(target_url, 303)


@bp.route("/suivi/sujet/<int:topic_id>", methods=["POST"])
@login_required
def watch_topic(topic_id):
    topic = get_readable_topic(topic_id)
    return _save_level(url_for("topics.topic", topic_id=topic.id, slug=topic.slug), topic=topic)


@bp.route("/suivi/espace/<slug>", methods=["POST"])
@login_required
def watch_space(slug):
    space = get_readable_space(slug)
    return _save_level(url_for("topics.space", slug=space.slug), space=space)


@bp.route("/suivi/etiquette/<slug>", methods=["POST"])
@login_required
def watch_tag(slug):
    tag = get_tag(slug)
    return _save_level(url_for("topics.tag", slug=tag.slug), tag=tag)


def watch_context(sender, template, context, **extra):
    """Give the topic, space and tag pages their watch form (templates never query)."""
    name = template.name
    if name not in ("topic.html", "space.html", "tag.html") or not current_user.is_authenticated:
        return
    if name == "topic.html" and context.get("topic") is not None:
        choice, action = watching.topic_choice(current_user, context["topic"]), \
            url_for("notifications.watch_topic", topic_id=context["topic"].id)
    elif name == "space.html" and context.get("space") is not None:
        choice, action = watching.space_choice(current_user, context["space"]), \
            url_for("notifications.watch_space", slug=context["space"].slug)
    elif name == "tag.html" and context.get("tag") is not None:
        choice, action = watching.tag_choice(current_user, context["tag"]), \
            url_for("notifications.watch_tag", slug=context["tag"].slug)
    else:
        return
    form = WatchForm(formdata=None)
    form.level.data = str(choice.level)
    context["watch"] = {"choice": choice, "action": action, "form": form,
                        "labels": watching.LABELS,
                        "hints": watching.SPACE_HINTS if name != "topic.html" else watching.HINTS,
                        "kind": name.split(".")[0]}


# --- email choices and unsubscribe ---------------------------------------------------------------

@bp.route("/preferences/courriels", methods=["GET", "POST"], endpoint="preferences")
@login_required
def preferences_page():
    form = MailForm.of(preferences.get(current_user.id))
    submission = submit(form, lambda: preferences.save(current_user, form.email_mode.data, form.digest.data,
                                                       form.college_mentions.data))
    if submission.done:
        flash(_("Vos choix de courriels sont enregistrés."))
        return redirect(url_for("notifications.preferences"), 303)
    return render_template("notifications/preferences.html", form=form), submission.status


@bp.route("/desabonnement/<token>", methods=["GET", "POST"])
@csrf.exempt
def unsubscribe(token):
    """RFC 8058 one-click unsubscribe: mail clients POST here without a session or CSRF token;
    the signed token is the protection. GET only shows a confirmation button."""
    member_id, scope = preferences.read_token(token)
    if request.method == "POST":
        preferences.unsubscribe(member_id, scope)
        return render_template("notifications/unsubscribed.html", scope=scope)
    member = db.session.get(Member, member_id)
    if member is None:
        abort(404)
    return render_template("notifications/unsubscribe.html", scope=scope, token=token)


# --- digest preview for coordinators -------------------------------------------------------------

@bp.route("/coordination/resume/<int:member_id>")
@login_required
def digest_preview(member_id):
    if not is_coordinator(current_user):
        abort(403)
    member = db.session.get(Member, member_id)
    if member is None:
        abort(404)
    since, until = weekly.preview_period(member.id)
    digest = compose(member, since, until, previewer=current_user)
    reason = weekly.never_sent(member)
    notice = ""
    if reason == weekly.OPTED_OUT:
        notice = _("%(name)s a désactivé le résumé hebdomadaire : aucun résumé ne lui est envoyé. Voici ce "
                   "qu’il contiendrait sinon.", name=member.pseudonym)
    elif reason == weekly.INACTIVE:
        notice = _("Le compte de %(name)s n’est pas actif : aucun résumé ne lui est envoyé. Voici ce qu’il "
                   "contiendrait sinon.", name=member.pseudonym)
    _text, html = weekly.render(digest, member, notice=notice)
    response = make_response(html)
    # The email carries its own <style>: allow exactly that stylesheet, nothing else.
    digest_hash = base64.b64encode(hashlib.sha256(email_style().encode()).digest()).decode()
    response.headers["Content-Security-Policy"] = (
        f"default-src 'none'; style-src 'sha256-{digest_hash}'; img-src 'none'; base-uri 'none'; "
        "form-action 'none'; frame-ancestors 'none'")
    return response
