"""Meeting pages."""
from .blueprint import bp  # noqa: F401
