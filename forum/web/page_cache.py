"""Whole pages kept for anonymous visitors and for members, invalidated through the database.

Every write bumps *content versions* in its own transaction: ``topic-<id>`` and ``space-<id>``
when a post or topic changes, ``site`` when anything else shown on the public pages changes
(a space, a tag, a pseudonym, a collège…). A cached page is keyed on the versions it depends
on, read at the start of the request: any worker on any machine sees a change as soon as it is
committed, and nothing needs to be told to forget anything.

Anonymous visitors all see the same page of a public space: one copy serves them all. A
member's reading pages (home, spaces, tags, topics: the routes that ask for it) are kept for
that member alone, keyed also on ``member-<id>``, the version of what is theirs: their account
and memberships, and every private row that names them (read marks, drafts, watches, reports…),
bumped by the same writes. Who holds a role (moderators, the coordination) gets no kept page:
their menus and controls change with other people's reports and requests. What differs per
request, the CSRF token, the live cursor and the registered *holes* (the notification counter,
changed by others' posts), is put back into the kept HTML on each request. Pages with flashed
messages, other statuses than 200, or other types are never kept.
"""
import threading
from collections import OrderedDict
from functools import wraps

from flask import current_app, g, make_response, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import Column, Integer, String, event, inspect, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from forum.clock import now
from forum.extensions import db
from forum.topics.models import Topic

from .navigation import is_navigation

SITE = "site"
MEMBER_TABLE = "member"
# What changes with time alone on a member's page (a topic stops being new, a newcomer's first
# days end) shows at most this late.
MEMBER_PAGE_SECONDS = 300
CSRF_MARK = "\x00agora-csrf\x00"
CURSOR_MARK = "\x00agora-cursor\x00"

# Each model declares what public pages never show, so this module names no model of another
# area or package: ``__page_cache__ = "private"`` for rows never shown (a member's own state,
# private queues, moderation records, the search index): writing them bumps no version;
# ``__page_cache_private__ = {attribute names}`` for columns and relationships never shown:
# a row of which only these changed bumps no version; ``__page_cache_scopes__(row, connection)``
# for rows shown on some pages only (a decision in its topic): the scopes they touch.
# A private row shows on the pages of the members it names: writing it bumps ``member-<id>`` for
# each of its foreign keys to the member table, unless the model says
# ``__page_cache_member__ = False`` (rows no kept page shows, written often: sessions,
# notifications, whose counter is a hole). A member row's own change bumps its ``member-<id>``
# but for the attributes of ``__page_cache_unseen__`` (the last visit).

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
            scopes.update(_named_members(state))
            continue
        if state.mapper.local_table.name == MEMBER_TABLE and (
                obj not in session.dirty or _public_change(state, getattr(model, "__page_cache_unseen__", ()))):
            scopes.add(f"member-{obj.id}")
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
    """Whether a column or relationship of the row other than ``private`` ones changed (named
    for the public pages; also asked of a member's row, ``private`` then being what no page shows)."""
    keys = (*state.mapper.column_attrs.keys(), *state.mapper.relationships.keys())
    return any(state.attrs[key].history.has_changes() for key in keys if key not in private)


