"""A decision as a reader sees it: plain data for the templates, every permission applied here
(through ``rules``), so that a template never queries and never decides what may be shown.

The tally's figures come from ``results`` (string keys, the per-kind figures of ``tally``);
they are read defensively: a figure missing from a table is shown as 0, never a 500."""
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import format_decimal, gettext as _, ngettext
from sqlalchemy import func, select

from forum import dates, permissions
from forum.accounts.models import College, Member
from forum.extensions import db
from forum.topics.models import POST_VISIBLE, Post

from . import kinds, results, rules
from .models import (MEETING, RANKED, REASON_NONE, REASON_REQUIRED, RESULTS_AFTER_VOTE, SCORE, Ballot, Poll,
                     PollVoter)


@dataclass
class Row:
    """One option's line of a tally: its label, its figures said in words, and a bar's value."""
    label: str
    text: str
    value: float = 0
    top: float = 0


@dataclass
class Column:
    """One column of the final table: overall, a collège, or the merged "autres collèges"."""
    name: str
    voters: int
    cells: list


@dataclass
class PollView:
    poll: Poll
    kind_name: str
    options: list                         # [(position, label)]
    who_votes: str
    refusal: tuple | None                 # (status, message) when the viewer may not vote
    voted: bool = False
    selected: dict = field(default_factory=dict)   # the ballot shown in the form: own, or as typed
    reason: str = ""
    reason_needed: bool = False
    reason_allowed: bool = True
    voters: list = field(default_factory=list)     # [(pseudonym, how they voted or None)]
    show_tally: bool = False
    rows: list = field(default_factory=list)
    ranked: dict = field(default_factory=dict)     # instant-runoff rounds and Borda winners
    results_note: str = ""
    quorum: dict | None = None
    columns: list = field(default_factory=list)    # the final table, once closed
    only_total: bool = False
    may_edit: bool = False
    may_close: bool = False
    errors: dict = field(default_factory=dict)     # {"choice"|"reason"|None: message}
    ranks: list = field(default_factory=list)      # 1..n, the ranked form's choices
    scores: list = field(default_factory=list)     # 0..max_score
    answers: tuple = kinds.MEETING_ANSWERS


def visible_poll(viewer, poll_id):
    """The decision if ``viewer`` may see it (its post), else None (the page says 404)."""
    poll = db.session.get(Poll, poll_id)
    return poll if poll is not None and rules.can_see_poll(viewer, poll) else None


def poll_view(viewer, poll, typed=None, reason=None, errors=None):
    """``poll`` for ``viewer`` (callers ask ``rules.can_see_poll`` first). ``typed`` and
    ``reason``: a refused ballot, shown again as it was typed, with ``errors``."""
    member = permissions.is_member(viewer)
    own = db.session.scalar(select(Ballot).where(Ballot.poll_id == poll.id, Ballot.member_id == viewer.id)) \
        if member else None
    voted = rules.has_voted(viewer, poll) if member else False
    view = PollView(poll=poll, kind_name=str(kinds.KIND_NAMES.get(poll.kind, poll.kind)),
                    options=[(o.position, kinds.option_label(poll, o)) for o in poll.options],
                    who_votes=who_votes(poll), refusal=rules.why_cannot_vote(viewer, poll), voted=voted,
                    selected=typed if typed is not None else (kinds.loaded(own.choice) if own else {}),
                    reason=reason if reason is not None else (own.reason if own else ""),
                    reason_needed=poll.reason_mode == REASON_REQUIRED, reason_allowed=poll.reason_mode != REASON_NONE,
                    errors=dict(errors or {}), may_edit=rules.can_close(viewer, poll),
                    may_close=rules.can_close(viewer, poll),
                    ranks=list(range(1, len(poll.options) + 1)), scores=list(range(0, (poll.max_score or 0) + 1)))
    view.show_tally = rules.can_see_tally(viewer, poll, voted)
    view.voters = _voters(poll, rules.can_see_how_each_voted(viewer, poll, voted))
    view.quorum = _quorum(poll)
    if view.show_tally:
        overall = results.current(poll)
        view.rows = tally_rows(poll, overall)
        view.ranked = _ranked_extras(poll, overall)
    else:
        view.results_note = _results_note(poll)
    if poll.is_closed and poll.results:
        view.columns, view.only_total = final_columns(poll)
    return view


