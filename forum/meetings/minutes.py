"""The compte rendu of a meeting: written once it has started by its organisers
(``rules.can_write_minutes``), in Markdown made HTML once like every text of the forum, a text
per accepted point of the agenda and a general one. It is read with the meeting by who sees it,
with the decisions linked to its points and their state. « En faire une synthèse » starts a
draft synthesis of the space from it (``forum/syntheses/writing.start``, under its own rules)
and the meeting keeps the link.
"""
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import update

from forum import dates
from forum.clock import now
from forum.decisions import rules as poll_rules
from forum.errors import Conflict, Forbidden, Invalid
from forum.extensions import db
from forum.syntheses import rules as synthesis_rules, writing
from forum.syntheses.models import Synthesis
from forum.text.references import render_post
from forum.topics import posting

from . import agenda, rules
from .models import ITEM_ACCEPTED, Meeting

TEXT_MAX = 100_000
TEXT_MAX_SHOWN = f"{TEXT_MAX:,}".replace(",", "\u202f")     # 100 000, a thin space between thousands


def item_field(item_id):
    """The form field of a point's text (``point-12``): its messages go beside it."""
    return f"point-{item_id}"


def accepted_items(meeting):
    return [item for item in sorted(meeting.agenda, key=lambda i: (i.position, i.id)) if item.status == ITEM_ACCEPTED]


def why_cannot_write(viewer, meeting):
    """None if ``viewer`` may write the compte rendu, else the refusal to raise."""
    if rules.can_write_minutes(viewer, meeting):
        return None
    if not rules.can_organise(viewer, meeting):
        return Forbidden(_("Seuls les organisateurs de la réunion écrivent son compte rendu."))
    if meeting.is_cancelled:
        return Invalid(_("Cette réunion est annulée : elle n'a pas de compte rendu."), status=409)
    return Invalid(_("Le compte rendu s'écrit une fois la réunion commencée."), status=409)


def _clean(text, name, errors):
    text = posting.clean_text(text or "").strip()
    if len(text) > TEXT_MAX:
        errors[name] = _("Le texte dépasse %(max)s caractères.", max=TEXT_MAX_SHOWN)
    return text


def write_minutes(writer, meeting, general, per_item):
    """Save the compte rendu: ``general`` and ``per_item`` ({point id: text}; points that are
    not accepted points of this meeting are ignored)."""
    refusal = why_cannot_write(writer, meeting)
    if refusal is not None:
        raise refusal
    errors = {}
    general = _clean(general, "general", errors)
    texts = [(item, _clean(per_item.get(item.id, ""), item_field(item.id), errors)) for item in accepted_items(meeting)]
    if errors:
        raise Invalid(errors)
    meeting.minutes, meeting.minutes_html = general, render_post(writer, general).html if general else ""
    for item, text in texts:
        item.minutes, item.minutes_html = text, render_post(writer, text).html if text else ""
    meeting.minutes_at, meeting.minutes_by_id = now(), writer.id
    db.session.commit()
    return meeting


def has_minutes(meeting):
    return bool(meeting.minutes or any(item.minutes for item in accepted_items(meeting)))


# --- the compte rendu as one reader sees it ----------------------------------------------------

@dataclass(frozen=True)
class DecisionState:
    id: int
    question: str
    url: str
    closed: bool
    closes_at: object
    closed_at: object
    outcome_html: str = ""


@dataclass
class MinutesView:
    meeting_id: int
    general_html: str = ""
    written_at: object = None
    written_by: str | None = None
    items: list = field(default_factory=list)          # agenda.ItemView with their minutes_html
    decisions: list = field(default_factory=list)      # DecisionState of the points' decisions
    can_write: bool = False
    may_start_synthesis: bool = False
    synthesis: dict | None = None                       # {"title", "url"} if the reader may read it


