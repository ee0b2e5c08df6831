"""What each feed holds for one reader, as plain data (forum/feeds/atom.py writes it).

Every feed is made from the reading function of the page it follows, with the reader's
permissions applied there (forum/permissions.py through forum/topics/reading.py, the syntheses'
and the decisions' reading): a feed lists exactly what its page lists to the same person, and
nothing decides here who reads what. A post's text is given only when ``can_read_post_text``
allows it (never a hidden, pending, deleted or erased post's; a withdrawn version is already
gone from the stored text: moderation/redaction.py), its author only when
``can_see_post_author`` does. Pseudonyms are read when the feed is made: an erased member is
"Ancien membre N" there too.
"""
from flask_babel import gettext as _
from sqlalchemy import select

from forum.capitalisation import listing
from forum.decisions import followup
from forum.extensions import db
from forum.notifications.mail import absolute_url
from forum.permissions import can_read_post_text, can_see_post_author
from forum.syntheses import reading as syntheses
from forum.syntheses.models import Synthesis
from forum.topics import reading
from forum.topics.models import Post

from .atom import Entry, Feed

TOPIC_POSTS = 30        # the latest posts of a topic's feed


def _feed(endpoint, token, title, link, entries, **values):
    return Feed(id=absolute_url(endpoint, **values), title=title, link=link, entries=entries,
                self_link=absolute_url(endpoint, token=token, **values))


def _opening_posts(topics):
    ids = [t.id for t in topics]
    if not ids:
        return {}
    return {p.topic_id: p for p in db.session.scalars(select(Post).where(Post.topic_id.in_(ids), Post.number == 1))}


def _topic_entries(viewer, rows):
    """A list of topics as entries: the title, the opening post's text and author if readable."""
    topics = [row.topic for row in rows]
    openings = _opening_posts(topics)
    entries = []
    for topic in topics:
        opening = openings.get(topic.id)
        link = absolute_url("topics.topic", topic_id=topic.id, slug=topic.slug)
        readable = opening is not None and can_read_post_text(viewer, opening)
        named = opening is not None and can_see_post_author(viewer, opening)
        entries.append(Entry(id=absolute_url("topics.topic", topic_id=topic.id), title=topic.title, link=link,
                             updated=topic.last_post_at, published=topic.created_at,
                             author=topic.author.pseudonym if named else None,
                             html=opening.html if readable else None, key=topic.id))
    return entries


def latest(viewer, token=None):
    """The home page's latest discussions."""
    rows = reading.latest_topics(viewer, limit=reading.HOME_LATEST)
    return _feed("feeds.latest", token, _("Dernières discussions"), absolute_url("topics.home"),
                 _topic_entries(viewer, rows))


def space(viewer, space, token=None):
    """The first page of the space, as its page lists it (pinned topics first)."""
    rows = reading.space_page(viewer, space)["rows"]
    return _feed("feeds.space", token, space.name, absolute_url("topics.space", slug=space.slug),
                 _topic_entries(viewer, rows), slug=space.slug)


def tag(viewer, tag, token=None):
    rows = reading.tag_page(viewer, tag)["rows"]
    return _feed("feeds.tag", token, _("Étiquette « %(name)s »", name=tag.name),
                 absolute_url("topics.tag", slug=tag.slug), _topic_entries(viewer, rows), slug=tag.slug)


def topic(viewer, topic, token=None):
    """The latest posts of ``topic`` whose text the reader may read, newest first."""
    entries = []
    for item in reading.latest_posts(viewer, topic, TOPIC_POSTS):
        post = item.post
        if not item.show_text:
            continue
        link = absolute_url("topics.post", post_id=post.id)
        title = topic.title if post.number == 1 else _("Réponse n° %(n)s : %(title)s", n=post.number - 1,
                                                          title=topic.title)
        entries.append(Entry(id=link, title=title, link=link, updated=post.edited_at or post.created_at,
                             published=post.created_at, author=post.author.pseudonym if item.show_author else None,
                             html=post.html, key=post.id))
    return _feed("feeds.topic", token, topic.title,
                 absolute_url("topics.topic", topic_id=topic.id, slug=topic.slug), entries, topic_id=topic.id)


def _synthesis_entries(viewer, found):
    """Published syntheses as entries, each as its last published version (withdrawn
    quotations left out by the syntheses' own reading, as on its page)."""
    entries = []
    for synthesis in found:
        page = syntheses.page(viewer, synthesis, synthesis.published_version)
        link = absolute_url("syntheses.show", synthesis_id=synthesis.id)
        entries.append(Entry(id=link, title=page.title, link=link, updated=page.version.published_at,
                             published=synthesis.published_at, author=", ".join(page.named) or None,
                             html=str(page.html), key=synthesis.id))
    return entries


def published_syntheses(viewer, space, token=None):
    """The published syntheses of the space's list."""
    found = [s for s in syntheses.of_space(viewer, space) if s.is_published]
    return _feed("feeds.syntheses", token, _("Synthèses publiées de « %(space)s »", space=space.name),
                 absolute_url("syntheses.of_space", slug=space.slug), _synthesis_entries(viewer, found),
                 slug=space.slug)


def capitalised_syntheses(viewer, token=None):
    """The first page of « Capitalisation » showing syntheses only (every readable space)."""
    ids = [e.id for e in listing.capitalisation_page(viewer, {"type": listing.SYNTHESIS}).entries]
    rows = {s.id: s for s in db.session.scalars(select(Synthesis).where(Synthesis.id.in_(ids)))} if ids else {}
    return _feed("feeds.all_syntheses", token, _("Synthèses publiées"),
                 absolute_url("capitalisation.index", type=listing.SYNTHESIS),
                 _synthesis_entries(viewer, [rows[i] for i in ids if i in rows]))


def outcomes(viewer, space, token=None):
    """The recent outcomes of the follow-up page: closed decisions and what was decided."""
    entries = []
    for outcome in followup.space_followup(viewer, space)["recent"]:
        poll = outcome["poll"]
        link = absolute_url("topics.post", post_id=poll["post_id"])
        entries.append(Entry(id=absolute_url("decisions.show", poll_id=poll["id"]),
                             title=_("Issue : %(question)s", question=poll["question"]), link=link,
                             updated=outcome["created_at"], published=poll["closed_at"],
                             author=outcome["author"], html=str(outcome["html"]), key=poll["id"]))
    return _feed("feeds.outcomes", token, _("Décisions closes de « %(space)s »", space=space.name),
                 absolute_url("decisions.followup", slug=space.slug), entries, slug=space.slug)

