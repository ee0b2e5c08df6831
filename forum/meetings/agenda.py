"""The ordre du jour: points proposed by members, accepted or declined and ordered by an
organiser, each may be linked to what the comité wrote (a topic, a decision or a synthesis of
the meeting's space, as its proposer may read it).

A link names what it points to only to a reader who may still read it: the same check runs when
the point is proposed (a link the proposer may not read is refused with the message given for
one that does not exist) and each time the agenda is shown or mailed.
"""
import re
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import func, select

from forum import permissions
from forum.clock import now
from forum.decisions import rules as poll_rules
from forum.decisions.models import Poll
from forum.errors import Forbidden, Invalid, NotFound
from forum.extensions import db
from forum.numbers import parse_int
from forum.syntheses import rules as synthesis_rules
from forum.syntheses.models import Synthesis
from forum.topics import posting
from forum.topics.models import Topic

from . import rules
from .models import ITEM_ACCEPTED, ITEM_DECLINED, ITEM_PROPOSED, AgendaItem, Meeting

TITLE_MAX = 200
NOTE_MAX = 5000
DURATION_MAX = 600          # minutes: a point longer than ten hours is a typing slip
TOPIC, POLL, SYNTHESIS = "topic", "poll", "synthesis"
LINK_KINDS = (TOPIC, POLL, SYNTHESIS)
_PATHS = {"sujet": TOPIC, "decision": POLL, "synthese": SYNTHESIS}
# A link typed as an address of the site (absolute or not): /sujet/12-…, /decision/4, /synthese/7.
_ADDRESS = re.compile(r"/(sujet|decision|synthese)/(\d{1,12})(?=$|[/?#])")
_NUMBER = re.compile(r"#?(\d{1,12})")


def visible_meeting(viewer, meeting_id):
    """The meeting ``meeting_id`` if ``viewer`` sees it; else ``NotFound``, as if it did not exist."""
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None or not rules.can_see(viewer, meeting):
        raise NotFound(_("Cette réunion est introuvable."))
    return meeting


def visible_item(viewer, item_id):
    """A point of a meeting ``viewer`` sees; a point still proposed or declined only to the
    organisers and its proposer."""
    item = db.session.get(AgendaItem, item_id)
    if item is None or not rules.can_see(viewer, item.meeting) or not (
            item.status == ITEM_ACCEPTED or rules.can_organise(viewer, item.meeting)
            or (permissions.is_member(viewer) and item.proposer_id == viewer.id)):
        raise NotFound(_("Ce point de l'ordre du jour est introuvable."))
    return item


# --- links -----------------------------------------------------------------------------------

def _readable(viewer, meeting, kind, number):
    """The topic, decision or synthesis ``number`` of the meeting's space, if ``viewer`` may read
    it; None otherwise (whether it does not exist or is not theirs to read)."""
    if kind == TOPIC:
        row = db.session.get(Topic, number)
        return row if row is not None and row.space_id == meeting.space_id \
            and permissions.can_read_topic(viewer, row) else None
    if kind == POLL:
        row = db.session.get(Poll, number)
        return row if row is not None and row.topic.space_id == meeting.space_id \
            and poll_rules.can_see_poll(viewer, row) else None
    row = db.session.get(Synthesis, number)
    return row if row is not None and row.space_id == meeting.space_id \
        and synthesis_rules.can_read(viewer, row) else None


def find_link(viewer, meeting, typed, kind=""):
    """(kind, row) of what ``typed`` names (an address of the site, or a number with ``kind``),
    (None, None) for nothing typed. ``Invalid`` on the field ``link`` otherwise, with one message
    for what does not exist and what ``viewer`` may not read."""
    typed = (typed or "").strip()
    if not typed:
        return None, None
    address, number = _ADDRESS.search(typed), _NUMBER.fullmatch(typed)
    if address:
        kind, number = _PATHS[address.group(1)], int(address.group(2))
    elif number and kind in LINK_KINDS:
        number = int(number.group(1))
    elif number:
        raise Invalid({"link_kind": _("Dites si ce numéro est celui d'un sujet, d'une décision ou d'une synthèse.")})
    else:
        raise Invalid({"link": _("Collez l'adresse d'un sujet, d'une décision ou d'une synthèse de cet espace, "
                                 "ou tapez son numéro.")})
    row = _readable(viewer, meeting, kind, number)
    if row is None:
        raise Invalid({"link": _("Rien dans cet espace, parmi ce que vous pouvez lire, ne correspond à « %(typed)s ».",
                                 typed=typed[:200])})
    return kind, row


