"""The syntheses' part of what concerns one member: their archive ("Mes données") and the
erasure of their account.

- Archive: the syntheses they write (as author or invited editor, and whether they chose to be
  named) and their review comments.
- Erasure: a synthesis is the comité's record and stays (its author and editors show as
  "Ancien membre N"); an erased editor is no longer named among its contributors; when their
  contributions are removed, their review comments are emptied too.
"""
from flask_babel import lazy_gettext
from sqlalchemy import select, update

from forum import events
from forum.accounts import portability
from forum.accounts.erasure import MODE_REMOVE, FormerMember
from forum.extensions import db

from .models import Synthesis, SynthesisComment, SynthesisEditor

iso = portability.iso

LABELS = {
    "synthesis": lazy_gettext("Synthèse"), "space": lazy_gettext("Espace"), "author": lazy_gettext("Auteur"),
    "named": lazy_gettext("Nommé parmi les contributeurs"), "section": lazy_gettext("Partie"),
    "text": lazy_gettext("Texte"), "created_at": lazy_gettext("Écrit le"),
}


def editorships_of(member):
    rows = db.session.execute(select(Synthesis, SynthesisEditor.named).join(
        SynthesisEditor, SynthesisEditor.synthesis_id == Synthesis.id)
        .where(SynthesisEditor.member_id == member.id).order_by(Synthesis.id)).all()
    return [{"synthesis": s.title, "space": s.space.name, "author": s.author_id == member.id, "named": named}
            for s, named in rows]


def comments_of(member):
    return [{"synthesis": db.session.get(Synthesis, c.synthesis_id).title, "section": c.section, "text": c.source,
             "created_at": iso(c.created_at)}
            for c in db.session.scalars(select(SynthesisComment).where(SynthesisComment.author_id == member.id)
                                        .order_by(SynthesisComment.id))]


def forget(event):
    """An erased member is named nowhere; with their contributions, their comments go."""
    db.session.execute(update(SynthesisEditor).where(SynthesisEditor.member_id == event.member_id)
                       .values(named=False))
    former = db.session.get(FormerMember, event.member_id)
    if former is not None and former.mode == MODE_REMOVE:
        db.session.execute(update(SynthesisComment).where(SynthesisComment.author_id == event.member_id)
                           .values(source="", html=""))


def init_app(app):
    portability.register_section(app, "syntheses", lazy_gettext("Synthèses que vous rédigez"), editorships_of,
                                 LABELS)
    portability.register_section(app, "synthesis_comments", lazy_gettext("Vos commentaires de relecture"),
                                 comments_of, LABELS)
    events.subscribe(app, events.MemberErased, forget, phase="transaction")
