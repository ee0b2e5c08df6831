"""(routes to come: see docs/decisions.md, "Pages")"""
from .blueprint import bp  # noqa: F401
