"""What a (re)joining client missed: the database is the log, events are only hints.

A topic page carries the highest post id it shows; a client that joins (or re-joins after a
lost connection) sends it back with the server time of its last synchronisation (``cursor``),
and gets the ids of the posts published after it and of the posts edited, hidden or deleted
since. Past ``CAP`` the client is told to reload instead.

Post ids are taken at insertion and become visible at commit, in any order: a post with a
smaller id than the client's last one may commit after the client last heard of it (a busy
server, a worker killed mid-transaction). So the gap also holds the posts inserted in the last
``LATE_COMMIT`` before the join, whatever their id: clients skip what they already show.
"""
from datetime import timedelta

from sqlalchemy import or_, select

from forum.clock import now
from forum.decisions.models import Poll
from forum.decisions.rules import can_see_poll
from forum.extensions import db
from forum.permissions import can_see_post
from forum.topics.models import Post, Topic

CAP = 50
LATE_COMMIT = timedelta(seconds=30)


def _cursor():
    return now().isoformat()


def topic_gap(viewer, topic, after, since=None):
    cursor = _cursor()
    rows = db.session.scalars(select(Post).where(Post.topic_id == topic.id, Post.id > after)
                              .order_by(Post.id).limit(CAP + 1)).all()
    too_many = len(rows) > CAP
    late = []
    if after:
        late = db.session.scalars(select(Post).where(
            Post.topic_id == topic.id, Post.id <= after, Post.created_at > now() - LATE_COMMIT)
            .order_by(Post.id.desc()).limit(CAP)).all()
    posts = [{"id": p.id, "number": p.number, "parent_id": p.parent_id}
             for p in (*reversed(late), *rows[:CAP]) if can_see_post(viewer, p)]
    changed = []
    if since is not None and after:
        touched = db.session.scalars(
            select(Post).where(Post.topic_id == topic.id, Post.id <= after,
                               or_(Post.edited_at > since, Post.state_changed_at > since))
            .order_by(Post.id).limit(CAP + 1)).all()
        too_many = too_many or len(touched) > CAP
        changed = [p.id for p in touched[:CAP] if can_see_post(viewer, p)]
    polls, more = poll_gap(viewer, topic, since)
    return {"posts": posts, "changed": changed, "too_many": too_many or more, "cursor": cursor, "polls": polls}


def poll_gap(viewer, topic, since):
    """The decisions of ``topic`` that moved since ``since`` (a ballot, the closing), each with
    its participation only, as ``poll_activity`` carries it: never a tally. (polls, too many?)"""
    if since is None:
        return [], False
    polls = db.session.scalars(select(Poll).where(Poll.topic_id == topic.id,
                                                  or_(Poll.voted_at > since, Poll.closed_at > since))
                               .order_by(Poll.id).limit(CAP + 1)).all()
    return [{"poll_id": p.id, "voters": p.voter_count, "closed": p.is_closed} for p in polls[:CAP]
            if can_see_poll(viewer, p)], len(polls) > CAP


def space_gap(viewer, space, since=None):
    """Topics of ``space`` active since ``since`` (the space is readable: the caller checked)."""
    cursor = _cursor()
    topics = []
    too_many = False
    if since is not None:
        ids = db.session.scalars(select(Topic.id).where(Topic.space_id == space.id,
                                                        Topic.last_post_at > since)
                                 .order_by(Topic.last_post_at).limit(CAP + 1)).all()
        too_many = len(ids) > CAP
        topics = list(ids[:CAP])
    return {"topics": topics, "too_many": too_many, "cursor": cursor}
