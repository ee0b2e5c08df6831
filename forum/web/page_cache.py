"""Whole pages kept for anonymous visitors, invalidated through the database.

Every write bumps *content versions* in its own transaction: ``topic-<id>`` and ``space-<id>``
when a post or topic changes, ``site`` when anything else shown on the public pages changes
(a space, a tag, a pseudonym, a collège…). A cached page is keyed on the versions it depends
on, read at the start of the request: any worker on any machine sees a change as soon as it is
committed, and nothing needs to be told to forget anything.

Only anonymous visitors get cached pages: they all see the same page of a public space (what a
member sees depends on who they are, and is never cached whole). The two values that differ
per visitor, the CSRF token and the live cursor, are put back into the cached HTML on each
request. Pages with flashed messages, other statuses than 200, or other types are never kept.
"""
import threading
from collections import OrderedDict
from functools import wraps

from flask import current_app, g, make_response, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from jinja2 import pass_context
from markupsafe import Markup
from sqlalchemy import Column, Integer, String, event, inspect, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from forum.extensions import db
from forum.topics.models import Topic

from .memo import request_memo

SITE = "site"
CSRF_MARK = "\x00agora-csrf\x00"
CURSOR_MARK = "\x00agora-cursor\x00"

# Each model declares what public pages never show, so this module names no model of another
# area or package: ``__page_cache__ = "private"`` for rows never shown (a member's own state,
# private queues, moderation records, the search index): writing them bumps no version;
# ``__page_cache_private__ = {attribute names}`` for columns and relationships never shown:
# a row of which only these changed bumps no version; ``__page_cache_scopes__(row, connection)``
# for rows shown on some pages only (a decision in its topic): the scopes they touch.

def is_private(model):
    return getattr(model, "__page_cache__", None) == "private"


def private_attributes(model):
    return frozenset(getattr(model, "__page_cache_private__", ()))


class ContentVersion(db.Model):
    """How many times what a scope (``site``, ``space-3``, ``topic-42``) shows has changed."""

    __page_cache__ = "private"   # public pages never show it

    scope = Column(String(40), primary_key=True)
    version = Column(Integer, nullable=False, default=0)


# --- versions, bumped in the writer's transaction --------------------------------------------

def scopes_of(session):
    """The scopes that the pending changes of ``session`` touch."""
    scopes = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        state = inspect(obj)
        model = state.mapper.class_
        if is_private(model):
            continue
        name = model.__name__
        declared = getattr(model, "__page_cache_scopes__", None)
        if declared is not None:
            scopes.update(declared(obj, session.connection()))
        elif name == "Post":
            scopes.add(f"topic-{obj.topic_id}")
            topic = obj.topic if "topic" not in state.unloaded else None
            space_id = topic.space_id if topic is not None else _space_of_topic(session, obj.topic_id)
            if space_id is not None:
                scopes.add(f"space-{space_id}")
        elif name == "Topic":
            scopes.add(f"topic-{obj.id}")
            history = state.attrs.space_id.history
            for space_id in (obj.space_id, *history.deleted):
                if space_id is not None:
                    scopes.add(f"space-{space_id}")
        else:
            private = private_attributes(model)
            if private and obj in session.dirty and not _public_change(state, private):
                continue
            scopes.add(SITE)
    return scopes


def _public_change(state, private):
    """Whether a column or relationship of the row other than ``private`` ones changed."""
    keys = (*state.mapper.column_attrs.keys(), *state.mapper.relationships.keys())
    return any(state.attrs[key].history.has_changes() for key in keys if key not in private)


def _space_of_topic(session, topic_id):
    if topic_id is None:
        return None
    return session.connection().execute(select(Topic.space_id).where(Topic.id == topic_id)).scalar()


def bump(connection, scopes):
    """Add one to the version of each scope (creating it), on the writer's connection."""
    if not scopes:
        return
    table = ContentVersion.__table__
    dialect = connection.dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    # Sorted: two writers always lock the rows in the same order (no deadlock on PostgreSQL).
    for scope in sorted(scopes):
        statement = insert(table).values(scope=scope, version=1)
        connection.execute(statement.on_conflict_do_update(
            index_elements=[table.c.scope], set_={"version": table.c.version + 1}))


def touch(session, scopes):
    """Bump ``scopes`` with this transaction's commit, for a change the rows above cannot tell:
    a private row whose change must still reach every cached copy (a withdrawn version)."""
    session.info.setdefault("agora.scopes", set()).update(scopes)


@event.listens_for(Session, "after_flush")
def _collect(session, flush_context):
    # After the flush new rows have their ids, and `new`/`dirty`/`deleted` (and the attributes'
    # history) still describe what was just written.
    scopes = scopes_of(session)
    if scopes:
        session.info.setdefault("agora.scopes", set()).update(scopes)


@event.listens_for(Session, "before_commit")
def _bump_before_commit(session):
    # Written last, just before the commit: on PostgreSQL the version rows stay locked for the
    # shortest time (writers of one space otherwise wait for each other's whole transaction).
    if session.info.get("agora.scopes") is not None or session.new or session.dirty or session.deleted:
        session.flush()
    scopes = session.info.pop("agora.scopes", None)
    if scopes:
        bump(session.connection(), scopes)


@event.listens_for(Session, "after_rollback")
def _forget(session):
    session.info.pop("agora.scopes", None)


