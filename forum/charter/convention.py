"""The convention of the comités locaux: one Markdown text, versioned, edited by the coordination.

Before any version is saved, the page shows the text the forum ships with (templates/convention.html).
"""
from flask_babel import gettext as _
from sqlalchemy import func, select

from forum.clock import now
from forum.errors import Forbidden, Invalid
from forum.extensions import db
from forum.permissions import is_coordinator
from forum.text.markup import render

from .models import ConventionVersion

TEXT_MAX_CHARS = 20_000
NOTE_MAX_CHARS = 300


def current():
    """The latest version, or None while the shipped text stands."""
    return db.session.scalars(select(ConventionVersion).order_by(ConventionVersion.number.desc())
                              .limit(1)).first()


def history():
    return db.session.scalars(select(ConventionVersion).order_by(ConventionVersion.number.desc())).all()


def publish(actor, text, note=""):
    """Save ``text`` as the next version, in force at once. The coordination (and administrators) only."""
    if not is_coordinator(actor):
        raise Forbidden(_("Réservé à la coordination."))
    text = (text or "").replace("\r\n", "\n").strip()
    note = " ".join((note or "").split())
    errors = {}
    if len(text) < 20:
        errors["text"] = _("Le texte de la convention est trop court.")
    elif len(text) > TEXT_MAX_CHARS:
        errors["text"] = _("Le texte est trop long (%(n)s caractères au plus).", n=TEXT_MAX_CHARS)
    if len(note) > NOTE_MAX_CHARS:
        errors["note"] = _("Une phrase de %(n)s caractères au plus.", n=NOTE_MAX_CHARS)
    latest = current()
    if not errors and latest is not None and latest.text == text:
        errors["text"] = _("Le texte n'a pas changé : rien à publier.")
    if errors:
        raise Invalid(errors)
    number = (db.session.scalar(select(func.max(ConventionVersion.number))) or 0) + 1
    version = ConventionVersion(number=number, text=text, html=render(text), note=note,
                                author_id=actor.id, published_at=now())
    db.session.add(version)
    db.session.commit()
    return version
