"""The public moderation log of a space as an Atom feed: exactly the lines of its page
(``journal.public_log``: aliases, never a hidden text, never a hidden topic's title). The page is
for the members who may read the space (``can_read_moderation_log``), so the feed has only a
private address (forum/feeds/: a member's token)."""
from flask import abort, render_template
from flask_babel import gettext as _

from forum.feeds.atom import Entry, Feed
from forum.feeds.blueprint import feed_view
from forum.notifications.mail import absolute_url
from forum.topics.finding import get_readable_space

from . import journal
from .blueprint import bp
from .deciding import ACTION_LABELS
from .permissions import can_read_moderation_log


def log_feed(viewer, space, token):
    page = absolute_url("moderation.public_log", slug=space.slug)
    entries = []
    for line in journal.public_log(space)["lines"]:
        decision = line.decision
        label = str(ACTION_LABELS.get(decision.action, decision.action))
        title = f"{label} — {line.topic_title}" if line.topic_title else label
        link = absolute_url("topics.topic", topic_id=line.topic_id) if line.topic_id else page
        entries.append(Entry(id=f"{page}#decision-{decision.id}", title=title, link=link,
                             updated=decision.created_at, published=decision.created_at, key=decision.id,
                             html=render_template("moderation/_log_entry.html", line=line, label=label)))
    return Feed(id=page, title=_("Journal de modération — %(space)s", space=space.name), link=page,
                self_link=absolute_url("moderation.log_feed", slug=space.slug, token=token), entries=entries)


@feed_view("/espace/<slug>/journal-de-moderation.atom", "log_feed", on=bp, public=False)
def log(viewer, token, slug):
    space = get_readable_space(slug, viewer)
    if not can_read_moderation_log(viewer, space):
        abort(404)
    return log_feed(viewer, space, token)
