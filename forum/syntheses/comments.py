"""Review comments: while a synthesis is in review, the space's members comment on it, on one
section (a heading of the text) or on the whole; its editors mark a comment as dealt with."""
import re

from flask_babel import gettext as _
from sqlalchemy import select

from forum.clock import now
from forum.errors import Forbidden, Invalid
from forum.extensions import db
from forum.text import references
from forum.topics import posting

from . import rules
from .models import SynthesisComment

COMMENT_MAX = 5000
_HEADING = re.compile(r"^(#{2,3})\s+(.+?)\s*#*\s*$", re.MULTILINE)


def sections(source):
    """The headings a comment may be attached to (level 2 and 3), in the text's order."""
    return list(dict.fromkeys(match.group(2).strip()[:200] for match in _HEADING.finditer(source or "")))


def add(member, synthesis, section, text):
    if not rules.can_comment(member, synthesis):
        raise Forbidden(_("Les membres de l'espace commentent une synthèse pendant sa relecture."))
    errors = {}
    section = (section or "").strip()
    if section and section not in sections(synthesis.source):
        errors["section"] = _("Cette partie n'existe plus dans la synthèse : choisissez-en une autre.")
    text = posting.clean_text(text).strip()
    if not text:
        errors["text"] = _("Le commentaire est vide : écrivez quelques mots.")
    elif len(text) > COMMENT_MAX:
        errors["text"] = _("Le commentaire dépasse %(max)s caractères.", max=COMMENT_MAX)
    if errors:
        raise Invalid(errors)
    comment = SynthesisComment(synthesis_id=synthesis.id, section=section, author_id=member.id, source=text,
                               html=references.render_post(member, text).html, revision=synthesis.revision_count,
                               created_at=now())
    db.session.add(comment)
    db.session.commit()
    return comment


def resolve(member, comment, synthesis):
    if not rules.is_editor(member, synthesis):
        raise Forbidden(_("Seuls les rédacteurs marquent un commentaire comme traité."))
    comment.resolved_at = None if comment.resolved_at else now()
    db.session.commit()


def of(synthesis):
    """Comments grouped by section, in the order of the text (the whole document first)."""
    found = db.session.scalars(select(SynthesisComment).where(SynthesisComment.synthesis_id == synthesis.id)
                               .order_by(SynthesisComment.created_at, SynthesisComment.id)).all()
    order = [""] + sections(synthesis.source)
    grouped = {}
    for comment in found:
        grouped.setdefault(comment.section, []).append(comment)
    return [(section, grouped[section]) for section in sorted(grouped, key=lambda s: order.index(s) if s in order
                                                               else len(order))]
