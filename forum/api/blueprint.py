"""The API's blueprint, shared by its view modules (each registers its routes on it)."""
from flask import Blueprint, request
from flask_login import current_user

from forum.extensions import csrf

bp = Blueprint("api", __name__)
READS = ("GET", "HEAD", "OPTIONS")


@bp.before_request
def _session_writes_need_csrf():
    """A write from a member's browser (its session cookie) needs the CSRF token, as every form
    of the site does. A request with no session writes as nobody: the view refuses it (403),
    and a request with an API key carries no cookie to forge (the key is the proof)."""
    if request.method not in READS and "Api-Key" not in request.headers and current_user.is_authenticated:
        csrf.protect()
