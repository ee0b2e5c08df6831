"""The outcome of a closed decision and its action items (what, who, by when, status).

Written and edited by whoever may close the decision (``rules.can_write_outcome``), through the
writing pipeline: a read-only member writes nothing, the posting guards read the text as they
read an edit of the decision's post (a blocking word refuses it; nothing holds it), and the
Markdown becomes HTML once, like a post's (``forum/text/references.render_post``).
"""
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from flask_babel import gettext as _, lazy_gettext
from sqlalchemy import select

from forum import dates, events, permissions, registry
from forum.accounts.models import Member
from forum.clock import now
from forum.errors import Forbidden, Invalid, NotFound, Refused
from forum.extensions import db
from forum.text.pseudonyms import pseudonym_key
from forum.text.references import profile_url, render_post
from forum.topics import posting
from forum.topics.models import KIND_COMMITTEE

from . import rules
from .models import ACTION_DONE, ACTION_DROPPED, ACTION_OPEN, ACTION_STATUSES, ActionItem, Outcome

WHAT_MAX = 300
WHO_MAX = 120
ACTIONS_MAX = 50
# A date is typed as the browser's date field sends it, or as people write it in France.
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
FURTHEST = timedelta(days=5 * 366)
STATUS_LABELS = {ACTION_OPEN: lazy_gettext("à faire"), ACTION_DONE: lazy_gettext("fait"),
                 ACTION_DROPPED: lazy_gettext("abandonné")}


@dataclass
class ActionRow:
    """One row of the outcome form, as typed (``id``: an existing item's)."""
    id: int | None = None
    what: str = ""
    who: str = ""
    due_on: str = ""
    status: str = ACTION_OPEN

    @property
    def blank(self):
        return not (self.what.strip() or self.who.strip() or self.due_on.strip())


def today():
    """The forum's date today (Europe/Paris), as members read a due date."""
    return dates.local(now()).date()


def day_label(day, locale=None):
    """« 9 déc. 2026 »: a stored date through the one date formatter (noon UTC is that day in Paris)."""
    return dates.format_date(datetime.combine(day, time(12)), locale) if day else ""


def parse_date(text, field, earliest):
    """The date typed in ``field`` (None when empty); between ``earliest`` and five years from today."""
    text = (text or "").strip()
    if not text:
        return None
    for form in DATE_FORMATS:
        try:
            day = datetime.strptime(text, form).date()
            break
        except ValueError:
            continue
    else:
        raise Invalid({field: _("Date illisible : écrivez-la sous la forme JJ/MM/AAAA.")})
    if day < earliest:
        raise Invalid({field: _("Cette date précède la décision (%(day)s) : choisissez-en une plus tardive.",
                                day=day_label(earliest))})
    if day > today() + FURTHEST:
        raise Invalid({field: _("Cette date est à plus de cinq ans : choisissez-en une plus proche.")})
    return day


def belongs(member, space):
    """Who may be given an action: an active member who reads the space (a comité: its members
    and its moderators)."""
    if member is None or not member.is_active or not permissions.can_read_space(member, space):
        return False
    return space.kind != KIND_COMMITTEE or space.id in member.committee_ids or permissions.can_moderate(member, space)


def resolve_who(space, who, field):
    """(member, structure name) of what was typed: « @pseudonyme » names a member of the space,
    so does a member's exact pseudonym; anything else is a structure (« CAF des Bouches-du-Rhône »)."""
    who = " ".join((who or "").split())
    if not who:
        return None, ""
    named = who[1:].strip() if who.startswith("@") else who
    member = db.session.scalar(select(Member).where(Member.pseudonym_key == pseudonym_key(named))) if named else None
    if member is not None and belongs(member, space):
        return member, ""
    if who.startswith("@"):
        raise Invalid({field: _("Aucun membre de cet espace ne s'appelle « %(name)s ».", name=named)})
    if len(who) > WHO_MAX:
        raise Invalid({field: _("Le nom de la structure tient en %(limit)d caractères au plus.", limit=WHO_MAX)})
    return None, who


