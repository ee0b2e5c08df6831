"""Decisions on a topic: lock and unlock, move, split a reply off (and merge it back), slow mode,
pin and unpin, announce (the coordination: pinned, and told to the readers of the space in its
audience, every member or chosen comités, on their home page until its end: forum/announcements/)."""
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from forum import events
from forum.announcements import audience
from forum.errors import Conflict, Forbidden, Invalid
from forum.extensions import db
from forum.numbers import parse_int
from forum.clock import now
from forum.permissions import can_moderate, is_coordinator
from forum.text.slugs import slugify
from forum.topics.models import (POST_VISIBLE, TOPIC_CLOSED, TOPIC_OPEN, Post, Space, Tag, Topic,
                                 path_segment)
from forum.topics.posting import clean_title

from . import deciding
from .deciding import cite, clean_justification, record, reversal
from .models import TopicSlowMode

SLOW_MODE_RANGE = (1, 24 * 60)


def _begin(moderator, topic, *others):
    """Check, lock the topic (and ``others`` spaces' rights), re-read, check again."""
    for attempt in (1, 2):
        for space in (topic.space, *others):
            if not can_moderate(moderator, space):
                raise Forbidden(_("Vous ne modérez pas l'espace « %(space)s ».", space=space.name))
        if attempt == 1:
            deciding.lock(Topic, topic.id)
            deciding.fresh(topic)
    return topic.space


def _state(topic):
    slow = db.session.get(TopicSlowMode, topic.id)
    return {"status": topic.status, "space_id": topic.space_id, "slow_mode": slow.minutes if slow else None,
            "pinned": topic.pinned, "announcement": topic.is_announcement}


def recount(topic):
    """Rebuild a topic's counters from its posts (after posts left or joined it)."""
    visible = (Post.topic_id == topic.id, Post.state == POST_VISIBLE)
    replies = db.session.scalar(select(func.count(Post.id)).where(*visible, Post.number > 1))
    latest = db.session.execute(select(Post.number, Post.created_at, Post.author_id).where(*visible)
                                .order_by(Post.created_at.desc(), Post.number.desc()).limit(1)).first()
    topic.reply_count = replies
    topic.last_post_number = db.session.scalar(select(func.max(Post.number)).where(*visible)) or 1
    topic.last_post_at = latest.created_at if latest else topic.created_at
    topic.last_post_author_id = latest.author_id if latest else topic.author_id


def _recount_space(space_id):
    space = db.session.get(Space, space_id)
    space.topic_count = db.session.scalar(select(func.count(Topic.id)).where(Topic.space_id == space_id))
    space.post_count = db.session.scalar(select(func.count(Post.id)).join(Topic, Topic.id == Post.topic_id)
                                         .where(Topic.space_id == space_id, Post.state == POST_VISIBLE))
    space.last_post_at = db.session.scalar(select(func.max(Topic.last_post_at)).where(Topic.space_id == space_id))


def _set_status(moderator, topic, status, action, articles, justification, reverses=None):
    space = _begin(moderator, topic)
    if topic.status == status:
        raise Conflict({None: _("Ce sujet est déjà fermé.") if status == TOPIC_CLOSED
                        else _("Ce sujet est déjà ouvert.")})
    before = _state(topic)
    topic.status = status
    target = reverses or (deciding.in_force(deciding.Decision.topic_id == topic.id, ("lock",))
                          if action == "unlock" else None)
    decision = record(moderator, action, member=topic.author, space=space, topic=topic, articles=articles,
                      justification=justification, before=before, after=_state(topic), reverses=target)
    events.publish(events.TopicChanged(topic_id=topic.id, space_id=topic.space_id))
    db.session.commit()
    return decision


def lock_topic(moderator, topic, articles, justification, reverses=None):
    return _set_status(moderator, topic, TOPIC_CLOSED, "lock", cite(articles), clean_justification(justification),
                       reverses)


def unlock_topic(moderator, topic, justification="", articles=(), reverses=None):
    return _set_status(moderator, topic, TOPIC_OPEN, "unlock", cite(articles, required=False),
                       clean_justification(justification, required=False) or "Sujet rouvert.", reverses)


