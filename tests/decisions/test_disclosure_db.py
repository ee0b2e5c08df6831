"""The small-group rule on the real database: random electorates vote through
``voting.cast_ballot``, the decision closes through ``closing.close_poll``, and from the table
stored for display (``Poll.results``) no collège's number of voters can be deduced, nor can a
collège under 5 voters be read on its own (research §4.4, "pinned").

What a reader sees of a closed decision: each shown collège's voters and figures, the "autres
collèges" figures and which collèges they merge (and whether voters without a confirmed
collège are among them), whether only the total is shown, and the overall total. A reader who
knows the rule tries every other electorate of the hidden cells (the merged collèges and the
voters without a confirmed collège) that the same rule (``tally.per_college``, hence
``tally.protect``) would have displayed the same way: a collège whose count is the same in all
of them is deduced. Unanimity inside a group is not covered: a group of any size voting as one
shows it (research §4.1).
"""
import itertools
import math

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st
from sqlalchemy import delete

from forum.decisions import closing, tally, voting
from forum.decisions.models import Ballot, BallotRevision, Poll, PollOption, PollVoter, poll_college, poll_committee
from forum.errors import Refused
from forum.extensions import db
from forum.topics.models import Member, Topic

from .conftest import settings

K = 5
OPTIONS = ("Mardi", "Jeudi", "Vendredi")
PER_COLLEGE = 12          # the most voters drawn in one collège
UNASSIGNED = 4            # members without a confirmed collège (two with none, two unconfirmed)
EXHAUSTIVE_LIMIT = 300_000


def view_of(table):
    """The voter counts a reader sees in a per-collège table (stored, or made for a guess)."""
    others = table.get("others")
    return (tuple((int(c), t["voters"]) for c, t in table["colleges"]),
            others["voters"] if others else None,
            tuple(int(c) for c in table.get("others_colleges") or ()),
            bool(table.get("others_unassigned")),
            bool(table.get("only_total")),
            table["overall"]["voters"])


def view(counts, order, rule=None):
    """What the rule displays for ``counts`` ({collège or None: voters}): every voter chooses
    the first option (the counts alone matter here)."""
    ballots = [(college, {0: 1}) for college, n in counts.items() for _ in range(n)]
    return view_of((rule or tally.per_college)("single", [0, 1, 2], ballots, order))


def splits(total, parts):
    """Every way to share ``total`` voters among ``parts`` cells."""
    if parts <= 1:
        yield (total,)
        return
    for first in range(total + 1):
        for rest in splits(total - first, parts - 1):
            yield (first,) + rest


def pinned(counts, order, unassigned=True, rule=None):
    """The hidden collèges whose number of voters a reader knowing the rule can deduce
    (``unassigned``: whether members without a confirmed collège may vote at all).

    A pair of hidden cells swapping voters without changing what is displayed proves both
    undetermined (a witness each); a collège left without a witness is settled by trying every
    share of the hidden voters."""
    seen_view = view(counts, order, rule)
    shown = {c for c, _ in seen_view[0]}
    hidden = [c for c in order if c not in shown] + ([None] if unassigned else [])
    base = {c: counts.get(c, 0) for c in hidden}
    fixed = {c: n for c, n in counts.items() if c in shown}

    def same(values):
        guess = {**fixed, **base, **values}
        return view({c: n for c, n in guess.items() if n}, order, rule) == seen_view
    values = {c: {base[c]} for c in hidden}
    for c, d in itertools.permutations(hidden, 2):
        if len(values[c]) > 1:
            continue
        for moved in itertools.chain(range(1, base[d] + 1), range(-1, -base[c] - 1, -1)):
            if same({c: base[c] + moved, d: base[d] - moved}):
                values[c].add(base[c] + moved)
                values[d].add(base[d] - moved)
                break
    left = [c for c in hidden if c is not None and len(values[c]) < 2]
    if left:
        total = sum(base.values())
        size = math.comb(total + len(hidden) - 1, len(hidden) - 1)
        assert size <= EXHAUSTIVE_LIMIT, f"cannot settle {left} for {counts}: {size} shares to try"
        for share in splits(total, len(hidden)):
            if same(dict(zip(hidden, share))):
                for c, v in zip(hidden, share):
                    values[c].add(v)
    return {c for c in hidden if c is not None and len(values[c]) < 2}


def test_pinned_finds_what_a_careless_rule_gives_away():
    """The reader of ``pinned`` is not blind: under a rule that merges only the small collèges,
    two of them in "autres" with 8 voters are 4 and 4 (research §4.2)."""
    def careless(kind, option_keys, ballots, order, max_score=None, k=K):
        ballots = list(ballots)
        voters = {c: sum(1 for b, _ in ballots if b == c) for c in order}
        small = [c for c in order if voters[c] < k]
        figures = {"voters": 0}
        return {"overall": {"voters": len(ballots)},
                "colleges": [(c, {"voters": voters[c]}) for c in order if c not in small],
                "others": {"voters": sum(voters[c] for c in small)} if small else figures,
                "others_colleges": small, "only_total": False}
    assert pinned({1: 4, 2: 4, 3: 9}, [1, 2, 3], rule=careless) == {1, 2}
    assert pinned({1: 3, 2: 9, 3: 9}, [1, 2, 3], unassigned=False, rule=careless) == {1}
    assert pinned({1: 4, 2: 4, 3: 9}, [1, 2, 3]) == set()      # the forum's rule


