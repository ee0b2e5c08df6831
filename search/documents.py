"""What is indexed for a post, read from the database: the one definition for every backend."""
import re
from dataclasses import dataclass
from datetime import datetime
from html import unescape

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from forum.decisions.kinds import FIXED_OPTIONS
from forum.decisions.models import Outcome, Poll
from forum.topics.models import POST_VISIBLE, Post, Topic


@dataclass(frozen=True)
class PostDoc:
    post_id: int
    topic_id: int
    space_id: int
    author_id: int
    created_at: datetime
    title: str              # the topic title, on the opening post only
    space_name: str         # the name of the topic's space, on the opening post only
    body: str               # plain text of the rendered post
    tags: tuple             # tag slugs of the topic
    status: str             # topic status
    searchable: bool        # published (visible): only those are in the index


_BLOCK_TAG = re.compile(r"</?(?:p|br|li|ul|ol|blockquote|h[1-6]|pre|div|tr|td|th|table|hr)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]*>")


def plain_text(html):
    """Plain text of a post's HTML. The HTML was sanitized when rendered (well-formed tags, text
    escaped), so stripping tags is enough, and 100x cheaper than parsing it again with bleach."""
    text = _TAG.sub("", _BLOCK_TAG.sub(" ", html or ""))
    return " ".join(unescape(text).split())


def poll_texts(session, post_ids):
    """{post id: the searchable text of the decision it opened}: its question, its options' labels
    (typed ones: consent and sense check have fixed answers) and its outcome once written.
    Never a figure of the tally: results may be hidden from whoever searches."""
    found = {}
    ids = sorted(set(post_ids))
    for start in range(0, len(ids), 500):
        polls = session.scalars(select(Poll).where(Poll.post_id.in_(ids[start:start + 500]))).all()
        outcomes = dict(session.execute(select(Outcome.poll_id, Outcome.html).where(
            Outcome.poll_id.in_([poll.id for poll in polls]))).all()) if polls else {}
        for poll in polls:
            labels = [] if poll.kind in FIXED_OPTIONS else [option.label for option in poll.options]
            found[poll.post_id] = " ".join(part for part in (poll.question, *labels,
                                                             plain_text(outcomes.get(poll.id))) if part)
    return found


def poll_post_ids(session, space_ids):
    """The posts of the readable spaces that opened a decision (``type:decision``)."""
    return frozenset(session.scalars(select(Poll.post_id).join(Topic, Poll.topic_id == Topic.id)
                                     .where(Topic.space_id.in_(sorted(space_ids)))))


def document(post, poll_text=""):
    topic = post.topic
    opening = post.number == 1
    # The space's name is searched as the topic's title is, on the opening post: "non recours"
    # finds the debates of the "Non-recours aux droits" space, once each, not all their replies.
    return PostDoc(post_id=post.id, topic_id=post.topic_id, space_id=topic.space_id, author_id=post.author_id,
                   created_at=post.created_at, title=topic.title if opening else "",
                   space_name=topic.space.name if opening else "",
                   body=" ".join(part for part in (poll_text, plain_text(post.html)) if part),
                   tags=tuple(tag.slug for tag in topic.tags),
                   status=topic.status, searchable=post.state == POST_VISIBLE)


def _query():
    topic = selectinload(Post.topic)
    return select(Post).options(topic.selectinload(Topic.tags), topic.selectinload(Topic.space))


def opening_post_ids(session, space_id):
    """The opening posts of a space's topics: the documents holding its name."""
    return session.scalars(select(Post.id).join(Topic, Post.topic_id == Topic.id).where(
        Topic.space_id == space_id, Post.number == 1)).all()


def documents(session, post_ids=(), topic_ids=()):
    """Documents of the posts given, and of every post of the topics given (by id)."""
    found = {}
    for ids, column in ((post_ids, Post.id), (topic_ids, Post.topic_id)):
        ids = sorted(set(ids))
        for start in range(0, len(ids), 500):
            posts = session.scalars(_query().where(column.in_(ids[start:start + 500]))).all()
            polls = poll_texts(session, [post.id for post in posts])
            for post in posts:
                found[post.id] = document(post, polls.get(post.id, ""))
    return found


def all_documents(session, batch=1000):
    """Every post, in batches (a list of ``PostDoc`` per batch), oldest first.

    Date order, not id order (imported or generated posts have ids out of date order): both
    backends then hold the most recent posts last, which is what their candidate windows read
    first (Whoosh's last documents; PostgreSQL's heap, walked along the date index, with
    neighbouring dates on neighbouring pages).
    """
    ids = session.scalars(select(Post.id).order_by(Post.created_at, Post.id)).all()
    for start in range(0, len(ids), batch):
        chunk = ids[start:start + batch]
        posts = {post.id: post for post in session.scalars(_query().where(Post.id.in_(chunk)))}
        polls = poll_texts(session, chunk)
        yield [document(posts[post_id], polls.get(post_id, "")) for post_id in chunk if post_id in posts]
        session.expunge_all()
