"""Writing a synthesis: starting one (blank or from a debate), saving without losing anyone's
text, its editors and sources.

Saving is optimistic: the form carries the revision it was written on (``base``) and the save
is ``UPDATE synthesis … WHERE revision_count = base``. When another editor saved in between,
nothing is written and ``Conflict`` carries both texts: the page shows them side by side, the
editor merges and saves again on the newer base. No text is ever lost, no lock is ever left.
"""
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import delete, select, update

from forum import permissions
from forum.accounts.models import Member
from forum.clock import now
from forum.decisions.models import Poll
from forum.errors import Conflict, Forbidden, Invalid, NotFound
from forum.extensions import db
from forum.notifications.models import KIND_SYNTHESIS_EDITOR, Notification
from forum.text.pseudonyms import pseudonym_key
from forum.topics import history, posting
from forum.topics.models import Post

from . import quoting, rules
from .models import (APPROVED, DRAFT, PUBLISHED, REVIEW, SOURCE_POLL, SOURCE_POST, SOURCE_TOPIC, Synthesis,
                     SynthesisEditor, SynthesisRevision, SynthesisSource)

TITLE_MAX = 200
SOURCE_MAX = 200_000      # about 60 pages of text


def _clean(title, source):
    errors = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = _("Donnez un titre à la synthèse.")
    elif len(title) > TITLE_MAX:
        errors["title"] = _("Le titre dépasse %(max)s caractères.", max=TITLE_MAX)
    source = posting.clean_text(source or "")
    if len(source) > SOURCE_MAX:
        errors["source"] = _("Le texte dépasse %(max)s caractères : découpez la synthèse.", max=f"{SOURCE_MAX:,}".replace(",", "\u202f"))
    return title, source, errors


def start(author, space, title, source, topic=None, poll_ids=(), commit=True):
    """A new draft in ``space`` (from ``topic`` when prepared from a debate), its author its
    first editor. Quotations are checked as in every save. ``commit=False``: the caller links
    the draft to what it comes from in the same transaction, or rolls it back."""
    reason = rules.why_cannot_start(author, space)
    if reason:
        raise Forbidden(reason)
    if topic is not None and (topic.space_id != space.id or not permissions.can_read_topic(author, topic)):
        raise NotFound(_("Ce sujet est introuvable."))
    title, source, errors = _clean(title, source)
    _check_quotes(author, space, source, errors)
    moment = now()
    synthesis = Synthesis(space=space, space_id=space.id, topic_id=topic.id if topic else None, author_id=author.id,
                          title=title, source=source, status=DRAFT, revision_count=1, created_at=moment,
                          updated_at=moment, published_version=0)
    synthesis.editors.append(SynthesisEditor(member_id=author.id, added_at=moment))
    db.session.add(synthesis)
    db.session.flush()
    synthesis.html, quoted = quoting.render(author, source, space)
    db.session.add(SynthesisRevision(synthesis_id=synthesis.id, number=1, title=title, source=source,
                                     editor_id=author.id, created_at=moment))
    _store_sources(synthesis, topic.id if topic else None, poll_ids, quoted)
    if commit:
        db.session.commit()
    return synthesis


def _check_quotes(editor, space, source, errors):
    try:
        quoting.check(editor, space, source)
    except Invalid as refusal:
        errors.update(refusal.fields)
    if errors:
        raise Invalid(errors)


def save(editor, synthesis, title, source, base):
    """Save a new revision written on revision ``base``. Refused with ``Conflict`` (409) when
    someone saved since: ``conflict.theirs`` is their text, what ``editor`` typed is kept by the page.
    Editing an approved synthesis sends it back to review (what was approved is not what is
    there now); editing a published one starts its next version (the published one stays)."""
    reason = rules.why_cannot_edit(editor, synthesis)
    if reason:
        raise Forbidden(reason)
    title, source, errors = _clean(title, source)
    _check_quotes(editor, synthesis.space, source, errors)
    if title == synthesis.title and source == synthesis.source and base == synthesis.revision_count:
        return synthesis       # nothing changed: no empty revision
    status = {APPROVED: REVIEW, PUBLISHED: DRAFT}.get(synthesis.status, synthesis.status)
    html, quoted = quoting.render(synthesis.author, source, synthesis.space)
    moment = now()
    written = db.session.execute(
        update(Synthesis).where(Synthesis.id == synthesis.id, Synthesis.revision_count == base)
        .values(revision_count=Synthesis.revision_count + 1, title=title, source=source, html=html,
                status=status, updated_at=moment)
        .execution_options(synchronize_session=False))
    if written.rowcount != 1:
        db.session.rollback()
        db.session.refresh(synthesis)
        conflict = Conflict({"source": _("Quelqu'un a enregistré cette synthèse pendant que vous écriviez. "
                                         "Votre texte est gardé ci-dessous, à côté du sien : reprenez ce "
                                         "qu'il faut des deux, puis enregistrez.")})
        conflict.theirs = synthesis
        raise conflict
    db.session.refresh(synthesis)
    db.session.add(SynthesisRevision(synthesis_id=synthesis.id, number=synthesis.revision_count, title=title,
                                     source=source, editor_id=editor.id, created_at=moment))
    _store_sources(synthesis, synthesis.topic_id, (), quoted)
    db.session.commit()
    return synthesis


