"""Syntheses as a reader sees them: plain data, the rules applied (templates never query)."""
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from forum import permissions
from forum.errors import NotFound
from forum.decisions.models import Poll
from forum.extensions import db

from . import comments, export, lifecycle, quoting, rules
from .models import APPROVED, DRAFT, PUBLISHED, REVIEW, Synthesis, SynthesisSource


@dataclass
class Page:
    synthesis: Synthesis
    title: str
    html: str
    status: str                 # the status label shown
    version: object = None      # the published version shown, or None for the working text
    versions: list = field(default_factory=list)
    sources: tuple = ()
    contributors: tuple = ()
    people: int = 0                             # contributors in all
    named: tuple = ()
    comments: list = field(default_factory=list)
    sections: list = field(default_factory=list)
    may: dict = field(default_factory=dict)     # what the reader may do here
    working_newer: bool = False                 # a published version is shown, a newer text is being written
    consent: object = None                      # the consent decision asked about it, while it matters


def find(viewer, synthesis_id):
    synthesis = db.session.get(Synthesis, synthesis_id)
    if synthesis is None or not rules.can_read(viewer, synthesis):
        raise NotFound(_("Cette synthèse est introuvable."))
    return synthesis


def page(viewer, synthesis, version_number=None, working=False):
    """The synthesis page: a published version (the last by default for who may not read the
    working text), or the working text (``working``, for who may read it)."""
    version = None
    if not (working and rules.can_read_working_text(viewer, synthesis)):
        version = export.pick(viewer, synthesis, version_number)
    if version is not None:
        title = version.title
        html = quoting.shown_html(version.html, version.source, synthesis.author, synthesis.space)
        status = export.status_label(PUBLISHED, version.transmitted_at is not None)
        quoted = quoting.quoted_ids(version.source)
        quoted -= quoting.withdrawn(quoted, synthesis.space)
    else:
        title, status = synthesis.title, export.status_label(synthesis.status)
        html = quoting.shown_html(synthesis.html, synthesis.source, synthesis.author, synthesis.space)
        quoted = {s.ref_id for s in synthesis.sources if s.kind == "post"}
        quoted -= quoting.withdrawn(quoted, synthesis.space)
    counts, named, people = export.contributors(synthesis, quoted)
    editor = rules.is_editor(viewer, synthesis)
    approver = rules.can_approve(viewer, synthesis)
    may = {
        "edit": version is None and rules.why_cannot_edit(viewer, synthesis) is None,
        "correct": version is not None and rules.why_cannot_edit(viewer, synthesis) is None,
        "review": editor and synthesis.status == DRAFT,
        "approve": approver and synthesis.status == REVIEW,
        "publish": approver and synthesis.status == APPROVED,
        "transmit": approver and synthesis.is_published and version is not None and version.transmitted_at is None,
        "kept_files": approver and version is not None and version.transmitted_at is not None,
        "invite": rules.can_invite(viewer, synthesis),
        "name_myself": editor and any(e.member_id == viewer.id for e in synthesis.editors),
        "comment": rules.can_comment(viewer, synthesis),
        "working": rules.can_read_working_text(viewer, synthesis),
        "history": rules.can_read_working_text(viewer, synthesis),
    }
    seen_comments = comments.of(synthesis) if (may["working"] and synthesis.status in (REVIEW, APPROVED)) else []
    consent = None
    if version is None and synthesis.approval_poll_id and synthesis.status == REVIEW:
        consent = db.session.get(Poll, synthesis.approval_poll_id)
    return Page(synthesis=synthesis, consent=consent, title=title, html=html, status=status, version=version,
                versions=lifecycle.versions(synthesis) if synthesis.is_published else [],
                sources=export.sources(viewer, synthesis, quoted), contributors=counts, named=named, people=people,
                comments=seen_comments, sections=comments.sections(synthesis.source), may=may,
                working_newer=version is not None and synthesis.status != PUBLISHED and may["working"])


def of_space(viewer, space):
    """The syntheses of ``space`` ``viewer`` may read, newest first."""
    found = db.session.scalars(select(Synthesis).where(Synthesis.space_id == space.id)
                               .order_by(Synthesis.updated_at.desc(), Synthesis.id.desc())).all()
    return [s for s in found if rules.can_read(viewer, s)]


def citing(viewer, topic):
    """Published syntheses that cite ``topic`` or one of its posts, as ``viewer`` may read them:
    [(synthesis, {ids of its posts quoted})]."""
    if not permissions.can_read_topic(viewer, topic):
        return []
    rows = db.session.execute(select(SynthesisSource.synthesis_id, SynthesisSource.kind, SynthesisSource.ref_id)
                              .join(Synthesis, Synthesis.id == SynthesisSource.synthesis_id)
                              .where(SynthesisSource.topic_id == topic.id, Synthesis.published_version > 0)).all()
    if not rows:
        return []
    out = []
    for synthesis in db.session.scalars(select(Synthesis).where(Synthesis.id.in_({r.synthesis_id for r in rows}))
                                        .order_by(Synthesis.id)):
        if synthesis.is_published and permissions.can_read_space(viewer, synthesis.space):
            post_ids = {r.ref_id for r in rows if r.synthesis_id == synthesis.id and r.kind == "post"}
            out.append((synthesis, post_ids))
    return out
