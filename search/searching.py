"""``search(viewer, text, fields, page)``: what a viewer finds, checked against what they may read.

1. The text and form fields are parsed (``syntax.parse``); names in filters are resolved to ids
   (``@pseudonyme``, ``#espace``, ``college:``, ``tag:``), with a French message for each one
   that does not exist.
2. The backend is asked for one page of post ids, restricted to the spaces the viewer may read
   (so that pagination stays right). All words are required; when few posts hold them all, the
   posts holding some of them follow (natural-language questions still find their answer).
3. The posts are reloaded from the database and each is checked with
   ``forum.permissions.can_read_post_text`` (the one place for the read rule); the excerpt is
   built from the escaped plain text.
"""
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from forum.accounts.models import College, Member
from forum.decisions.models import Poll
from forum.extensions import db
from forum.permissions import can_read_post_text, readable_space_ids, readable_spaces
from forum.text.pseudonyms import pseudonym_key
from forum.text.slugs import slugify
from forum.topics.models import POST_VISIBLE, Post, Space, Topic
from forum.topics.reading import Pagination, readable_tags

from . import analysis, backend as interface, capital, suggestions, syntax
from .backend import Scope, Terms
from .documents import plain_text, poll_post_ids, poll_texts

PER_PAGE = 20
MAX_PAGE = 50          # deeper pages cost more and help nobody: refine the query instead


@dataclass
class Result:
    post: Post
    topic: Topic
    space: Space
    author: Member
    title_html: str
    excerpt_html: str
    score: float
    poll_id: int | None = None     # the post opened a decision: the result is that decision


@dataclass
class Results:
    text: str
    query: syntax.Query
    items: list = field(default_factory=list)
    pagination: Pagination = None
    messages: list = field(default_factory=list)
    partial: bool = False          # some results hold only some of the words
    searched: bool = False         # False: nothing to search for (empty query, unknown name…)
    suggestion: str | None = None  # the query with its misspelt words corrected, when they found nothing
    documents: list = field(default_factory=list)   # type:synthese / type:ressource: ``capital.CapitalResult``

    @property
    def total(self):
        return self.pagination.total if self.pagination else 0


def _resolve(viewer, query, messages):
    """The ``Scope`` of ``query`` for ``viewer``, or None when a filter names nothing that exists."""
    spaces = readable_spaces(viewer)
    space_ids = {space.id for space in spaces}
    ok = True
    if query.space:
        named = _named(spaces, query.space)
        wanted = [named] if named is not None else []
        if not wanted:
            names = ", ".join(f"#{space.slug}" for space in spaces[:12])
            messages.append(_("Aucun espace « #%(space)s » parmi ceux que vous pouvez lire (%(names)s…).",
                              space=query.space, names=names) if names else
                            _("Aucun espace « #%(space)s » parmi ceux que vous pouvez lire.", space=query.space))
            ok = False
        space_ids &= {space.id for space in wanted}
    author_ids = None
    if query.author:
        member = db.session.scalar(select(Member).where(Member.pseudonym_key == pseudonym_key(query.author)))
        if member is None:
            messages.append(_("Aucun membre ne s'appelle « @%(name)s ».", name=query.author))
            ok = False
        else:
            author_ids = {member.id}
    if query.college:
        college = _named(db.session.scalars(select(College).order_by(College.position)).all(), query.college)
        if college is None:
            names = ", ".join(db.session.scalars(select(College.name).order_by(College.position)))
            messages.append(_("Aucun collège « %(college)s » : %(names)s.", college=query.college, names=names)
                            if names else _("Aucun collège « %(college)s ».", college=query.college))
            ok = False
        else:
            # Only authors who show their collège: a filter must not reveal a hidden one.
            shown = set(db.session.scalars(select(Member.id).where(
                Member.college_id == college.id, Member.college_confirmed.is_(True),
                Member.show_college.is_(True))))
            author_ids = shown if author_ids is None else author_ids & shown
    tags = []
    if query.tags:
        # Among the tags of topics the viewer may read: any other answers as if it did not exist.
        known = readable_tags(viewer)
        for name in query.tags:
            tag = _named(known, name)
            if tag is None:
                messages.append(_("Aucune étiquette « %(slug)s » parmi celles des sujets que vous pouvez lire.",
                                  slug=name))
                ok = False
            else:
                tags.append(tag.slug)
    if not ok:
        return None
    # type:decision: the posts that opened a decision, in the readable spaces (each result is
    # still checked as a post: a decision is seen with its post, forum/decisions/rules.py).
    post_ids = poll_post_ids(db.session, space_ids) if query.type == "decision" else None
    return Scope(space_ids=frozenset(space_ids), post_ids=post_ids,
                 author_ids=frozenset(author_ids) if author_ids is not None else None,
                 tags=tuple(tags), status=query.status, after=query.after, before=query.before,
                 in_title=query.in_title, order=query.order)