def _decisions(viewer, meeting):
    found = []
    for item in accepted_items(meeting):
        poll = item.poll
        if poll is None or not poll_rules.can_see_poll(viewer, poll) or any(d.id == poll.id for d in found):
            continue
        outcome = poll.outcome.html if poll.is_closed and poll.outcome is not None else ""
        found.append(DecisionState(poll.id, poll.question, f"/decision/{poll.id}", poll.is_closed, poll.closes_at,
                                   poll.closed_at, outcome))
    return found


def _synthesis_link(viewer, meeting):
    synthesis = db.session.get(Synthesis, meeting.synthesis_id) if meeting.synthesis_id else None
    if synthesis is None or not synthesis_rules.can_read(viewer, synthesis):
        return None
    return {"title": synthesis.title, "url": f"/synthese/{synthesis.id}"}


def minutes_view(viewer, meeting):
    """The compte rendu of ``meeting`` as ``viewer`` (who sees the meeting) reads it."""
    view = MinutesView(meeting.id, meeting.minutes_html, meeting.minutes_at,
                       meeting.minutes_by.pseudonym if meeting.minutes_by is not None else None,
                       can_write=why_cannot_write(viewer, meeting) is None)
    shown = agenda.agenda_view(viewer, meeting).accepted
    view.items = list(shown)
    view.decisions = _decisions(viewer, meeting)
    view.synthesis = _synthesis_link(viewer, meeting)
    view.may_start_synthesis = view.can_write and view.synthesis is None and meeting.synthesis_id is None \
        and has_minutes(meeting) and synthesis_rules.why_cannot_start(viewer, meeting.space) is None
    return view


def section(viewer, meeting):
    """The meeting page's part « Compte rendu » (``display.SECTIONS``): None before anything is
    written, except for who may write it."""
    if not has_minutes(meeting) and why_cannot_write(viewer, meeting) is not None:
        return None
    return minutes_view(viewer, meeting)


# --- « En faire une synthèse » ---------------------------------------------------------------------

def synthesis_source(meeting, gettext=_):
    """The Markdown a synthesis starts from: the general text, then each point with its text."""
    parts = [meeting.minutes] if meeting.minutes else []
    for number, item in enumerate(accepted_items(meeting), start=1):
        parts.append(f"## {number}. {item.title}")
        parts.append(item.minutes or gettext("(Rien n'a été noté sur ce point.)"))
    return "\n\n".join(parts)


def start_synthesis(member, meeting):
    """A draft synthesis in the meeting's space from its compte rendu, linked to the meeting."""
    refusal = why_cannot_write(member, meeting)
    if refusal is not None:
        raise refusal
    if meeting.synthesis_id is not None and db.session.get(Synthesis, meeting.synthesis_id) is not None:
        raise Conflict(_("Une synthèse a déjà été commencée à partir de ce compte rendu."))
    if not has_minutes(meeting):
        raise Invalid(_("Écrivez d'abord le compte rendu."))
    title = _("Compte rendu : %(title)s (%(date)s)", title=meeting.title,
              date=dates.format_date(meeting.starts_at))
    polls = [item.poll_id for item in accepted_items(meeting)
             if item.poll is not None and poll_rules.can_see_poll(member, item.poll)]
    try:
        synthesis = writing.start(member, meeting.space, title[:writing.TITLE_MAX], synthesis_source(meeting),
                                  poll_ids=tuple(dict.fromkeys(polls)), commit=False)
    except Invalid as refusal:
        # The synthesis form's fields are not on this page: every message goes to the whole form.
        raise Invalid({None: refusal.message}, refusal.status) from None
    # Two organisers clicking at once: the link is set only where none is (the second UPDATE waits
    # for the first transaction, then finds the link made), and the second draft is rolled back.
    linked = db.session.execute(update(Meeting).where(Meeting.id == meeting.id, Meeting.synthesis_id.is_(None))
                                .values(synthesis_id=synthesis.id).execution_options(synchronize_session=False))
    if linked.rowcount != 1:
        db.session.rollback()
        raise Conflict(_("Une synthèse a déjà été commencée à partir de ce compte rendu."))
    db.session.commit()
    return synthesis