def who_votes(poll):
    """"Qui vote : …": the space's writers, then every list the author set."""
    parts = [_("les membres qui peuvent écrire dans « %(space)s »", space=poll.topic.space.name)]
    if poll.committees:
        parts.append(_("membres des comités : %(names)s", names=", ".join(c.name for c in poll.committees)))
    if poll.colleges:
        parts.append(_("membres confirmés des collèges : %(names)s", names=", ".join(c.name for c in poll.colleges)))
    return " ; ".join(parts)


def _results_note(poll):
    if poll.results_mode == RESULTS_AFTER_VOTE:
        return _("Les résultats s'affichent pour chacun après son vote.")
    return _("Les résultats seront montrés à la clôture, le %(when)s.", when=dates.format_datetime(poll.closes_at))


def _voters(poll, with_choices):
    """Who voted, by pseudonym; with how each voted where the viewer may see it."""
    if with_choices:
        rows = db.session.execute(select(Member.pseudonym, Ballot.choice).join(Member, Member.id == Ballot.member_id)
                                  .where(Ballot.poll_id == poll.id).order_by(func.lower(Member.pseudonym))).all()
        return [(name, describe_choice(poll, kinds.loaded(choice))) for name, choice in rows]
    names = db.session.scalars(select(Member.pseudonym).join(PollVoter, PollVoter.member_id == Member.id)
                               .where(PollVoter.poll_id == poll.id).order_by(func.lower(Member.pseudonym))).all()
    return [(name, None) for name in names]


def _quorum(poll):
    if not (poll.quorum_voters or poll.quorum_colleges):
        return None
    if poll.is_closed and poll.results and "quorum" in poll.results:
        stored = poll.results["quorum"]
        voters, colleges = stored.get("voters", 0), stored.get("colleges", 0)
        reached = bool(poll.quorum_reached if poll.quorum_reached is not None else stored.get("reached"))
    else:
        voters, colleges = poll.voter_count, results.colleges_represented(poll.id) or 0
        reached = results.quorum_reached(poll, voters, colleges)
    return {"voters": poll.quorum_voters, "colleges": poll.quorum_colleges, "have_voters": voters,
            "have_colleges": colleges, "reached": reached}


def _figure(fig, key):
    value = fig.get(key, 0) if isinstance(fig, dict) else 0
    return value if isinstance(value, (int, float)) else 0


def cell_text(poll, fig):
    """An option's figures in words, for the kind."""
    if poll.kind == SCORE:
        return ngettext("%(num)d point, moyenne %(mean)s", "%(num)d points, moyenne %(mean)s",
                        _figure(fig, "points"), mean=format_decimal(_figure(fig, "mean"), format="0.0"))
    if poll.kind == MEETING:
        return _("oui : %(yes)d · peut-être : %(maybe)d · non : %(no)d", yes=_figure(fig, "yes"),
                 maybe=_figure(fig, "maybe"), no=_figure(fig, "no"))
    if poll.kind == RANKED:
        return ngettext("%(num)d point (Borda)", "%(num)d points (Borda)", _figure(fig, "borda")) + " · " + \
            ngettext("%(num)d fois en premier", "%(num)d fois en premier", _figure(fig, "first"))
    return ngettext("%(num)d voix", "%(num)d voix", _figure(fig, "votes"))


def _bar(poll, fig, voters):
    """(value, top) of an option's bar: the share of what it could have had."""
    count = len(poll.options)
    if poll.kind == SCORE:
        return _figure(fig, "points"), voters * (poll.max_score or 1)
    if poll.kind == MEETING:
        return _figure(fig, "yes"), voters
    if poll.kind == RANKED:
        return _figure(fig, "borda"), voters * max(count - 1, 1)
    return _figure(fig, "votes"), voters


def tally_rows(poll, table):
    figures = table.get("options", {}) if isinstance(table, dict) else {}
    voters = table.get("voters", 0) if isinstance(table, dict) else 0
    rows = []
    for option in poll.options:
        fig = figures.get(str(option.position), {})
        value, top = _bar(poll, fig, voters)
        rows.append(Row(kinds.option_label(poll, option), cell_text(poll, fig), value, top))
    return rows


def _label_of(poll, key):
    for option in poll.options:
        if str(option.position) == str(key):
            return kinds.option_label(poll, option)
    return str(key)


