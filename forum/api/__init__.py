"""The JSON API in Discourse's shapes (« API »): what forum tools speak (client libraries, bots,
mobile apps, dashboards), over the same permissions as the pages.

Part of the core (``create_app`` calls ``init_app``). Modules:

- ``blueprint``: the one blueprint, shared by the view modules;
- ``key_models``: API keys (only their hash kept); ``keys``: made, listed, revoked, checked;
  they die with their member (deactivation, erasure);
- ``authentication``: requests with ``Api-Key`` / ``Api-Username`` act as the key's member
  (no session cookie, no CSRF token), read keys only read, a rate limit per key, CORS only to
  the origins configured;
- ``session_views``: ``/session/current.json``; ``key_forms``, ``key_views``: « Clés d'API »
  on the member's settings; ``cli``: ``flask api create-key``, ``revoke-key``, ``list-keys``.
"""


def init_app(app):
    # The views register their routes on the blueprint; the models join the one metadata.
    from . import authentication, cli, key_models, key_views, keys, session_views  # noqa: F401
    from .blueprint import bp
    app.register_blueprint(bp)
    authentication.init_app(app)
    keys.init_app(app)
    cli.init_app(app)
