"""The indexing journal, for backends written after commit, one writer at a time (Whoosh).

Inside a change's transaction, ``changed`` writes ``SearchJob`` rows ("make the index match the
database for this post, or every post of this topic"): they commit or roll back with the change
(the outbox pattern). After the commit, the journal is drained by whichever thread or process
holds the writer lock (``drain``). A job left by a crash, or by a drain that failed, is applied
by the next drain or by a rebuild; jobs are idempotent.

``JournaledBackend`` implements that part of ``Backend``; a subclass says how to write
(``apply``, ``build``) and how writers queue (``exclusive``).
"""
import abc
import logging

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from forum.clock import now
from forum.extensions import db

from .backend import Backend
from .documents import documents
from .models import SearchJob

log = logging.getLogger(__name__)
BATCH = 500


class JournaledBackend(Backend):

    def __init__(self, drain_after_commit=True):
        #: False: jobs wait for ``flask search drain`` (``SEARCH_DRAIN_AFTER_COMMIT``).
        self.drain_after_commit = drain_after_commit

    # --- what the subclass provides --------------------------------------------------------

    @abc.abstractmethod
    def exclusive(self):
        """A context manager: the one-writer lock (blocks until free; re-entrant)."""

    @abc.abstractmethod
    def apply(self, docs, removed_ids) -> None:
        """Index ``docs`` (a non-searchable one is removed) and remove ``removed_ids``, at once
        (the caller holds ``exclusive()``)."""

    @abc.abstractmethod
    def build(self, batches, progress=None) -> int:
        """Replace the whole index with these documents; returns the number read."""

    # --- the journal -----------------------------------------------------------------------

    def changed(self, session, post_ids, topic_ids):
        session.add_all([SearchJob(post_id=post_id) for post_id in post_ids]
                        + [SearchJob(topic_id=topic_id) for topic_id in topic_ids])

    def after_commit(self):
        if not self.drain_after_commit:
            return
        try:
            self.drain()
        except Exception:
            log.exception("search: draining the journal failed; the jobs stay for the next drain")

    def drain(self, batch=BATCH):
        """Apply every job of the journal, one batch per commit; returns the jobs done."""
        done = 0
        with self.exclusive(), Session(db.engine) as session:
            while True:
                jobs = session.execute(select(SearchJob.id, SearchJob.post_id, SearchJob.topic_id)
                                       .order_by(SearchJob.id).limit(batch)).all()
                if not jobs:
                    return done
                post_ids = {job.post_id for job in jobs if job.post_id is not None}
                topic_ids = {job.topic_id for job in jobs if job.topic_id is not None}
                found = documents(session, post_ids, topic_ids)
                session.rollback()           # no read transaction held while the index is written
                self.apply(found.values(), post_ids - found.keys())
                session.execute(delete(SearchJob).where(SearchJob.id.in_([job.id for job in jobs])))
                session.commit()
                done += len(jobs)

    def pending(self):
        return db.session.scalar(select(func.count()).select_from(SearchJob))

    def lag_seconds(self):
        oldest = db.session.scalar(select(func.min(SearchJob.created_at)))
        return (now() - oldest).total_seconds() if oldest is not None else 0.0

    def rebuild(self, batches, progress=None):
        with Session(db.engine) as session:
            covered = session.scalar(select(func.max(SearchJob.id)))
        count = self.build(batches, progress=progress)
        if covered is not None:
            # Jobs written before the rebuild read the database are in the new index already.
            with Session(db.engine) as session:
                session.execute(delete(SearchJob).where(SearchJob.id <= covered))
                session.commit()
        self.drain()
        return count
