"""The one blueprint of the moderation pages.

``views`` (members' pages), ``review_views`` (moderators') and ``coordination_views`` (the
coordination's) add their routes to it when imported; ``moderation.init_app`` registers it.
"""
from flask import Blueprint

bp = Blueprint("moderation", __name__)
