"""The API's blueprint, shared by its view modules (each registers its routes on it)."""
from flask import Blueprint

bp = Blueprint("api", __name__)
