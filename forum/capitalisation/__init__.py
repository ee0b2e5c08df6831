"""Capitalisation (« capitalisation »): published syntheses and resources (« fiches ») found
again by theme, territory, collège, year and kind, on ``/capitalisation``, in search and in the
weekly digest.

Part of the core (``create_app`` calls ``init_app``). Modules:

- ``models``: resources and their themes (tags);
- ``resources``: adding, editing, deleting a resource, and who may (asked by every path out);
- ``listing``: the capitalisation page as plain data (facets and counts over what the viewer reads);
- ``forms``, ``blueprint`` and ``views``: the pages (no JavaScript needed);
- ``digest``: the weekly digest's part (new published syntheses and resources).

The demo's resources are seeded by ``forum/devdata/capitalisation_demo.py``.
"""


from forum import events


def init_app(app):
    # Views register their routes; models are part of the one metadata.
    from . import digest, models, resources, views  # noqa: F401
    from .blueprint import bp
    app.register_blueprint(bp)
    digest.init_app(app)
    events.subscribe(app, events.MemberErased, resources.forget_member, phase="transaction")
