"""The counts participation is drawn from: one aggregation per question, over indexed columns.

Everything here is raw and per member (who wrote how much, where, when): it never leaves the
package as such. ``report`` groups it under the small-group rule before anything is shown.

What counts: posts that the pages show (visible), in the spaces of the scope, written in the
period; a member's collège is the one confirmed now (a member without a confirmed collège is
counted apart, and always merged). Replies that cross collèges: a reply whose author and the
author of the post it answers both have a confirmed collège, and not the same one.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import aliased

from forum import clock
from forum.accounts.membership import ACCEPTED, MembershipRequest
from forum.accounts.models import College, Member, committee_membership
from forum.decisions.models import Poll, PollVoter
from forum.extensions import db
from forum.topics.models import POST_VISIBLE, Post, Topic

UNANSWERED_AFTER = timedelta(days=7)
UNANSWERED_LISTED = 10


@dataclass
class Activity:
    """Posts of a period, per member: {member: posts} by space, by bucket, and in all."""
    college_of: dict = field(default_factory=dict)                            # member -> collège id or None
    posts: dict = field(default_factory=lambda: defaultdict(int))             # member -> posts
    crossing: dict = field(default_factory=lambda: defaultdict(int))          # member -> replies crossing collèges
    by_space: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))   # space -> member -> posts
    by_bucket: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))  # bucket -> member -> posts
    topics: int = 0


def _college_key(member):
    return case((member.college_confirmed, member.college_id), else_=None)


def activity(space_ids, period):
    """Who wrote how much in ``space_ids`` during ``period``, per space and per bucket of its
    time series: one grouped query (the rows are members × spaces × buckets, not posts). The
    posts are read from ``ix_post_topic_created`` alone (topic, date, state, author, parent,
    number), never from their rows, which carry the texts (bench/participation_bench.py)."""
    found = Activity()
    if not space_ids:
        return found
    buckets = period.buckets()
    author, parent, parent_author = aliased(Member), aliased(Post), aliased(Member)
    bucket = case(*((Post.created_at < b.end, index) for index, b in enumerate(buckets[:-1])),
                  else_=len(buckets) - 1)
    crossing = case((and_(author.college_confirmed, parent_author.college_confirmed,
                          author.college_id != parent_author.college_id), 1), else_=0)
    rows = db.session.execute(
        select(Topic.space_id, Post.author_id, _college_key(author), bucket,
               func.count(), func.sum(crossing), func.sum(case((Post.number == 1, 1), else_=0)))
        .select_from(Post).join(Topic, Topic.id == Post.topic_id).join(author, author.id == Post.author_id)
        .outerjoin(parent, parent.id == Post.parent_id).outerjoin(parent_author, parent_author.id == parent.author_id)
        .where(Post.state == POST_VISIBLE, Post.created_at >= period.start, Post.created_at < period.end,
               Topic.space_id.in_(space_ids))
        .group_by(Topic.space_id, Post.author_id, _college_key(author), bucket))
    for space_id, member_id, college_id, index, posts, crossed, openings in rows:
        found.college_of[member_id] = college_id
        found.posts[member_id] += posts
        found.crossing[member_id] += crossed or 0
        found.by_space[space_id][member_id] += posts
        found.by_bucket[index][member_id] += posts
        found.topics += openings or 0
    return found


def posts_by_author(space_ids, period):
    """Posts per member and their collège, nothing else (the previous period's comparison):
    {member: (collège id or None, posts)}. One grouped query, no parent, no buckets."""
    if not space_ids:
        return {}
    rows = db.session.execute(
        select(Post.author_id, _college_key(Member), func.count())
        .select_from(Post).join(Topic, Topic.id == Post.topic_id).join(Member, Member.id == Post.author_id)
        .where(Post.state == POST_VISIBLE, Post.created_at >= period.start, Post.created_at < period.end,
               Topic.space_id.in_(space_ids))
        .group_by(Post.author_id, _college_key(Member)))
    return {member_id: (college_id, posts) for member_id, college_id, posts in rows}


def college_order():
    """Every collège in its public fixed order: merges follow it, never the counts."""
    return list(db.session.execute(select(College.id, College.name).order_by(College.position, College.id)))


def new_members(committee, period):
    """The members who joined in the period: accounts created in it for the whole forum; for a
    comité, its present members who joined it then (their accepted request, else their account)."""
    if committee is None:
        return db.session.scalar(select(func.count()).select_from(Member).where(
            Member.created_at >= period.start, Member.created_at < period.end,
            Member.deactivated_at.is_(None), Member.awaiting_approval.is_(False))) or 0
    accepted = (select(func.max(MembershipRequest.decided_at))
                .where(MembershipRequest.member_id == Member.id, MembershipRequest.space_id == committee.id,
                       MembershipRequest.state == ACCEPTED).scalar_subquery())
    joined = func.coalesce(accepted, Member.created_at)
    return db.session.scalar(
        select(func.count()).select_from(Member)
        .join(committee_membership, committee_membership.c.member_id == Member.id)
        .where(committee_membership.c.space_id == committee.id, Member.deactivated_at.is_(None),
               joined >= period.start, joined < period.end)) or 0


def unanswered(space_ids, period):
    """Topics opened in the period (up to seven days ago) and how many had no answer from
    someone else within seven days; the ones still waiting, oldest first (a few)."""
    until = min(period.end, clock.now() - UNANSWERED_AFTER)
    if not space_ids or until <= period.start:
        return 0, 0, []
    first_answer = (select(func.min(Post.created_at))
                    .where(Post.topic_id == Topic.id, Post.number > 1, Post.state == POST_VISIBLE,
                           Post.author_id != Topic.author_id)
                    .correlate(Topic).scalar_subquery())
    rows = db.session.execute(
        select(Topic.id, Topic.title, Topic.slug, Topic.created_at, first_answer)
        .join(Post, and_(Post.topic_id == Topic.id, Post.number == 1))
        .where(Topic.space_id.in_(space_ids), Topic.created_at >= period.start, Topic.created_at < until,
               Post.state == POST_VISIBLE)
        .order_by(Topic.created_at)).all()
    late = [row for row in rows if row[4] is None or row[4] - row[3] > UNANSWERED_AFTER]
    waiting = [row for row in late if row[4] is None][:UNANSWERED_LISTED]
    return len(rows), len(late), [tuple(row) for row in waiting]


def decisions(space_ids, period):
    """Decisions closed in the period, and who voted in them: (polls, {member: collège},
    {member: decisions voted in})."""
    if not space_ids:
        return [], {}, {}
    polls = list(db.session.scalars(
        select(Poll).join(Topic, Topic.id == Poll.topic_id).join(Post, Post.id == Poll.post_id)
        .where(Topic.space_id.in_(space_ids), Poll.closed_at >= period.start, Poll.closed_at < period.end,
               Post.state == POST_VISIBLE)   # a decision is seen with its post (decisions.rules)
        .order_by(Poll.closed_at)))
    college_of, votes = {}, defaultdict(int)
    if polls:
        rows = db.session.execute(
            select(PollVoter.member_id, _college_key(Member), func.count())
            .join(Member, Member.id == PollVoter.member_id)
            .where(PollVoter.poll_id.in_([p.id for p in polls]))
            .group_by(PollVoter.member_id, _college_key(Member)))
        for member_id, college_id, count in rows:
            college_of[member_id] = college_id
            votes[member_id] += count
    return [_poll_line(poll) for poll in polls], college_of, votes


@dataclass(frozen=True)
class PollLine:
    """A closed decision as the report lists it (plain data: reports are kept between requests)."""
    id: int
    post_id: int
    question: str
    closed_at: object
    voters: int
    colleges: int
    quorum_reached: object


def _poll_line(poll):
    quorum = (poll.results or {}).get("quorum") or {}
    return PollLine(poll.id, poll.post_id, poll.question, poll.closed_at, poll.voter_count,
                    quorum.get("colleges", 0), poll.quorum_reached)