@dataclass
class Choices:
    """What the filters of the search page offer ``viewer``, and which one the request chose."""
    spaces: list
    tags: list
    colleges: list
    space: str = ""
    tag: str = ""
    college: str = ""


def choices(viewer, space, tag, college):
    """The spaces and tags ``viewer`` may read, every collège; the chosen ones as slugs (a name
    typed in an address is recognised as the query syntax would, whatever its case)."""
    spaces, tags = readable_spaces(viewer), readable_tags(viewer)
    colleges = db.session.scalars(select(College).order_by(College.position)).all()

    def slug(rows, typed):
        row = _named(rows, typed) if typed else None
        return row.slug if row is not None else ""
    return Choices(spaces=spaces, tags=tags, colleges=colleges, space=slug(spaces, space),
                   tag=slug(tags, tag), college=slug(colleges, college))


def _named(rows, typed):
    """The space, tag or collège of ``rows`` that ``typed`` names: its slug, or its name whatever
    the case, accents and punctuation ("Personnes accompagnées", personnes_accompagnees)."""
    wanted = slugify(typed, 200)
    for row in rows:
        if typed == row.slug or wanted in (row.slug, slugify(row.name, 200)):
            return row
    return None


def _terms(query, messages):
    """Words and phrases that have index terms (stop words alone are dropped, with a message),
    without question words when something else is asked."""
    words = [w for w in query.words if analysis.stems(w)]
    phrases = [p for p in query.phrases if analysis.stems(p)]
    dropped = [w for w in query.words if w not in words] + [p for p in query.phrases if p not in phrases]
    asked = [w for w in words if not analysis.is_question_word(w)]
    if asked or phrases:
        words = asked
    if dropped and not (words or phrases):
        messages.append(_("Ces mots sont trop courants pour être cherchés seuls : %(words)s. Ajoutez un mot "
                          "plus précis.", words=", ".join(f"« {w} »" for w in dropped[:5])))
    excluded = [x for x in query.excluded if analysis.stems(x)]
    return Terms(words=tuple(words), phrases=tuple(phrases), excluded=tuple(excluded))


def _ids_for_page(engine: interface.Backend, terms, scope, offset, per_page):
    """(post ids of the page, scores, total, partial): all words first, then some of them."""
    most = MAX_PAGE * per_page          # results ever shown: the backend counts no further
    page = engine.search(terms, scope, offset, per_page, max_results=most)
    several = len(terms.words) + len(terms.phrases) > 1
    if not several or scope.order == "latest" or page.total >= per_page:
        return page.post_ids, page.scores, page.total, False
    every = page if offset == 0 else engine.search(terms, scope, 0, per_page, max_results=most)
    some_terms = Terms(words=terms.words, phrases=terms.phrases, excluded=terms.excluded, any_word=True)
    some = engine.search(some_terms, scope, 0, offset + per_page + every.total, max_results=most)
    if some.total <= every.total:
        return page.post_ids, page.scores, page.total, False
    seen = set(every.post_ids)
    merged = list(zip(every.post_ids, every.scores))
    merged += [(i, s) for i, s in zip(some.post_ids, some.scores) if i not in seen]
    window = merged[offset:offset + per_page]
    return [i for i, _ in window], [s for _, s in window], some.total, True


