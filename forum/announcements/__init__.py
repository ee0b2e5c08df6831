"""Announcements of the coordination (« annonces », [Coordination](../../docs/coordination.md#pinned-topics-and-announcements)):
a topic the coordination announces to every member or to chosen comités, until a date.

Part of the core (``create_app`` calls ``init_app``); moderation's ``topic_decisions.announce_topic``
decides, this package holds what the decision leaves behind and who it reaches. Modules:

- ``models``: the audience (comités chosen; none: every member) and each member's dismissals;
- ``audience``: the end date and audience typed, checked and stored; whom an announcement reaches
  (asked by the home page, the notifications and the digest, always after ``can_read_topic``);
- ``showing``: the current announcements of one viewer (home page), dismissing one, the clock's
  next change (the kept pages' key), a member's dismissals in their archive;
- ``views``: « Masquer cette annonce » (POST only, a button and its CSRF token).
"""


def init_app(app):
    # Views register their routes; showing imports the models (part of the one metadata).
    from . import showing, views
    app.register_blueprint(views.bp)
    showing.init_app(app)
