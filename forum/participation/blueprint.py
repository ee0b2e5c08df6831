"""The participation blueprint, shared by its view modules."""
from flask import Blueprint

bp = Blueprint("participation", __name__)
