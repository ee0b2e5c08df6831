"""The JSON API in Discourse's shapes (« API »): what forum tools speak (client libraries, bots,
mobile apps, dashboards), over the same permissions as the pages.

Part of the core (``create_app`` calls ``init_app``). Modules:

- ``blueprint``: the one blueprint, shared by the view modules;
- ``shapes``: Agora's objects as Discourse's dictionaries (topics, posts, categories, users);
- ``listing``: a topic with its post stream, a member's profile, what the reading views share;
- ``reading_views``: latest, categories, a category's topics, a topic, a post, tags, a member;
- ``notification_views``: a member's notifications;
- ``writing`` and ``writing_views``: a new topic or a reply, an edit.
"""


def init_app(app):
    # Views register their routes on the blueprint when imported.
    from . import notification_views, reading_views, writing_views  # noqa: F401
    from .blueprint import bp
    app.register_blueprint(bp)
    app.after_request(_utf8_json)
    # JSON in UTF-8 as Discourse writes it: French words stay readable (and shorter) in answers.
    app.json.ensure_ascii = False


def _utf8_json(response):
    """JSON says its charset, as Discourse's does: some of its clients compare the whole header."""
    if response.mimetype == "application/json" and "charset" not in response.content_type:
        response.content_type = "application/json; charset=utf-8"
    return response
