"""Changing an open decision: its author or a moderator of its space.

The question, the closing date (extended or shortened, still in the future) and the quorum
may change at any time while it is open. What a ballot was cast under — the options, the
number of choices or the top score, who votes, when results are shown, whether a reason is
asked — is fixed once the first ballot is cast: a voter's ballot is never counted under rules
they did not see. Anonymity never changes (it is promised at opening)."""
from flask_babel import gettext as _
from sqlalchemy import select

from forum.accounts.models import College
from forum.errors import Conflict, Forbidden, Invalid
from forum.extensions import db
from forum.topics.models import KIND_COMMITTEE, Space

from . import kinds, rules, voting
from .models import PollOption

# What a ballot is cast under: fixed once the first one is.
BALLOT_RULES = ("options", "min_choices", "max_choices", "max_score", "results_mode", "reason_mode",
                "committee_ids", "college_ids")


def may_edit(viewer, poll):
    """Who may close it may change it, while it is open."""
    return rules.can_close(viewer, poll)


def current_settings(poll):
    return voting.PollSettings(
        kind=poll.kind, question=poll.question, closes_at=poll.closes_at,
        options=[o.label for o in poll.options] if poll.kind not in kinds.FIXED_OPTIONS else [],
        min_choices=poll.min_choices, max_choices=poll.max_choices, max_score=poll.max_score,
        results_mode=poll.results_mode, anonymous=poll.anonymous, reason_mode=poll.reason_mode,
        quorum_voters=poll.quorum_voters, quorum_colleges=poll.quorum_colleges,
        committee_ids=tuple(sorted(c.id for c in poll.committees)),
        college_ids=tuple(sorted(c.id for c in poll.colleges)))


def edit_poll(editor, poll, settings):
    """Apply ``settings`` (a ``PollSettings``; its kind and anonymity are the poll's own).
    403 for others than the author and the space's moderators, 409 once closed or when a
    ballot rule changes after the first ballot, 422 for a bad field."""
    if poll.is_closed:
        raise Conflict({None: _("Cette décision est close : elle ne se modifie plus.")})
    if not may_edit(editor, poll):
        raise Forbidden(_("Seuls l'auteur de la décision et les modérateurs de l'espace la modifient."))
    settings.kind, settings.anonymous = poll.kind, poll.anonymous
    if poll.kind in kinds.FIXED_OPTIONS:
        settings.options = []
    settings.committee_ids = tuple(sorted(set(settings.committee_ids)))
    settings.college_ids = tuple(sorted(set(settings.college_ids)))
    errors = voting._check_settings(settings)     # the opening's own checks, one set of rules
    if errors:
        raise Invalid(errors)
    before = current_settings(poll)
    if poll.voter_count:
        changed = [name for name in BALLOT_RULES if getattr(settings, name) != getattr(before, name)]
        if changed:
            raise Conflict({changed[0] if changed[0] in ("options", "max_score") else None: _(
                "Les options et les règles du vote sont fixées dès le premier bulletin : seuls la question, "
                "la date de clôture et le quorum se modifient encore.")})
    poll.question, poll.closes_at = settings.question.strip(), settings.closes_at
    poll.quorum_voters, poll.quorum_colleges = settings.quorum_voters, settings.quorum_colleges
    if not poll.voter_count:
        _apply_ballot_rules(poll, settings, before)
    db.session.commit()
    return poll


def _apply_ballot_rules(poll, settings, before):
    poll.min_choices, poll.max_choices, poll.max_score = settings.min_choices, settings.max_choices, settings.max_score
    poll.results_mode, poll.reason_mode = settings.results_mode, settings.reason_mode
    if settings.options != before.options:
        # Labels changed in place, then added or dropped at the end: (poll, position) stays unique
        # at every step of the flush.
        for option, label in zip(poll.options, settings.options):
            option.label = label
        for position in range(len(poll.options), len(settings.options)):
            poll.options.append(PollOption(position=position, label=settings.options[position]))
        del poll.options[len(settings.options):]
        db.session.flush()
    if settings.committee_ids != before.committee_ids:
        poll.committees = list(db.session.scalars(select(Space).where(
            Space.id.in_(settings.committee_ids), Space.kind == KIND_COMMITTEE)))
    if settings.college_ids != before.college_ids:
        poll.colleges = list(db.session.scalars(select(College).where(College.id.in_(settings.college_ids))))