def _named_members(state):
    """``member-<id>`` for each member a private row names, before and after the change."""
    if getattr(state.mapper.class_, "__page_cache_member__", True) is False:
        return set()
    scopes = set()
    for prop in state.mapper.column_attrs:
        column = prop.columns[0]
        if not any(fk.column.table.name == MEMBER_TABLE for fk in column.foreign_keys):
            continue
        history = state.attrs[prop.key].history
        for value in (*history.added, *history.unchanged, *history.deleted):
            if value is not None:
                scopes.add(f"member-{value}")
    return scopes


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
    # Half for visitors' pages, a quarter for members' own pages, a quarter for post fragments.
    budget = app.config["PAGE_CACHE_BYTES"]
    app.extensions["agora_page_cache"] = PageStore(budget // 2)
    app.extensions["agora_member_page_cache"] = PageStore(budget // 4)
    app.extensions["agora_fragment_cache"] = PageStore(budget // 4)
    app.extensions["agora_page_holes"] = []


def register_hole(app, render):
    """``render()`` is HTML of a member's kept page that others' writes change without touching
    the member's versions (the notification counter): it is cut out of the kept copy and
    rendered again on each request. Cheap, and unique in the page, or an empty string."""
    app.extensions["agora_page_holes"].append(render)


def _reader(members):
    """Who the kept page is for: ``()`` for any visitor, the member's facts for a member whose
    pages are kept, None when this request's page is not to be kept."""
    if request.method != "GET" or current_app.config["PAGE_CACHE_BYTES"] <= 0 or "_flashes" in session:
        return None
    if not current_user.is_authenticated:
        return ()
    # At call time: the permissions import this package's memo (forum.web is imported first).
    from forum.permissions import holds_a_role
    if not members or holds_a_role(current_user):
        return None
    return ("member", current_user.id, current_user.is_silenced, is_navigation(),
            int(now().timestamp()) // MEMBER_PAGE_SECONDS)


def for_visitors(scopes, variant=None, members=False):
    """Serve the view's page from the cache to anonymous visitors (and, with ``members``, to each
    member their own); ``scopes(**view_args)`` names the content versions the page depends on.
    ``variant()``, if given, is added to the key: what else changes the page without a write
    (the next meetings end by the clock)."""
    def decorate(view):
        @wraps(view)
        def wrapper(**kwargs):
            reader = _reader(members)
            if reader is None:
                return view(**kwargs)
            page_scopes = [*scopes(**kwargs), *([f"member-{current_user.id}"] if reader else [])]
            store = current_app.extensions["agora_member_page_cache" if reader else "agora_page_cache"]
            key = (request.endpoint, request.full_path, str(get_locale()), current_versions(page_scopes),
                   variant() if variant is not None else None, reader)
            body = store.get(key)
            if body is not None:
                if reader and current_app.config["PAGE_CACHE_VERIFY"]:
                    _verify(body, view(**kwargs))
                if body.startswith("\x00"):     # kept as it is (JSON, Atom): its type, then itself
                    mimetype, _mark, kept = body[1:].partition("\x00")
                    return _as_kept(kept, mimetype)
                return _personal(body, bool(reader))
            response = make_response(view(**kwargs))
            if response.status_code == 200 and "_flashes" not in session:
                kept = _kept(response, bool(reader))
                if kept is not None:
                    store.put(key, kept)
            return response
        return wrapper
    return decorate


def _kept(response, member):
    """What is kept of an answer: a page with its personal parts marked; JSON (the API's) and Atom
    (the feeds') as they are, after their type between NULs, since they hold no form token, live
    cursor nor hole. None: not kept."""
    if response.mimetype == "text/html":
        return _generic(response.get_data(as_text=True), member)
    if response.mimetype in KEPT_AS_IS:
        return f"\x00{response.mimetype}\x00" + response.get_data(as_text=True)
    return None


def _as_kept(body, mimetype):
    response = current_app.response_class(body, mimetype=mimetype)
    response.headers["X-Agora-Cache"] = "hit"
    return response


def _cursor():
    started = g.get("agora_started_at")
    return started.isoformat() if started else None


# Answers kept as they are (a kept one starts with a NUL, which no page does).
KEPT_AS_IS = ("application/json", "application/atom+xml")


def _hole_mark(number):
    return f"\x00agora-hole-{number}\x00"


def _generic(body, member):
    """The page as kept: this request's CSRF token, live cursor (and a member's holes) marked."""
    body = body.replace(generate_csrf(), CSRF_MARK)
    cursor = _cursor()
    if cursor:
        body = body.replace(cursor, CURSOR_MARK)
    if member:
        for number, render in enumerate(current_app.extensions["agora_page_holes"]):
            html = str(render())
            if html:
                body = body.replace(html, _hole_mark(number))
    return body


def _personal(body, member):
    """The kept page with this request's CSRF token, live cursor and holes."""
    body = body.replace(CSRF_MARK, generate_csrf())
    cursor = _cursor()
    if cursor:
        body = body.replace(CURSOR_MARK, cursor)
    if member:
        for number, render in enumerate(current_app.extensions["agora_page_holes"]):
            mark = _hole_mark(number)
            if mark in body:
                body = body.replace(mark, str(render()))
    response = make_response(body)
    response.headers["X-Agora-Cache"] = "hit"
    return response


def _verify(kept, fresh):
    """Tests (``PAGE_CACHE_VERIFY``): a member's kept page must be the page rendered now; a
    difference is a write that forgot to bump a version the page depends on."""
    fresh = make_response(fresh)
    rendered = _kept(fresh, True)
    if fresh.status_code != 200 or rendered != kept:
        at = next((i for i, (a, b) in enumerate(zip(kept, rendered)) if a != b), min(len(kept), len(rendered)))
        raise AssertionError(f"stale kept page {request.full_path} (status {fresh.status_code}): kept "
                             f"{kept[max(0, at - 200):at + 200]!r} now {rendered[max(0, at - 200):at + 200]!r}")
