"""/messages: a member's conversations, a new one (to members or to a group), one conversation,
an answer, a report. Thin: the rules live in ``rules`` and ``writing``."""
from flask import abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.extensions import db, limiter
from forum.topics import drafts, editor
from forum.topics.editor import Editing
from forum.web.forms import submit
from forum.web.ratelimits import member_key, posting_limit, succeeded

from . import reading, rules, writing
from .blueprint import bp
from .forms import AnswerForm, ConversationForm, GroupForm, ReportForm
from .models import COORDINATION, MODERATION, Conversation, ConversationMessage


def conversations_limit():
    return current_app.config["RATELIMIT_CONVERSATIONS"]


def _readable(conversation_id):
    conversation = db.session.get(Conversation, conversation_id)
    if conversation is None or not rules.can_read_conversation(current_user, conversation):
        abort(404)
    return conversation


@bp.route("/messages")
@login_required
def index():
    return render_template("conversations/index.html", rows=reading.inbox(current_user),
                           label=reading.recipients_label,
                           cannot_write=rules.why_cannot_write_privately(current_user))


@bp.route("/messages/nouveau", methods=["GET", "POST"])
@login_required
@limiter.limit(conversations_limit, key_func=member_key, methods=["POST"], deduct_when=succeeded)
def new():
    form = ConversationForm()
    if request.method == "GET":
        form.recipients.data = request.args.get("a", "")[:200]
    editing = editor.run(form, lambda: writing.start(
        current_user, writing.find_recipients(current_user, form.recipients.data), form.title.data, form.body.data),
        drafts.NEW_CONVERSATION, {"title": form.title.data}, tells_groups=False)
    if editing.done:
        return redirect(url_for(".show", conversation_id=editing.value.conversation_id), 303)
    cannot = rules.why_cannot_write_privately(current_user)
    status = 403 if cannot and editing.status == 200 else editing.status
    return render_template("conversations/new.html", form=form.prefill(editing.draft), editing=editing,
                           cannot_write=cannot), status


@bp.route("/messages/ecrire/<any(coordination, moderation):group>", methods=["GET", "POST"])
@login_required
@limiter.limit(conversations_limit, key_func=member_key, methods=["POST"], deduct_when=succeeded)
def to_group(group):
    form = GroupForm().with_committees() if group == MODERATION else GroupForm()
    if request.method == "GET":
        form.committee.data = request.args.get("comite", "")[:60]
    editing = editor.run(form, lambda: writing.write_to_group(
        current_user, group, writing.committee_for_group(form.committee.data) if group == MODERATION else None,
        form.title.data, form.body.data), drafts.GROUP_LETTERS[group], {"title": form.title.data}, tells_groups=False)
    if editing.done:
        return redirect(url_for(".show", conversation_id=editing.value.conversation_id), 303)
    return render_template("conversations/group.html", form=form.prefill(editing.draft), editing=editing, group=group,
                           coordination=group == COORDINATION), editing.status


@bp.route("/messages/<int:conversation_id>")
@login_required
def show(conversation_id):
    conversation = _readable(conversation_id)
    writing.mark_read(current_user, conversation)
    return _page(conversation, AnswerForm())


def _page(conversation, form, editing=None, refused=None):
    """The conversation and its answer box: the answer being written (``editing``: its preview,
    its refusal), else the member's saved draft."""
    editing = editing or Editing(draft=drafts.load(current_user, drafts.conversation_key(conversation)))
    return render_template("conversations/show.html", conversation=conversation, form=form.prefill(editing.draft),
                           editing=editing, refused=refused, report_form=ReportForm(),
                           label=reading.recipients_label(conversation, current_user),
                           cannot_answer=rules.why_cannot_answer(current_user, conversation)), editing.status


@bp.route("/messages/<int:conversation_id>/repondre", methods=["POST"])
@login_required
@limiter.limit(posting_limit, key_func=member_key, deduct_when=succeeded)
def answer(conversation_id):
    conversation = _readable(conversation_id)
    form = AnswerForm()
    editing = editor.run(form, lambda: writing.answer(current_user, conversation, form.body.data),
                         drafts.conversation_key(conversation), tells_groups=False)
    if editing.done:
        return redirect(url_for(".show", conversation_id=conversation.id, _anchor=f"message-{editing.value.number}"),
                        303)
    return _page(conversation, form, editing)


def _message(conversation_id, number):
    conversation = _readable(conversation_id)
    message = db.session.query(ConversationMessage).filter_by(conversation_id=conversation.id, number=number).first()
    if message is None:
        abort(404)
    return message


@bp.route("/messages/<int:conversation_id>/message/<int:number>/fragment")
@login_required
def fragment(conversation_id, number):
    """One message as the page shows it (static/js/live-conversation.js adds it live), as JSON."""
    message = _message(conversation_id, number)
    html = render_template("conversations/_message.html", message=message, report_form=ReportForm())
    response = jsonify(number=message.number, html=html.strip(),
                       announce=_("Nouveau message de %(name)s.", name=message.author.pseudonym))
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/messages/<int:conversation_id>/message/<int:number>/signaler", methods=["POST"])
@login_required
@limiter.limit(posting_limit, key_func=member_key, deduct_when=succeeded)
def report(conversation_id, number):
    message = _message(conversation_id, number)
    form = ReportForm()
    submission = submit(form, lambda: writing.report(current_user, message, form.reason.data))
    if submission.done:
        flash(_("Merci : la coordination lira ce message et ce qui l'entoure, rien d'autre de la conversation."))
        return redirect(url_for(".show", conversation_id=conversation_id), 303)
    return _page(message.conversation, AnswerForm(), Editing(status=submission.status),
                 refused=" ".join([*getattr(form, "form_errors", []), *form.reason.errors]))
