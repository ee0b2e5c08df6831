"""What moderation asks when a member posts: watched words, first posts, slow mode.

Registered with ``posting.register_guard(app, …)``: a guard raises ``Refused`` to block a post, or
returns ``POST_PENDING`` to hold it for approval. Silenced members are refused by the core.
"""
from datetime import timedelta

from flask_babel import gettext as _, ngettext
from sqlalchemy import func, select

from forum import events
from forum.clock import now
from forum.errors import Invalid, Refused
from forum.extensions import db
from forum.permissions import can_moderate
from forum.topics import posting
from forum.topics.models import POST_PENDING, POST_VISIBLE, Post

from . import reporting, settings
from .models import WORD_APPROVE, WORD_BLOCK, WORD_FLAG, TopicSlowMode


def watched_words_guard(attempt):
    found = settings.matches(attempt.title, attempt.body)
    if WORD_BLOCK in found:
        words = ", ".join(f"« {w} »" for w in found[WORD_BLOCK])
        in_title = bool(settings.matches(attempt.title).get(WORD_BLOCK))
        raise Invalid({"title" if in_title else "body":
                       _("Ce texte contient une expression refusée sur le forum (%(words)s) : reformulez-le.",
                         words=words)})
    if WORD_APPROVE in found and attempt.editing is None and not can_moderate(attempt.author, attempt.space):
        return POST_PENDING
    return None


def first_posts_guard(attempt):
    """A member's first posts wait for a moderator's approval where the space asks for it."""
    if attempt.editing is not None:
        return None
    wanted = settings.for_space(attempt.space).approve_first_posts
    if wanted <= 0 or can_moderate(attempt.author, attempt.space):
        return None
    published = db.session.scalar(select(func.count(Post.id)).where(Post.author_id == attempt.author.id,
                                                                    Post.state == POST_VISIBLE))
    return POST_PENDING if published < wanted else None


def slow_mode_guard(attempt):
    if attempt.topic is None or attempt.editing is not None:
        return None
    slow = db.session.get(TopicSlowMode, attempt.topic.id)
    if slow is None or can_moderate(attempt.author, attempt.space):
        return None
    last = db.session.scalar(select(func.max(Post.created_at)).where(Post.topic_id == attempt.topic.id,
                                                                    Post.author_id == attempt.author.id))
    if last is not None:
        allowed = last + timedelta(minutes=slow.minutes)
        if allowed > now():
            wait = max(1, int((allowed - now()).total_seconds() // 60) + 1)
            raise Refused(ngettext("Ce sujet est en mode lent : un message par membre toutes les %(minutes)s "
                                   "minutes. Vous pourrez répondre dans %(num)s minute ; votre texte est "
                                   "conservé ci-dessous.",
                                   "Ce sujet est en mode lent : un message par membre toutes les %(minutes)s "
                                   "minutes. Vous pourrez répondre dans %(num)s minutes ; votre texte est "
                                   "conservé ci-dessous.", wait, minutes=slow.minutes), status=429)
    return None


def flag_new_post(event):
    """After a post is published (in its transaction): "flag" watched words raise a report."""
    post = db.session.get(Post, event.post_id)
    if post is None or post.state_changed_at is not None:
        return   # an approved pending post: a moderator has just read it
    _flag(post)


def flag_edited_post(event):
    post = db.session.get(Post, event.post_id)
    if post is not None and event.editor_id == post.author_id:
        _flag(post)


def _flag(post):
    if can_moderate(post.author, post.topic.space):
        return
    found = settings.matches(post.topic.title if post.is_opening else None, post.source)
    words = list(found.get(WORD_FLAG, []))
    if post.revision_count > 1 and post.state != POST_PENDING:
        # An edit cannot be held for approval: a moderator is asked to look at it instead.
        words += found.get(WORD_APPROVE, [])
    if words:
        reporting.flag(post, words)


def init_app(app):
    for guard in (watched_words_guard, first_posts_guard, slow_mode_guard):
        posting.register_guard(app, guard)
    events.subscribe(app, events.PostPublished, flag_new_post, phase="transaction")
    events.subscribe(app, events.PostEdited, flag_edited_post, phase="transaction")