def move_topic(moderator, topic, destination, articles, justification, reverses=None):
    articles = cite(articles)
    justification = clean_justification(justification)
    if destination is None:
        raise Invalid({"space": _("Choisissez l'espace où déplacer le sujet.")})
    origin = _begin(moderator, topic, destination)
    if destination.id == topic.space_id:
        raise Invalid({"space": _("Le sujet est déjà dans cet espace.")})
    before = _state(topic)
    topic.space_id, topic.space = destination.id, destination
    db.session.flush()
    for space_id in (origin.id, destination.id):
        _recount_space(space_id)
    decision = record(moderator, "move", member=topic.author, space=origin, topic=topic, articles=articles,
                      justification=justification, reverses=reverses,
                      details={"from_space_id": origin.id, "from_space": origin.name,
                               "to_space_id": destination.id, "to_space": destination.name},
                      before=before, after=_state(topic))
    events.publish(events.TopicChanged(topic_id=topic.id, space_id=destination.id, old_space_id=origin.id))
    db.session.commit()
    return decision


def split(moderator, post, title, articles, justification):
    """Make ``post`` and the replies under it a new topic of the same space (ids kept, renumbered)."""
    articles = cite(articles)
    justification = clean_justification(justification)
    title = clean_title(title)
    topic = post.topic
    if post.is_opening:
        raise Invalid({None: _("Le message d'ouverture ne se détache pas : déplacez plutôt le sujet.")})
    space = _begin(moderator, topic)
    deciding.fresh(post)
    if post.topic_id != topic.id:
        raise Conflict({None: _("Ce message vient d'être détaché par un autre modérateur.")})
    subtree = db.session.scalars(select(Post).where(
        Post.topic_id == topic.id, (Post.path == post.path) | Post.path.like(post.path + "/%"))
        .order_by(Post.path)).all()
    numbers = {p.id: n for n, p in enumerate(sorted(subtree, key=lambda p: p.number), start=1)}
    originals = [[p.id, p.number, p.path, p.depth, p.parent_id] for p in subtree]
    new_topic = Topic(space_id=space.id, space=space, author_id=post.author_id, title=title,
                      slug=slugify(title) or "sujet", created_at=post.created_at, last_post_at=post.created_at,
                      last_post_author_id=post.author_id, last_number=len(subtree), tags=list(topic.tags))
    db.session.add(new_topic)
    db.session.flush()
    placed = {}
    for item in subtree:                       # path order: a parent is placed before its replies
        number = numbers[item.id]
        parent = placed.get(item.parent_id) if item.id != post.id else None
        item.topic_id, item.topic, item.number = new_topic.id, new_topic, number
        item.parent_id = parent[0] if parent else None
        item.depth = parent[2] + 1 if parent else 0
        item.path = (parent[1] + "/" if parent else "") + path_segment(number)
        placed[item.id] = (item.id, item.path, item.depth)
    db.session.flush()
    recount(topic)
    recount(new_topic)
    _recount_space(space.id)
    if topic.tags:
        db.session.execute(update(Tag).where(Tag.id.in_([t.id for t in topic.tags]))
                           .values(topic_count=Tag.topic_count + 1))
    decision = record(moderator, "split", member=post.author, space=space, topic=new_topic, post=post,
                      articles=articles, justification=justification,
                      details={"old_topic_id": topic.id, "old_topic_title": topic.title, "posts": originals},
                      before={"topic_id": topic.id, "posts": originals},
                      after={"topic_id": new_topic.id, "posts": [[p.id, p.number, p.path, p.depth, p.parent_id]
                                                                  for p in subtree]})
    events.publish(events.PostsMoved(post_ids=tuple(p.id for p in subtree), topic_id=new_topic.id,
                                     old_topic_id=topic.id, space_id=space.id, old_space_id=space.id))
    db.session.commit()
    return decision


def set_slow_mode(moderator, topic, minutes, articles, justification, reverses=None):
    articles = cite(articles)
    justification = clean_justification(justification)
    low, high = SLOW_MODE_RANGE
    minutes = parse_int(minutes, low, high)
    if minutes is None:
        raise Invalid({"minutes": _("Un intervalle de %(low)s à %(high)s minutes.", low=low, high=high)})
    space = _begin(moderator, topic)
    slow = db.session.get(TopicSlowMode, topic.id)
    if slow is not None and slow.minutes == minutes:
        raise Conflict({None: _("Ce sujet est déjà en mode lent (%(minutes)s minutes).", minutes=minutes)})
    before = _state(topic)
    if slow is None:
        slow = TopicSlowMode(topic_id=topic.id, minutes=minutes)
        db.session.add(slow)
    slow.minutes = minutes
    decision = record(moderator, "slow_mode", member=topic.author, space=space, topic=topic, articles=articles,
                      justification=justification, minutes=minutes, reverses=reverses,
                      before=before, after=dict(before, slow_mode=minutes))
    slow.decision_id = decision.id
    events.publish(events.TopicChanged(topic_id=topic.id, space_id=topic.space_id))
    db.session.commit()
    return decision


