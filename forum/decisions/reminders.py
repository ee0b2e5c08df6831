"""Reminders of decisions, as notifications (in-app, and by email as each member chose), and the
decisions' part of the weekly digest.

Three reminders, each sent once: 24 hours before a decision closes, to every member who may
vote and has not (``Poll.reminded_at``); when an outcome's review date has come, to its writer
and the space's moderators (``Outcome.review_notified_at``); the day before an action item is
due, to the member it is assigned to (``ActionItem.reminded_at``). Each is claimed by one
``UPDATE … WHERE … IS NULL`` committed with its notifications: run twice, or on two machines,
whoever writes the claim first sends, the other finds nothing. The web process's background
thread runs ``remind_due`` every few minutes; ``flask decisions remind`` does it from cron.
"""
from datetime import timedelta

from sqlalchemy import exists, or_, select, update
from sqlalchemy.orm import selectinload

from forum import dates, events
from forum.accounts.models import ROLE_ADMIN, ROLE_COORDINATOR, Member, committee_membership
from forum.clock import now
from forum.extensions import db
from forum.notifications import digest, mailing
from forum.notifications.mail import absolute_url
from forum.notifications.models import KIND_ACTION_DUE, KIND_OUTCOME_REVIEW, KIND_VOTE_REMINDER
from forum.text.excerpts import excerpt
from forum.topics.models import KIND_COMMITTEE, POST_VISIBLE, Post, Topic, space_moderator

from . import outcomes, rules
from .models import ACTION_OPEN, ActionItem, Outcome, Poll, PollVoter

BEFORE_CLOSING = timedelta(hours=24)
ACTION_NOTICE = timedelta(days=1)      # an action is recalled the day before it is due
EVERY = 300                            # seconds between two runs of the background thread
DIGEST_ITEMS = 10


def init_app(app):
    mailing.register_periodic(app, remind_due, every=EVERY)
    digest.register_part(app, awaiting_vote_part)
    digest.register_part(app, outcomes_part)


# --- what is due ------------------------------------------------------------------------------

def due_work(moment=None):
    """[(kind, id)] of every reminder whose time has come and that nobody has claimed."""
    moment = moment or now()
    polls = db.session.scalars(select(Poll.id).where(
        Poll.closed_at.is_(None), Poll.reminded_at.is_(None), Poll.closes_at > moment,
        Poll.closes_at <= moment + BEFORE_CLOSING).order_by(Poll.closes_at)).all()
    day = outcomes.today()
    reviews = db.session.scalars(select(Outcome.id).where(
        Outcome.review_on.is_not(None), Outcome.review_on <= day, Outcome.review_notified_at.is_(None))
        .order_by(Outcome.id)).all()
    actions = db.session.scalars(select(ActionItem.id).where(
        ActionItem.status == ACTION_OPEN, ActionItem.assignee_id.is_not(None), ActionItem.due_on.is_not(None),
        ActionItem.due_on <= day + ACTION_NOTICE, ActionItem.reminded_at.is_(None)).order_by(ActionItem.id)).all()
    return ([(KIND_VOTE_REMINDER, i) for i in polls] + [(KIND_OUTCOME_REVIEW, i) for i in reviews]
            + [(KIND_ACTION_DUE, i) for i in actions])


def remind_due():
    """Send every due reminder; returns how many members were reminded by this call."""
    return sum(remind_one(kind, row_id) for kind, row_id in due_work())


def remind_one(kind, row_id):
    """Claim one reminder and write its notifications in the same commit; 0 when another run
    claimed it first (or nobody is to be told)."""
    handler = {KIND_VOTE_REMINDER: _remind_vote, KIND_OUTCOME_REVIEW: _remind_review,
               KIND_ACTION_DUE: _remind_action}[kind]
    try:
        told = handler(row_id, now())
        db.session.commit()
        return told
    except Exception:
        db.session.rollback()
        raise


def _claim(model, column, row_id, moment, *conditions):
    taken = db.session.execute(update(model).where(model.id == row_id, column.is_(None), *conditions)
                               .values({column.key: moment}).execution_options(synchronize_session=False))
    return taken.rowcount == 1


def _tell(kind, member_ids, poll, text):
    if member_ids:
        events.publish(events.DecisionReminder(kind=kind, member_ids=tuple(sorted(member_ids)), topic_id=poll.topic_id,
                                               post_id=poll.post_id, text=text))
    return len(member_ids)


def _remind_vote(poll_id, moment):
    if not _claim(Poll, Poll.reminded_at, poll_id, moment, Poll.closed_at.is_(None)):
        return 0
    poll = db.session.get(Poll, poll_id)
    if poll.closes_at - poll.created_at <= BEFORE_CLOSING:
        return 0        # opened for a day or less: its opening was the reminder
    return _tell(KIND_VOTE_REMINDER, [member.id for member in awaited_voters(poll)], poll, poll.question)


