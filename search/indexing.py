"""Keeping the index in step with the database: domain events, reindexing.

Every change that alters what a post's search document should be (published, edited, hidden,
restored, deleted, moved, topic retitled/retagged/moved) is announced as a domain event, and
passed on to the backend (``search.backend.Backend``) twice:

- inside the change's own transaction (``phase="transaction"``): ``changed``. PostgreSQL
  rewrites the documents at once (in a savepoint: a failure never undoes the post) and they
  commit with it; Whoosh writes a job in the journal (``search.journal``);
- after the commit: ``after_commit``. Whoosh drains the journal, one writer at a time.

Whatever is left undone (a crash, a failed drain) is applied by ``drain`` or by ``flask search
reindex``: jobs and documents are idempotent ("make the index match the database for this post").
"""
import logging

from flask import current_app
from sqlalchemy import event as sa_event, select
from sqlalchemy.orm import Session

from forum import events
from forum.decisions.models import Poll
from forum.extensions import db

from . import backend as interface
from .documents import all_documents, opening_post_ids

log = logging.getLogger(__name__)
# A decision is searched with the post that opened it (its question, options and outcome are in
# that post's document): its opening, its closing, and the events of its edits and outcome, by
# whichever name they are published (they carry ``poll_id``).
POLL_EVENTS = (events.PollOpened, events.PollClosed, events.OutcomeWritten) + tuple(
    getattr(events, name) for name in ("PollEdited", "OutcomeEdited") if hasattr(events, name))
WATCHED = (events.PostPublished, events.PostEdited, events.PostStateChanged, events.TopicChanged,
           events.PostsMoved, events.SpaceChanged) + POLL_EVENTS


def backend() -> interface.Backend:
    return interface.current()


def init_app(app):
    for event_type in WATCHED:
        events.subscribe(app, event_type, on_change, phase="transaction")
        events.subscribe(app, event_type, after_commit)
    events.subscribe(app, events.MemberErased, forget)


def _targets(event):
    """(post ids, topic ids) whose documents ``event`` may have changed."""
    if isinstance(event, events.TopicChanged):
        return (), (event.topic_id,)
    if isinstance(event, events.PostsMoved):
        return tuple(event.post_ids), ()
    if isinstance(event, events.SpaceChanged):     # maybe renamed: its name is in opening posts
        return tuple(opening_post_ids(db.session, event.space_id)), ()
    if isinstance(event, POLL_EVENTS):
        return _poll_posts(event.poll_id), ()
    return (event.post_id,), ()


def on_change(event):
    if "search" not in current_app.extensions:
        return
    post_ids, topic_ids = _targets(event)
    try:
        backend().changed(db.session, post_ids, topic_ids)
    except Exception:
        log.exception("search: indexing %r failed; `flask search reindex` repairs it", event)


def _poll_posts(poll_id):
    post_id = db.session.scalar(select(Poll.post_id).where(Poll.id == poll_id))
    return () if post_id is None else (post_id,)


def search_reindex_poll(poll_id):
    """Make the index match the database for decision ``poll_id`` (its post's document), with the
    caller's transaction: written in it, applied after its commit. For code of this package or
    built on it (``forum`` itself never imports ``search``: it publishes the events above)."""
    if "search" not in current_app.extensions:
        return
    session = db.session()
    try:
        backend().changed(session, _poll_posts(poll_id), ())
    except Exception:
        log.exception("search: indexing poll %s failed; `flask search reindex` repairs it", poll_id)
    app = current_app._get_current_object()

    def applied(_session):
        with app.app_context():
            backend().after_commit()
    sa_event.listen(session, "after_commit", applied, once=True)


def after_commit(event):
    if "search" not in current_app.extensions:
        return
    backend().after_commit()


def forget(event):
    """A member was erased: their old name must not linger in the index's files."""
    if "search" not in current_app.extensions:
        return
    backend().forget()


def drain():
    """Apply the work left pending by earlier changes; returns the jobs done."""
    return backend().drain()


def pending_jobs():
    return backend().pending()


def journal_lag_seconds():
    """How long the oldest change not yet in the index has waited (0 when none): /metrics."""
    return backend().lag_seconds()


def reindex(progress=None, batch=1000):
    """Rebuild the whole index from the database; returns the number of posts read."""
    with Session(db.engine) as session:
        return backend().rebuild(all_documents(session, batch), progress=progress)