def end_slow_mode(moderator, topic, justification="", articles=(), reverses=None):
    articles = cite(articles, required=False)
    justification = clean_justification(justification, required=False) or "Mode lent levé."
    space = _begin(moderator, topic)
    slow = db.session.get(TopicSlowMode, topic.id)
    if slow is None:
        raise Conflict({None: _("Ce sujet n'est pas en mode lent.")})
    before = _state(topic)
    target = reverses or deciding.in_force(deciding.Decision.topic_id == topic.id, ("slow_mode",))
    db.session.delete(slow)
    decision = record(moderator, "slow_mode_off", member=topic.author, space=space, topic=topic,
                      articles=articles, justification=justification, reverses=target,
                      details={"minutes": slow.minutes}, before=before, after=dict(before, slow_mode=None))
    events.publish(events.TopicChanged(topic_id=topic.id, space_id=topic.space_id))
    db.session.commit()
    return decision


def _set_pin(moderator, topic, action, justification, reverses=None, until="", to=audience.EVERYONE,
             committees=()):
    """Pin (``pin``), unpin (``unpin``: an announcement ends too) or announce (``announce``: on
    the home page until the day ``until``, to every member or the ``committees`` chosen)."""
    justification = clean_justification(justification, required=False)
    space = _begin(moderator, topic)
    if action == "announce" and not is_coordinator(moderator):
        raise Forbidden(_("Seule la coordination fait une annonce à tous les membres."))
    if action == "announce" and space.is_archived:
        raise Conflict({None: _("Cet espace est archivé : une annonce n'y a pas sa place.")})
    if action == "announce" and topic.is_announcement:
        raise Conflict({None: _("Ce sujet est déjà une annonce.")})
    ending, chosen = audience.check(until, to, committees) if action == "announce" else (None, ())
    if action == "pin" and topic.pinned:
        raise Conflict({None: _("Ce sujet est déjà épinglé.")})
    if action == "unpin" and not topic.pinned:
        raise Conflict({None: _("Ce sujet n'est pas épinglé.")})
    before = _state(topic)
    topic.pinned = action != "unpin"
    topic.announced_at = now() if action == "announce" else None if action == "unpin" else topic.announced_at
    if action == "announce":
        audience.store(topic, ending, chosen)
    elif action == "unpin":
        audience.clear(topic)
    target = reverses or (deciding.in_force(deciding.Decision.topic_id == topic.id, ("pin", "announce"))
                          if action == "unpin" else None)
    # Nobody is sanctioned: the author is not sent a notice (an announcement tells every reader).
    details = {"until": ending.isoformat(), "committees": list(chosen)} if action == "announce" else None
    decision = record(moderator, action, member=topic.author, space=space, topic=topic,
                      justification=justification, reverses=target, before=before, after=_state(topic),
                      notify=False, details=details)
    events.publish(events.TopicChanged(topic_id=topic.id, space_id=topic.space_id))
    if action == "announce":
        events.publish(events.TopicAnnounced(topic_id=topic.id, space_id=topic.space_id, actor_id=moderator.id))
    db.session.commit()
    return decision


def pin_topic(moderator, topic, justification="", reverses=None):
    return _set_pin(moderator, topic, "pin", justification, reverses)


def unpin_topic(moderator, topic, justification="", reverses=None):
    return _set_pin(moderator, topic, "unpin", justification, reverses)


def announce_topic(moderator, topic, justification="", until="", to=audience.EVERYONE, committees=()):
    """``until``: the last day on the home page, as typed (jj/mm/aaaa); ``to``: ``audience.EVERYONE``
    or ``audience.COMMITTEES`` (then the ids of ``committees``)."""
    return _set_pin(moderator, topic, "announce", justification, until=until, to=to, committees=committees)


# --- reversals --------------------------------------------------------------------------

def _topic_of(decision):
    if decision.topic is None:
        raise Conflict({None: _("Le sujet de cette décision n'existe plus.")})
    return decision.topic


