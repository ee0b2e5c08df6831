"""What the syntheses' views answer alike: the synthesis asked for (404 when it may not be read),
its address, and a button's act (done, or a page saying why not, with its status)."""
from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from forum.errors import NotFound, Refused
from forum.extensions import db
from forum.web.forms import require_confirmation

from . import reading


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
