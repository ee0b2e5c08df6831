"""What a member's text refers to: @members, #spaces and #tags, quoted posts.

``markup`` parses without the database; this module answers its questions with the *author's*
permissions, so that the stored HTML (the same for every reader) never depends on what a
reader may see: a hashtag links a space only if its author may read it, a quote links its
source only if its author may read that post's text, and the attribution of a quote is what
its author typed, never taken from the quoted post.
"""
from dataclasses import dataclass
from urllib.parse import quote

from sqlalchemy import select

from forum.accounts.models import Member
from forum.charter.models import CharterArticle, CharterVersion
from forum.extensions import db
from forum.permissions import can_read_post_text, can_read_space
from forum.topics.models import Post, Space, Tag

from . import group_mentions
from .markup import Document, MemberLink, Resolution, render
from .pseudonyms import pseudonym_key


@dataclass(frozen=True)
class Rendered:
    html: str
    # Members named outside quotes (the author excluded), in order of first mention; the
    # members of the groups mentioned (forum/text/group_mentions.py) come after them.
    mentioned_ids: tuple = ()
    # Quoted posts whose text the author may read.
    quoted_post_ids: tuple = ()
    # {member id: the key (pseudonym or group handle) they were first mentioned by}.
    mentioned_by: dict = None
    # Groups mentioned that were not notified, and why (group_mentions.Refusal).
    refusals: tuple = ()


def profile_url(pseudonym):
    return "/membre/" + quote(pseudonym, safe="")


def post_url(post_id):
    return f"/message/{post_id}"


def resolve(document, author):
    """Look up what ``document`` names, as ``author`` may see it."""
    resolution = Resolution()
    keys = {pseudonym_key(name) for name in document.names}
    groups = group_mentions.resolve(keys, author)
    resolution.groups = groups
    keys -= set(groups)
    if keys:
        for member_id, pseudonym, key in db.session.execute(
                select(Member.id, Member.pseudonym, Member.pseudonym_key)
                .where(Member.pseudonym_key.in_(keys))):
            resolution.members[key] = MemberLink(member_id, profile_url(pseudonym))
    slugs = document.hashtags
    if slugs:
        for space in db.session.scalars(select(Space).where(Space.slug.in_(slugs))):
            if can_read_space(author, space):
                resolution.hashtags[space.slug] = f"/espace/{space.slug}"
        rest = slugs - set(resolution.hashtags)
        if rest:
            for slug in db.session.scalars(select(Tag.slug).where(Tag.slug.in_(rest))):
                resolution.hashtags[slug] = f"/etiquette/{slug}"
    quoted = document.quoted
    if quoted:
        for post in db.session.scalars(select(Post).where(Post.id.in_(quoted))):
            if can_read_post_text(author, post):
                resolution.posts[post.id] = post_url(post.id)
    return resolution


def render_post(author, source):
    """HTML of ``source`` written by ``author``, with the members and posts it refers to."""
    document = Document(source)
    resolution = resolve(document, author)
    html = document.html(resolution)
    author_id = getattr(author, "id", None)
    mentioned, refusals = {}, []
    keys = document.mentioned_keys()
    for key in keys:
        link = resolution.members.get(key)
        if key not in resolution.groups and link is not None and link.id != author_id:
            mentioned.setdefault(link.id, key)
    for key in keys:
        group = resolution.groups.get(key)
        if group is not None:
            ids, refusal = group_mentions.notified(group, author)
            for member_id in ids:
                mentioned.setdefault(member_id, key)
            if refusal is not None:
                refusals.append(refusal)
    return Rendered(html, tuple(mentioned), tuple(sorted(resolution.posts)), mentioned, tuple(refusals))


def render_preview(author, source):
    return render_post(author, source).html


def group_refusals(author, source):
    """The groups ``source`` mentions that would not be notified, were ``author`` to publish it."""
    if not group_mentions.MAY_NAME_A_GROUP.search(source or ""):
        return ()       # most texts: no second rendering
    return render_post(author, source).refusals


def rerender_all(batch_size=500, progress=None):
    """Render every post (and the règlement) again from its source; returns how many changed.

    Posts are read in batches by id so that memory stays flat on a large forum; each batch is
    committed on its own. ``progress(n)`` is called after each batch with its size.
    """
    changed, last_id = 0, 0
    while True:
        posts = db.session.scalars(select(Post).where(Post.id > last_id).order_by(Post.id)
                                   .limit(batch_size)).all()
        if not posts:
            break
        for post in posts:
            html = render_post(post.author, post.source).html
            if html != post.html:
                post.html = html
                changed += 1
        last_id = posts[-1].id
        db.session.commit()
        if progress:
            progress(len(posts))
    for version in db.session.scalars(select(CharterVersion)):
        version.preamble_html = render(version.preamble)
    for article in db.session.scalars(select(CharterArticle)):
        article.html = render(article.body)
    db.session.commit()
    return changed


def count_posts():
    from sqlalchemy import func
    return db.session.scalar(select(func.count(Post.id)))