@reversal("lock")
def _undo_lock(moderator, decision, justification, articles):
    return unlock_topic(moderator, _topic_of(decision), justification, articles, reverses=decision)


@reversal("unlock")
def _undo_unlock(moderator, decision, justification, articles):
    return lock_topic(moderator, _topic_of(decision), articles, justification, reverses=decision)


@reversal("slow_mode")
def _undo_slow_mode(moderator, decision, justification, articles):
    return end_slow_mode(moderator, _topic_of(decision), justification, articles, reverses=decision)


@reversal("slow_mode_off")
def _undo_slow_mode_off(moderator, decision, justification, articles):
    return set_slow_mode(moderator, _topic_of(decision), decision.details.get("minutes"), articles,
                         justification, reverses=decision)


@reversal("pin", "announce")
def _undo_pin(moderator, decision, justification, articles):
    return unpin_topic(moderator, _topic_of(decision), justification, reverses=decision)


@reversal("unpin")
def _undo_unpin(moderator, decision, justification, articles):
    return pin_topic(moderator, _topic_of(decision), justification, reverses=decision)


@reversal("move")
def _undo_move(moderator, decision, justification, articles):
    origin = db.session.get(Space, decision.details["from_space_id"])
    topic = _topic_of(decision)
    if topic.space_id != decision.details["to_space_id"]:
        raise Conflict({None: _("Le sujet a été déplacé à nouveau depuis : déplacez-le directement.")})
    return move_topic(moderator, topic, origin, articles or [a.article_id for a in decision.articles],
                      justification, reverses=decision)


@reversal("split")
def merge(moderator, decision, justification, articles=()):
    """Put split posts back in their topic, under their first numbers (numbers are never reused)."""
    justification = clean_justification(justification, required=False) or \
        "Réponses rattachées à leur sujet d'origine."
    articles = cite(articles, required=False)
    new_topic = _topic_of(decision)
    old_topic = db.session.get(Topic, decision.details["old_topic_id"])
    if old_topic is None:
        raise Conflict({None: _("Le sujet d'origine n'existe plus.")})
    first, second = sorted((old_topic, new_topic), key=lambda t: t.id)   # one lock order: no deadlock
    _begin(moderator, first, second.space)
    _begin(moderator, second, first.space)
    originals = {row[0]: row for row in decision.details["posts"]}
    posts = db.session.scalars(select(Post).where(Post.topic_id == new_topic.id).order_by(Post.path)).all()
    if not posts or posts[0].id != decision.post_id:
        raise Conflict({None: _("Le sujet détaché a changé depuis : rattachez les messages un par un.")})
    before = {"topic_id": new_topic.id, "posts": [[p.id, p.number, p.path, p.depth, p.parent_id] for p in posts]}
    placed = {}
    for item in posts:
        if item.id in originals:
            _old_id, number, path, depth, parent_id = originals[item.id]
        else:   # written in the split topic: goes after the last number of the old one
            old_topic.last_number += 1
            number, parent_id = old_topic.last_number, item.parent_id
            path = placed[parent_id][0] + "/" + path_segment(number)
            depth = placed[parent_id][1] + 1
        item.topic_id, item.topic, item.number = old_topic.id, old_topic, number
        item.path, item.depth, item.parent_id = path, depth, parent_id
        placed[item.id] = (path, depth)
    db.session.flush()
    recount(old_topic)
    spaces = {old_topic.space_id, new_topic.space_id}
    if new_topic.tags:
        db.session.execute(update(Tag).where(Tag.id.in_([t.id for t in new_topic.tags]))
                           .values(topic_count=Tag.topic_count - 1))
    new_topic_id, new_space_id = new_topic.id, new_topic.space_id
    db.session.delete(new_topic)   # empty now: its posts are all back, none is deleted
    db.session.flush()
    for space_id in spaces:
        _recount_space(space_id)
    root = db.session.get(Post, decision.post_id)
    result = record(moderator, "merge", member=root.author, space=old_topic.space, topic=old_topic, post=root,
                    articles=articles, justification=justification, reverses=decision,
                    before=before, after={"topic_id": old_topic.id,
                                          "posts": [[p.id, p.number, p.path, p.depth, p.parent_id] for p in posts]})
    events.publish(events.PostsMoved(post_ids=tuple(p.id for p in posts), topic_id=old_topic.id,
                                     old_topic_id=new_topic_id, space_id=old_topic.space_id,
                                     old_space_id=new_space_id))
    db.session.commit()
    return result
