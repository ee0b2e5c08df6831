"""The meetings' blueprint, shared by its view modules (each registers its routes on it)."""
from flask import Blueprint

bp = Blueprint("meetings", __name__)
