"""Blocking a member (from their profile) and refusing private messages (from the settings
page, section « Messages privés et membres bloqués »): buttons, no JavaScript needed."""
from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.errors import Refused
from forum.extensions import db
from forum.permissions import is_member
from forum.web.forms import require_confirmation
from forum.web.navigation import safe_next

from . import blocking, registration
from .blueprint import bp
from .forms import MessagesForm


@bp.app_template_global()
def blocks_member(member):
    """Has the current member blocked ``member`` (the profile's button)?"""
    return is_member(current_user) and blocking.has_blocked(current_user, member)


@bp.app_template_global()
def messages_section():
    """The settings page's section: the refusal's form (never bound to another form's POST)
    and the members blocked."""
    form = MessagesForm(formdata=None, prefix="messages", data={"refuses_messages": current_user.refuses_messages})
    return {"form": form, "blocked": blocking.blocked_members(current_user)}


def _back(member):
    return safe_next(request.form.get("next")) or url_for("accounts.profile", pseudonym=member.pseudonym)


def _change(pseudonym, action, done):
    """Block or unblock the member named ``pseudonym``, then back where the button was."""
    require_confirmation()
    member = registration.find_by_login(pseudonym) if "@" not in pseudonym else None
    if member is None:
        abort(404)
    try:
        action(current_user, member)
    except Refused as refusal:   # oneself: said on the page it goes back to
        db.session.rollback()
        flash(refusal.message)
        return redirect(_back(member), 303)
    flash(done % {"pseudonym": member.pseudonym})
    return redirect(_back(member), 303)


@bp.post("/membre/<pseudonym>/bloquer", endpoint="block_member")
@login_required
def block_member(pseudonym):
    return _change(pseudonym, blocking.block, _(
        "Vous avez bloqué %(pseudonym)s : ses messages privés, ses mentions, ses réponses et ses autres "
        "notifications ne vous parviennent plus. Ses messages restent visibles dans les sujets."))


@bp.post("/membre/<pseudonym>/debloquer", endpoint="unblock_member")
@login_required
def unblock_member(pseudonym):
    return _change(pseudonym, blocking.unblock, _(
        "Vous avez débloqué %(pseudonym)s : ses mentions et ses réponses vous parviennent de nouveau."))


@bp.post("/preferences/messages-prives", endpoint="messages_settings")
@login_required
def messages_settings_change():
    form = MessagesForm(prefix="messages")
    if not form.validate_on_submit():
        abort(400)
    blocking.set_refuses_messages(current_user, form.refuses_messages.data)
    flash(_("Vous refusez désormais les messages privés, sauf ceux de la modération et de la coordination.")
          if form.refuses_messages.data else _("Vous acceptez de nouveau les messages privés."))
    return redirect(url_for("accounts.settings", _anchor="titre-messages-prives"), 303)
