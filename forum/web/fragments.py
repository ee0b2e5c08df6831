"""Parts of pages kept for members: a post as a kind of reader sees it, and HTML every member
who sees it the same way shares (a decision's results). Kept in the fragments' store of
forum/web/page_cache.py, keyed by the content versions they depend on."""
from flask import current_app
from flask_babel import get_locale
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup

from .memo import request_memo
from .page_cache import SITE, current_versions


def init_app(app):
    app.jinja_env.globals["post_fragment"] = post_fragment


@pass_context
def post_fragment(context, item, topic, view, macro):
    """``macro(item, topic, view)`` (a post as the reader sees it), kept for members.

    A post's HTML for a member depends on the post and its topic (their versions), and on who
    reads only through a few facts: whether they may read its text, have read it, wrote it
    (and are read-only), may reply, and which moderation links they get (built first: it is cheap). Those facts are
    the key, so members who see a post the same way share its fragment.
    """
    store = current_app.extensions["agora_fragment_cache"]
    if not current_user.is_authenticated or store.max_bytes <= 0:
        return macro(item, topic, view)
    post = item.post
    links = context.get("post_moderation_links")
    key = (post.id, view, str(get_locale()), topic_versions(topic.id), item.show_text, item.unread,
           item.in_reply_to.id if item.in_reply_to is not None else None, item.show_author, item.reply_to_named,
           current_user.id == post.author_id, not context.get("cannot_reply"),
           # A read-only author's own post offers "Retirer du texte" instead of "Modifier".
           current_user.id == post.author_id and current_user.is_silenced,
           str(links(post, topic)) if links is not None else "")
    html = store.get(key)
    if html is None:
        html = macro(item, topic, view)
        store.put(key, str(html))
        return html
    return Markup(html)


def shared_fragment(key, render):
    """HTML that every member who sees it the same way shares (``key`` says how, with the
    versions it depends on), kept beside the post fragments; ``render()`` on a miss."""
    store = current_app.extensions["agora_fragment_cache"]
    if store.max_bytes <= 0:
        return Markup(render())
    html = store.get(key)
    if html is None:
        html = str(render())
        store.put(key, html)
    return Markup(html)


def topic_versions(topic_id):
    return request_memo(("content-versions", topic_id), lambda: current_versions([SITE, f"topic-{topic_id}"]))
