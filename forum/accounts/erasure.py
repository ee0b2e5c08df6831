"""Erasing a member (RGPD, article 17): ``anonymise`` or ``remove_contributions``.

Either way the account stops being a person: the pseudonym becomes "Ancien membre N", the
email a unique address that cannot receive mail (``.invalid``, RFC 2606), and the collège,
profile, password, sessions, comités, drafts, watches, notifications and email choices go.
Every other text that named the member (mentions ``@pseudo``, quote attributions, moderation
texts, notices, the audit journal) has the pseudonym and the email replaced by the new name,
so that no table keeps either; posts changed so are rendered again and announced
(``PostEdited``), which reindexes them and bumps the page cache.

- ``anonymise``: contributions stay, signed "Ancien membre N";
- ``remove_contributions``: the member's posts are emptied and shown as "Message retiré à la
  demande de son auteur" (state ``removed``): threads keep their order, replies stay in place,
  topics they opened keep their title and replies.

**N** is the order of erasures (1, 2, 3…), not the member id: ids follow registration order
and appear in addresses and moderation records, so "Ancien membre 412" would tell who it was
to anyone who knew when that person joined.

Rows that belong to the member only (a foreign key to ``member.id`` with ``ondelete=CASCADE``)
are deleted, whatever area or package declares them, unless their model says
``__erasure__ = "keep"`` (moderation appeals, attachments of posts and private messages that
stay, this module's own record). A model whose rows are derived from others and rewritten by
the events published here says ``__erasure__ = "derived"`` (the search documents): it is not
scrubbed directly.
"""
import os
import re
import secrets

from flask_babel import gettext as _
from sqlalchemy import JSON, Column, DateTime, ForeignKey, Integer, String, cast, delete, func, or_, select
from sqlalchemy import Text as TextType

from forum import events
from forum.clock import now
from forum.errors import Conflict, Forbidden, Invalid
from forum.extensions import db
from forum.notifications.models import MAIL_PENDING, MAIL_SKIPPED, Notification
from forum.text.pseudonyms import pseudonym_key
from forum.text.references import render_post
from forum.text.slugs import slugify
from forum.topics import attachments, posting
from forum.topics.attachments import Attachment
from forum.topics.models import POST_REMOVED, Post, PostRevision, Topic

from .models import ROLE_ADMIN, ROLE_MEMBER, Member
from .registration import hash_password

MODE_ANONYMISE = "anonymise"
MODE_REMOVE = "remove"
MODES = (MODE_ANONYMISE, MODE_REMOVE)
# Stored, not translated: it is the member's name from now on, the same for every reader.
FORMER_NAME = "Ancien membre {number}"
FORMER_EMAIL = "ancien-membre-{number}@efface.invalid"


class FormerMember(db.Model):
    """The record that a member was erased, and the number of their new name."""

    __tablename__ = "former_member"
    __page_cache__ = "private"   # public pages never show it (forum/web/page_cache.py)
    __erasure__ = "keep"

    member_id = Column(ForeignKey("member.id", ondelete="CASCADE"), primary_key=True)
    number = Column(Integer, nullable=False, unique=True)
    mode = Column(String(20), nullable=False)
    erased_at = Column(DateTime, nullable=False, default=now)


def why_cannot_erase(actor, member):
    """None if ``actor`` may erase ``member`` (``actor`` None: the scheduled purge), else why.

    A member erases their own account; administrators erase anyone; coordinators erase members
    and coordinators but not an administrator (who could otherwise be removed by a lesser role)."""
    if actor is None or actor.id == member.id or actor.is_admin:
        return None
    if actor.is_coordinator:
        if member.role == ROLE_ADMIN:
            return _("Seul un administrateur peut effacer le compte d'un administrateur.")
        return None
    return _("Vous ne pouvez pas effacer le compte d'un autre membre.")


def is_erased(member):
    return db.session.get(FormerMember, member.id) is not None


def anonymise(member, actor=None):
    """Erase ``member``, keeping their contributions under "Ancien membre N"; commits."""
    return _erase(member, actor, MODE_ANONYMISE)


def remove_contributions(member, actor=None):
    """Erase ``member`` and their posts (placeholders stay in the threads); commits."""
    return _erase(member, actor, MODE_REMOVE)


