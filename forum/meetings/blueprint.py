"""The meetings' blueprint, shared by its view modules (each registers its routes on it), and
what each of them starts with: the meeting of the address, if the visitor may see it."""
from flask import Blueprint, abort
from flask_login import current_user

from . import display

bp = Blueprint("meetings", __name__)


def meeting_or_404(meeting_id):
    """A meeting the visitor may not see is answered as one that does not exist."""
    return display.visible(current_user, meeting_id) or abort(404)
