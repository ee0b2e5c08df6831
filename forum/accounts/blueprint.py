"""The accounts blueprint, in a module of its own: every view module of the area registers its
routes on it (views, membership_views) without importing another view module."""
from flask import Blueprint

bp = Blueprint("accounts", __name__)
