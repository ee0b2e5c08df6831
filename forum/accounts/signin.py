"""The one way a browser becomes logged in, whatever proved who the member is.

A password, the registration link and, later, other proofs (a reset link, a login link) all
end here, so that what logging in means (a new ``MemberSession``, the Flask-Login cookie, and
any further step a member's account asks for) is decided in one place.
"""
from flask import request
from flask_login import login_user

from . import sessions


def complete_login(member, remember=False):
    """Log ``member`` in, in this browser: opens a session and sets the cookie; commits."""
    sessions.open_session(member, request.user_agent.string)
    login_user(member, remember=remember)
