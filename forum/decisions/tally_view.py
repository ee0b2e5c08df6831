"""The results part of a decision's block: the tally in words, both ranked counts, the final
table per collège, the quorum, who voted. It is the same for every reader who may see it the same
way (tally shown or not, choices shown or not), so it is rendered once per state of its topic
and kept like the posts' fragments (``shared_html``): a topic page with an open decision costs
about what the same page costs without one (bench/decisions_bench.py).

The figures come from ``results`` (string keys, the per-kind figures of ``tally``); they are read
defensively: a figure missing from a table is shown as 0, never a 500."""
from dataclasses import dataclass, field

from flask import render_template
from flask_babel import format_decimal, get_locale, gettext as _, ngettext
from sqlalchemy import func, select

from forum import dates
from forum.accounts.models import College, Member
from forum.extensions import db
from forum.topics.reading import Pagination, clamp_page
from forum.web import fragments

from . import kinds, results, rules
from .models import MEETING, RANKED, RESULTS_AFTER_VOTE, SCORE, Ballot, PollVoter

# Voters named on the topic page; all of them on their own page (decisions.voters).
VOTERS_SHOWN = 30
VOTERS_PER_PAGE = 200


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
class ResultsPart:
    show_tally: bool
    with_choices: bool
    rows: list = field(default_factory=list)
    ranked: dict = field(default_factory=dict)     # instant-runoff rounds and Borda winners
    results_note: str = ""
    quorum: dict | None = None
    columns: list = field(default_factory=list)    # the final table, once closed
    only_total: bool = False
    voters: list = field(default_factory=list)     # [(pseudonym, how they voted or None)], the first ones
    voter_total: int = 0


def results_part(poll, show_tally, with_choices):
    part = ResultsPart(show_tally=show_tally, with_choices=with_choices, quorum=_quorum(poll),
                       voters=voters(poll, with_choices, limit=VOTERS_SHOWN), voter_total=poll.voter_count)
    if show_tally:
        overall = results.current(poll)
        part.rows = tally_rows(poll, overall)
        part.ranked = _ranked_extras(poll, overall)
    else:
        part.results_note = _results_note(poll)
    if poll.is_closed and poll.results:
        part.columns, part.only_total = final_columns(poll)
    return part


def shared_html(poll, view):
    """The results part's HTML for ``view`` (a PollView), from the fragment store when its topic
    has not changed since (every ballot, closing or edit bumps the topic's version)."""
    key = ("poll-results", poll.id, fragments.topic_versions(poll.topic_id), view.show_tally, view.with_choices,
           str(get_locale()))
    return fragments.shared_fragment(key, lambda: render_template(
        "decisions/_results.html", poll=poll, part=results_part(poll, view.show_tally, view.with_choices)))


def _results_note(poll):
    if poll.results_mode == RESULTS_AFTER_VOTE:
        return _("Les résultats s'affichent pour chacun après son vote.")
    return _("Les résultats seront montrés à la clôture, le %(when)s.", when=dates.format_datetime(poll.closes_at))


def voters(poll, with_choices, limit=None, offset=0):
    """Who voted, by pseudonym; with how each voted where the viewer may see it."""
    if with_choices:
        rows = db.session.execute(select(Member.pseudonym, Ballot.choice).join(Member, Member.id == Ballot.member_id)
                                  .where(Ballot.poll_id == poll.id).order_by(func.lower(Member.pseudonym), Member.id)
                                  .limit(limit).offset(offset)).all()
        return [(name, kinds.describe_choice(poll, kinds.loaded(choice))) for name, choice in rows]
    names = db.session.scalars(select(Member.pseudonym).join(PollVoter, PollVoter.member_id == Member.id)
                               .where(PollVoter.poll_id == poll.id).order_by(func.lower(Member.pseudonym), Member.id)
                               .limit(limit).offset(offset)).all()
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


def who_votes(poll):
    """"Qui vote : …": the space's writers, then every list the author set."""
    parts = [_("les membres qui peuvent écrire dans « %(space)s »", space=poll.topic.space.name)]
    if poll.committees:
        parts.append(_("membres des comités : %(names)s", names=", ".join(c.name for c in poll.committees)))
    if poll.colleges:
        parts.append(_("membres confirmés des collèges : %(names)s", names=", ".join(c.name for c in poll.colleges)))
    return " ; ".join(parts)


def head_html(poll):
    """The block's head (kind, closing, voters, who votes), kept like the results part."""
    key = ("poll-head", poll.id, fragments.topic_versions(poll.topic_id), str(get_locale()))
    return fragments.shared_fragment(key, lambda: render_template(
        "decisions/_head.html", poll=poll, kind_name=str(kinds.KIND_NAMES.get(poll.kind, poll.kind)),
        who_votes=who_votes(poll)))


def voters_page(viewer, poll, page):
    """The voters' own page: every voter, 200 a page, with how each voted where ``viewer`` may
    see it (callers ask ``rules.can_see_poll`` first)."""
    with_choices = rules.can_see_how_each_voted(viewer, poll)
    pagination = Pagination(clamp_page(page), VOTERS_PER_PAGE, poll.voter_count)
    return {"voters": voters(poll, with_choices, limit=VOTERS_PER_PAGE, offset=pagination.offset),
            "pagination": pagination, "with_choices": with_choices}
