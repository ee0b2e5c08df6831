"""The règlement de fonctionnement (charter): versions of numbered articles, and acceptances.

It lives in the core because joining the forum means accepting it, and posting requires the
current version to be accepted; moderation cites its articles.
"""
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
    """Create an unpublished version from ``articles``: a list of (title, markdown body)."""
    number = (db.session.scalar(select(db.func.max(CharterVersion.number))) or 0) + 1
    version = CharterVersion(number=number, title=title, preamble=preamble,
                             preamble_html=render(preamble))
    for index, (article_title, body) in enumerate(articles, start=1):
        version.articles.append(CharterArticle(number=index, title=article_title, body=body,
                                               html=render(body)))
    db.session.add(version)
    return version


def publish_version(version):
    """Make ``version`` current: every member must accept it before posting again."""
    version.published_at = now()
    db.session.flush()
    events.publish(events.CharterPublished(version_id=version.id, number=version.number))
    db.session.commit()
    return version


def previous_version(version):
    """The published version before ``version`` (None for the first)."""
    return db.session.scalars(
        select(CharterVersion).where(CharterVersion.published_at.is_not(None),
                                     CharterVersion.number < version.number)
        .order_by(CharterVersion.number.desc()).limit(1)).first()


def changes(old, new):
    """What a reader should look at in ``new`` compared with ``old``: [(kind, number, title)].

    ``kind`` is "added", "changed" or "removed". Articles are matched by title, then by text
    (a renamed article), so that renumbering alone is not shown as a change of every article.
    """
    if old is None or new is None:
        return []
    by_title = {a.title.casefold(): a for a in old.articles}
    by_body = {a.body.strip(): a for a in old.articles}
    matched, result = set(), []
    for article in new.articles:
        before = by_title.get(article.title.casefold()) or by_body.get(article.body.strip())
        if before is None or before.id in matched:
            result.append(("added", article.number, article.title))
            continue
        matched.add(before.id)
        if before.body.strip() != article.body.strip() or before.title != article.title:
            result.append(("changed", article.number, article.title))
    result.extend(("removed", a.number, a.title) for a in old.articles if a.id not in matched)
    return result
