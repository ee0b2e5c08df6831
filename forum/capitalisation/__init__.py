"""Capitalisation (« capitalisation »): published syntheses and resources (« fiches ») found
again by theme, territory, collège, year and kind, on ``/capitalisation``, in search and in the
weekly digest.

Part of the core (``create_app`` calls ``init_app``). Modules:

- ``models``: resources and their themes (tags);
- ``resources``: adding, editing, deleting a resource, and who may (asked by every path out);
- ``listing``: the capitalisation page as plain data (facets and counts over what the viewer reads);
- ``forms``, ``blueprint`` and ``views``: the pages (no JavaScript needed);
- ``digest``: the weekly digest's part (new published syntheses and resources);
- ``demo``: the demo's resources.
"""


def init_app(app):
    # Views register their routes; models are part of the one metadata.
    from forum.devdata import demo as core_demo   # the demo imports the areas: only here, at start-up
    from . import demo, digest, models, views  # noqa: F401
    from .blueprint import bp
    app.register_blueprint(bp)
    digest.init_app(app)
    core_demo.register_seeder(app, demo.seed)