def _store_sources(synthesis, topic_id, poll_ids, quoted):
    """Its sources: the debate it started from and its decisions (kept), the posts it quotes
    (as the text now quotes them)."""
    kept = [s for s in synthesis.sources if s.kind != SOURCE_POST]
    known = {(s.kind, s.ref_id) for s in kept}
    if topic_id and (SOURCE_TOPIC, topic_id) not in known:
        kept.append(SynthesisSource(kind=SOURCE_TOPIC, ref_id=topic_id, topic_id=topic_id))
    if poll_ids:
        for poll in db.session.scalars(select(Poll).where(Poll.id.in_(poll_ids))):
            if (SOURCE_POLL, poll.id) not in known:
                kept.append(SynthesisSource(kind=SOURCE_POLL, ref_id=poll.id, topic_id=poll.topic_id))
    rows = db.session.execute(select(Post.id, Post.topic_id).where(Post.id.in_(quoted))).all() if quoted else []
    posts = [SynthesisSource(kind=SOURCE_POST, ref_id=row.id, topic_id=row.topic_id) for row in sorted(rows)]
    db.session.execute(delete(SynthesisSource).where(SynthesisSource.synthesis_id == synthesis.id,
                                                     SynthesisSource.kind == SOURCE_POST))
    for position, source in enumerate(kept + posts):
        source.position = position
    synthesis.sources = kept + posts


def invite(inviter, synthesis, pseudonym):
    """Add a member of the space as an editor, by pseudonym."""
    if not rules.can_invite(inviter, synthesis):
        raise Forbidden(_("Seuls l'auteur de la synthèse et les modérateurs de l'espace invitent des rédacteurs."))
    member = db.session.scalar(select(Member).where(Member.pseudonym_key == pseudonym_key(pseudonym or "")))
    if member is None or permissions.why_cannot_post(member, synthesis.space) is not None:
        raise Invalid({"pseudonym": _("Aucun membre de ce nom ne peut écrire dans cet espace.")})
    if any(e.member_id == member.id for e in synthesis.editors):
        raise Invalid({"pseudonym": _("%(name)s rédige déjà cette synthèse.", name=member.pseudonym)})
    synthesis.editors.append(SynthesisEditor(member_id=member.id, added_at=now()))
    db.session.add(Notification(member_id=member.id, kind=KIND_SYNTHESIS_EDITOR, actor_id=inviter.id,
                                text=synthesis.title, url=f"/synthese/{synthesis.id}?texte=en-cours", created_at=now()))
    db.session.commit()
    return member


def set_named(member, synthesis, named):
    """An editor chooses whether they are named among its contributors (pages and exports)."""
    row = next((e for e in synthesis.editors if e.member_id == getattr(member, "id", None)), None)
    if row is None:
        raise Forbidden(_("Seuls les rédacteurs de la synthèse choisissent d'y être nommés."))
    row.named = bool(named)
    db.session.commit()


@dataclass(frozen=True)
class ShownRevision:
    """A revision as its history shows it: withdrawn quotations left out of its text."""
    number: int
    title: str
    source: str
    editor: object
    editor_id: int
    created_at: object
    note: str = ""
    redacted_at: object = None


def revisions(synthesis):
    found = db.session.scalars(select(SynthesisRevision).where(SynthesisRevision.synthesis_id == synthesis.id)
                               .order_by(SynthesisRevision.number))
    return [ShownRevision(r.number, r.title, quoting.strip_withdrawn(r.source, synthesis.space)[0], r.editor,
                          r.editor_id, r.created_at) for r in found]


@dataclass(frozen=True)
class Theirs:
    """What another editor saved while ``base`` was being edited: the text now, what changed
    since ``base`` (word diff), and who saved last. Withdrawn quotations left out of both."""
    text: str
    changes: list
    editor: str


def theirs_since(synthesis, base):
    found = {r.number: r for r in revisions(synthesis)}
    now_text = found[synthesis.revision_count].source if synthesis.revision_count in found else synthesis.source
    before = found[base].source if base in found else ""
    last = found.get(synthesis.revision_count)
    return Theirs(now_text, history.diff_text(before, now_text), last.editor.pseudonym if last else "")
