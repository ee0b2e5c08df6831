"""The conversations' blueprint, shared by its view modules (each registers its routes on it)."""
from flask import Blueprint

bp = Blueprint("conversations", __name__)
