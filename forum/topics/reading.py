"""Reading: plain data for the pages, with permissions applied. Templates never query."""
from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext
from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import contains_eager

from forum.clock import now
from forum.extensions import db
from forum.numbers import parse_int
from forum.permissions import (can_moderate, can_read_post_text, can_see_post_author, is_member,
                               readable_space_ids, readable_spaces)

from .models import (KIND_COMMITTEE, KIND_REGIONAL, KIND_THEME, POST_PENDING, Post, PostRevision,
                     Space, Tag, Topic, TopicRead, topic_tag)

SORTS = {
    "activite": (Topic.last_post_at.desc(), Topic.id.desc()),
    "recents": (Topic.created_at.desc(), Topic.id.desc()),
    "reponses": (Topic.reply_count.desc(), Topic.last_post_at.desc()),
}
DEFAULT_SORT = "activite"
HOME_LATEST = 8         # the home page's latest discussions (and the feed of the forum: forum/feeds/)
VIEWS = ("arbre", "chrono")

KIND_LABELS = {
    KIND_REGIONAL: lazy_gettext("Coordination régionale"),
    KIND_COMMITTEE: lazy_gettext("Comités locaux"),
    KIND_THEME: lazy_gettext("Thèmes transversaux"),
}


@dataclass
class Pagination:
    page: int
    per_page: int
    total: int

    @property
    def pages(self):
        return max(1, -(-self.total // self.per_page))

    @property
    def offset(self):
        return (self.page - 1) * self.per_page

    @property
    def has_prev(self):
        return self.page > 1

    @property
    def has_next(self):
        return self.page < self.pages


def clamp_page(page):
    return min(parse_int(page, 1) or 1, 100000)


# --- home -------------------------------------------------------------------------------

@dataclass
class SpaceSummary:
    space: Space
    unread: int = 0
    new: int = 0


def _new_since():
    return now() - timedelta(days=current_app.config["NEW_TOPIC_DAYS"])


def activity_counts(viewer, space_ids):
    """{space_id: (unread topics, new topics)} for a member."""
    if not is_member(viewer) or not space_ids:
        return {}
    read = TopicRead.__table__
    since = _new_since()
    unread = func.sum(case((and_(read.c.topic_id.is_not(None),
                                 Topic.last_post_number > read.c.last_read_number), 1), else_=0))
    new = func.sum(case((and_(read.c.topic_id.is_(None), Topic.created_at > since), 1), else_=0))
    rows = db.session.execute(
        select(Topic.space_id, unread, new)
        .select_from(Topic)
        .outerjoin(read, and_(read.c.topic_id == Topic.id, read.c.member_id == viewer.id))
        .where(Topic.space_id.in_(space_ids))
        .where(or_(read.c.topic_id.is_not(None), Topic.created_at > since))
        .group_by(Topic.space_id)).all()
    return {space_id: (int(u or 0), int(n or 0)) for space_id, u, n in rows}


def home_page(viewer):
    """Readable spaces grouped by kind, with unread/new counts for members; archived ones apart."""
    spaces = [s for s in readable_spaces(viewer) if s.archived_at is None]
    counts = activity_counts(viewer, [s.id for s in spaces])
    groups = []
    for kind in (KIND_REGIONAL, KIND_COMMITTEE, KIND_THEME):
        items = [SpaceSummary(s, *counts.get(s.id, (0, 0))) for s in spaces if s.kind == kind]
        if items:
            groups.append((KIND_LABELS[kind], items))
    latest = latest_topics(viewer, limit=HOME_LATEST)
    archived = [s for s in readable_spaces(viewer) if s.archived_at is not None]
    return {"groups": groups, "latest": latest, "archived": archived}


# --- topic lists ------------------------------------------------------------------------

@dataclass
class TopicRow:
    topic: Topic
    unread: int = 0
    is_new: bool = False
    last_read_number: int | None = None
    decision_closes_at: object = None     # the nearest closing date of its open decisions


def _topic_rows(viewer, topics):
    # At call time: forum.decisions' package imports the notifications, which import this module.
    from forum.decisions import display as decisions
    rows = _read_markers(viewer, topics)
    deadlines = decisions.open_deadlines([t.id for t in topics])    # one query for the page
    for row in rows:
        row.decision_closes_at = deadlines.get(row.topic.id)
    return rows


def _read_markers(viewer, topics):
    if not is_member(viewer) or not topics:
        return [TopicRow(t) for t in topics]
    reads = dict(db.session.execute(
        select(TopicRead.topic_id, TopicRead.last_read_number)
        .where(TopicRead.member_id == viewer.id, TopicRead.topic_id.in_([t.id for t in topics]))).all())
    since = _new_since()
    rows = []
    for topic in topics:
        last = reads.get(topic.id)
        if last is None:
            rows.append(TopicRow(topic, is_new=topic.created_at > since))
        else:
            rows.append(TopicRow(topic, unread=max(0, topic.last_post_number - last), last_read_number=last))
    return rows


def topic_row(viewer, topic):
    """One topic as a row of a list, with its unread marker for ``viewer``."""
    return _topic_rows(viewer, [topic])[0]


def _list_topics(viewer, query, sort, page, pinned_first):
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    pagination = Pagination(clamp_page(page), current_app.config["TOPICS_PER_PAGE"], total)
    order = SORTS.get(sort, SORTS[DEFAULT_SORT])
    if pinned_first:
        order = (Topic.pinned.desc(), *order)
    topics = db.session.scalars(query.order_by(*order).limit(pagination.per_page)
                                .offset(pagination.offset)).unique().all()
    return _topic_rows(viewer, topics), pagination


def space_page(viewer, space, sort=DEFAULT_SORT, tag=None, page=1):
    query = select(Topic).where(Topic.space_id == space.id)
    if tag is not None:
        query = query.join(topic_tag, topic_tag.c.topic_id == Topic.id).where(topic_tag.c.tag_id == tag.id)
    rows, pagination = _list_topics(viewer, query, sort, page, pinned_first=True)
    tags = db.session.scalars(
        select(Tag).join(topic_tag, topic_tag.c.tag_id == Tag.id).join(Topic, Topic.id == topic_tag.c.topic_id)
        .where(Topic.space_id == space.id).group_by(Tag.id).order_by(Tag.name)).all()
    return {"space": space, "rows": rows, "pagination": pagination, "sort": sort if sort in SORTS else DEFAULT_SORT,
            "tag": tag, "tags": tags, "can_moderate": can_moderate(viewer, space)}


def _readable_topics(viewer):
    """The condition on ``Topic`` of the topics ``viewer`` may read: a tag's page lists them and
    the tags page counts them, so both always agree."""
    return Topic.space_id.in_(readable_space_ids(viewer))


@dataclass
class TagSummary:
    tag: Tag
    topics: int           # topics ``viewer`` may read (``Tag.topic_count`` counts every space's)


def tags_page(viewer):
    """Every tag, by name, with the number of topics ``viewer`` may read under it."""
    counts = dict(db.session.execute(
        select(topic_tag.c.tag_id, func.count()).select_from(topic_tag)
        .join(Topic, Topic.id == topic_tag.c.topic_id).where(_readable_topics(viewer))
        .group_by(topic_tag.c.tag_id)).all())
    tags = db.session.scalars(select(Tag).order_by(Tag.name)).all()
    return {"tags": [TagSummary(tag, counts.get(tag.id, 0)) for tag in tags]}


def readable_tags(viewer):
    """The tags ``viewer`` may see, by name: those of at least one topic they may read, and
    those of no topic yet (made by the coordination). A tag used only in spaces they cannot read
    is not theirs to see (nor to choose in a filter)."""
    readable = (select(topic_tag.c.tag_id).join(Topic, Topic.id == topic_tag.c.topic_id)
                .where(_readable_topics(viewer)))
    used = select(topic_tag.c.tag_id)
    return db.session.scalars(select(Tag).where(or_(Tag.id.in_(readable), Tag.id.not_in(used)))
                              .order_by(Tag.name)).all()


def tag_page(viewer, tag, sort=DEFAULT_SORT, page=1):
    query = (select(Topic).join(topic_tag, topic_tag.c.topic_id == Topic.id)
             .where(topic_tag.c.tag_id == tag.id, _readable_topics(viewer)))
    rows, pagination = _list_topics(viewer, query, sort, page, pinned_first=False)
    return {"tag": tag, "rows": rows, "pagination": pagination, "sort": sort if sort in SORTS else DEFAULT_SORT}


def latest_topics(viewer, limit=10):
    """The latest discussions of the spaces ``viewer`` reads, archived spaces left out."""
    open_ids = [space.id for space in readable_spaces(viewer) if space.archived_at is None]
    topics = db.session.scalars(
        select(Topic).where(Topic.space_id.in_(open_ids))
        .order_by(Topic.last_post_at.desc()).limit(limit)).all()
    return _topic_rows(viewer, topics)


def latest_page(viewer, page=1):
    """Every topic of the spaces ``viewer`` reads, archived spaces left out, by latest activity,
    a page at a time (the API's ``/latest.json``)."""
    open_ids = [space.id for space in readable_spaces(viewer) if space.archived_at is None]
    return _list_topics(viewer, select(Topic).where(Topic.space_id.in_(open_ids)), DEFAULT_SORT, page, False)


# --- a topic ----------------------------------------------------------------------------

@dataclass
class PostView:
    """A post as ``viewer`` sees it: its text, or a placeholder."""
    post: Post
    show_text: bool
    level: int = 0                # indentation in the tree view (0 = under the opening post)
    # Set when the reply is not shown under the post it answers (flattened or on another page).
    in_reply_to: Post | None = None
    children: list = field(default_factory=list)
    unread: bool = False
    # Whether the viewer may see who wrote the post, and the post it answers (not on a hidden
    # post: forum.permissions.can_see_post_author).
    show_author: bool = True
    reply_to_named: bool = True


def post_view(viewer, post, in_reply_to=None, unread=False):
    """``post`` as ``viewer`` sees it: its text or a placeholder, its author's name or not."""
    return PostView(post, can_read_post_text(viewer, post), in_reply_to=in_reply_to, unread=unread,
                    show_author=can_see_post_author(viewer, post),
                    reply_to_named=in_reply_to is None or can_see_post_author(viewer, in_reply_to))


def _visible_posts_query(viewer, topic):
    query = select(Post).where(Post.topic_id == topic.id)
    if not can_moderate(viewer, topic.space):
        # Pending posts are shown to their author only (and moderators).
        author_id = viewer.id if is_member(viewer) else -1
        query = query.where(or_(Post.state != POST_PENDING, Post.author_id == author_id))
    return query


def latest_posts(viewer, topic, limit):
    """The last ``limit`` posts of ``topic`` that ``viewer`` sees (text or placeholder), newest
    first (its feed: forum/feeds/)."""
    posts = db.session.scalars(_visible_posts_query(viewer, topic).order_by(Post.number.desc()).limit(limit)).all()
    return [post_view(viewer, post) for post in posts]
def visible_post_ids(viewer, topic):
    """The ids of the posts of ``topic`` that ``viewer`` sees (placeholders included), in order."""
    return db.session.scalars(_visible_posts_query(viewer, topic).with_only_columns(Post.id)
                              .order_by(Post.number)).all()


def topic_page(viewer, topic, view="arbre", page=1):
    """The posts of ``topic`` for ``viewer``: a tree (``arbre``) or chronological (``chrono``),
    with the decisions opened by its posts."""
    # At call time: forum.decisions' package imports the notifications, which import this module.
    from forum.decisions import display as decisions, rules as decision_rules
    view = view if view in VIEWS else "arbre"
    per_page = current_app.config["POSTS_PER_PAGE"]
    max_level = current_app.config["THREAD_MAX_DEPTH"]
    query = _visible_posts_query(viewer, topic)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    pagination = Pagination(clamp_page(page), per_page, total)
    order = Post.path if view == "arbre" else Post.number
    posts = db.session.scalars(query.order_by(order).limit(per_page).offset(pagination.offset)).all()

    last_read = None
    if is_member(viewer):
        last_read = db.session.scalar(select(TopicRead.last_read_number).where(
            TopicRead.member_id == viewer.id, TopicRead.topic_id == topic.id))
    parents = _parents_of(posts)
    views = [post_view(viewer, p, unread=last_read is not None and p.number > last_read and p.author_id != viewer.id)
             for p in posts]

    opening = views[0] if views and views[0].post.number == 1 else None
    replies = views[1:] if opening else views
    if view == "arbre":
        roots = _build_tree(replies, parents, max_level)
    else:
        roots = replies
        for item in replies:
            parent = parents.get(item.post.parent_id)
            if parent is not None and parent.number != 1:
                item.in_reply_to = parent
    for item in views:
        if item.in_reply_to is not None:
            item.reply_to_named = can_see_post_author(viewer, item.in_reply_to)
    listed, opened_here = decisions.on_topic_page(viewer, topic, posts)
    return {"topic": topic, "opening": opening, "replies": roots, "view": view,
            "decisions": listed, "polls": opened_here,
            "cannot_open": decision_rules.why_cannot_open(viewer, topic),
            "pagination": pagination, "last_post_id": max((p.id for p in posts), default=0),
            "highest_number": max((p.number for p in posts), default=0)}


def _parents_of(posts):
    ids = {p.parent_id for p in posts if p.parent_id}
    on_page = {p.id: p for p in posts}
    missing = ids - set(on_page)
    if missing:
        for parent in db.session.scalars(select(Post).where(Post.id.in_(missing))):
            on_page[parent.id] = parent
    return on_page


def _build_tree(items, parents, max_level):
    """Nest replies (given in path order) under the posts they answer, up to ``max_level``.

    Deeper replies are shown at the last level, flat, with "en réponse à"; a reply whose
    parent is on an earlier page starts the page as a root, with "en réponse à".
    """
    roots, stack = [], []          # stack[level] = the last node seen at that level
    for item in items:
        post = item.post
        wanted = min(post.depth - 1, max_level)
        del stack[wanted:]
        if wanted == 0:
            roots.append(item)
        elif len(stack) == wanted and (post.depth - 1 > max_level or stack[-1].post.id == post.parent_id):
            stack[-1].children.append(item)
        else:
            wanted = 0
            roots.append(item)
            stack = []
        item.level = wanted
        if post.depth - 1 > max_level or (wanted == 0 and post.depth > 1):
            item.in_reply_to = parents.get(post.parent_id)
        stack.append(item)
    return roots


def post_page(viewer, post, view="arbre"):
    """Which page of its topic shows ``post`` in ``view``."""
    query = _visible_posts_query(viewer, post.topic)
    if view == "chrono":
        query = query.where(Post.number < post.number)
    else:
        query = query.where(Post.path < post.path)
    before = db.session.scalar(select(func.count()).select_from(query.subquery()))
    return before // current_app.config["POSTS_PER_PAGE"] + 1


def revisions(post):
    return db.session.scalars(select(PostRevision).where(PostRevision.post_id == post.id)
                              .order_by(PostRevision.number)).all()


def member_posts(viewer, member, limit=20):
    """Latest posts of ``member`` that ``viewer`` may read."""
    posts = db.session.scalars(
        select(Post).join(Topic, Topic.id == Post.topic_id).options(contains_eager(Post.topic))
        .where(Post.author_id == member.id, Topic.space_id.in_(readable_space_ids(viewer)))
        .order_by(Post.created_at.desc()).limit(limit * 2)).all()
    return [p for p in posts if can_read_post_text(viewer, p)][:limit]