def current_versions(scopes):
    """{scope: version} for ``scopes`` (0 for a scope never bumped); ``"space-*"``: every space."""
    table = ContentVersion.__table__
    exact = [s for s in scopes if not s.endswith("*")]
    condition = table.c.scope.in_(exact)
    for prefix in (s[:-1] for s in scopes if s.endswith("*")):
        condition = condition | table.c.scope.startswith(prefix)
    rows = db.session.execute(select(table.c.scope, table.c.version).where(condition)).all()
    return tuple(sorted(rows))


# --- the cache of whole pages ----------------------------------------------------------------

class PageStore:
    """A least-recently-used store of page bodies, bounded in bytes (one per process)."""

    def __init__(self, max_bytes):
        self.max_bytes = max_bytes
        self.pages = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key):
        with self.lock:
            body = self.pages.get(key)
            if body is None:
                self.misses += 1
                return None
            self.pages.move_to_end(key)
            self.hits += 1
            return body

    def put(self, key, body):
        cost = len(body)
        if cost > self.max_bytes // 4:
            return
        with self.lock:
            old = self.pages.pop(key, None)
            if old is not None:
                self.size -= len(old)
            self.pages[key] = body
            self.size += cost
            while self.size > self.max_bytes:
                _key, dropped = self.pages.popitem(last=False)
                self.size -= len(dropped)

    def clear(self):
        with self.lock:
            self.pages.clear()
            self.size = 0


def init_app(app):
    # Three quarters for whole pages, a quarter for members' post fragments.
    app.extensions["agora_page_cache"] = PageStore(app.config["PAGE_CACHE_BYTES"] * 3 // 4)
    app.extensions["agora_fragment_cache"] = PageStore(app.config["PAGE_CACHE_BYTES"] // 4)
    app.jinja_env.globals["post_fragment"] = post_fragment


def _cacheable_request():
    return (request.method == "GET" and current_app.config["PAGE_CACHE_BYTES"] > 0
            and not current_user.is_authenticated and "_flashes" not in session)


def for_visitors(scopes, variant=None):
    """Serve the view's page from the cache to anonymous visitors; ``scopes(**view_args)``
    names the content versions the page depends on. ``variant()``, if given, is added to the
    key: what else changes the page without a write (the next meetings end by the clock)."""
    def decorate(view):
        @wraps(view)
        def wrapper(**kwargs):
            if not _cacheable_request():
                return view(**kwargs)
            store = current_app.extensions["agora_page_cache"]
            key = (request.endpoint, request.full_path, str(get_locale()), current_versions(scopes(**kwargs)),
                   variant() if variant is not None else None)
            body = store.get(key)
            if body is not None:
                return _personal(body)
            response = make_response(view(**kwargs))
            if response.status_code == 200 and response.mimetype == "text/html" and "_flashes" not in session:
                body = response.get_data(as_text=True)
                token, cursor = generate_csrf(), _cursor()
                generic = body.replace(token, CSRF_MARK)
                if cursor:
                    generic = generic.replace(cursor, CURSOR_MARK)
                store.put(key, generic)
            return response
        return wrapper
    return decorate


def _cursor():
    started = g.get("agora_started_at")
    return started.isoformat() if started else None


def _personal(body):
    """The cached page with this visitor's CSRF token and live cursor."""
    body = body.replace(CSRF_MARK, generate_csrf())
    cursor = _cursor()
    if cursor:
        body = body.replace(CURSOR_MARK, cursor)
    response = make_response(body)
    response.headers["X-Agora-Cache"] = "hit"
    return response


# --- members: a post of a page, rendered once per kind of viewer ------------------------------

@pass_context
def post_fragment(context, item, topic, view, macro):
    """``macro(item, topic, view)`` (a post as the reader sees it), kept for members.

    A post's HTML for a member depends on the post and its topic (their versions), and on who
    reads only through a few facts: whether they may read its text, have read it, wrote it
    (and are read-only), may reply, and which moderation links they get (built first: it is cheap). Those facts are
    the key, so members who see a post the same way share its fragment.
    """
    store = current_app.extensions["agora_fragment_cache"]
    if not current_user.is_authenticated or store.max_bytes <= 0:
        return macro(item, topic, view)
    post = item.post
    links = context.get("post_moderation_links")
    key = (post.id, view, str(get_locale()), topic_versions(topic.id), item.show_text, item.unread,
           item.in_reply_to.id if item.in_reply_to is not None else None, item.show_author, item.reply_to_named,
           current_user.id == post.author_id, not context.get("cannot_reply"),
           # A read-only author's own post offers "Retirer du texte" instead of "Modifier".
           current_user.id == post.author_id and current_user.is_silenced,
           str(links(post, topic)) if links is not None else "")
    html = store.get(key)
    if html is None:
        html = macro(item, topic, view)
        store.put(key, str(html))
        return html
    return Markup(html)


def shared_fragment(key, render):
    """HTML that every member who sees it the same way shares (``key`` says how, with the
    versions it depends on), kept beside the post fragments; ``render()`` on a miss."""
    store = current_app.extensions["agora_fragment_cache"]
    if store.max_bytes <= 0:
        return Markup(render())
    html = store.get(key)
    if html is None:
        html = str(render())
        store.put(key, html)
    return Markup(html)


def topic_versions(topic_id):
    return request_memo(("content-versions", topic_id), lambda: current_versions([SITE, f"topic-{topic_id}"]))
