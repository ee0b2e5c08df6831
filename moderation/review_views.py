"""Moderators' pages: the review queue, a post, a topic, a member, appeals, space settings.

Every page and every action checks the moderator's scope (``forum.permissions``); the domain
functions check it again after taking their lock.
"""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext
from flask_login import current_user, login_required
from sqlalchemy import select

from forum.accounts.models import Member
from forum.accounts.views import safe_next
from forum.errors import Refused
from forum.extensions import db
from forum.topics.models import Post, Space, Topic
from forum.permissions import can_moderate, can_see_post, is_coordinator
from forum.web.forms import fill_errors

from . import appeals, deciding, post_decisions, queue, reporting, sanctions, settings, topic_decisions
from .blueprint import bp
from .deciding import ACTION_LABELS
from .forms import AppealReviewForm, DecisionForm, SpaceSettingsForm
from .models import Appeal, Decision
from .permissions import can_review_appeal, can_sanction

# URL segment → (domain call, message once done). Calls take (moderator, post, form).
POST_ACTIONS = {
    "classer": (lambda me, post, f: post_decisions.dismiss(me, post, f.justification.data, f.seen_reports),
                lazy_gettext("Signalements classés sans suite.")),
    "masquer": (lambda me, post, f: post_decisions.hide(me, post, f.articles.data, f.justification.data,
                                                        f.seen_reports), lazy_gettext("Message masqué.")),
    "retablir": (lambda me, post, f: post_decisions.restore(me, post, f.justification.data, f.articles.data),
                 lazy_gettext("Message rétabli.")),
    "approuver": (lambda me, post, f: post_decisions.approve(me, post, f.justification.data, f.seen_reports),
                  lazy_gettext("Message approuvé et publié.")),
    "refuser": (lambda me, post, f: post_decisions.reject(me, post, f.articles.data, f.justification.data),
                lazy_gettext("Message refusé.")),
    "avertir": (lambda me, post, f: sanctions.warn(me, post.author, f.articles.data, f.justification.data,
                                                   post=post), lazy_gettext("Avertissement envoyé.")),
}

TOPIC_ACTIONS = {
    "fermer": (lambda me, topic, f: topic_decisions.lock_topic(me, topic, f.articles.data, f.justification.data),
               lazy_gettext("Sujet fermé.")),
    "rouvrir": (lambda me, topic, f: topic_decisions.unlock_topic(me, topic, f.justification.data, f.articles.data),
                lazy_gettext("Sujet rouvert.")),
    "deplacer": (lambda me, topic, f: topic_decisions.move_topic(
        me, topic, db.session.scalar(select(Space).where(Space.slug == f.space.data)) if f.space.data else None,
        f.articles.data, f.justification.data), lazy_gettext("Sujet déplacé.")),
    "mode-lent": (lambda me, topic, f: topic_decisions.set_slow_mode(me, topic, f.minutes.data, f.articles.data,
                                                                     f.justification.data),
                  lazy_gettext("Mode lent activé.")),
    "fin-mode-lent": (lambda me, topic, f: topic_decisions.end_slow_mode(me, topic, f.justification.data,
                                                                         f.articles.data),
                      lazy_gettext("Mode lent levé.")),
}

MEMBER_ACTIONS = {
    "avertir": (lambda me, member, f: sanctions.warn(me, member, f.articles.data, f.justification.data),
                lazy_gettext("Avertissement envoyé.")),
    "lecture-seule": (lambda me, member, f: sanctions.sanction(me, member, "silence", f.duration.data, f.unit.data,
                                                               f.articles.data, f.justification.data),
                      lazy_gettext("Compte mis en lecture seule.")),
    "suspendre": (lambda me, member, f: sanctions.sanction(me, member, "suspend", f.duration.data, f.unit.data,
                                                           f.articles.data, f.justification.data),
                  lazy_gettext("Compte suspendu.")),
    "lever-lecture-seule": (lambda me, member, f: sanctions.lift(me, member, "silence", f.justification.data,
                                                                 f.articles.data),
                            lazy_gettext("Lecture seule levée.")),
    "lever-suspension": (lambda me, member, f: sanctions.lift(me, member, "suspend", f.justification.data,
                                                              f.articles.data),
                         lazy_gettext("Suspension levée.")),
}


def _moderated_post(post_id):
    post = db.session.get(Post, post_id)
    if post is None or not can_see_post(current_user, post):
        abort(404)
    if not can_moderate(current_user, post.topic.space):
        abort(403)
    return post


def _moderated_topic(topic_id):
    topic = db.session.get(Topic, topic_id)
    if topic is None:
        abort(404)
    if not can_moderate(current_user, topic.space):
        abort(403)
    return topic