def why_cannot_write(writer, poll):
    """None, or the refusal: 404 unseen, 409 still open, 403 not among its writers or read-only."""
    if not rules.can_see_poll(writer, poll):
        return NotFound(_("Cette décision n'existe pas."))
    if not poll.is_closed:
        return Refused(_("Cette décision n'est pas encore close : son issue s'écrit après la clôture."), status=409)
    if not rules.can_write_outcome(writer, poll):
        return Forbidden(_("Seuls l'auteur de la décision, qui l'a close et ses modérateurs en écrivent l'issue."))
    reason = permissions.why_cannot_post(writer, poll.topic.space)
    return Forbidden(reason) if reason else None


def _check_rows(poll, outcome, rows, earliest):
    """[(row, existing item or None, what, member, structure, due date)] of the rows kept, and {field: message}."""
    known = {item.id: item for item in (outcome.actions if outcome else [])}
    kept, errors = [], {}
    for index, row in enumerate(rows):
        item = known.get(row.id)
        if row.blank and item is None:
            continue
        prefix = f"actions-{index}-"
        what = " ".join(row.what.split())
        if not what and item is None:
            errors[prefix + "what"] = _("Dites ce qui est à faire.")
        elif len(what) > WHAT_MAX:
            errors[prefix + "what"] = _("Une action tient en %(limit)d caractères au plus (ici %(length)d).",
                                        limit=WHAT_MAX, length=len(what))
        if row.status not in ACTION_STATUSES:
            errors[prefix + "status"] = _("Choisissez un état dans la liste.")
        member = structure = due = None
        try:
            member, structure = resolve_who(poll.topic.space, row.who, prefix + "who")
        except Invalid as refusal:
            errors.update(refusal.fields)
        try:
            due = parse_date(row.due_on, prefix + "due_on", earliest)
        except Invalid as refusal:
            errors.update(refusal.fields)
        kept.append((row, item, what, member, structure, due))
    if sum(1 for entry in kept if entry[2]) > ACTIONS_MAX:
        errors[None] = _("%(limit)d actions au plus par décision.", limit=ACTIONS_MAX)
    return kept, errors


def write_outcome(writer, poll, text, review_on, rows):
    """Write (or rewrite) the outcome of ``poll`` with its action items; returns it. Every
    field's error is reported at once (``actions-N-what``…), nothing typed lost."""
    refusal = why_cannot_write(writer, poll)
    if refusal is not None:
        raise refusal
    outcome = poll.outcome
    earliest = dates.local(poll.created_at).date()      # nothing follows a decision before it was opened
    errors = {}
    try:
        text = posting.clean_body(text, field="text")
    except Invalid as error:
        errors.update(error.fields)
    try:
        review = parse_date(review_on, "review_on", earliest)
    except Invalid as error:
        errors.update(error.fields)
    kept, row_errors = _check_rows(poll, outcome, rows, earliest)
    errors.update(row_errors)
    if errors:
        raise Invalid(errors)
    # Read by the guards as an edit of the decision's post: a blocking word refuses it; an
    # outcome is never held (the decision is taken), as an edit never is.
    attempt = posting.Attempt(writer, poll.topic.space, poll.topic, poll.post, None, text, editing=poll.post)
    try:
        for guard in list(registry.of().guards):
            guard(attempt)
    except Invalid as refusal:         # the guards name the post's field; here it is the outcome's text
        raise Invalid({"text" if name in ("body", "title") else name: message
                       for name, message in refusal.fields.items()}, refusal.status)
    moment = now()
    if outcome is None:
        outcome = Outcome(poll_id=poll.id, author_id=writer.id, created_at=moment)
        db.session.add(outcome)
        poll.outcome = outcome
    else:
        outcome.edited_at = moment
    if outcome.review_on != review:
        outcome.review_notified_at = None
    outcome.source, outcome.html, outcome.review_on = text, render_post(writer, text).html, review
    _store_actions(outcome, kept, moment)
    events.publish(events.OutcomeWritten(poll_id=poll.id, topic_id=poll.topic_id, space_id=poll.topic.space_id))
    db.session.commit()
    return outcome


