"""The JSON API in Discourse's shapes (« API »): what forum tools speak (client libraries, bots,
mobile apps, dashboards), over the same permissions as the pages.

Part of the core (``create_app`` calls ``init_app``). Modules:

- ``blueprint``: the one blueprint, shared by the view modules.
"""


def init_app(app):
    from .blueprint import bp
    app.register_blueprint(bp)
