"""Spaces, tags, topics, posts and their revisions; what each member has read."""
from sqlalchemy import (Boolean, Column, DateTime, ForeignKey, Index, Integer, String, Table, Text,
                        UniqueConstraint)
from sqlalchemy.orm import relationship

from forum.accounts.models import (College, Member,  # noqa: F401  (one metadata)
                                   committee_membership)
from forum.clock import now
from forum.extensions import db

KIND_COMMITTEE = "comite"
KIND_THEME = "theme"
KIND_REGIONAL = "regional"
SPACE_KINDS = (KIND_REGIONAL, KIND_COMMITTEE, KIND_THEME)

VISIBILITY_PUBLIC = "public"
VISIBILITY_MEMBERS = "members"
VISIBILITY_RESTRICTED = "restricted"
VISIBILITIES = (VISIBILITY_PUBLIC, VISIBILITY_MEMBERS, VISIBILITY_RESTRICTED)

TOPIC_OPEN = "open"
TOPIC_CLOSED = "closed"

POST_VISIBLE = "visible"
POST_DELETED = "deleted"      # by its author: a placeholder stays in the tree
POST_HIDDEN = "hidden"        # by moderation: text kept, placeholder shown
POST_PENDING = "pending"      # awaiting a moderator's approval
POST_REMOVED = "removed"      # emptied when its author's account was erased (forum/accounts/erasure.py)

# Width of one post number in a materialised tree path: "000001/000004/000009".
PATH_DIGITS = 6

space_committee_access = Table(
    "space_committee_access",
    db.metadata,
    Column("space_id", ForeignKey("space.id", ondelete="CASCADE"), primary_key=True),
    Column("committee_id", ForeignKey("space.id", ondelete="CASCADE"), primary_key=True),
)

space_college_access = Table(
    "space_college_access",
    db.metadata,
    Column("space_id", ForeignKey("space.id", ondelete="CASCADE"), primary_key=True),
    Column("college_id", ForeignKey("college.id", ondelete="CASCADE"), primary_key=True),
)

space_moderator = Table(
    "space_moderator",
    db.metadata,
    Column("space_id", ForeignKey("space.id", ondelete="CASCADE"), primary_key=True),
    Column("member_id", ForeignKey("member.id", ondelete="CASCADE"), primary_key=True),
)

