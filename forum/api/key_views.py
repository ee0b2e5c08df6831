"""« Clés d'API » on the member's settings: make a key (shown once), list them with their last
use, revoke one (forum/api/keys.py)."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.extensions import limiter
from forum.web.forms import ConfirmForm, require_confirmation, submit
from forum.web.ratelimits import member_key

from . import keys
from .blueprint import bp
from .key_forms import KeyForm

# A member makes a few keys, once; more is a script filling the table.
CREATE_LIMIT = "20 per hour"


@bp.route("/preferences/cles-api", methods=["GET", "POST"], endpoint="keys")
@login_required
@limiter.limit(CREATE_LIMIT, key_func=member_key, methods=["POST"])
def key_settings():
    form = KeyForm()
    result = submit(form, lambda: keys.create(current_user, form.scope.data, form.label.data))
    if result.done:
        row, key = result.value
        return render_template("api/key_created.html", row=row, key=key)
    return render_template("api/keys.html", form=form, rows=keys.keys_of(current_user),
                           confirm=ConfirmForm()), result.status


@bp.post("/preferences/cles-api/<int:key_id>/revoquer", endpoint="revoke_key")
@login_required
def revoke_key(key_id):
    require_confirmation()
    row = keys.revoke(current_user, key_id)
    flash(_("La clé « %(label)s » est révoquée : elle n'ouvre plus rien.", label=row.label or row.id))
    return redirect(url_for("api.keys"), 303)
