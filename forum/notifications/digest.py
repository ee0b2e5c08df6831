"""The weekly digest « Les nouvelles de vos comités »: what to put in it, for whom.

``compose(member, since, until)`` is pure (it only reads): the coordination's announcements,
new topics per space, the most active topics, replies that drew the most answers, what concerned the member (mentions,
replies, quotes) and a règlement version to accept, always limited to what the member may
read and has not silenced. Period-wide lists are read once per period by a
``DigestSource`` and filtered per member in memory, so that thousands of digests of the same
week cost a few queries each. Sending (idempotent, resumable) lives in ``weekly.py``.
"""
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import aliased, selectinload

from forum import dates, registry
from forum.accounts.models import Member
from forum.announcements import audience
from forum.charter import versions as charter
from forum.charter.models import CharterAcceptance
from forum.extensions import db
from forum.permissions import can_read_space
from forum.topics.models import POST_VISIBLE, Post, Space, Topic

from . import inbox, watching
from .mail import absolute_url, gettext_for
from .models import KIND_MENTION, KIND_QUOTE, KIND_REPLY, Notification

NEW_TOPICS_PER_SPACE = 5
ACTIVE_TOPICS = 5
POPULAR_REPLIES = 3
PERSONAL_ITEMS = 10
EXCERPT_CHARS = 220
POPULAR_MIN_ANSWERS = 2


# --- what a digest holds (plain data: templates and tests read it, nothing queries) --------

@dataclass(frozen=True)
class TopicEntry:
    id: int
    space_id: int
    tag_ids: tuple
    title: str
    url: str
    author: str
    author_id: int
    excerpt: str
    new_posts: int = 0


@dataclass(frozen=True)
class ReplyEntry:
    id: int
    topic_id: int
    space_id: int
    tag_ids: tuple
    topic_title: str
    url: str
    author: str
    excerpt: str
    answers: int


@dataclass
class SpaceSection:
    name: str
    url: str
    topics: list
    more: int = 0


@dataclass(frozen=True)
class PersonalEntry:
    kind: str
    text: str
    url: str
    excerpt: str
    post_id: int | None = None      # its reply-by-email address is the member's own (weekly.render)


@dataclass(frozen=True)
class PartEntry:
    text: str
    url: str
    detail: str = ""


@dataclass
class DigestPart:
    """A part another area adds to a member's digest (``register_part``): personal to the
    member, so rendered with the rest of their own digest, never with the shared news."""
    title: str
    entries: list


def register_part(app, build):
    """``build(member, source, readable_space_ids, gettext) -> DigestPart | None`` adds a part
    to each digest. It keeps only what lies in ``readable_space_ids`` (the spaces the member,
    and the previewer when there is one, may read) and applies its own rules beyond them (who
    may vote, say); ``source.shared(name, make)`` keeps what the whole period shares, read once
    per run."""
    parts = registry.of(app).digest_parts
    if build not in parts:
        parts.append(build)


@dataclass
class Digest:
    period_start: object
    period_end: object
    announcements: list = field(default_factory=list)
    spaces: list = field(default_factory=list)
    active: list = field(default_factory=list)
    popular: list = field(default_factory=list)
    personal: list = field(default_factory=list)
    charter: dict | None = None
    parts: list = field(default_factory=list)
    _labels: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def news_key(self):
        """What the shared part (new topics, active topics, remarked replies) is made of."""
        return (tuple(t.id for t in self.announcements),
                tuple((s.name, tuple(t.id for t in s.topics), s.more) for s in self.spaces),
                tuple((t.id, t.new_posts) for t in self.active), tuple(r.id for r in self.popular),
                self.period_start, self.period_end)

    @property
    def is_empty(self):
        """Nothing new: such a digest is never sent."""
        return not (self.announcements or self.spaces or self.active or self.popular or self.personal
                    or self.charter or self.parts)

    @property
    def new_topic_count(self):
        return sum(len(section.topics) + section.more for section in self.spaces)

    def period_label(self, locale="fr"):
        """« du 23 novembre au 30 novembre 2026 » (local dates)."""
        key = ("label", locale)
        if key not in self._labels:
            first, last = dates.format_period(self.period_start, self.period_end, locale)
            _ = gettext_for(locale)
            self._labels[key] = _("du %(start)s au %(end)s", start=first, end=last)
        return self._labels[key]

    @property
    def subject(self):
        return self.subject_in("fr")

    def subject_in(self, locale):
        _ = gettext_for(locale)
        return _("Les nouvelles de vos comités, %(period)s", period=self.period_label(locale))


# --- period-wide lists, read once ------------------------------------------------------------

