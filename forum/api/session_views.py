"""``GET /session/current.json``: who the request is authenticated as (a key or the session), in
Discourse's shape; 404 for a visitor, as Discourse answers. Never the email address."""
from flask_babel import gettext as _
from flask_login import current_user

from forum.errors import NotFound

from .blueprint import bp


def current_user_data(member):
    """Discourse's ``current_user``: the pseudonym is both the username and the name (Agora
    has no other); no avatars yet (an empty template)."""
    return {"id": member.id, "username": member.pseudonym, "name": member.pseudonym, "avatar_template": "",
            "admin": member.is_admin, "moderator": member.is_coordinator, "staff": member.is_coordinator,
            "silenced": member.is_silenced, "locale": member.locale or ""}


@bp.get("/session/current.json", endpoint="current_session")
def current_session():
    if not current_user.is_authenticated:
        raise NotFound(_("Personne n'est connecté dans cette requête."))
    return {"current_user": current_user_data(current_user)}
