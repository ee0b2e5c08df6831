"""The JSON API in Discourse's shapes (« API »): what forum tools speak (client libraries, bots,
mobile apps, dashboards), over the same permissions as the pages.

Part of the core (``create_app`` calls ``init_app``). Modules:

- ``blueprint``: the one blueprint, shared by the view modules;
- ``shapes``: Agora's objects as Discourse's dictionaries (topics, posts, categories, users);
- ``listing``: a topic with its post stream, a member's profile, what the reading views share;
- ``reading_views``: latest, categories, a category's topics, a topic, a post, tags, a member;
- ``notification_views``: a member's notifications;
- ``writing`` and ``writing_views``: a new topic or a reply, an edit;
- ``openapi`` and ``schemas``: the OpenAPI 3.1 document; ``arguments``: query arguments, strictly;
- ``key_models``: API keys (only their hash kept); ``keys``: made, listed, revoked, checked;
  they die with their member (deactivation, erasure);
- ``authentication``: requests with ``Api-Key`` / ``Api-Username`` act as the key's member
  (no session cookie, no CSRF token), read keys only read, a rate limit per key, CORS only to
  the origins configured;
- ``session_views``: ``/session/current.json``; ``key_forms``, ``key_views``: « Clés d'API »
  on the member's settings; ``cli``: ``flask api create-key``, ``revoke-key``, ``list-keys``.
"""

from forum.extensions import csrf

# Discourse's addresses, which only the API answers.
JSON_PREFIXES = ("/posts", "/t/", "/c/", "/u/", "/tag/", "/api/")


def init_app(app):
    # The views register their routes on the blueprint; the models join the one metadata.
    from . import (authentication, cli, key_models, key_views, keys, notification_views, reading_views,  # noqa: F401
                   session_views, writing_views)
    from .blueprint import bp
    # The blueprint asks for the CSRF token itself: only of writes from a session (blueprint.py).
    csrf.exempt(bp)
    app.register_blueprint(bp)
    authentication.init_app(app)
    keys.init_app(app)
    cli.init_app(app)
    # Errors of these addresses are JSON even when no route matched them (forum/web/pages.py).
    app.extensions["agora_json_prefixes"] = JSON_PREFIXES
    app.after_request(_utf8_json)
    # JSON in UTF-8 as Discourse writes it: French words stay readable (and shorter) in answers.
    app.json.ensure_ascii = False


def _utf8_json(response):
    """JSON says its charset, as Discourse's does: some of its clients compare the whole header."""
    if response.mimetype == "application/json" and "charset" not in response.content_type:
        response.content_type = "application/json; charset=utf-8"
    return response