def erase(member, mode, actor=None):
    if mode not in MODES:
        raise Invalid({"mode": _("Choisissez ce que deviennent vos messages.")})
    return _erase(member, actor, mode)


def _erase(member, actor, mode):
    reason = why_cannot_erase(actor, member)
    if reason:
        raise Forbidden(reason)
    if is_erased(member):
        raise Conflict({None: _("Ce compte a déjà été effacé.")})
    number = (db.session.scalar(select(func.max(FormerMember.number))) or 0) + 1
    name, email = FORMER_NAME.format(number=number), FORMER_EMAIL.format(number=number)
    old_names, old_email = {member.pseudonym, member.pseudonym_key}, member.email
    files = _remove_posts(member) if mode == MODE_REMOVE else []
    # The files nothing holds; when the contributions go, those of the private messages too,
    # which forum/conversations/member_records.py empties (a message holds only its author's).
    files += _delete_files(select(Attachment).where(
        Attachment.uploader_id == member.id,
        Attachment.post_id.is_(None) if mode == MODE_REMOVE else attachments.unclaimed()))
    _reset_account(member, name, email)
    db.session.flush()   # the comités through the relationship first, then the rest in SQL
    _delete_own_rows(member)
    _drop_emails_about(member)
    db.session.add(FormerMember(member_id=member.id, number=number, mode=mode, erased_at=now()))
    db.session.flush()
    rewrite = rewriter(old_names, old_email, name)
    _rewrite_posts(rewrite, old_names | {old_email})
    _rewrite_topics(rewrite, old_names | {old_email})
    scrub_tables(rewrite, old_names | {old_email}, skip=("member", "post", "topic"))
    events.publish(events.MemberAccessChanged(member_id=member.id))
    events.publish(events.MemberErased(member_id=member.id))
    db.session.commit()
    for path in files:   # after the commit: a rolled back erasure keeps its files
        try:
            os.remove(path)
        except OSError:
            pass
    return member


# --- the account itself ----------------------------------------------------------------------

def _reset_account(member, name, email):
    member.pseudonym, member.pseudonym_key = name, pseudonym_key(name)
    # Nobody can register a name with a space, so no one will ever look like "Ancien membre N";
    # the old name's skeleton is freed with the old name.
    member.pseudonym_skeleton = None
    member.email = email
    member.password_hash = hash_password(secrets.token_urlsafe(32))   # known to no one
    member.college_id, member.college_confirmed, member.show_college = None, False, False
    member.role, member.locale, member.bio = ROLE_MEMBER, None, ""
    member.last_seen_at = member.convention_signed_at = member.email_confirmed_at = None
    member.silenced_until = member.suspended_until = None
    member.refuses_messages = False   # its blocks, both ways, go with the member's own rows
    member.committees = []


def _delete_own_rows(member):
    """Rows that belong to the member alone: every table with a cascading key to ``member.id``."""
    keep = {mapper.local_table.name for mapper in db.Model.registry.mappers
            if getattr(mapper.class_, "__erasure__", None) == "keep"}
    for table in db.metadata.sorted_tables:
        if table.name in keep or table.name == "member":
            continue
        for fk in table.foreign_keys:
            if fk.column.table.name == "member" and fk.ondelete == "CASCADE":
                db.session.execute(delete(table).where(fk.parent == member.id))


def _drop_emails_about(member):
    """Notification emails not yet sent that the member's acts caused (a reply, a mention)."""
    db.session.execute(Notification.__table__.update()
                       .where(Notification.actor_id == member.id, Notification.mail_state == MAIL_PENDING)
                       .values(mail_state=MAIL_SKIPPED))


def _delete_files(query):
    """Delete the attachments ``query`` selects; returns their files' paths (removed after commit)."""
    paths = []
    for attachment in db.session.scalars(query).all():
        paths.append(attachment.path())
        db.session.delete(attachment)
    return paths


def _remove_posts(member):
    """Empty every post of ``member`` (placeholders stay); returns the files to remove."""
    posts = db.session.scalars(select(Post).where(Post.author_id == member.id)).all()
    files = []
    for post in posts:
        files += _delete_files(select(Attachment).where(Attachment.post_id == post.id))
        posting.set_post_state(post, POST_REMOVED)
        post.source, post.html = "", ""
        db.session.execute(delete(PostRevision).where(PostRevision.post_id == post.id))
    return files