topic_tag = Table(
    "topic_tag",
    db.metadata,
    Column("topic_id", ForeignKey("topic.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Space(db.Model):
    """Where topics live: a comité (one per territory), a theme, or the regional space."""

    id = Column(Integer, primary_key=True)
    slug = Column(String(60), nullable=False, unique=True)
    name = Column(String(120), nullable=False)
    kind = Column(String(20), nullable=False)
    department = Column(String(3), nullable=True)
    description = Column(Text, nullable=False, default="")
    visibility = Column(String(20), nullable=False, default=VISIBILITY_PUBLIC)
    # Off: coordinators and administrators do not read (nor moderate) this collège-restricted
    # space unless they belong to the collège (forum.permissions.keeps_staff_out).
    staff_reads = Column(Boolean, nullable=False, default=True)
    position = Column(Integer, nullable=False, default=0)
    created_at = Column(DateTime, nullable=False, default=now)
    topic_count = Column(Integer, nullable=False, default=0)
    post_count = Column(Integer, nullable=False, default=0)
    last_post_at = Column(DateTime, nullable=True)
    # Archived: read-only, out of the lists, still readable by whoever could read it.
    archived_at = Column(DateTime, nullable=True)
    # Who may open a decision in a topic: "writers" (whoever may reply) or "moderators"
    # (its moderators and the coordination) (forum/decisions/rules.py).
    decisions_opened_by = Column(String(20), nullable=False, default="writers", server_default="writers")

    allowed_committees = relationship(
        "Space", secondary=space_committee_access,
        primaryjoin=id == space_committee_access.c.space_id,
        secondaryjoin=id == space_committee_access.c.committee_id,
        order_by="Space.position")
    allowed_colleges = relationship(College, secondary=space_college_access, order_by=College.position)
    moderators = relationship(Member, secondary=space_moderator, order_by=Member.pseudonym_key)

    def __repr__(self):
        return f"<Space {self.slug}>"

    @property
    def is_archived(self):
        return self.archived_at is not None


class Tag(db.Model):
    id = Column(Integer, primary_key=True)
    slug = Column(String(60), nullable=False, unique=True)
    name = Column(String(80), nullable=False)
    description = Column(Text, nullable=False, default="")
    topic_count = Column(Integer, nullable=False, default=0)

    def __repr__(self):
        return f"<Tag {self.slug}>"


class Topic(db.Model):
    id = Column(Integer, primary_key=True)
    space_id = Column(ForeignKey("space.id"), nullable=False)
    author_id = Column(ForeignKey("member.id"), nullable=False)
    title = Column(String(300), nullable=False)
    slug = Column(String(120), nullable=False, default="")
    status = Column(String(20), nullable=False, default=TOPIC_OPEN)
    pinned = Column(Boolean, nullable=False, default=False)
    # An announcement of the coordination: pinned, notified to every reader of its space, in the digest.
    announced_at = Column(DateTime, nullable=True)
    # Until when it is on the home page of its audience (forum/announcements/): naive UTC.
    announced_until = Column(DateTime, nullable=True)
    created_at = Column(DateTime, nullable=False, default=now)
    last_post_at = Column(DateTime, nullable=False, default=now)
    last_post_author_id = Column(ForeignKey("member.id"), nullable=True)
    # Highest post number given in this topic (numbers are never reused).
    last_number = Column(Integer, nullable=False, default=0)
    # Number of the latest published post: what "unread" compares with.
    last_post_number = Column(Integer, nullable=False, default=1)
    # Visible replies (the opening post excluded).
    reply_count = Column(Integer, nullable=False, default=0)

    space = relationship(Space)
    author = relationship(Member, foreign_keys=[author_id], lazy="joined", innerjoin=True)
    last_post_author = relationship(Member, foreign_keys=[last_post_author_id], lazy="joined")
    tags = relationship(Tag, secondary=topic_tag, lazy="selectin", order_by=Tag.name)

    __table_args__ = (
        Index("ix_topic_space_last_post", "space_id", "last_post_at"),
        Index("ix_topic_last_post", "last_post_at"),
    )

    def __repr__(self):
        return f"<Topic {self.id} {self.title!r}>"

    @property
    def is_open(self):
        return self.status == TOPIC_OPEN

    @property
    def is_announcement(self):
        return self.announced_at is not None


class Post(db.Model):
    id = Column(Integer, primary_key=True)
    topic_id = Column(ForeignKey("topic.id", ondelete="CASCADE"), nullable=False)
    # Position in the topic, from 1 (the opening post); stable, shown as "#n".
    number = Column(Integer, nullable=False)
    parent_id = Column(ForeignKey("post.id"), nullable=True)
    depth = Column(Integer, nullable=False, default=0)
    # Materialised tree path of post numbers; ordering by it gives the threaded reading order.
    path = Column(String(2000), nullable=False)
    author_id = Column(ForeignKey("member.id"), nullable=False)
    source = Column(Text, nullable=False)
    html = Column(Text, nullable=False)
    state = Column(String(20), nullable=False, default=POST_VISIBLE)
    created_at = Column(DateTime, nullable=False, default=now)
    edited_at = Column(DateTime, nullable=True)
    revision_count = Column(Integer, nullable=False, default=1)
    state_changed_at = Column(DateTime, nullable=True)

    topic = relationship(Topic)
    author = relationship(Member, lazy="joined", innerjoin=True)
    parent = relationship("Post", remote_side=[id], lazy="select")

    __table_args__ = (
        UniqueConstraint("topic_id", "number", name="uq_post_topic_number"),
        Index("ix_post_topic_path", "topic_id", "path"),
        Index("ix_post_author_created", "author_id", "created_at"),
        Index("ix_post_created", "created_at"),
        # Participation (forum/participation/counting.py) reads a year of posts per topic from
        # this index alone, never the rows and their texts: 2-3 times faster at 50,000 posts.
        Index("ix_post_topic_created", "topic_id", "created_at", "state", "author_id", "parent_id", "number"),
    )

    def __repr__(self):
        return f"<Post {self.id} #{self.number} of topic {self.topic_id}>"

    @property
    def is_opening(self):
        return self.number == 1

    @property
    def is_visible(self):
        return self.state == POST_VISIBLE


class PostRevision(db.Model):
    """One version of a post's text; revision 1 is the original."""

    __page_cache__ = "private"   # public pages never show it (forum/web/page_cache.py)

    id = Column(Integer, primary_key=True)
    post_id = Column(ForeignKey("post.id", ondelete="CASCADE"), nullable=False)
    number = Column(Integer, nullable=False)
    source = Column(Text, nullable=False)
    # The topic title at that revision, for the opening post only.
    title = Column(String(300), nullable=True)
    editor_id = Column(ForeignKey("member.id"), nullable=False)
    created_at = Column(DateTime, nullable=False, default=now)
    # Shown with the revision: why it was edited (a moderator's edit always says why).
    note = Column(Text, nullable=False, default="")
    # Set when the text was withdrawn (personal data): ``source`` is then empty; the original is
    # kept apart, for the coordination only, until purged (moderation/redaction.py).
    redacted_at = Column(DateTime, nullable=True)
    redaction_reason = Column(String(20), nullable=True)

    editor = relationship(Member, lazy="joined")

    __table_args__ = (UniqueConstraint("post_id", "number", name="uq_post_revision_post_number"),)


class TopicRead(db.Model):
    """How far a member has read a topic (by post number)."""

    __page_cache__ = "private"   # public pages never show it (forum/web/page_cache.py)

    member_id = Column(ForeignKey("member.id", ondelete="CASCADE"), primary_key=True)
    topic_id = Column(ForeignKey("topic.id", ondelete="CASCADE"), primary_key=True, index=True)
    last_read_number = Column(Integer, nullable=False, default=0)
    updated_at = Column(DateTime, nullable=False, default=now)


def path_segment(number):
    return str(number).zfill(PATH_DIGITS)