def _ranked_extras(poll, table):
    """The instant-runoff rounds (counts of first preferences, who is eliminated) and the
    Borda winners, in words."""
    if poll.kind != RANKED or not isinstance(table, dict):
        return {}
    irv = table.get("irv") or {}
    rounds = []
    eliminated, exhausted = irv.get("eliminated") or [], irv.get("exhausted") or []
    for number, counts in enumerate(irv.get("rounds") or [], start=1):
        counts = counts.get("counts", counts) if isinstance(counts, dict) else {}
        out = eliminated[number - 1] if number - 1 < len(eliminated) else None
        out = out if isinstance(out, list) else ([out] if out is not None else [])
        rounds.append({"number": number,
                       "counts": [(_label_of(poll, k), v) for k, v in counts.items()],
                       "eliminated": [_label_of(poll, k) for k in out],
                       "exhausted": exhausted[number - 1] if number - 1 < len(exhausted) else 0})
    winner = irv.get("winner")
    borda = table.get("borda_winners") or []
    return {"rounds": rounds, "winner": _label_of(poll, winner) if winner is not None else None,
            "final_tie": bool(irv.get("final_tie")), "borda_winners": [_label_of(poll, k) for k in borda]}


def final_columns(poll):
    """The stored table: overall, each shown collège, "autres collèges" naming its merged ones."""
    table = poll.results or {}
    ids = [c for c, _ in table.get("colleges") or []] + list(table.get("others_colleges") or [])
    names = dict(db.session.execute(select(College.id, College.name).where(College.id.in_(ids))).all()) if ids else {}

    def column(name, counted):
        counted = counted if isinstance(counted, dict) else {}
        return Column(name, counted.get("voters", 0), [row.text for row in tally_rows(poll, counted)])

    columns = [column(_("Ensemble"), table.get("overall"))]
    if table.get("only_total"):
        return columns, True
    for college_id, counted in table.get("colleges") or []:
        columns.append(column(names.get(college_id, _("Collège")), counted))
    if table.get("others"):
        merged = ", ".join(names.get(c, _("sans collège confirmé")) if c is not None
                           else _("sans collège confirmé") for c in table.get("others_colleges") or [])
        columns.append(column(_("Autres collèges (%(names)s)", names=merged), table["others"]))
    return columns, False


def describe_choice(poll, choice):
    """A ballot in words: "Mardi", "1. Jeudi, 2. Mardi", "Mardi : 3 ; Jeudi : 5", "Mardi : oui…"."""
    labels = {o.position: kinds.option_label(poll, o) for o in poll.options}
    answers = {value: str(label) for value, label in kinds.MEETING_ANSWERS}
    if poll.kind == RANKED:
        return ", ".join(f"{rank}. {labels.get(p, '?')}" for p, rank in sorted(choice.items(), key=lambda i: i[1]))
    if poll.kind == SCORE:
        return " ; ".join(f"{labels.get(p, '?')} : {v}" for p, v in sorted(choice.items()))
    if poll.kind == MEETING:
        return " ; ".join(f"{labels.get(p, '?')} : {answers.get(v, v)}" for p, v in sorted(choice.items()))
    return ", ".join(labels.get(p, "?") for p, v in sorted(choice.items()) if v == 1)


@dataclass
class Summary:
    """A decision in the topic's list at the top of its page."""
    poll: Poll
    kind_name: str
    closes_at: datetime
    closed: bool


def topic_polls(viewer, topic):
    """The decisions of ``topic`` that ``viewer`` may see, oldest first."""
    polls = db.session.scalars(select(Poll).where(Poll.topic_id == topic.id).order_by(Poll.created_at, Poll.id)).all()
    return [Summary(p, str(kinds.KIND_NAMES.get(p.kind, p.kind)), p.closes_at, p.is_closed)
            for p in polls if rules.can_see_poll(viewer, p)]


def polls_on_page(viewer, posts):
    """{post id: PollView} for the decisions opened by ``posts`` that ``viewer`` may see."""
    ids = [p.id for p in posts]
    if not ids:
        return {}
    polls = db.session.scalars(select(Poll).where(Poll.post_id.in_(ids))).all()
    return {p.post_id: poll_view(viewer, p) for p in polls if rules.can_see_poll(viewer, p)}


def open_deadlines(topic_ids):
    """{topic id: the nearest closing date of its open decisions}, in one query; only decisions
    whose post is published (a held post hides its decision)."""
    if not topic_ids:
        return {}
    return dict(db.session.execute(
        select(Poll.topic_id, func.min(Poll.closes_at)).join(Post, Post.id == Poll.post_id)
        .where(Poll.topic_id.in_(topic_ids), Poll.closed_at.is_(None), Post.state == POST_VISIBLE)
        .group_by(Poll.topic_id)).all())