@pytest.fixture
def app(app_factory):
    """The search journal waits for ``flask search drain``: Hypothesis seeds ``random`` alike for
    every example, so Whoosh drew the same segment name twice, failed, and kept its lock."""
    return app_factory(SEARCH_DRAIN_AFTER_COMMIT=False)


@st.composite
def electorates(draw):
    """(indexes of the collèges in play, whether the decision is reserved to them, voters per
    collège, voters without a confirmed collège, each voter's option)."""
    in_play = draw(st.permutations(range(9)))[:draw(st.integers(2, 9))]
    reserved = draw(st.booleans())
    voters = [draw(st.one_of(st.integers(0, 4), st.integers(0, PER_COLLEGE))) for _ in in_play]
    unassigned = 0 if reserved else draw(st.integers(0, UNASSIGNED))
    total = sum(voters) + unassigned
    choices = draw(st.lists(st.integers(0, len(OPTIONS) - 1), min_size=total, max_size=total))
    return sorted(in_play), reserved, voters, unassigned, choices


@pytest.fixture
def electorate(forum):
    """A comité, nine collèges, twelve members of each and four without a confirmed collège."""
    committee = forum.committee("13")
    colleges = [forum.college() for _ in range(9)]
    author = forum.member("Autrice", committees=[committee])
    members = [[forum.member(college=college, committees=[committee]) for _ in range(PER_COLLEGE)]
               for college in colleges]
    loose = ([forum.member(committees=[committee]) for _ in range(2)]
             + [forum.member(college=colleges[0], confirmed=False, committees=[committee]) for _ in range(2)])
    topic = forum.topic(author, committee)
    return author, topic, colleges, members, loose


def reset_decisions():
    for table in (BallotRevision, Ballot, PollVoter, PollOption):
        db.session.execute(delete(table))
    db.session.execute(delete(poll_college))
    db.session.execute(delete(poll_committee))
    db.session.execute(delete(Poll))
    db.session.commit()


@hsettings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(drawn=electorates())
def test_no_college_under_five_can_be_deduced_from_a_closed_decision(app, electorate, drawn):
    author, topic, colleges, members, loose = electorate
    in_play, reserved, voters, unassigned, choices = drawn
    with app.app_context():
        reset_decisions()
        chosen = tuple(colleges[i].id for i in in_play) if reserved else ()
        poll = voting.open_poll(db.session.get(Member, author.id), db.session.get(Topic, topic.id),
                                settings(options=OPTIONS, college_ids=chosen), "Décidons ensemble.")
        casting = [(members[i][n], colleges[i].id) for i, count in zip(in_play, voters) for n in range(count)]
        casting += [(member, None) for member in loose[:unassigned]]
        expected = {}
        for (member, college), option in zip(casting, choices):
            voting.cast_ballot(db.session.get(Member, member.id), poll, {option: 1})
            figures = expected.setdefault(college, [0] * len(OPTIONS))
            figures[option] += 1
        if reserved:     # outside the chosen collèges, a member without a confirmed one cannot vote
            with pytest.raises(Refused) as refused:
                voting.cast_ballot(db.session.get(Member, loose[2].id), poll, {0: 1})
            assert refused.value.status == 403
            db.session.rollback()
        closing.close_poll(db.session.get(Poll, poll.id), db.session.get(Member, author.id))
        db.session.expire_all()
        table = db.session.get(Poll, poll.id).results
        order = [colleges[i].id for i in (in_play if reserved else range(9))]

    counts = {college: sum(figures) for college, figures in expected.items()}
    total = sum(counts.values())
    displayed = view_of(table)
    # What is shown is true, and adds up.
    assert displayed[-1] == total
    assert [table["overall"]["options"][str(o)]["votes"] for o in range(len(OPTIONS))] == [
        sum(f[o] for f in expected.values()) for o in range(len(OPTIONS))]
    for college, figures in table["colleges"]:
        assert figures["voters"] == counts[int(college)] >= K, (college, figures)
        assert [figures["options"][str(o)]["votes"] for o in range(len(OPTIONS))] == expected[int(college)]
    if table["others"]:
        merged = [int(c) for c in table["others_colleges"]]
        in_others = [sum(expected.get(c, [0] * 3)[o] for c in merged) for o in range(len(OPTIONS))]
        got = [table["others"]["options"][str(o)]["votes"] for o in range(len(OPTIONS))]
        left_out = [g - i for g, i in zip(got, in_others)]    # voters without a confirmed collège, if merged
        assert all(n >= 0 for n in left_out) and sum(left_out) in (0, counts.get(None, 0))
    assert displayed == view(counts, order)          # the stored table is the rule's, nothing else
    # Nothing hidden can be deduced (a zero total is public anyway).
    if total:
        assert pinned(counts, order, unassigned=not reserved) == set(), (counts, order, displayed)
