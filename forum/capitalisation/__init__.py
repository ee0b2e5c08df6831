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


from forum import events


def init_app(app):
    # Views register their routes; models are part of the one metadata; the demo registers its
    # seeder (the demo's module imports the areas: loaded at start-up, not with the package).
    from forum.devdata import demo as core_demo
    from . import demo, digest, models, resources, views  # noqa: F401
    from .blueprint import bp
    app.register_blueprint(bp)
    digest.init_app(app)
    core_demo.register_seeder(app, demo.seed)
    events.subscribe(app, events.MemberErased, resources.forget_member, phase="transaction")
