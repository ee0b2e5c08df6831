"""Quotations in a synthesis: checked when written, withdrawn when their post no longer may be read.

A synthesis quotes posts the way replies do (``> [Pseudo](/message/12) a écrit :``). Two rules:

- **When saved**, every quoted post must be one its editor may read, visible (not hidden,
  deleted or held), and from a space whose readers include every reader of the synthesis's
  space (``rules.audience_within``); else the save is refused with the reason, the text kept.
  A post the editor may not read is « introuvable », as on its own page (404): the refusal does
  not tell it exists.
- **When read or exported**, a quotation whose post was hidden, deleted, held or redacted since,
  or whose space was closed further, is left out with its text (the copy in the synthesis's
  Markdown is never shown), and a notice says a quotation was withdrawn.
"""
from flask_babel import gettext as _
from markdown_it.token import Token
from sqlalchemy import select

from forum import permissions
from forum.errors import Invalid
from forum.extensions import db
from forum.text import references
from forum.text.markup import Document
from forum.topics.models import POST_VISIBLE, Post, PostRevision, Space, Topic

from .rules import audience_within


def quoted_ids(source):
    return Document(source).quoted


def check(editor, space, source):
    """Refuse (422 at ``source``) quotations ``editor`` may not put in a synthesis of ``space``."""
    problems = []
    for post_id in sorted(quoted_ids(source)):
        post = db.session.get(Post, post_id)
        if post is None or not permissions.can_read_post_text(editor, post):
            problems.append(_("Le message n° %(id)s cité est introuvable.", id=post_id))
        elif not post.is_visible or _redacted({post_id}):
            problems.append(_("Le message n° %(id)s n'est pas visible de tous (masqué, supprimé, en attente "
                              "ou retiré) : il ne peut pas être cité.", id=post_id))
        elif not audience_within(post.topic.space, space):
            problems.append(_("Le message n° %(id)s vient de l'espace « %(space)s », plus restreint que celui "
                              "de la synthèse : le citer le montrerait à des lecteurs qui ne peuvent pas le lire.",
                              id=post_id, space=post.topic.space.name))
    if problems:
        raise Invalid({"source": " ".join(problems)})


def _redacted(post_ids):
    """Posts of which a version was withdrawn (personal data): a copy may hold the withdrawn text."""
    return set(db.session.scalars(select(PostRevision.post_id).where(
        PostRevision.post_id.in_(post_ids), PostRevision.redacted_at.is_not(None)).distinct()))


def withdrawn(post_ids, space):
    """The posts among ``post_ids`` whose quotation may no longer be shown in ``space``."""
    if not post_ids:
        return set()
    rows = db.session.execute(select(Post.id, Post.state, Topic.space_id).join(Topic, Topic.id == Post.topic_id)
                              .where(Post.id.in_(post_ids))).all()
    spaces = {row.space_id for row in rows}
    by_id = {s.id: s for s in db.session.scalars(select(Space).where(Space.id.in_(spaces)))} if spaces else {}
    kept = {row.id for row in rows if row.state == POST_VISIBLE and audience_within(by_id[row.space_id], space)}
    return (set(post_ids) - kept) | _redacted(kept)


def _notice_tokens(level):
    text = _("[Citation retirée : le message cité n'est plus visible.]")
    inline = Token("inline", "", 0, content=text, children=[Token("text", "", 0, content=text)], block=True)
    return [Token("paragraph_open", "p", 1, level=level, block=True), inline,
            Token("paragraph_close", "p", -1, level=level, block=True)]


def _without(tokens, gone):
    """``tokens`` with the quotations of ``gone`` posts replaced by a notice."""
    out, index = [], 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "agora_quote_open" and (token.meta or {}).get("post_id") in gone:
            end = index + 1
            while not (tokens[end].type == "agora_quote_close" and tokens[end].level == token.level):
                end += 1
            out.extend(_notice_tokens(token.level))
            index = end + 1
            continue
        out.append(token)
        index += 1
    return out


def render(author, source, space):
    """The HTML of a synthesis's ``source``: references resolved as its ``author`` may see them,
    quotations of posts no longer visible in ``space`` withdrawn. Returns (html, quoted ids)."""
    document = Document(source)
    quoted = document.quoted
    gone = withdrawn(quoted, space)
    resolution = references.resolve(document, author)
    for post_id in quoted - gone:
        resolution.posts.setdefault(post_id, references.post_url(post_id))
    if gone:
        document.tokens = _without(document.tokens, gone)
    return document.html(resolution), quoted - gone


def shown_html(stored_html, source, author, space):
    """What readers see: the stored HTML while every quotation stands, else rendered again
    without the withdrawn ones (never the copy of a hidden post's text)."""
    quoted = quoted_ids(source)
    if not withdrawn(quoted, space):
        return stored_html
    return render(author, source, space)[0]



def strip_withdrawn(source, space):
    """``source`` with the lines of withdrawn quotations replaced by the notice: what an editor
    is given to edit, and what the history compares (never the copy of a hidden post's text).
    Returns (text, how many were withdrawn)."""
    document = Document(source)
    gone = withdrawn(document.quoted, space)
    if not gone:
        return source, 0
    lines = source.split("\n")
    spans = [token.map for token in document.tokens if token.type == "agora_quote_open"
             and (token.meta or {}).get("post_id") in gone and token.map and token.level == 0]
    for start, end in sorted(spans, reverse=True):
        if end < len(lines) and lines[end].strip().lower() == "[/quote]":
            end += 1        # the old style's map stops on its closing marker
        lines[start:end] = ["", _("[Citation retirée : le message cité n'est plus visible.]"), ""]
    return "\n".join(lines), len(spans)