@dataclass(frozen=True)
class LinkView:
    kind: str             # topic, poll, synthesis: the template says it in the reader's language
    title: str = ""
    url: str = ""
    hidden: bool = False  # it points to something this reader may not (or no longer) read


def link_of(viewer, item):
    """What ``item`` links to, as ``viewer`` may see it; None when it links to nothing."""
    for kind, row_id in ((TOPIC, item.topic_id), (POLL, item.poll_id), (SYNTHESIS, item.synthesis_id)):
        if row_id is None:
            continue
        row = _readable(viewer, item.meeting, kind, row_id)
        if row is None:
            return LinkView(kind, hidden=True)
        if kind == TOPIC:
            return LinkView(kind, row.title, f"/sujet/{row.id}")
        if kind == POLL:
            return LinkView(kind, row.question, f"/decision/{row.id}")
        return LinkView(kind, row.title, f"/synthese/{row.id}")
    return None


# --- proposing, accepting, ordering ------------------------------------------------------------

def _clean(title, note):
    errors = {}
    title = " ".join(posting.clean_text(title).split())
    if not title:
        errors["title"] = _("Donnez un intitulé au point.")
    elif len(title) > TITLE_MAX:
        errors["title"] = _("L'intitulé dépasse %(max)s caractères.", max=TITLE_MAX)
    note = posting.clean_text(note or "").strip()
    if len(note) > NOTE_MAX:
        errors["note"] = _("La note dépasse %(max)s caractères.", max=NOTE_MAX)
    return title, note, errors


def _next_position(meeting):
    last = db.session.scalar(select(func.max(AgendaItem.position)).where(
        AgendaItem.meeting_id == meeting.id, AgendaItem.status == ITEM_ACCEPTED))
    return (last or 0) + 1


def why_cannot_propose(member, meeting):
    """None if ``member`` may propose a point (``rules.can_propose_item``), else the refusal."""
    if rules.can_propose_item(member, meeting):
        return None
    if meeting.is_cancelled:
        return Invalid(_("Cette réunion est annulée."), status=409)
    if meeting.has_ended:
        return Invalid(_("Cette réunion est passée : son ordre du jour est clos."), status=409)
    return Forbidden(permissions.why_cannot_post(member, meeting.space)
                     or _("Seuls les membres qui peuvent écrire dans cet espace proposent des points."))


def propose(member, meeting, title, note="", link="", link_kind=""):
    """A point proposed by ``member``; an organiser's own point is accepted at once, last."""
    refusal = why_cannot_propose(member, meeting)
    if refusal is not None:
        raise refusal
    title, note, errors = _clean(title, note)
    kind, row = None, None
    try:
        kind, row = find_link(member, meeting, link, link_kind)
    except Invalid as refusal:
        errors.update(refusal.fields)
    if errors:
        raise Invalid(errors)
    accepted = rules.can_organise(member, meeting)
    item = AgendaItem(meeting_id=meeting.id, proposer_id=member.id, title=title, note=note,
                      topic_id=row.id if kind == TOPIC else None, poll_id=row.id if kind == POLL else None,
                      synthesis_id=row.id if kind == SYNTHESIS else None,
                      status=ITEM_ACCEPTED if accepted else ITEM_PROPOSED,
                      position=_next_position(meeting) if accepted else 0, created_at=now())
    db.session.add(item)
    db.session.commit()
    return item


def _check_organiser(member, item):
    meeting = item.meeting
    if not rules.can_organise(member, meeting):
        raise Forbidden(_("Seuls les organisateurs de la réunion arrêtent son ordre du jour."))
    if meeting.is_cancelled:
        raise Invalid(_("Cette réunion est annulée."), status=409)