def awaited_voters(poll):
    """Active members who may vote on ``poll`` and have not. Filtered first in SQL by what the
    electorate needs (the comité, the lists the author chose), then by ``rules.is_eligible``."""
    space = poll.topic.space
    query = select(Member).options(selectinload(Member.committees)).where(
        Member.deactivated_at.is_(None), Member.convention_signed_at.is_not(None),
        ~exists().where(PollVoter.poll_id == poll.id, PollVoter.member_id == Member.id))
    if space.kind == KIND_COMMITTEE:
        query = query.where(or_(
            Member.id.in_(select(committee_membership.c.member_id).where(committee_membership.c.space_id == space.id)),
            Member.id.in_(select(space_moderator.c.member_id).where(space_moderator.c.space_id == space.id)),
            Member.role.in_((ROLE_COORDINATOR, ROLE_ADMIN))))
    committee_ids = [committee.id for committee in poll.committees]
    if committee_ids:
        query = query.where(Member.id.in_(select(committee_membership.c.member_id)
                                          .where(committee_membership.c.space_id.in_(committee_ids))))
    college_ids = [college.id for college in poll.colleges]
    if college_ids:
        query = query.where(Member.college_confirmed.is_(True), Member.college_id.in_(college_ids))
    return [member for member in db.session.scalars(query.order_by(Member.id))
            if member.is_active and rules.is_eligible(member, poll)]


def _remind_review(outcome_id, moment):
    if not _claim(Outcome, Outcome.review_notified_at, outcome_id, moment):
        return 0
    outcome = db.session.get(Outcome, outcome_id)
    poll = outcome.poll
    members = {outcome.author_id} | {moderator.id for moderator in poll.topic.space.moderators}
    return _tell(KIND_OUTCOME_REVIEW, members, poll, poll.question)


def _remind_action(item_id, moment):
    if not _claim(ActionItem, ActionItem.reminded_at, item_id, moment, ActionItem.status == ACTION_OPEN):
        return 0
    item = db.session.get(ActionItem, item_id)
    if item.assignee_id is None:
        return 0
    return _tell(KIND_ACTION_DUE, {item.assignee_id}, item.outcome.poll, item.what)


# --- the weekly digest ------------------------------------------------------------------------
#
# Read once per period (``source.shared``) as plain values, then filtered per member in memory:
# thousands of digests of one week cost a few queries in all. Only decisions whose opening post
# is visible are kept; a visible post is seen exactly by who reads its space (what
# ``rules.can_see_poll`` answers for it), and ``readable`` holds the spaces the member (and the
# previewer) may read. Who may vote is ``awaited_voters``: ``rules.is_eligible``, minus who voted.

def _open_polls(source):
    """Plain entries of the decisions still open at the end of the period, with who is awaited."""
    polls = db.session.scalars(
        select(Poll).join(Post, Post.id == Poll.post_id)
        .where(Poll.closed_at.is_(None), Poll.closes_at > source.end, Post.state == POST_VISIBLE)
        .order_by(Poll.closes_at, Poll.id)).all()
    return [{"id": poll.id, "space_id": poll.topic.space_id, "question": poll.question, "topic": poll.topic.title,
             "post_id": poll.post_id, "closes_at": poll.closes_at,
             "awaited": {member.id for member in awaited_voters(poll)}} for poll in polls]


def awaiting_vote_part(member, source, readable, gettext):
    """Decisions open, in spaces the member reads, where they may vote and have not. No
    figure of any tally: a digest never says how a vote stands."""
    entries = []
    for poll in source.shared("decisions-open", lambda: _open_polls(source)):
        if poll["space_id"] not in readable or member.id not in poll["awaited"]:
            continue
        entries.append(digest.PartEntry(
            poll["question"], absolute_url("topics.post", post_id=poll["post_id"]),
            gettext("Dans « %(title)s » ; vote ouvert jusqu'au %(when)s.", title=poll["topic"],
                    when=dates.format_datetime(poll["closes_at"], member.locale or "fr"))))
        if len(entries) == DIGEST_ITEMS:
            break
    return digest.DigestPart(gettext("Décisions qui attendent votre vote"), entries) if entries else None


def _outcomes_of(source):
    rows = db.session.execute(
        select(Poll.question, Poll.post_id, Topic.space_id, Outcome.html).join(Poll, Poll.id == Outcome.poll_id)
        .join(Topic, Topic.id == Poll.topic_id).join(Post, Post.id == Poll.post_id)
        .where(Outcome.created_at >= source.start, Outcome.created_at < source.end, Post.state == POST_VISIBLE)
        .order_by(Outcome.created_at, Outcome.id)).all()
    return [{"question": row.question, "post_id": row.post_id, "space_id": row.space_id,
             "excerpt": excerpt(row.html, 220)} for row in rows]


def outcomes_part(member, source, readable, gettext):
    """Outcomes written in the period, in spaces the member reads, of decisions they may see."""
    entries = [digest.PartEntry(entry["question"], absolute_url("topics.post", post_id=entry["post_id"]),
                                entry["excerpt"])
               for entry in source.shared("decisions-outcomes", lambda: _outcomes_of(source))
               if entry["space_id"] in readable][:DIGEST_ITEMS]
    return digest.DigestPart(gettext("Décisions prises cette semaine"), entries) if entries else None
