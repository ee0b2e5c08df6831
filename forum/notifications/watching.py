"""Watch levels: what a member wants to hear about a space, a tag or a topic.

A topic's level is, in this order: the member's choice for the topic; « Silencieux » if the
member muted its space or one of its tags; otherwise the highest of the space's level (chosen,
or « Réponses à mes messages » for the member's own comités and « Mentions seulement » elsewhere), the levels chosen for its
tags, and « Réponses à mes messages » when the member wrote in the topic.
"""
from dataclasses import dataclass

from flask_babel import gettext as _, lazy_gettext
from sqlalchemy import or_, select

from forum.accounts.models import committee_membership
from forum.clock import now
from forum.errors import Invalid
from forum.extensions import db
from forum.topics.models import Post, topic_tag

from .models import LEVELS, MUTED, NORMAL, TRACKING, WATCHING, Watch

# Each level is named by what it brings ("Surveiller" and "Suivre" read as synonyms).
LABELS = {WATCHING: lazy_gettext("Tous les messages"), TRACKING: lazy_gettext("Réponses à mes messages"),
          NORMAL: lazy_gettext("Mentions seulement"), MUTED: lazy_gettext("Silencieux")}
HINTS = {
    WATCHING: "chaque nouveau message vous est signalé",
    TRACKING: "les réponses à vos messages et les mentions de votre pseudonyme vous sont signalées",
    NORMAL: "seules les mentions de votre pseudonyme et les citations de vos messages vous sont signalées",
    MUTED: "rien ne vous est signalé, et le résumé hebdomadaire l'ignore",
}
SPACE_HINTS = dict(HINTS)
SPACE_HINTS[WATCHING] = "chaque nouveau sujet et chaque nouveau message vous sont signalés"


@dataclass(frozen=True)
class Choice:
    """What a watch form shows: the level in force, and whether the member chose it."""
    level: int
    chosen: bool
    default: int

    @property
    def label(self):
        return LABELS[self.level]


def parse_level(value):
    try:
        level = int(value)
    except (TypeError, ValueError):
        level = None
    if level not in LEVELS:
        raise Invalid({"level": _("Choisissez un niveau de suivi dans la liste.")})
    return level


def resolve(topic_level, space_level, tag_levels, in_committee, posted):
    """The level in force for one topic, from the member's rows (None where there is none)."""
    if topic_level is not None:
        return topic_level
    if space_level == MUTED or MUTED in tag_levels:
        return MUTED
    level = space_level if space_level is not None else (TRACKING if in_committee else NORMAL)
    level = max([level, *tag_levels])
    return max(level, TRACKING) if posted else level


def topic_levels(topic, member_ids, posted_ids=(), with_topic_rows=True):
    """{member id: level in force for ``topic``} for many members, in three queries.

    ``posted_ids``: members known to have written in the topic (saves nothing but a lookup);
    ``with_topic_rows=False`` gives the level the topic would have without a choice of its own.
    """
    member_ids = set(member_ids)
    if not member_ids:
        return {}
    tag_ids = [tag.id for tag in topic.tags]
    targets = [Watch.space_id == topic.space_id]
    if with_topic_rows:
        targets.append(Watch.topic_id == topic.id)
    if tag_ids:
        targets.append(Watch.tag_id.in_(tag_ids))
    rows = db.session.execute(
        select(Watch.member_id, Watch.space_id, Watch.tag_id, Watch.topic_id, Watch.level)
        .where(Watch.member_id.in_(member_ids), or_(*targets))).all()
    in_committee = set(db.session.scalars(
        select(committee_membership.c.member_id).where(committee_membership.c.member_id.in_(member_ids),
                                                       committee_membership.c.space_id == topic.space_id)))
    posted = set(posted_ids)
    unknown = member_ids - posted
    if unknown:
        posted |= set(db.session.scalars(select(Post.author_id).where(
            Post.topic_id == topic.id, Post.author_id.in_(unknown)).distinct()))
    chosen = {member_id: [None, None, []] for member_id in member_ids}
    for member_id, space_id, tag_id, topic_id, level in rows:
        if topic_id is not None:
            chosen[member_id][0] = level
        elif space_id is not None:
            chosen[member_id][1] = level
        else:
            chosen[member_id][2].append(level)
    return {member_id: resolve(t, s, tags, member_id in in_committee, member_id in posted)
            for member_id, (t, s, tags) in chosen.items()}