class DigestSource:
    """Everything that happened in [start, end) that any digest may show, before filtering."""

    def __init__(self, start, end, spaces=None):
        self.start, self.end = start, end
        self._spaces = spaces
        self._cache = {}
        self._excerpts = {}
        self._members = {}

    def excerpt(self, post_id, html):
        """A post's excerpt, made once per source (the HTML parser is the costly part)."""
        if post_id not in self._excerpts:
            if len(self._excerpts) > 5000:
                self._excerpts.clear()
            self._excerpts[post_id] = inbox.excerpt(html, EXCERPT_CHARS)
        return self._excerpts[post_id]

    def space_url(self, space):
        urls = self._memo("space_urls", dict)
        if space.id not in urls:
            urls[space.id] = absolute_url("topics.space", slug=space.slug)
        return urls[space.id]

    def prefetch(self, member_ids):
        """Read what is personal to each of ``member_ids`` in three queries instead of 3 × n."""
        member_ids = list(member_ids)
        self._members = {member_id: {"personal": []} for member_id in member_ids}
        for member_id, mutes in watching.mutes_of(member_ids).items():
            self._members[member_id]["mutes"] = mutes
        for row in db.session.execute(_personal_query(member_ids, self.start, self.end)):
            self._members[row.member_id]["personal"].append(row)
        version = self.charter_version
        accepted = set()
        if version is not None:
            accepted = set(db.session.scalars(select(CharterAcceptance.member_id).where(
                CharterAcceptance.version_id == version[0], CharterAcceptance.member_id.in_(member_ids))))
        for member_id in member_ids:
            self._members[member_id]["accepted"] = member_id in accepted

    def personal_data(self, member_id):
        """(mutes, personal rows, accepted the current règlement) of one member."""
        data = self._members.get(member_id)
        if data is None:
            version = self.charter_version
            return (watching.mutes(member_id),
                    db.session.execute(_personal_query([member_id], self.start, self.end)).all(),
                    version is None or db.session.get(CharterAcceptance, (member_id, version[0])) is not None)
        return data["mutes"], data["personal"], data["accepted"]

    def _memo(self, name, build):
        if name not in self._cache:
            self._cache[name] = build()
        return self._cache[name]

    def shared(self, name, build):
        """What a registered part reads once for the whole period (``register_part``)."""
        return self._memo(("part", name), build)

    @property
    def spaces(self):
        if self._spaces is None:
            # Access lists loaded explicitly (self-referential lists are not loaded by default):
            # the spaces stay usable once detached.
            self._spaces = db.session.scalars(
                select(Space).options(selectinload(Space.allowed_committees), selectinload(Space.allowed_colleges),
                                      selectinload(Space.moderators))
                .order_by(Space.position, Space.name)).all()
        return self._spaces

    @property
    def charter_version(self):
        """(id, title, number) of the current règlement, or None: plain values, never expired."""
        def build():
            version = charter.current_version()
            return (version.id, version.title, version.number) if version is not None else None
        return self._memo("charter", build)

    def _tags(self, topic_ids):
        return {topic_id: tuple(ids) for topic_id, ids in watching.topic_tag_ids(topic_ids).items()}

    def _openings(self, moment, with_tags):
        """Topics whose ``moment`` (a column of Topic) falls in the period and whose opening
        post is visible, oldest first."""
        rows = db.session.execute(
            select(Topic.id, Topic.space_id, Topic.title, Topic.slug, Topic.author_id, Member.pseudonym, Post.html)
            .join(Post, (Post.topic_id == Topic.id) & (Post.number == 1))
            .join(Member, Member.id == Topic.author_id)
            .where(moment >= self.start, moment < self.end, Post.state == POST_VISIBLE)
            .order_by(moment, Topic.id)).all()
        tags = self._tags([row.id for row in rows]) if with_tags else {}
        return [TopicEntry(row.id, row.space_id, tags.get(row.id, ()), row.title,
                           absolute_url("topics.topic", topic_id=row.id, slug=row.slug), row.pseudonym,
                           row.author_id, inbox.excerpt(row.html, EXCERPT_CHARS)) for row in rows]

    @property
    def new_topics(self):
        """Topics opened in the period whose opening post is visible, oldest first."""
        return self._memo("new_topics", lambda: self._openings(Topic.created_at, with_tags=True))

    @property
    def announcements(self):
        """Topics the coordination announced in the period (their opening post visible), oldest first."""
        return self._memo("announcements", lambda: self._openings(Topic.announced_at, with_tags=False))

    @property
    def announcement_audiences(self):
        """{topic id: comités} of the period's announcements addressed to chosen comités."""
        return self._memo("audiences", lambda: audience.committees_of([e.id for e in self.announcements]))

    @property
    def active_topics(self):
        """Topics by number of replies published in the period, busiest first."""
        def build():
            counts = (select(Post.topic_id, func.count(Post.id).label("n"))
                      .where(Post.created_at >= self.start, Post.created_at < self.end,
                             Post.state == POST_VISIBLE, Post.number > 1)
                      .group_by(Post.topic_id).subquery())
            rows = db.session.execute(
                select(Topic.id, Topic.space_id, Topic.title, Topic.slug, Topic.author_id, Member.pseudonym,
                       counts.c.n)
                .join(counts, counts.c.topic_id == Topic.id).join(Member, Member.id == Topic.author_id)
                .order_by(counts.c.n.desc(), Topic.id)).all()
            tags = self._tags([row.id for row in rows])
            return [TopicEntry(row.id, row.space_id, tags.get(row.id, ()), row.title,
                               absolute_url("topics.topic", topic_id=row.id, slug=row.slug), row.pseudonym,
                               row.author_id, "", new_posts=row.n) for row in rows]
        return self._memo("active_topics", build)

    @property
    def popular_replies(self):
        """Replies that drew the most answers in the period (visible answers to a visible reply)."""
        def build():
            child = aliased(Post)
            answers = (select(child.parent_id, func.count(child.id).label("n"))
                       .where(child.created_at >= self.start, child.created_at < self.end,
                              child.state == POST_VISIBLE, child.parent_id.is_not(None))
                       .group_by(child.parent_id).having(func.count(child.id) >= POPULAR_MIN_ANSWERS)
                       .subquery())
            rows = db.session.execute(
                select(Post.id, Post.topic_id, Post.html, Topic.space_id, Topic.title, Member.pseudonym,
                       answers.c.n)
                .join(answers, answers.c.parent_id == Post.id).join(Topic, Topic.id == Post.topic_id)
                .join(Member, Member.id == Post.author_id)
                .where(Post.state == POST_VISIBLE, Post.number > 1)
                .order_by(answers.c.n.desc(), Post.id).limit(500)).all()
            tags = self._tags({row.topic_id for row in rows})
            return [ReplyEntry(row.id, row.topic_id, row.space_id, tags.get(row.topic_id, ()), row.title,
                               absolute_url("topics.post", post_id=row.id), row.pseudonym,
                               inbox.excerpt(row.html, EXCERPT_CHARS), row.n) for row in rows]
        return self._memo("popular", build)


