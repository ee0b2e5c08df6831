"""Moderators' pages: the review queue, a post, a topic, a member, appeals, space settings.

Every page and every action checks the moderator's scope (``forum.permissions``,
``moderation.permissions``); the domain functions check it again after taking their lock.
A post, a topic and a member each have a *desk*: one page showing a form per decision, and a
route per decision, which shows that page again with the errors when the decision is refused.
"""
from dataclasses import dataclass
from typing import Callable

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext
from flask_login import current_user, login_required
from sqlalchemy import select

from forum.accounts.models import Member
from forum.announcements import audience
from forum.extensions import db
from forum.permissions import can_moderate, can_read_post_text, can_see_post, is_coordinator
from forum.topics.models import Post, Space, Topic
from forum.web.forms import submit
from forum.web.navigation import safe_next

from . import (appeals, deciding, post_decisions, queue, reporting, sanctions, settings,
               topic_decisions)
from .blueprint import bp
from .deciding import ACTION_LABELS
from .forms import AppealReviewForm, DecisionForm, SpaceSettingsForm
from .models import Appeal, Decision
from .permissions import can_open_member_page, can_review_appeal, can_sanction

# URL segment → (domain call, message once done). Calls take (moderator, post, form).
POST_ACTIONS = {
    "classer": (lambda me, post, f: post_decisions.dismiss(me, post, f.justification.data, f.seen_reports),
                lazy_gettext("Signalements classés sans suite.")),
    "masquer": (lambda me, post, f: post_decisions.hide(me, post, f.articles.data, f.justification.data,
                                                        f.seen_reports, warn=f.warn.data),
                lazy_gettext("Message masqué.")),
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
    "epingler": (lambda me, topic, f: topic_decisions.pin_topic(me, topic, f.justification.data),
                 lazy_gettext("Sujet épinglé : il paraît en tête de son espace.")),
    "desepingler": (lambda me, topic, f: topic_decisions.unpin_topic(me, topic, f.justification.data),
                    lazy_gettext("Sujet désépinglé.")),
    "annoncer": (lambda me, topic, f: topic_decisions.announce_topic(me, topic, f.justification.data, f.until.data,
                                                                     f.audience.data, f.committees.data),
                 lazy_gettext("Annonce faite : chaque membre à qui elle s'adresse et qui peut lire cet espace "
                              "en est averti.")),
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


def _allowed(row, may):
    """``row`` when it exists and ``may(row)``: else 404, or 403 when it exists."""
    if row is None:
        abort(404)
    if not may(row):
        abort(403)
    return row


def _done(message, url):
    flash(str(message))  # a lazy text: the session stores plain strings
    return redirect(url, 303)


def _moderated_post(post_id):
    post = db.session.get(Post, post_id)
    return _allowed(post if post is not None and can_see_post(current_user, post) else None,
                    lambda post: can_moderate(current_user, post.topic.space))


# --- the desks of a post, a topic, a member ---------------------------------------------

@dataclass(frozen=True)
class Desk:
    """The moderation page of one kind of target and the decisions taken from it."""
    find: Callable      # id → the target the moderator acts on (404, 403 otherwise)
    actions: dict       # URL segment → (domain call(moderator, target, form), message once done)
    template: str
    context: Callable   # (target, forms, failed) → the page's own variables
    url: Callable       # target → its page, where a decision leads back


def _desk_page(desk, target, failed=None, form=None, status=200):
    """The page of ``target``: a blank form per decision, but the ``failed`` one as it was typed."""
    forms = {name: DecisionForm(formdata=None) for name in desk.actions}
    if failed:
        forms[failed] = form
    return render_template(desk.template, forms=forms, failed=failed, labels=ACTION_LABELS,
                           **desk.context(target, forms, failed)), status


def _desk(desk, target_id, action):
    """The desk's page (no ``action``), or decision ``action`` on its target."""
    target = desk.find(target_id)
    if action is None:
        return _desk_page(desk, target)
    if action not in desk.actions:
        abort(404)
    call, message = desk.actions[action]
    form = DecisionForm()
    submission = submit(form, lambda: call(current_user, target, form))
    if submission.done:
        return _done(message, safe_next(form.next.data) or desk.url(target))
    return _desk_page(desk, target, failed=action, form=form, status=submission.status)


def _post_context(post, forms, failed):
    context = queue.post_context(current_user, post)
    seen = ",".join(str(r.id) for r in context["open_reports"])
    for name in ("classer", "masquer", "approuver"):
        if name != failed:
            forms[name].reports.data = seen
    # The articles the reports cite come ticked: the moderator confirms rather than searches.
    reported = sorted({str(r.article_id) for r in context["open_reports"] if r.article_id})
    for name in ("masquer", "refuser", "avertir"):
        if name != failed:
            forms[name].articles.data = reported
    return dict(context, reason_label=reporting.reason_label)


def _topic_context(topic, forms, failed):
    destinations = [s for s in queue.moderated_spaces(current_user) if s.id != topic.space_id]
    forms["deplacer"].space.choices = [("", "— Choisissez —")] + [(s.slug, s.name) for s in destinations]
    # A topic moved here keeps the decisions of its former space: listed only if that space is
    # readable.
    decisions = queue.decisions(current_user, Decision.topic_id == topic.id)
    forms["annoncer"].committees.choices = audience.committee_choices()
    return {"topic": topic, "slow": db.session.get(topic_decisions.TopicSlowMode, topic.id), "decisions": decisions,
            "may_announce": is_coordinator(current_user), "announced_to": audience.committee_names(topic.id),
            "announced_last_day": audience.last_moment(topic.announced_until) if topic.announced_until else None}


def _member_context(member, forms, failed):
    return {"member": member, "history": queue.history(current_user, member),
            "may_sanction": can_sanction(current_user, member),
            "may_warn": is_coordinator(current_user) and current_user.id != member.id}


def _member_in_scope(member_id):
    """403 for who moderates nothing; 404 for a member beyond the moderator's scope, as for an
    unknown one: the page must not confirm anything about them (``can_open_member_page``)."""
    if not queue.moderated_spaces(current_user):
        abort(403)
    member = db.session.get(Member, member_id)
    if member is None or not can_open_member_page(current_user, member):
        abort(404)
    return member


POSTS = Desk(find=_moderated_post, actions=POST_ACTIONS, template="moderation/post.html", context=_post_context,
             url=lambda post: url_for("moderation.post", post_id=post.id))
TOPICS = Desk(find=lambda topic_id: _allowed(db.session.get(Topic, topic_id),
                                             lambda topic: can_moderate(current_user, topic.space)),
              actions=TOPIC_ACTIONS, template="moderation/topic.html", context=_topic_context,
              url=lambda topic: url_for("moderation.topic", topic_id=topic.id))
MEMBERS = Desk(find=_member_in_scope,
               actions=MEMBER_ACTIONS, template="moderation/member.html", context=_member_context,
               url=lambda member: url_for("moderation.member", member_id=member.id))


@bp.route("/moderation/messages/<int:post_id>", endpoint="post")
@bp.route("/moderation/messages/<int:post_id>/<action>", endpoint="decide_post", methods=["POST"])
@login_required
def post_desk(post_id, action=None):
    return _desk(POSTS, post_id, action)


@bp.route("/moderation/sujets/<int:topic_id>", endpoint="topic")
@bp.route("/moderation/sujets/<int:topic_id>/<action>", endpoint="decide_topic", methods=["POST"])
@login_required
def topic_desk(topic_id, action=None):
    return _desk(TOPICS, topic_id, action)


@bp.route("/moderation/membres/<int:member_id>", endpoint="member")
@bp.route("/moderation/membres/<int:member_id>/<action>", endpoint="decide_member", methods=["POST"])
@login_required
def member_desk(member_id, action=None):
    return _desk(MEMBERS, member_id, action)


# --- the queue --------------------------------------------------------------------------

@bp.route("/moderation/")
@login_required
def review():
    spaces = queue.moderated_spaces(current_user)
    if not spaces:
        abort(403)
    space = None
    if request.args.get("espace"):
        space = _allowed(db.session.scalar(select(Space).where(Space.slug == request.args["espace"])),
                         lambda space: can_moderate(current_user, space))
    data = queue.review_queue(current_user, space)
    return render_template("moderation/queue.html", all_spaces=spaces, reason_label=reporting.reason_label,
                           labels=ACTION_LABELS, **data)


# --- what a post's desk links to: editing and splitting ---------------------------------

@bp.route("/moderation/messages/<int:post_id>/modifier", methods=["GET", "POST"])
@login_required
def edit_post(post_id):
    post = _moderated_post(post_id)
    form = DecisionForm()
    if request.method == "GET":
        form.body.data, form.title.data = post.source, post.topic.title
    submission = submit(form, lambda: post_decisions.edit(
        current_user, post, form.body.data, form.title.data if post.is_opening else None, form.articles.data,
        form.justification.data, form.seen_reports))
    if submission.done:
        return _done(_("Message modifié ; la note est visible dans ses versions."),
                     url_for("moderation.post", post_id=post.id))
    return render_template("moderation/edit.html", post=post, form=form), submission.status


@bp.route("/moderation/messages/<int:post_id>/detacher", methods=["GET", "POST"])
@login_required
def split_post(post_id):
    post = _moderated_post(post_id)
    form = DecisionForm()
    submission = submit(form, lambda: topic_decisions.split(current_user, post, form.title.data,
                                                            form.articles.data, form.justification.data))
    if submission.done:
        return _done(_("Les réponses forment désormais un nouveau sujet."),
                     url_for("topics.topic", topic_id=submission.value.topic_id))
    return render_template("moderation/split.html", post=post, form=form), submission.status


# --- undoing, appeals, settings ---------------------------------------------------------

def _may_reverse(decision):
    if decision.space is None:
        return is_coordinator(current_user)
    return can_moderate(current_user, decision.space)


@bp.route("/moderation/decisions/<int:decision_id>/annuler", methods=["GET", "POST"])
@login_required
def reverse(decision_id):
    decision = _allowed(db.session.get(Decision, decision_id), _may_reverse)
    form = DecisionForm()
    submission = submit(form, lambda: deciding.reverse(current_user, decision, form.justification.data,
                                                       form.articles.data))
    if submission.done:
        return _done(_("Décision annulée."), safe_next(request.args.get("next")) or url_for("moderation.review"))
    return render_template("moderation/reverse.html", decision=decision, form=form, labels=ACTION_LABELS), \
        submission.status


@bp.route("/moderation/recours/<int:appeal_id>", methods=["GET", "POST"])
@login_required
def review_appeal(appeal_id):
    appeal = _allowed(db.session.get(Appeal, appeal_id),
                      lambda appeal: can_review_appeal(current_user, appeal.decision))
    form = AppealReviewForm()
    submission = submit(form, lambda: appeals.resolve(current_user, appeal, form.outcome.data,
                                                      form.justification.data, form.articles.data))
    if submission.done:
        return _done(_("Recours examiné ; la personne concernée est prévenue."), url_for("moderation.review"))
    decision = appeal.decision
    # The post may have moved since, to a space this moderator cannot read: then it is not shown.
    post = decision.post if decision.post is not None and can_read_post_text(current_user, decision.post) \
        else None
    return render_template("moderation/appeal_review.html", appeal=appeal, decision=decision, post=post,
                           form=form, labels=ACTION_LABELS), submission.status


@bp.route("/moderation/espaces/<slug>/reglages", methods=["GET", "POST"])
@login_required
def space_settings(slug):
    space = _allowed(db.session.scalar(select(Space).where(Space.slug == slug)),
                     lambda space: can_moderate(current_user, space))
    form = SpaceSettingsForm()
    if request.method == "GET":
        current = settings.for_space(space)
        form.report_threshold.data = str(current.report_threshold)
        form.approve_first_posts.data = str(current.approve_first_posts)
        form.escalate_after_hours.data = str(current.escalate_after_hours)
    submission = submit(form, lambda: settings.save_for_space(current_user, space, form.report_threshold.data,
                                                              form.approve_first_posts.data,
                                                              form.escalate_after_hours.data))
    if submission.done:
        return _done(_("Réglages de modération enregistrés."), url_for("moderation.space_settings", slug=space.slug))
    return render_template("moderation/space_settings.html", space=space, form=form), submission.status