def _store_actions(outcome, kept, moment):
    position = 0
    for row, item, what, member, structure, due in kept:
        if item is not None and not what:
            outcome.actions.remove(item)      # a row emptied of its action takes it away
            continue
        if item is None:
            item = ActionItem(outcome=outcome, status=ACTION_OPEN)
            outcome.actions.append(item)
        if item.due_on != due or item.assignee_id != (member.id if member else None):
            item.reminded_at = None
        if item.status != row.status:
            item.updated_at = moment
        item.what, item.due_on, item.status = what, due, row.status
        item.assignee, item.assignee_id, item.assignee_name = member, member.id if member else None, structure
        item.position = position
        position += 1


def can_change_action(member, item):
    """An action's state: its assignee, the outcome's writers (the space's moderators among them)."""
    poll = item.outcome.poll
    if not permissions.is_member(member) or not rules.can_see_poll(member, poll):
        return False
    if permissions.why_cannot_post(member, poll.topic.space) is not None:
        return False
    return item.assignee_id == member.id or rules.can_write_outcome(member, poll)


def set_action_status(member, item, status):
    """Mark ``item`` open, done or dropped; 404 unseen, 403 not theirs, 422 unknown state."""
    if not rules.can_see_poll(member, item.outcome.poll):
        raise NotFound(_("Cette action n'existe pas."))
    if not can_change_action(member, item):
        raise Forbidden(_("Seuls la personne chargée de l'action, les auteurs de l'issue et les modérateurs "
                          "en changent l'état."))
    if status not in ACTION_STATUSES:
        raise Invalid({"status": _("Choisissez un état dans la liste.")})
    if item.status != status:
        item.status, item.updated_at = status, now()
        db.session.commit()
    return item


# --- plain data for templates (templates never query) ------------------------------------

def action_view(viewer, item, moment_day=None):
    moment_day = moment_day or today()
    member = item.assignee
    return {"id": item.id, "what": item.what, "status": item.status, "status_label": str(STATUS_LABELS[item.status]),
            "who": member.pseudonym if member else item.assignee_name,
            "who_url": profile_url(member.pseudonym) if member else None,
            "due_on": item.due_on, "due_label": day_label(item.due_on),
            "overdue": item.status == ACTION_OPEN and item.due_on is not None and item.due_on < moment_day,
            "can_change": can_change_action(viewer, item)}


def outcome_view(viewer, poll):
    """What the decision's block shows of its closing and outcome, for ``viewer``; None when the
    decision is not to be seen."""
    if not rules.can_see_poll(viewer, poll):
        return None
    outcome = poll.outcome if poll.is_closed else None      # written once closed: no query before
    data = {"poll_id": poll.id, "closed": poll.is_closed, "can_close": rules.can_close(viewer, poll),
            "can_write": poll.is_closed and why_cannot_write(viewer, poll) is None, "outcome": None}
    if outcome is not None:
        data["outcome"] = {"html": outcome.html, "author": outcome.author.pseudonym,
                           "review_on": outcome.review_on, "review_label": day_label(outcome.review_on),
                           "created_at": outcome.created_at, "edited_at": outcome.edited_at,
                           "actions": [action_view(viewer, item) for item in outcome.actions]}
    return data


def form_rows(outcome):
    """The rows the form starts with: the existing items."""
    return [ActionRow(item.id, item.what, ("@" + item.assignee.pseudonym) if item.assignee else item.assignee_name,
                      item.due_on.isoformat() if item.due_on else "", item.status)
            for item in (outcome.actions if outcome else [])]