def _forms(actions, failed=None, form=None):
    forms = {name: DecisionForm(formdata=None) for name in actions}
    if failed:
        forms[failed] = form
    return forms


def _act(actions, name, target, page, redirect_to):
    """Run action ``name`` on ``target``; on refusal, show ``page`` again with the errors."""
    if name not in actions:
        abort(404)
    call, done = actions[name]
    form = DecisionForm()
    status = 400
    if form.validate_on_submit():
        try:
            call(current_user, target, form)
        except Refused as refusal:
            db.session.rollback()
            fill_errors(form, refusal)
            status = refusal.status
        else:
            flash(str(done))  # a lazy text: the session stores plain strings
            return redirect(redirect_to, 303)
    return page(failed=name, form=form, status=status)


# --- the queue --------------------------------------------------------------------------

@bp.route("/moderation/")
@login_required
def review():
    spaces = queue.moderated_spaces(current_user)
    if not spaces:
        abort(403)
    space = None
    if request.args.get("espace"):
        space = db.session.scalar(select(Space).where(Space.slug == request.args["espace"]))
        if space is None:
            abort(404)
        if not can_moderate(current_user, space):
            abort(403)
    data = queue.review_queue(current_user, space)
    return render_template("moderation/queue.html", all_spaces=spaces, reason_label=reporting.reason_label,
                           labels=ACTION_LABELS, **data)


# --- a post -----------------------------------------------------------------------------

def _post_page(post, failed=None, form=None, status=200):
    context = queue.post_context(current_user, post)
    forms = _forms(POST_ACTIONS, failed, form)
    seen = ",".join(str(r.id) for r in context["open_reports"])
    for name in ("classer", "masquer", "approuver"):
        if name != failed:
            forms[name].reports.data = seen
    return render_template("moderation/post.html", forms=forms, failed=failed, labels=ACTION_LABELS,
                           reason_label=reporting.reason_label, **context), status


@bp.route("/moderation/messages/<int:post_id>")
@login_required
def post(post_id):
    return _post_page(_moderated_post(post_id))


@bp.route("/moderation/messages/<int:post_id>/<action>", methods=["POST"])
@login_required
def decide_post(post_id, action):
    post = _moderated_post(post_id)
    return _act(POST_ACTIONS, action, post, lambda **kw: _post_page(post, **kw),
                url_for("moderation.post", post_id=post.id))


@bp.route("/moderation/messages/<int:post_id>/modifier", methods=["GET", "POST"])
@login_required
def edit_post(post_id):
    post = _moderated_post(post_id)
    form = DecisionForm()
    if request.method == "GET":
        form.body.data, form.title.data = post.source, post.topic.title
    status = 200
    if form.validate_on_submit():
        try:
            post_decisions.edit(current_user, post, form.body.data,
                                form.title.data if post.is_opening else None, form.articles.data,
                                form.justification.data, form.seen_reports)
        except Refused as refusal:
            db.session.rollback()
            fill_errors(form, refusal)
            status = refusal.status
        else:
            flash(_("Message modifié ; la note est visible dans ses versions."))
            return redirect(url_for("moderation.post", post_id=post.id), 303)
    elif request.method == "POST":
        status = 400
    return render_template("moderation/edit.html", post=post, form=form), status


@bp.route("/moderation/messages/<int:post_id>/detacher", methods=["GET", "POST"])
@login_required
def split_post(post_id):
    post = _moderated_post(post_id)
    form = DecisionForm()
    status = 200
    if form.validate_on_submit():
        try:
            decision = topic_decisions.split(current_user, post, form.title.data, form.articles.data,
                                             form.justification.data)
        except Refused as refusal:
            db.session.rollback()
            fill_errors(form, refusal)
            status = refusal.status
        else:
            flash(_("Les réponses forment désormais un nouveau sujet."))
            return redirect(url_for("topics.topic", topic_id=decision.topic_id), 303)
    elif request.method == "POST":
        status = 400
    return render_template("moderation/split.html", post=post, form=form), status


# --- a topic ----------------------------------------------------------------------------

def _topic_page(topic, failed=None, form=None, status=200):
    forms = _forms(TOPIC_ACTIONS, failed, form)
    destinations = [s for s in queue.moderated_spaces(current_user) if s.id != topic.space_id]
    forms["deplacer"].space.choices = [("", "— Choisissez —")] + [(s.slug, s.name) for s in destinations]
    decisions = db.session.scalars(select(Decision).where(Decision.topic_id == topic.id)
                                   .order_by(Decision.created_at.desc(), Decision.id.desc())).all()
    return render_template("moderation/topic.html", topic=topic, forms=forms, failed=failed,
                           slow=db.session.get(topic_decisions.TopicSlowMode, topic.id),
                           decisions=decisions, labels=ACTION_LABELS), status