def search(viewer, text, fields=None, page=1, per_page=PER_PAGE, suggest=True):
    query = syntax.parse(text, fields)
    results = Results(text=text or "", query=query, messages=list(query.messages))
    page = max(1, min(page, MAX_PAGE))
    results.pagination = Pagination(page=page, per_page=per_page, total=0)
    if query.is_empty:
        return results
    scope = _resolve(viewer, query, results.messages)
    terms = _terms(query, results.messages)
    if scope is None or not (terms.words or terms.phrases or query.has_filters):
        return results
    if query.after and query.before and query.after >= query.before:
        return results
    if query.type in capital.KINDS:
        return _capital(viewer, results, query, terms, scope, page, per_page)
    post_ids, scores, total, partial = _ids_for_page(interface.current(), terms, scope, (page - 1) * per_page,
                                                     per_page)
    results.searched, results.partial = True, partial
    results.pagination = Pagination(page=page, per_page=per_page, total=min(total, MAX_PAGE * per_page))
    if partial:
        results.messages.append(_("Peu de messages contiennent tous ces mots : suivent ceux qui en contiennent "
                                  "une partie, les plus proches d'abord."))
    results.items = load(viewer, post_ids, scores, list(terms.words) + list(terms.phrases))
    if suggest and terms.words and (not total or partial):
        results.suggestion = _suggestion(viewer, text, fields, terms.words)
    return results


def _capital(viewer, results, query, terms, scope, page, per_page):
    """Published syntheses or resources: their own documents (``search.capital``), same filters."""
    results.documents, total = capital.search(viewer, query.type, terms, scope, (page - 1) * per_page, per_page)
    results.searched = True
    results.pagination = Pagination(page=page, per_page=per_page, total=min(total, MAX_PAGE * per_page))
    return results


def _suggestion(viewer, text, fields, words):
    """``text`` with its misspelt words corrected (words unknown to the forum's vocabulary that
    find nothing alone), when the corrected query finds posts holding all its words; else None."""
    readable = readable_space_ids(viewer)
    corrections = {word: better for word, better in suggestions.corrections(words, readable).items()
                   if not search(viewer, word, per_page=1, suggest=False).total}
    if not corrections:
        return None
    better = suggestions.replace(text, corrections)
    found = search(viewer, better, fields, per_page=1, suggest=False)
    return better if found.total and not found.partial else None


def load(viewer, post_ids, scores, terms):
    """The results for these ids, in order, reloaded and checked one by one."""
    if not post_ids:
        return []
    posts = {post.id: post for post in db.session.scalars(
        select(Post).where(Post.id.in_(post_ids)).options(
            joinedload(Post.topic).joinedload(Topic.space), joinedload(Post.author)))}
    polls = poll_texts(db.session, posts)
    poll_ids = dict(db.session.execute(select(Poll.post_id, Poll.id).where(Poll.post_id.in_(list(polls)))).all()) \
        if polls else {}
    items, seen = [], set()
    for post_id, score in zip(post_ids, scores):
        post = posts.get(post_id)
        if post is None or post_id in seen or post.state != POST_VISIBLE or not can_read_post_text(viewer, post):
            continue
        seen.add(post_id)
        text = " ".join(part for part in (polls.get(post_id, ""), plain_text(post.html)) if part)
        items.append(Result(post=post, topic=post.topic, space=post.topic.space, author=post.author,
                            title_html=analysis.mark(post.topic.title, terms),
                            excerpt_html=analysis.excerpt(text, terms), score=score,
                            poll_id=poll_ids.get(post_id)))
    return items
