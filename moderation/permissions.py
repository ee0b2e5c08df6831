"""Moderation's rules over moderation's acts: who reports, decides, sanctions, warns, reads the
public log, reviews an appeal.

They are built on the core's rules (``forum.permissions``: membership, roles, reading) and
registered behind it at start-up (``moderation.init_app``): the core, search and the templates ask them through
``forum.permissions.ask("can_report_post", viewer, post)`` without importing moderation; this
package's pages and domain functions import them from here.
"""
from sqlalchemy import exists, or_, select

from forum.extensions import db
from forum.permissions import (can_moderate, can_read_post_text, can_read_space, is_coordinator,
                               is_member, is_space_moderator, readable_space_ids)
from forum.topics.models import POST_VISIBLE, Post, Topic, space_moderator

from .models import Decision

__all__ = ["can_report_post", "can_moderate_post", "can_sanction", "can_warn", "can_read_moderation_log",
           "can_review_appeal", "can_open_member_page", "can_see_decision",
           "can_read_decision_reason", "can_redact_revision", "can_read_redacted_original"]


def can_report_post(viewer, post):
    """Any member may report a post they can read, except their own."""
    return (is_member(viewer) and viewer.id != post.author_id and post.state == POST_VISIBLE
            and can_read_post_text(viewer, post))


def can_moderate_post(viewer, post):
    """Moderators of the post's space decide on it; never on their own posts."""
    return can_moderate(viewer, post.topic.space) and viewer.id != post.author_id


def can_redact_revision(viewer, post):
    """Withdraw a version of a post (personal data): the moderators of its space (and the
    coordination), and its author, on their own post only, even read-only: it is their data."""
    if not is_member(viewer):
        return False
    return viewer.id == post.author_id or can_moderate(viewer, post.topic.space)


def can_read_redacted_original(viewer, post):
    """A withdrawn text is read during the appeal period by the coordination only: neither the
    space's moderators nor its author (who may not read back a third party's data)."""
    return is_coordinator(viewer)


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
    if decision.space is None or decision.action == "redact":   # only they read the withdrawn text
        return is_coordinator(viewer)
    return can_moderate(viewer, decision.space)


# --- what a moderator may learn about a member --------------------------------------------
#
# A member's moderation page gathers everything decided about them, in every space. What a
# space moderator learns there must not exceed what their own scope already shows them: the
# decisions of a restricted space would reveal that the member reads it (a collège-only space
# reveals their collège, which may be hidden) and the justification repeats what was written
# there. So (1) a space moderator opens the page only of the members they meet in their spaces,
# (2) decisions taken in a space they cannot read are not listed at all, (3) site-wide sanctions
# (read-only, suspension, a warning given outside any space) show only their fact and dates.


def _moderated_space_ids(viewer):
    return select(space_moderator.c.space_id).where(space_moderator.c.member_id == viewer.id)


def can_open_member_page(viewer, member):
    """Coordinators open every member's page. A space moderator opens the page of a member who
    wrote in a space they moderate (any post, even hidden, pending or deleted: they moderate it),
    or about whom a decision was taken there; anyone else's page answers as if it did not exist."""
    if is_coordinator(viewer):
        return True
    if not is_member(viewer):
        return False
    spaces = _moderated_space_ids(viewer)
    wrote = exists().where(Post.author_id == member.id, Post.topic_id == Topic.id,
                           Topic.space_id.in_(spaces))
    decided = exists().where(Decision.member_id == member.id, Decision.space_id.in_(spaces))
    return bool(db.session.scalar(select(or_(wrote, decided))))


def visible_decisions_filter(viewer):
    """The SQL condition on ``Decision`` matching what ``can_see_decision`` lets ``viewer`` see:
    pages filter in the query, so that neither a limit nor a count betrays what was left out."""
    # The coordination's readable spaces are all but those that keep staff out: no shortcut.
    return or_(Decision.space_id.is_(None), Decision.space_id.in_(readable_space_ids(viewer)),
               Decision.member_id == viewer.id)


def can_see_decision(viewer, decision):
    """Whether ``decision`` is listed to ``viewer`` at all: a decision taken in a space the viewer
    cannot read is not, not even as "elsewhere". The person concerned sees their own decisions."""
    if is_member(viewer) and viewer.id == decision.member_id:
        return True
    return decision.space is None or can_read_space(viewer, decision.space)


def can_read_decision_reason(viewer, decision):
    """Justification, cited articles and moderator of a listed decision. A site-wide sanction is
    the coordination's: other moderators know that it holds and until when, not why."""
    if is_member(viewer) and viewer.id == decision.member_id:
        return True
    if decision.space is None:
        return is_coordinator(viewer)
    return can_read_space(viewer, decision.space)