def _accepted(meeting):
    return db.session.scalars(select(AgendaItem).where(
        AgendaItem.meeting_id == meeting.id, AgendaItem.status == ITEM_ACCEPTED)
        .order_by(AgendaItem.position, AgendaItem.id)).all()


def _renumber(items):
    for number, item in enumerate(items, start=1):
        item.position = number


def decide(organiser, item, accept):
    """Accept a point (it goes last on the agenda) or decline it (it leaves the agenda)."""
    _check_organiser(organiser, item)
    if accept and item.status != ITEM_ACCEPTED:
        item.status, item.position = ITEM_ACCEPTED, _next_position(item.meeting)
    elif not accept and item.status != ITEM_DECLINED:
        item.status, item.position = ITEM_DECLINED, 0
        db.session.flush()
        _renumber(_accepted(item.meeting))
    db.session.commit()
    return item


def move(organiser, item, offset):
    """Move an accepted point one place up (``offset`` -1) or down (+1); at an end, it stays."""
    _check_organiser(organiser, item)
    if item.status != ITEM_ACCEPTED:
        raise Invalid(_("Seul un point accepté a une place dans l'ordre du jour."), status=409)
    items = list(_accepted(item.meeting))
    index = items.index(item)
    target = index + (1 if offset > 0 else -1)
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
    _renumber(items)
    db.session.commit()
    return item


def set_duration(organiser, item, typed):
    """The time given to a point, in minutes; nothing typed: none."""
    _check_organiser(organiser, item)
    typed = (typed or "").strip()
    minutes = parse_int(typed, 1, DURATION_MAX) if typed else None
    if typed and minutes is None:
        raise Invalid({"duration": _("Indiquez une durée en minutes, entre 1 et %(max)s.", max=DURATION_MAX)})
    item.duration_minutes = minutes
    db.session.commit()
    return item


# --- the agenda as one reader sees it ------------------------------------------------------------

@dataclass
class ItemView:
    id: int
    title: str
    note: str
    status: str
    proposer: str | None
    link: LinkView | None
    duration: int | None = None
    number: int = 0               # its place among the accepted points (1, 2, …)
    first: bool = False
    last: bool = False
    minutes_html: str = ""


@dataclass
class AgendaView:
    meeting_id: int
    accepted: list = field(default_factory=list)
    proposed: list = field(default_factory=list)       # waiting for an organiser: theirs, or all for them
    declined: list = field(default_factory=list)
    can_organise: bool = False
    can_propose: bool = False
    total_minutes: int = 0


def _item_view(viewer, item):
    return ItemView(item.id, item.title, item.note, item.status,
                    item.proposer.pseudonym if item.proposer is not None else None, link_of(viewer, item),
                    item.duration_minutes, minutes_html=item.minutes_html)


def agenda_view(viewer, meeting):
    """The agenda of ``meeting`` as ``viewer`` sees it (who sees the meeting): the accepted points
    in order; the proposed and declined ones to the organisers and to their proposer only."""
    organiser = rules.can_organise(viewer, meeting)
    viewer_id = viewer.id if permissions.is_member(viewer) else None
    view = AgendaView(meeting.id, can_organise=organiser, can_propose=rules.can_propose_item(viewer, meeting))
    for item in sorted(meeting.agenda, key=lambda i: (i.position, i.id)):
        if item.status == ITEM_ACCEPTED:
            view.accepted.append(_item_view(viewer, item))
        elif organiser or (viewer_id is not None and item.proposer_id == viewer_id):
            (view.proposed if item.status == ITEM_PROPOSED else view.declined).append(_item_view(viewer, item))
    for number, entry in enumerate(view.accepted, start=1):
        entry.number, entry.first, entry.last = number, number == 1, number == len(view.accepted)
    view.total_minutes = sum(entry.duration or 0 for entry in view.accepted)
    return view


def section(viewer, meeting):
    """The meeting page's part « Ordre du jour » (``display.SECTIONS``): None when it would be
    empty for this reader."""
    view = agenda_view(viewer, meeting)
    if not (view.accepted or view.proposed or view.can_propose or view.can_organise):
        return None
    return view
