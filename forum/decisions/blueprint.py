"""The decisions' blueprint, shared by its view modules (each registers its routes on it)."""
from flask import Blueprint

bp = Blueprint("decisions", __name__)
