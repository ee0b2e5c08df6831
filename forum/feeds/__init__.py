"""Atom feeds (« flux Atom »: [Feeds](../../docs/feeds.md)): the latest discussions, a space, a
tag, a topic, a space's published syntheses and closed decisions; moderation adds its public log.

Part of the core (``create_app`` calls ``init_app``). Modules:

- ``atom``: a feed as plain data, written as Atom by feedgen;
- ``content``: what each feed holds for one reader, made by the reading function of its page;
- ``models``, ``tokens``: a member's private address (token shown once, kept hashed, replaced
  or deleted on « Mes flux »);
- ``blueprint``: who reads (visitor or token), cache and rate limits; ``views``;
- ``links``: whether a page's feed has a public address (its links in the pages).
"""


def init_app(app):
    # Views register their routes; models are part of the one metadata.
    from . import links, models, views  # noqa: F401
    from .blueprint import bp
    app.register_blueprint(bp)
    app.jinja_env.globals.update(feed_for_visitors=links.for_visitors)