# --- every text that named the member --------------------------------------------------------

def rewriter(names, email, new_name):
    """A function replacing ``email`` and every writing of ``names`` (``@name`` too) in a text."""
    names = sorted({n for n in names if n}, key=len, reverse=True)
    email_pattern = re.compile(re.escape(email), re.IGNORECASE)
    # A whole name only: "Nadia.M" inside "Nadia.Martin" or "x-Nadia.M" is someone else.
    name_pattern = re.compile(r"(?<![\w.\-])@?(?:%s)(?![\w\-]|\.\w)" % "|".join(map(re.escape, names)),
                              re.IGNORECASE)

    def rewrite(text):
        if not isinstance(text, str):
            return text
        return name_pattern.sub(new_name, email_pattern.sub(new_name, text))
    return rewrite


def _variants(words):
    found = set()
    for word in words:
        found.update({word, word.lower(), word.upper(), word.casefold(), word.title(), word.capitalize()})
    return found


def _escape_like(word):
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _contains_any(column, words):
    """SQL: ``column`` holds one of ``words`` (case-insensitively for ASCII on SQLite; ILIKE on
    PostgreSQL). The usual case variants are tried too: SQLite's LIKE folds ASCII only."""
    ilike = db.engine.dialect.name == "postgresql"
    return or_(*[(column.ilike if ilike else column.like)(f"%{_escape_like(w)}%", escape="\\")
                 for w in sorted(_variants(words))])


def _rewrite_posts(rewrite, words):
    posts = db.session.scalars(select(Post).where(_contains_any(Post.source, words))).all()
    for post in posts:
        source = rewrite(post.source)
        if source == post.source:
            continue
        post.source, post.html = source, render_post(post.author, source).html
        topic = post.topic
        events.publish(events.PostEdited(post_id=post.id, topic_id=topic.id, space_id=topic.space_id,
                                         editor_id=post.author_id, revision=post.revision_count))


def _rewrite_topics(rewrite, words):
    for topic in db.session.scalars(select(Topic).where(_contains_any(Topic.title, words))).all():
        title = rewrite(topic.title)
        if title != topic.title:
            topic.title, topic.slug = title, slugify(title) or "sujet"   # the slug spelt the name too
            events.publish(events.TopicChanged(topic_id=topic.id, space_id=topic.space_id))


def _text_columns(table):
    """(column, is JSON) for the columns that can hold text (not arrays, not tsvectors)."""
    dialect = db.engine.dialect
    for column in table.columns:
        impl = column.type.dialect_impl(dialect)
        if isinstance(impl, (String, JSON)):
            yield column, isinstance(impl, JSON)


def _rewrite_json(value, rewrite):
    if isinstance(value, str):
        return rewrite(value)
    if isinstance(value, list):
        return [_rewrite_json(item, rewrite) for item in value]
    if isinstance(value, dict):
        return {rewrite(key): _rewrite_json(item, rewrite) for key, item in value.items()}
    return value


def scrub_tables(rewrite, words, skip=()):
    """Replace ``words`` with ``rewrite`` in every text and JSON column of every table but ``skip``
    and the derived ones. Returns {table name: rows changed}."""
    derived = {mapper.local_table.name for mapper in db.Model.registry.mappers
               if getattr(mapper.class_, "__erasure__", None) == "derived"}
    changed = {}
    for table in db.metadata.sorted_tables:
        if table.name in skip or table.name in derived or not table.primary_key.columns:
            continue
        key = list(table.primary_key.columns)
        for column, is_json in _text_columns(table):
            probe = cast(column, TextType) if is_json else column
            rows = db.session.execute(select(*key, column).where(_contains_any(probe, words))).all()
            for row in rows:
                value = row[-1]
                new = _rewrite_json(value, rewrite) if is_json else rewrite(value)
                if new == value:
                    continue
                condition = [k == v for k, v in zip(key, row[:-1])]
                db.session.execute(table.update().where(*condition).values({column.name: new}))
                changed[table.name] = changed.get(table.name, 0) + 1
    return changed

