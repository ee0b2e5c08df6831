"""« Masquer cette annonce »: a POST with its CSRF token (a button), back to the home page."""
from flask import Blueprint, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.web.forms import require_confirmation

from . import showing

bp = Blueprint("announcements", __name__)


@bp.route("/annonces/<int:topic_id>/masquer", methods=["POST"])
@login_required
def dismiss(topic_id):
    require_confirmation()
    showing.dismiss(current_user, topic_id)
    flash(_("Annonce masquée : elle ne paraîtra plus sur votre accueil. Le sujet reste dans son espace."))
    return redirect(url_for("topics.home") + "#annonces-accueil", 303)
