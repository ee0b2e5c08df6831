"""Moderation settings: per space (report threshold, approval of first posts, delay before the
coordination is told of a waiting report) and watched words.

Per-space settings are kept by the coordination and by the space's own moderators (they know
their comité); watched words reach every space, so only the coordination keeps them.
Every change goes to the audit log with its before and after.
"""
import re
import unicodedata

from flask import current_app, g, has_app_context
from flask_babel import gettext as _, lazy_gettext
from sqlalchemy import select

from forum.clock import now
from forum.errors import Conflict, Forbidden, Invalid
from forum.extensions import db
from forum.numbers import parse_int
from forum.permissions import can_moderate, is_coordinator

from . import journal
from .models import WORD_ACTIONS, SpaceSettings, WatchedWord

THRESHOLD_RANGE = (1, 50)
APPROVE_RANGE = (0, 50)
ESCALATION_RANGE = (1, 720)   # hours: from one hour to thirty days
PHRASE_MAX_CHARS = 100

WORD_ACTION_LABELS = {
    "block": lazy_gettext("Refuser le message"),
    "approve": lazy_gettext("Soumettre le message à approbation"),
    "flag": lazy_gettext("Signaler le message à la modération"),
}


def for_space(space):
    """The settings of ``space`` (defaults when it has none of its own; never written here)."""
    row = db.session.get(SpaceSettings, space.id)
    if row is None:
        row = SpaceSettings(space_id=space.id, approve_first_posts=0,
                            report_threshold=current_app.config["MODERATION_REPORT_THRESHOLD"],
                            escalate_after_hours=current_app.config["MODERATION_ESCALATION_HOURS"])
    return row


def _as_int(value, field, low, high, message):
    number = parse_int(value, low, high)
    if number is None:
        raise Invalid({field: message})
    return number


def save_for_space(actor, space, report_threshold, approve_first_posts, escalate_after_hours=None):
    if not can_moderate(actor, space):
        raise Forbidden(_("Seuls la coordination et les modérateurs de cet espace règlent sa modération."))
    threshold = _as_int(report_threshold, "report_threshold", *THRESHOLD_RANGE,
                        _("Un nombre de %(low)s à %(high)s.", low=THRESHOLD_RANGE[0], high=THRESHOLD_RANGE[1]))
    approve = _as_int(approve_first_posts, "approve_first_posts", *APPROVE_RANGE,
                      _("Un nombre de %(low)s (jamais) à %(high)s.", low=APPROVE_RANGE[0], high=APPROVE_RANGE[1]))
    hours = for_space(space).escalate_after_hours if escalate_after_hours is None else _as_int(
        escalate_after_hours, "escalate_after_hours", *ESCALATION_RANGE,
        _("Un nombre d'heures de %(low)s à %(high)s.", low=ESCALATION_RANGE[0], high=ESCALATION_RANGE[1]))
    row = db.session.get(SpaceSettings, space.id)
    before = None if row is None else {"report_threshold": row.report_threshold,
                                       "approve_first_posts": row.approve_first_posts,
                                       "escalate_after_hours": row.escalate_after_hours}
    if row is None:
        row = SpaceSettings(space_id=space.id)
        db.session.add(row)
    row.report_threshold, row.approve_first_posts, row.escalate_after_hours = threshold, approve, hours
    row.updated_at, row.updated_by_id = now(), actor.id
    journal.audit(actor, "space_settings", "space", space.id, space_id=space.id, before=before,
                  after={"report_threshold": threshold, "approve_first_posts": approve,
                         "escalate_after_hours": hours})
    db.session.commit()
    return row


# --- watched words -----------------------------------------------------------------------

def fold(text):
    """Lower case without accents: "Crédit" and "credit" are the same watched word."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def clean_phrase(phrase):
    phrase = " ".join((phrase or "").split())
    if len(phrase.rstrip("*")) < 2:
        raise Invalid({"phrase": _("Un mot ou une expression de deux caractères au moins.")})
    if len(phrase) > PHRASE_MAX_CHARS:
        raise Invalid({"phrase": _("%(n)s caractères au plus.", n=PHRASE_MAX_CHARS)})
    if "*" in phrase[:-1]:
        raise Invalid({"phrase": _("L'astérisque n'est permis qu'à la fin (« arnaqu* »).")})
    return fold(phrase)


def watched_words():
    return db.session.scalars(select(WatchedWord).order_by(WatchedWord.action, WatchedWord.phrase)).all()


def add_word(actor, phrase, action):
    if not is_coordinator(actor):
        raise Forbidden(_("Réservé à la coordination."))
    phrase = clean_phrase(phrase)
    if action not in WORD_ACTIONS:
        raise Invalid({"action": _("Choisissez ce qui arrive au message.")})
    if db.session.scalar(select(WatchedWord.id).where(WatchedWord.phrase == phrase)):
        raise Conflict({"phrase": _("Ce mot est déjà surveillé.")})
    word = WatchedWord(phrase=phrase, action=action, created_at=now(), created_by_id=actor.id)
    db.session.add(word)
    db.session.flush()
    journal.audit(actor, "watched_word_added", "watched_word", word.id, after={"phrase": phrase, "action": action})
    db.session.commit()
    g.pop("moderation_watched_words", None)
    return word


def remove_word(actor, word):
    if not is_coordinator(actor):
        raise Forbidden(_("Réservé à la coordination."))
    journal.audit(actor, "watched_word_removed", "watched_word", word.id,
                  before={"phrase": word.phrase, "action": word.action})
    db.session.delete(word)
    db.session.commit()
    g.pop("moderation_watched_words", None)


def _pattern(phrase):
    stem = phrase.rstrip("*")
    tail = r"\w*" if phrase.endswith("*") else ""
    return r"(?<!\w)" + r"\s+".join(re.escape(part) for part in stem.split()) + tail + r"(?!\w)"


def _compiled():
    """(pattern, phrase, action) of every watched word, read once per request: the posting guard
    and the "flag" subscriber both ask while one post is written."""
    if has_app_context() and "moderation_watched_words" in g:
        return g.moderation_watched_words
    words = [(re.compile(_pattern(w.phrase)), w.phrase, w.action) for w in watched_words()]
    if has_app_context():
        g.moderation_watched_words = words
    return words


def matches(*texts):
    """{action: [phrases found]} for the watched words found in ``texts``."""
    words = _compiled()
    if not words:
        return {}
    folded = fold("\n".join(t for t in texts if t))
    found = {}
    for pattern, phrase, action in words:
        if pattern.search(folded):
            found.setdefault(action, []).append(phrase)
    return found