# --- one member -----------------------------------------------------------------------------

def _personal_query(member_ids, start, end):
    return (select(Notification.member_id, Notification.kind, Member.pseudonym, Topic.title, Topic.space_id,
                   Post.id, Post.html)
            .join(Post, Post.id == Notification.post_id).join(Topic, Topic.id == Post.topic_id)
            .outerjoin(Member, Member.id == Notification.actor_id)
            .where(Notification.member_id.in_(member_ids),
                   Notification.kind.in_((KIND_MENTION, KIND_REPLY, KIND_QUOTE)),
                   Notification.created_at >= start, Notification.created_at < end, Post.state == POST_VISIBLE)
            .order_by(Notification.member_id, Notification.id))


def _personal(rows, source, readable, gettext=None):
    """Mentions, replies and quotes of the period, about visible posts the member may read.

    A visible post is readable exactly when its space is (``permissions.can_read_post_text``).
    """
    entries = []
    for _member_id, kind, actor, title, space_id, post_id, html in rows:
        if space_id in readable:
            entries.append(PersonalEntry(kind, inbox.sentence(kind, actor, title, gettext=gettext),
                                         absolute_url("topics.post", post_id=post_id), source.excerpt(post_id, html), post_id))
            if len(entries) == PERSONAL_ITEMS:
                break
    return entries


def compose(member, since, until, source=None, previewer=None):
    """The digest of ``member`` for [since, until): pure, it reads and never writes. A
    ``previewer`` (the coordination) sees of it only what they may read themselves (a space
    that keeps staff out stays out of the preview)."""
    source = source if source is not None and (source.start, source.end) == (since, until) \
        else DigestSource(since, until)
    spaces = [space for space in source.spaces if can_read_space(member, space)
              and (previewer is None or can_read_space(previewer, space))]
    readable = {space.id for space in spaces}
    mutes, personal, accepted = source.personal_data(member.id)

    def shown(entry, topic_id):
        return entry.space_id in readable and not mutes.hides(topic_id, entry.space_id, entry.tag_ids)

    digest = Digest(since, until)
    # An announcement is for every reader of its space in its audience: mutes do not hide it.
    digest.announcements = [entry for entry in source.announcements if entry.space_id in readable
                            and audience.reaches(member, source.announcement_audiences.get(entry.id))]
    announced = {entry.id for entry in digest.announcements}
    by_space = {}
    for entry in source.new_topics:
        if entry.author_id != member.id and entry.id not in announced and shown(entry, entry.id):
            by_space.setdefault(entry.space_id, []).append(entry)
    for space in spaces:
        entries = by_space.get(space.id)
        if entries:
            digest.spaces.append(SpaceSection(space.name, source.space_url(space),
                                              entries[:NEW_TOPICS_PER_SPACE],
                                              max(0, len(entries) - NEW_TOPICS_PER_SPACE)))
    for entry in source.active_topics:
        if len(digest.active) == ACTIVE_TOPICS:
            break
        if shown(entry, entry.id):
            digest.active.append(entry)
    for entry in source.popular_replies:
        if len(digest.popular) == POPULAR_REPLIES:
            break
        if shown(entry, entry.topic_id):
            digest.popular.append(entry)
    gettext = gettext_for(member.locale)
    digest.personal = _personal(personal, source, readable, gettext)
    for build in list(registry.of().digest_parts):
        part = build(member, source, readable, gettext)
        if part is not None and part.entries:
            digest.parts.append(part)
    version = source.charter_version
    if version is not None and not accepted:
        digest.charter = {"title": version[1], "number": version[2], "url": absolute_url("charter.charter_page")}
    return digest


def default_since(until):
    return until - timedelta(days=7)
