"""What the syntheses' views answer alike: the synthesis asked for (404 when it may not be read),
its address, and a button's act (done, or a page saying why not, with its status)."""
from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from forum.errors import NotFound, Refused
from forum.extensions import db
from forum.web.forms import require_confirmation

from . import reading
from .forms import CommentForm, InviteForm, NamedForm


def find(synthesis_id):
    try:
        return reading.find(current_user, synthesis_id)
    except NotFound:
        abort(404)


def show_url(synthesis, **anchor):
    return url_for("syntheses.show", synthesis_id=synthesis.id, **anchor)


def act(synthesis, action, then, done_message=None):
    """A button's POST (its CSRF token is the whole form): the act, then ``then``; a refusal
    is a page saying why, with its status."""
    require_confirmation()
    try:
        action()
    except Refused as refusal:
        db.session.rollback()
        return render_template("syntheses/refused.html", synthesis=synthesis, message=refusal.message), \
            refusal.status
    if done_message:
        flash(done_message)
    return redirect(then, 303)


def show_page(synthesis, version=None, working=False, comment_form=None, status=200):
    """The synthesis page; a refused comment comes back on it, its error at its field (422)."""
    try:
        shown = reading.page(current_user, synthesis, version, working=working)
    except NotFound:
        abort(404)
    me = getattr(current_user, "id", None)
    named = NamedForm(named=next((e.named for e in synthesis.editors if e.member_id == me), False))
    return render_template("syntheses/show.html", page=shown, invite_form=InviteForm(), named_form=named,
                           comment_form=comment_form or CommentForm().with_sections(shown.sections)), status