def watchers(topic, new_topic):
    """Members who chose « Tous les messages » for the topic (or, for a new topic, its space or tags)."""
    tag_ids = [tag.id for tag in topic.tags]
    targets = [Watch.space_id == topic.space_id]
    if tag_ids:
        targets.append(Watch.tag_id.in_(tag_ids))
    if not new_topic:
        targets.append(Watch.topic_id == topic.id)
    return set(db.session.scalars(select(Watch.member_id).where(Watch.level == WATCHING, or_(*targets))))


# --- one member, one target ---------------------------------------------------------------

def _row(member, **target):
    return db.session.scalar(select(Watch).where(Watch.member_id == member.id,
                                                 *[getattr(Watch, k) == v for k, v in target.items()]))


def space_choice(member, space):
    default = TRACKING if space.id in member.committee_ids else NORMAL
    row = _row(member, space_id=space.id)
    return Choice(row.level if row else default, row is not None, default)


def tag_choice(member, tag):
    row = _row(member, tag_id=tag.id)
    return Choice(row.level if row else NORMAL, row is not None, NORMAL)


def topic_choice(member, topic):
    row = _row(member, topic_id=topic.id)
    default = topic_levels(topic, [member.id], with_topic_rows=False)[member.id]
    return Choice(row.level if row else default, row is not None, default)


def set_level(member, level, space=None, tag=None, topic=None):
    """Record ``member``'s choice for exactly one target; the caller commits."""
    level = parse_level(level)
    target = {"space_id": space.id} if space is not None else \
        {"tag_id": tag.id} if tag is not None else {"topic_id": topic.id}
    row = _row(member, **target)
    if row is None:
        db.session.add(Watch(member_id=member.id, level=level, updated_at=now(), **target))
    else:
        row.level, row.updated_at = level, now()
    return level


@dataclass
class Mutes:
    """What one member silenced, to filter lists (the digest) in memory."""
    space_ids: set
    tag_ids: set
    topic_levels: dict

    def hides(self, topic_id, space_id, tag_ids):
        level = self.topic_levels.get(topic_id)
        if level is not None:
            return level == MUTED
        return space_id in self.space_ids or any(tag_id in self.tag_ids for tag_id in tag_ids)


def mutes(member_id):
    """The member's silenced spaces and tags, and every topic level they chose (one query)."""
    return mutes_of([member_id])[member_id]


def mutes_of(member_ids):
    """{member id: Mutes} for many members in one query."""
    found = {member_id: Mutes(set(), set(), {}) for member_id in member_ids}
    if found:
        for member_id, space_id, tag_id, topic_id, level in db.session.execute(
                select(Watch.member_id, Watch.space_id, Watch.tag_id, Watch.topic_id, Watch.level)
                .where(Watch.member_id.in_(list(found)))):
            result = found[member_id]
            if topic_id is not None:
                result.topic_levels[topic_id] = level
            elif level == MUTED:
                (result.space_ids if space_id is not None else result.tag_ids).add(space_id or tag_id)
    return found


def topic_tag_ids(topic_ids):
    """{topic id: [tag ids]} in one query."""
    found = {}
    if topic_ids:
        for topic_id, tag_id in db.session.execute(
                select(topic_tag.c.topic_id, topic_tag.c.tag_id).where(topic_tag.c.topic_id.in_(topic_ids))):
            found.setdefault(topic_id, []).append(tag_id)
    return found

