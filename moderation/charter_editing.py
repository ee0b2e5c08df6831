"""Coordinators write the règlement: one Markdown text, a draft, then publication.

The text is the whole règlement: what comes before the first ``## `` heading is the preamble,
each ``## Title`` starts an article (numbered in order). A heading ending in ``{non signalable}``
marks an article members cannot cite when reporting a post (the one about moderation itself). The core keeps versions, articles and
acceptances (``forum.charter``); publishing asks every member to accept the new version.
"""
import re

from flask_babel import gettext as _
from sqlalchemy import func, select

from forum.accounts.models import Member
from forum.charter import versions as charter
from forum.charter.models import CharterAcceptance, CharterVersion
from forum.errors import Conflict, Forbidden, Invalid
from forum.extensions import db
from forum.permissions import is_coordinator
from forum.text.markup import render

from . import journal

TEXT_MAX_CHARS = 100_000
_HEADING = re.compile(r"^##\s+(?:Article\s+\d+\s*[—–:.-]\s*)?(.+?)\s*#*\s*$", re.IGNORECASE)
NOT_REPORTABLE = "{non signalable}"
_NOT_REPORTABLE = re.compile(r"\s*\{\s*non[ -]signalable\s*\}\s*$", re.IGNORECASE)


def _require_coordinator(actor):
    if not is_coordinator(actor):
        raise Forbidden(_("Réservé à la coordination."))


def parse(text):
    """(preamble, [(title, body, reportable)]) from the Markdown text of a règlement."""
    preamble, articles = [], []
    for line in (text or "").replace("\r\n", "\n").split("\n"):
        match = _HEADING.match(line)
        if match:
            title, marks = _NOT_REPORTABLE.subn("", match.group(1))
            articles.append((title.strip(), [], not marks))
        elif articles:
            articles[-1][1].append(line)
        else:
            preamble.append(line)
    return "\n".join(preamble).strip(), [(title, "\n".join(body).strip(), reportable)
                                         for title, body, reportable in articles]


def as_text(version):
    """The Markdown text of ``version``, as coordinators edit it."""
    if version is None:
        return ""
    parts = [version.preamble.strip()] if version.preamble.strip() else []
    parts += [f"## {a.title}{'' if a.reportable else ' ' + NOT_REPORTABLE}\n\n{a.body.strip()}"
              for a in version.articles]
    return "\n\n".join(parts) + "\n"


def _validate(title, text):
    title = " ".join((title or "").split())
    errors = {}
    if not 3 <= len(title) <= 200:
        errors["title"] = _("Un titre de 3 à 200 caractères.")
    if len(text or "") > TEXT_MAX_CHARS:
        errors["text"] = _("Le texte est trop long (%(n)s caractères au plus).", n=TEXT_MAX_CHARS)
    preamble, articles = parse(text)
    if not articles:
        errors["text"] = _("Le règlement doit compter au moins un article (une ligne « ## Titre de l'article »).")
    for number, (article_title, body, _reportable) in enumerate(articles, start=1):
        if not article_title:
            errors["text"] = _("L'article %(number)s n'a pas de titre.", number=number)
        elif len(article_title) > 200:
            errors["text"] = _("Le titre de l'article %(number)s est trop long (200 caractères au plus).",
                               number=number)
        elif not body:
            errors["text"] = _("L'article %(number)s (« %(title)s ») n'a pas de texte.",
                               number=number, title=article_title)
    if errors:
        raise Invalid(errors)
    return title, preamble, articles


def draft():
    """The version being written (at most one), or None."""
    return db.session.scalars(select(CharterVersion).where(CharterVersion.published_at.is_(None))
                              .order_by(CharterVersion.number.desc()).limit(1)).first()


def save_draft(actor, title, text):
    """Create the draft, or rewrite it: a draft is cited by nothing, so its articles are replaced."""
    _require_coordinator(actor)
    title, preamble, articles = _validate(title, text)
    version = draft()
    if version is None:
        version = charter.draft_version(title, preamble, articles)
        db.session.flush()
        action = "charter_draft_created"
    else:
        version.title, version.preamble, version.preamble_html = title, preamble, render(preamble)
        charter.set_articles(version, articles)
        action = "charter_draft_saved"
    db.session.flush()
    journal.audit(actor, action, "charter_version", version.id,
                  after={"number": version.number, "title": title, "articles": [a[0] for a in articles]})
    db.session.commit()
    return version


def publish(actor, version):
    _require_coordinator(actor)
    if version is None or version.published_at is not None:
        raise Conflict({None: _("Cette version est déjà publiée.")})
    current = charter.current_version()
    journal.audit(actor, "charter_published", "charter_version", version.id,
                  before={"number": current.number} if current else None, after={"number": version.number})
    # Publishing is accepting: the publisher is not asked to accept the text they just published.
    charter.record_acceptance(actor, version)
    return charter.publish_version(version)   # commits


def versions():
    return db.session.scalars(select(CharterVersion).order_by(CharterVersion.number.desc())).all()


def acceptance_counts():
    """{version id: members who accepted it}, and the number of members."""
    counts = dict(db.session.execute(select(CharterAcceptance.version_id, func.count())
                                     .group_by(CharterAcceptance.version_id)).all())
    return counts, db.session.scalar(select(func.count(Member.id)))
