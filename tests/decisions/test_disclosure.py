"""The small-group rule keeps its promises (research notes §4.4), for ``protect`` and for
``per_college``, voters without a collège included:

- every collège shown on its own has at least K voters; none under K is ever shown alone;
- what is shown adds up: shown collèges + "autres" == overall, for the voters and for every
  figure of every option;
- no merged count can be deduced by someone who knows the rule and sees everything published
  (shown counts, the "autres" total and which collèges are in it, whether voters without a
  collège are in it, the overall total).

Pure: no application, no database."""
import itertools

from hypothesis import assume, given, settings, strategies as st

from forum.decisions.protection import K, protect
from forum.decisions.tally import per_college

UNASSIGNED = None


def splits(total, parts):
    """Every way to share ``total`` among ``parts`` (stars and bars)."""
    for bars in itertools.combinations(range(total + parts - 1), parts - 1):
        edges = (-1,) + bars + (total + parts - 1,)
        yield tuple(edges[i + 1] - edges[i] - 1 for i in range(parts))


def publish_protect(counts, order):
    """What a page shows of ``protect``'s answer, and the keys whose counts it hides."""
    shown, others, merged = protect(counts, order)
    if not shown:          # only the overall total
        return ("total", sum(counts.values())), list(order) + [UNASSIGNED]
    return (shown, others, merged), sorted(merged, key=lambda c: (c is not None, c or ""))


def publish_per_college(counts, order):
    """The same, read from ``per_college`` run on single-choice ballots."""
    ballots = [(college, {1: 1}) for college, n in counts.items() for _ in range(n)]
    result = per_college("single", [1, 2], ballots, order)
    published = (tuple((c, figures["voters"]) for c, figures in result["colleges"]),
                 result["others"] and result["others"]["voters"], tuple(result["others_colleges"]),
                 result["others_unassigned"], result["only_total"], result["overall"]["voters"])
    hidden = set(order) - {c for c, _ in result["colleges"]}
    if result["others_unassigned"] or result["only_total"]:
        hidden.add(UNASSIGNED)
    return published, sorted(hidden, key=lambda c: (c is not None, c or ""))


def pinned(counts, order, publish=publish_protect):
    """Hidden counts (collèges, and voters without a collège) that a reader who knows the rule
    can deduce from what is published: every way to share the hidden total among the hidden
    keys is tried, and a key is pinned when it takes one value in all those giving the same page.
    Moving one voter between two keys settles most rows quickly; the full search runs otherwise."""
    published, group = publish(counts, order)
    counts = {c: counts.get(c, 0) for c in group} | {c: n for c, n in counts.items() if c not in group}
    hidden_total = sum(counts[c] for c in group)
    seen = {c: {counts[c]} for c in group}

    def consistent(values):
        return publish({**counts, **dict(zip(group, values))}, order)[0] == published

    actual = tuple(counts[c] for c in group)
    for i, j in itertools.permutations(range(len(group)), 2):
        if actual[i]:
            values = list(actual)
            values[i] -= 1
            values[j] += 1
            if consistent(values):
                seen[group[i]].add(values[i])
                seen[group[j]].add(values[j])
    if all(len(values) > 1 for values in seen.values()):
        return set()
    for values in splits(hidden_total, len(group)):
        if consistent(values):
            for c, v in zip(group, values):
                seen[c].add(v)
    return {c for c in group if len(seen[c]) < 2}


@st.composite
def rows(draw, max_colleges=6, max_count=9, unassigned=True):
    order = list(range(1, draw(st.integers(1, max_colleges)) + 1))
    counts = {c: draw(st.integers(0, max_count)) for c in order}
    if unassigned:
        counts[UNASSIGNED] = draw(st.integers(0, max_count))
    return counts, draw(st.permutations(order))


def check_shown(counts, order):
    shown, others, merged = protect(counts, order)
    assert all(n >= K for n in shown.values())
    assert UNASSIGNED not in shown
    assert set(shown) | (merged - {UNASSIGNED}) == set(order) and not set(shown) & merged
    assert sum(shown.values()) + (others or 0) == sum(counts.values())
    if merged and shown:       # a group is shown: more than K voters, and never one collège alone
        assert len(merged) >= 2 and others > K
        assert any(counts.get(c, 0) >= K for c in merged if c is not UNASSIGNED)   # a complementary one