@bp.route("/moderation/sujets/<int:topic_id>")
@login_required
def topic(topic_id):
    return _topic_page(_moderated_topic(topic_id))


@bp.route("/moderation/sujets/<int:topic_id>/<action>", methods=["POST"])
@login_required
def decide_topic(topic_id, action):
    topic = _moderated_topic(topic_id)
    return _act(TOPIC_ACTIONS, action, topic, lambda **kw: _topic_page(topic, **kw),
                url_for("moderation.topic", topic_id=topic.id))


# --- a member ---------------------------------------------------------------------------

def _member_page(member, failed=None, form=None, status=200):
    forms = _forms(MEMBER_ACTIONS, failed, form)
    return render_template("moderation/member.html", member=member, forms=forms, failed=failed,
                           history=queue.history(current_user, member), labels=ACTION_LABELS,
                           may_sanction=can_sanction(current_user, member),
                           may_warn=is_coordinator(current_user) and current_user.id != member.id), status


def _member_for_moderators(member_id):
    member = db.session.get(Member, member_id)
    if member is None:
        abort(404)
    if not queue.moderated_spaces(current_user):
        abort(403)
    return member


@bp.route("/moderation/membres/<int:member_id>")
@login_required
def member(member_id):
    return _member_page(_member_for_moderators(member_id))


@bp.route("/moderation/membres/<int:member_id>/<action>", methods=["POST"])
@login_required
def decide_member(member_id, action):
    member = _member_for_moderators(member_id)
    return _act(MEMBER_ACTIONS, action, member, lambda **kw: _member_page(member, **kw),
                url_for("moderation.member", member_id=member.id))


# --- undoing, appeals, settings ---------------------------------------------------------

@bp.route("/moderation/decisions/<int:decision_id>/annuler", methods=["GET", "POST"])
@login_required
def reverse(decision_id):
    decision = db.session.get(Decision, decision_id)
    if decision is None:
        abort(404)
    if decision.space is not None and not can_moderate(current_user, decision.space) or \
            decision.space is None and not is_coordinator(current_user):
        abort(403)
    form = DecisionForm()
    status = 200
    if form.validate_on_submit():
        try:
            deciding.reverse(current_user, decision, form.justification.data, form.articles.data)
        except Refused as refusal:
            db.session.rollback()
            fill_errors(form, refusal)
            status = refusal.status
        else:
            flash(_("Décision annulée."))
            return redirect(safe_next(request.args.get("next")) or url_for("moderation.review"), 303)
    elif request.method == "POST":
        status = 400
    return render_template("moderation/reverse.html", decision=decision, form=form, labels=ACTION_LABELS), status


@bp.route("/moderation/recours/<int:appeal_id>", methods=["GET", "POST"])
@login_required
def review_appeal(appeal_id):
    appeal = db.session.get(Appeal, appeal_id)
    if appeal is None:
        abort(404)
    if not can_review_appeal(current_user, appeal.decision):
        abort(403)
    form = AppealReviewForm()
    status = 200
    if form.validate_on_submit():
        try:
            appeals.resolve(current_user, appeal, form.outcome.data, form.justification.data, form.articles.data)
        except Refused as refusal:
            db.session.rollback()
            fill_errors(form, refusal)
            status = refusal.status
        else:
            flash(_("Recours examiné ; la personne concernée est prévenue."))
            return redirect(url_for("moderation.review"), 303)
    elif request.method == "POST":
        status = 400
    decision = appeal.decision
    context = queue.post_context(current_user, decision.post) if decision.post is not None else {}
    return render_template("moderation/appeal_review.html", appeal=appeal, decision=decision, form=form,
                           labels=ACTION_LABELS, context=context), status


@bp.route("/moderation/espaces/<slug>/reglages", methods=["GET", "POST"])
@login_required
def space_settings(slug):
    space = db.session.scalar(select(Space).where(Space.slug == slug))
    if space is None:
        abort(404)
    if not can_moderate(current_user, space):
        abort(403)
    form = SpaceSettingsForm()
    if request.method == "GET":
        current = settings.for_space(space)
        form.report_threshold.data = str(current.report_threshold)
        form.approve_first_posts.data = str(current.approve_first_posts)
    status = 200
    if form.validate_on_submit():
        try:
            settings.save_for_space(current_user, space, form.report_threshold.data, form.approve_first_posts.data)
        except Refused as refusal:
            db.session.rollback()
            fill_errors(form, refusal)
            status = refusal.status
        else:
            flash(_("Réglages de modération enregistrés."))
            return redirect(url_for("moderation.space_settings", slug=space.slug), 303)
    elif request.method == "POST":
        status = 400
    return render_template("moderation/space_settings.html", space=space, form=form), status
