"""The règlement de fonctionnement (charter): versions of numbered articles, and acceptances.

It lives in the core because joining the forum means accepting it, and posting requires the
current version to be accepted; moderation cites its articles.
"""
from dataclasses import dataclass

from sqlalchemy import select

from forum import events
from forum.clock import now
from forum.extensions import db
from forum.text.markup import render
from forum.web.memo import forget_memo, request_memo

from .models import CharterAcceptance, CharterArticle, CharterVersion


def current_version():
    """The last published version, or None before any is published."""
    return db.session.scalars(
        select(CharterVersion).where(CharterVersion.published_at.is_not(None))
        .order_by(CharterVersion.number.desc()).limit(1)).first()


def has_accepted_current(member):
    """Has ``member`` accepted the current version? One small query, memoised per request."""
    def ask():
        version_id = db.session.scalar(
            select(CharterVersion.id).where(CharterVersion.published_at.is_not(None))
            .order_by(CharterVersion.number.desc()).limit(1))
        if version_id is None:
            return True
        return db.session.scalar(select(CharterAcceptance.accepted_at).where(
            CharterAcceptance.member_id == member.id, CharterAcceptance.version_id == version_id)) is not None
    return request_memo(("charter-accepted", member.id), ask)


def record_acceptance(member, version):
    """Record that ``member`` accepted ``version`` (idempotent); the caller commits."""
    forget_memo(("charter-accepted", member.id))
    if db.session.get(CharterAcceptance, (member.id, version.id)) is None:
        db.session.add(CharterAcceptance(member_id=member.id, version_id=version.id, accepted_at=now()))


def accept_current(member):
    version = current_version()
    if version is not None:
        record_acceptance(member, version)
        db.session.commit()
    return version


def draft_version(title, preamble, articles):
    """Create an unpublished version from ``articles``: (title, markdown body[, reportable])."""
    number = (db.session.scalar(select(db.func.max(CharterVersion.number))) or 0) + 1
    version = CharterVersion(number=number, title=title, preamble=preamble,
                             preamble_html=render(preamble))
    db.session.add(version)
    set_articles(version, articles)
    return version


def set_articles(version, articles):
    """Give the unpublished ``version`` these ``articles``, numbered in order.

    Each keeps the stable key of the article it continues in the version in force (same title,
    or else same text: a renamed article); the others get new keys. The caller commits.
    """
    if version.articles:
        version.articles.clear()
        db.session.flush()
    before = current_version()
    old = before.articles if before is not None and before.id != version.id else []
    by_title = {a.title.casefold(): a for a in old}
    by_body = {a.body.strip(): a for a in old}
    next_key = (db.session.scalar(select(db.func.max(CharterArticle.key))) or 0) + 1
    taken = set()
    for number, (article_title, body, *rest) in enumerate(articles, start=1):
        previous = by_title.get(article_title.casefold()) or by_body.get(body.strip())
        if previous is not None and previous.key not in taken:
            key = previous.key
        else:
            key, next_key = next_key, next_key + 1
        taken.add(key)
        version.articles.append(CharterArticle(number=number, key=key, title=article_title, body=body,
                                               html=render(body), reportable=rest[0] if rest else True))


def publish_version(version):
    """Make ``version`` current: every member must accept it before posting again."""
    version.published_at = now()
    db.session.flush()
    events.publish(events.CharterPublished(version_id=version.id, number=version.number))
    db.session.commit()
    return version


def published_version(number):
    """The published version numbered ``number``, or None."""
    return db.session.scalar(select(CharterVersion).where(CharterVersion.number == number,
                                                          CharterVersion.published_at.is_not(None)))


def next_version(version):
    """The published version that replaced ``version`` (None for the current one)."""
    return db.session.scalars(
        select(CharterVersion).where(CharterVersion.published_at.is_not(None),
                                     CharterVersion.number > version.number)
        .order_by(CharterVersion.number).limit(1)).first()


def previous_version(version):
    """The published version before ``version`` (None for the first)."""
    return db.session.scalars(
        select(CharterVersion).where(CharterVersion.published_at.is_not(None),
                                     CharterVersion.number < version.number)
        .order_by(CharterVersion.number.desc()).limit(1)).first()


@dataclass(frozen=True)
class Change:
    """One line of "what changes": ``kind`` is added, changed, renumbered or removed; ``before``
    is the article's number in the older version (None for an added one)."""
    kind: str
    number: int | None
    title: str
    before: int | None = None


def changes(old, new):
    """What a reader should look at in ``new`` compared with ``old``: a list of ``Change``.

    Articles are matched by their stable key: an article that only moved (one inserted before
    it) is listed as renumbered, with its former number, so that "article 5" read in an older
    decision can be found again.
    """
    if old is None or new is None:
        return []
    by_key = {a.key: a for a in old.articles}
    result = []
    for article in new.articles:
        before = by_key.pop(article.key, None)
        if before is None:
            result.append(Change("added", article.number, article.title))
        elif before.body.strip() != article.body.strip() or before.title != article.title:
            result.append(Change("changed", article.number, article.title, before.number))
        elif before.number != article.number:
            result.append(Change("renumbered", article.number, article.title, before.number))
    result.extend(Change("removed", None, a.title, a.number) for a in by_key.values())
    return result