@settings(deadline=None, max_examples=500)
@given(rows(max_colleges=9, max_count=40))
def test_no_small_college_alone_and_totals_add_up(row):
    check_shown(*row)


@settings(deadline=None, max_examples=300)
@given(rows())
def test_no_hidden_count_can_be_deduced(row):
    counts, order = row
    assume(sum(counts.values()) > 0)       # a zero total is public anyway
    assert pinned(counts, order) == set()


@settings(deadline=None, max_examples=60)
@given(rows(max_colleges=4, max_count=7))
def test_no_hidden_count_can_be_deduced_from_per_college(row):
    counts, order = row
    assume(sum(counts.values()) > 0)
    assert pinned(counts, order, publish_per_college) == set()


def test_exhaustively_four_collèges_of_zero_to_seven_voters():
    order = [2, 4, 1, 3]                    # the public order need not be the keys' order
    for values in itertools.product(range(8), repeat=4):
        counts = dict(zip([1, 2, 3, 4], values))
        check_shown(counts, order)
        if any(values):
            assert pinned(counts, order) == set(), counts


def test_exhaustively_three_collèges_and_voters_without_a_collège():
    order = [1, 2, 3]
    for values in itertools.product(range(8), repeat=4):
        counts = dict(zip(order + [UNASSIGNED], values))
        check_shown(counts, order)
        if any(values):
            assert pinned(counts, order) == set(), counts


KIND_CHOICES = {
    "single": st.sampled_from([{1: 1}, {2: 1}, {3: 1}]),
    "multiple": st.sets(st.sampled_from([1, 2, 3]), min_size=1).map(lambda s: dict.fromkeys(s, 1)),
    "score": st.fixed_dictionaries({1: st.integers(0, 4), 2: st.integers(0, 4), 3: st.integers(0, 4)}),
    "meeting": st.fixed_dictionaries({1: st.integers(0, 2), 2: st.integers(0, 2), 3: st.integers(0, 2)}),
    "ranked": st.permutations([1, 2, 3]).flatmap(
        lambda p: st.integers(1, 3).map(lambda n: {key: rank for rank, key in enumerate(p[:n], 1)})),
}
ADDITIVE = {"votes", "points", "yes", "maybe", "no", "borda", "first"}


@st.composite
def polls(draw):
    kind = draw(st.sampled_from(sorted(KIND_CHOICES)))
    order = list(range(1, draw(st.integers(1, 9)) + 1))
    ballots = draw(st.lists(st.tuples(st.sampled_from(order + [UNASSIGNED]), KIND_CHOICES[kind]), max_size=120))
    return kind, ballots, draw(st.permutations(order))


@settings(deadline=None, max_examples=300)
@given(polls())
def test_per_college_shows_only_large_groups_and_adds_up(poll):
    kind, ballots, order = poll
    result = per_college(kind, [1, 2, 3], ballots, order, max_score=4)
    overall = result["overall"]
    assert overall["voters"] == len(ballots)
    shown = [figures for _college, figures in result["colleges"]]
    assert [c for c, _ in result["colleges"]] == [c for c in order if c in dict(result["colleges"])]
    assert all(figures["voters"] >= K for figures in shown)
    if result["only_total"]:
        assert shown == [] and result["others"] is None
        return
    groups = shown + ([result["others"]] if result["others"] else [])
    assert sum(figures["voters"] for figures in groups) == overall["voters"]
    for key, figures in overall["options"].items():
        for name in ADDITIVE & set(figures):
            assert sum(group["options"][key][name] for group in groups) == figures[name]
    if result["others"]:
        assert result["others"]["voters"] > K
        assert len(result["others_colleges"]) + result["others_unassigned"] >= 2
    unassigned = sum(1 for college, _ in ballots if college is UNASSIGNED)
    assert result["others_unassigned"] == (unassigned > 0)
