"""Private conversations and group inboxes (« messages privés »: [Conversations](../../docs/conversations.md)).

Part of the core (``create_app`` calls ``init_app``). Modules:

- ``models``: conversations, their participants, messages, group members' reading, reports;
- ``rules``: who reads, starts, answers, reaches whom (asked by every path out);
- ``writing``: starting (to members, to a group), answering, reading, reporting; notifications;
- ``reading``: a member's inbox and a conversation as plain data;
- ``reports``: a reported message as the coordination reviews it (moderation/message_report_views.py);
- ``member_records``: a member's messages in their archive, and at their erasure;
- ``forms``, ``blueprint``, ``views``.
"""
from forum import permissions


def init_app(app):
    from . import member_records, models, rules, suspended_views, views  # noqa: F401  (views register their routes; models join the metadata)
    from .blueprint import bp
    app.register_blueprint(bp)
    member_records.init_app(app)
    permissions.register_rules(app, {"may_read_conversation_notice": rules.may_read_notice,
                                     "may_read_conversation": rules.may_read_by_id,
                                     "may_read_conversation_message": rules.may_read_message})
