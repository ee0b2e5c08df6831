"""What is indexed for a post, read from the database: the one definition for every backend."""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from forum.markup import to_text
from forum.models import POST_VISIBLE, Post, Topic


@dataclass(frozen=True)
class PostDoc:
    post_id: int
    topic_id: int
    space_id: int
    author_id: int
    created_at: datetime
    title: str              # the topic title, on the opening post only
    body: str               # plain text of the rendered post
    tags: tuple             # tag slugs of the topic
    status: str             # topic status
    searchable: bool        # published (visible): only those are in the index


def plain_text(html):
    return " ".join(to_text(html or "").split())


def document(post):
    topic = post.topic
    return PostDoc(post_id=post.id, topic_id=post.topic_id, space_id=topic.space_id, author_id=post.author_id,
                   created_at=post.created_at, title=topic.title if post.number == 1 else "",
                   body=plain_text(post.html), tags=tuple(tag.slug for tag in topic.tags),
                   status=topic.status, searchable=post.state == POST_VISIBLE)


def _query():
    return select(Post).options(selectinload(Post.topic).selectinload(Topic.tags))


def documents(session, post_ids=(), topic_ids=()):
    """Documents of the posts given, and of every post of the topics given (by id)."""
    found = {}
    for ids, column in ((post_ids, Post.id), (topic_ids, Post.topic_id)):
        ids = sorted(set(ids))
        for start in range(0, len(ids), 500):
            for post in session.scalars(_query().where(column.in_(ids[start:start + 500]))):
                found[post.id] = document(post)
    return found


def all_documents(session, batch=1000):
    """Every post, in batches (a list of ``PostDoc`` per batch), by increasing id."""
    last = 0
    while True:
        posts = session.scalars(_query().where(Post.id > last).order_by(Post.id).limit(batch)).all()
        if not posts:
            return
        yield [document(post) for post in posts]
        last = posts[-1].id
        session.expunge_all()
