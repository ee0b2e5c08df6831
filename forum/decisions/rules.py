"""Who may open a decision, vote, see the tally and close: the decisions' part of
``forum/permissions.py`` (every path out — page, JSON, live update, email, digest, search,
export — asks these)."""
from flask_babel import gettext as _
from sqlalchemy import select

from forum import permissions
from forum.extensions import db

from .models import OPENED_BY_MODERATORS, RESULTS_AFTER_CLOSING, RESULTS_AFTER_VOTE, PollVoter


def can_see_poll(viewer, poll):
    """A decision is seen with the post that opened it (a held post hides it too)."""
    return permissions.can_see_post(viewer, poll.post) and permissions.can_read_post_text(viewer, poll.post)


def why_cannot_open(viewer, topic):
    """None if ``viewer`` may open a decision in ``topic``, else why (in their language)."""
    reason = permissions.why_cannot_reply(viewer, topic)
    if reason is None and topic.space.decisions_opened_by == OPENED_BY_MODERATORS \
            and not permissions.can_moderate(viewer, topic.space):
        reason = _("Dans cet espace, seuls ses modérateurs et la coordination ouvrent une décision.")
    return reason


def is_eligible(viewer, poll):
    """Does the electorate include ``viewer`` (whether or not the decision is still open)?
    Members who may write in its space, then every list the author set must let them in."""
    if permissions.why_cannot_post(viewer, poll.topic.space) is not None:
        return False
    if not poll.electorate_limited:
        return True
    committees = {c.id for c in poll.committees}
    if committees and not committees & viewer.committee_ids:
        return False
    colleges = {c.id for c in poll.colleges}
    if colleges and not (viewer.college_confirmed and viewer.college_id in colleges):
        return False
    return True


def why_cannot_vote(viewer, poll):
    """None, or (status, message): 403 when not in the electorate, 409 once closed."""
    if not permissions.is_member(viewer):
        return 403, _("Connectez-vous pour voter.")
    if poll.is_closed:
        return 409, _("Ce vote est clos : il ne reçoit plus de bulletin.")
    if not is_eligible(viewer, poll):
        why = permissions.why_cannot_post(viewer, poll.topic.space)
        return 403, why or _("Ce vote est réservé à d'autres membres (voir « Qui vote »).")
    return None


def has_voted(viewer, poll):
    if not permissions.is_member(viewer):
        return False
    return db.session.scalar(select(PollVoter.member_id).where(
        PollVoter.poll_id == poll.id, PollVoter.member_id == viewer.id)) is not None


def can_see_tally(viewer, poll, voted=None):
    """The tally, while open, as the author chose; every reader once closed. ``voted``: whether
    ``viewer`` has voted, when the caller knows it already."""
    if not can_see_poll(viewer, poll):
        return False
    if poll.is_closed or poll.results_mode not in (RESULTS_AFTER_VOTE, RESULTS_AFTER_CLOSING):
        return True
    if poll.results_mode == RESULTS_AFTER_CLOSING:
        return False
    return has_voted(viewer, poll) if voted is None else voted


def can_see_how_each_voted(viewer, poll, voted=None):
    """Named ballots show who chose what, where the tally may be seen; anonymous ones never."""
    return not poll.anonymous and can_see_tally(viewer, poll, voted)


def can_close(viewer, poll):
    """Its author and the moderators of its space (the coordination among them)."""
    if not permissions.is_member(viewer) or poll.is_closed or not can_see_poll(viewer, poll):
        return False
    return viewer.id == poll.author_id or permissions.can_moderate(viewer, poll.topic.space)


def can_write_outcome(viewer, poll):
    """The outcome and its action items: whoever may close it, once it is closed."""
    if not permissions.is_member(viewer) or not poll.is_closed or not can_see_poll(viewer, poll):
        return False
    return viewer.id in (poll.author_id, poll.closed_by_id) or permissions.can_moderate(viewer, poll.topic.space)
