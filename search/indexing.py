"""Keeping the index in step with the database: domain events, the journal, reindexing.

Every change that alters what a post's search document should be (published, edited, hidden,
restored, deleted, moved, topic retitled/retagged/moved) is announced as a domain event. Inside
the change's own transaction (``phase="transaction"``):

- PostgreSQL: the documents are rewritten at once (in a savepoint, so a failure never undoes
  the post); they commit with it;
- Whoosh: a ``SearchJob`` row is written; after the commit, the journal is drained by whichever
  thread or process holds the writer lock (``drain``). A job left by a crash, or by a drain that
  failed, is applied by the next drain or by ``flask search reindex``; jobs are idempotent
  ("make the index match the database for this post").
"""
import logging

from flask import current_app
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from forum import events
from forum.extensions import db

from .documents import all_documents, documents
from .models import SearchJob

log = logging.getLogger(__name__)
BATCH = 500
WATCHED = (events.PostPublished, events.PostEdited, events.PostStateChanged, events.TopicChanged,
           events.PostsMoved)


def backend():
    return current_app.extensions["search"]


def init_app(app):
    for event_type in WATCHED:
        events.subscribe(app, event_type, on_change, phase="transaction")
        events.subscribe(app, event_type, after_commit)


def _targets(event):
    """(post ids, topic ids) whose documents ``event`` may have changed."""
    if isinstance(event, events.TopicChanged):
        return (), (event.topic_id,)
    if isinstance(event, events.PostsMoved):
        return tuple(event.post_ids), ()
    return (event.post_id,), ()


def on_change(event):
    if "search" not in current_app.extensions:
        return
    post_ids, topic_ids = _targets(event)
    engine = backend()
    if engine.transactional:
        try:
            with db.session.begin_nested():
                found = documents(db.session, post_ids, topic_ids)
                engine.remove(set(post_ids) - found.keys())
                engine.index(found.values())
        except Exception:
            log.exception("search: indexing %r failed; `flask search reindex` repairs it", event)
        return
    db.session.add_all([SearchJob(post_id=post_id) for post_id in post_ids]
                       + [SearchJob(topic_id=topic_id) for topic_id in topic_ids])


def after_commit(event):
    if "search" not in current_app.extensions or backend().transactional:
        return
    if current_app.config.get("SEARCH_DRAIN_AFTER_COMMIT", True):
        try:
            drain()
        except Exception:
            log.exception("search: draining the journal failed; the jobs stay for the next drain")


def drain(batch=BATCH):
    """Apply every job of the journal to the Whoosh index, one batch per commit; returns jobs done."""
    engine = backend()
    if engine.transactional:
        return 0
    done = 0
    with engine.exclusive(), Session(db.engine) as session:
        while True:
            jobs = session.execute(select(SearchJob.id, SearchJob.post_id, SearchJob.topic_id)
                                   .order_by(SearchJob.id).limit(batch)).all()
            if not jobs:
                return done
            post_ids = {job.post_id for job in jobs if job.post_id is not None}
            topic_ids = {job.topic_id for job in jobs if job.topic_id is not None}
            found = documents(session, post_ids, topic_ids)
            session.rollback()           # no read transaction held while Whoosh writes
            engine.apply(found.values(), post_ids - found.keys())
            session.execute(delete(SearchJob).where(SearchJob.id.in_([job.id for job in jobs])))
            session.commit()
            done += len(jobs)


def pending_jobs():
    return db.session.scalar(select(func.count()).select_from(SearchJob))


def reindex(progress=None, batch=1000):
    """Rebuild the whole index from the database; returns the number of posts read."""
    engine = backend()
    with Session(db.engine) as session:
        covered = session.scalar(select(func.max(SearchJob.id)))
        count = engine.rebuild(all_documents(session, batch), progress=progress)
        if covered is not None:
            # Jobs written before the rebuild read the database are in the new index already.
            session.execute(delete(SearchJob).where(SearchJob.id <= covered))
            session.commit()
    drain()
    return count


