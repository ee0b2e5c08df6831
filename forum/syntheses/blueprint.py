"""The syntheses' blueprint, shared by its view modules (each registers its routes on it)."""
from flask import Blueprint

bp = Blueprint("syntheses", __name__)
