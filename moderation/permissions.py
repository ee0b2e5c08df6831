"""Moderation's rules over moderation's acts: who reports, decides, sanctions, warns, reads the
public log, reviews an appeal.

They are built on the core's rules (``forum.permissions``: membership, roles, reading) and
registered behind it at start-up (``moderation.init_app``): the core, search and the templates ask them through
``forum.permissions.ask("can_report_post", viewer, post)`` without importing moderation; this
package's pages and domain functions import them from here.
"""
from forum.permissions import (can_moderate, can_read_post_text, can_read_space, is_coordinator, is_member,
                               is_space_moderator)
from forum.topics.models import POST_VISIBLE

__all__ = ["can_report_post", "can_moderate_post", "can_sanction", "can_warn", "can_read_moderation_log",
           "can_review_appeal"]


def can_report_post(viewer, post):
    """Any member may report a post they can read, except their own."""
    return (is_member(viewer) and viewer.id != post.author_id and post.state == POST_VISIBLE
            and can_read_post_text(viewer, post))


def can_moderate_post(viewer, post):
    """Moderators of the post's space decide on it; never on their own posts."""
    return can_moderate(viewer, post.topic.space) and viewer.id != post.author_id


def can_sanction(viewer, member):
    """Read-only and suspension reach every space: they belong to the coordination.

    Nobody sanctions themselves or an administrator; only an administrator sanctions a coordinator.
    """
    if not is_coordinator(viewer) or viewer.id == member.id or member.is_admin:
        return False
    return not member.is_coordinator or viewer.is_admin


def can_warn(viewer, member, space=None):
    """A space moderator warns about what happens in their space; coordinators anywhere."""
    if not is_member(viewer) or viewer.id == member.id:
        return False
    return is_coordinator(viewer) or (space is not None and is_space_moderator(viewer, space))


def can_read_moderation_log(viewer, space):
    """The public log of a space is for the members who may read that space."""
    return is_member(viewer) and can_read_space(viewer, space)


def can_review_appeal(viewer, decision):
    """Another moderator than the one who decided, with authority over where it was decided."""
    if not is_member(viewer) or viewer.id in (decision.moderator_id, decision.member_id):
        return False
    if decision.space is None:
        return is_coordinator(viewer)
    return can_moderate(viewer, decision.space)
