"""Syntheses (« synthèses »): documents a comité writes together from its debates, reviews,
approves, publishes to its peers and transmits to the HCTS, and exports (PDF, ODT, Markdown,
HTML); and the capitalisation page where published syntheses and resources are found again.
"""


def init_app(app):
    # Models are part of the one metadata; views register their routes on the blueprint.
    from . import models  # noqa: F401
