"""/messages/compte-suspendu: a suspended member's letters to the coordination, read and written
in a browser that proved who they are (``forum/accounts/signin.suspended_member``); nobody is
logged in. Thin: the rules live in ``suspended`` and ``rules``."""
from flask import abort, current_app, flash, make_response, redirect, render_template, url_for
from flask_login import current_user

from forum.accounts import signin
from forum.errors import Forbidden
from forum.extensions import limiter
from forum.web.forms import require_confirmation, submit
from forum.web.ratelimits import posting_limit, succeeded

from . import suspended
from .blueprint import bp
from .forms import AnswerForm, GroupForm


def _proven_key():
    member = signin.suspended_member()
    return f"member:{member.id}" if member else "suspended:none"


def _letters_limit():
    return current_app.config["RATELIMIT_CONVERSATIONS"]


def _proven():
    """The proven suspended member, else 403 saying why (a logged-in member is sent to /messages)."""
    if current_user.is_authenticated:
        abort(redirect(url_for(".index")))
    member = signin.suspended_member()
    if member is None:
        raise Forbidden(suspended.proof_ended())
    return member


def _page(template, status, **context):
    # Nobody is logged in: the default headers would let a shared cache keep these letters.
    response = make_response(render_template(template, **context), status)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/messages/compte-suspendu", methods=["GET", "POST"])
@limiter.limit(_letters_limit, key_func=_proven_key, methods=["POST"], deduct_when=succeeded)
def suspended_letters():
    member = _proven()
    form = GroupForm()
    submission = submit(form, lambda: suspended.write_letter(member, form.title.data, form.body.data))
    if submission.done:
        return redirect(url_for(".suspended_letter", conversation_id=submission.value.conversation_id), 303)
    return _page("conversations/suspended.html", submission.status, member=member, form=form,
                 letters=suspended.letters(member), unread=suspended.unread)


@bp.route("/messages/compte-suspendu/<int:conversation_id>", methods=["GET", "POST"])
@limiter.limit(posting_limit, key_func=_proven_key, methods=["POST"], deduct_when=succeeded)
def suspended_letter(conversation_id):
    member = _proven()
    conversation = suspended.readable_letter(member, conversation_id) or abort(404)
    form = AnswerForm()
    submission = submit(form, lambda: suspended.answer_letter(member, conversation, form.body.data))
    if submission.done:
        return redirect(url_for(".suspended_letter", conversation_id=conversation.id,
                                _anchor=f"message-{submission.value.number}"), 303)
    suspended.mark_read(member, conversation)
    return _page("conversations/suspended_letter.html", submission.status, member=member,
                 conversation=conversation, form=form)


@bp.route("/messages/compte-suspendu/terminer", methods=["POST"])
def suspended_end():
    """Forget the proof in this browser (a shared computer: a library, an association's office)."""
    require_confirmation()
    signin.forget_suspended()
    flash(suspended.proof_ended())
    return redirect(url_for("accounts.login"), 303)
