"""Counting: hand-computed examples for every kind, the Tennessee example of the research notes,
the instant-runoff tie rules, partial ranked ballots, and the per-collège grouping.

Pure: no application, no database."""
import pytest

from forum.decisions.tally import K, KINDS, count, per_college

A, B, C, D = 10, 20, 30, 40
MEMPHIS, NASHVILLE, CHATTANOOGA, KNOXVILLE = 1, 2, 3, 4
CITIES = [MEMPHIS, NASHVILLE, CHATTANOOGA, KNOXVILLE]


def ranked(*options):
    """A ranked choice: the options best first."""
    return {key: rank for rank, key in enumerate(options, start=1)}


def tennessee():
    return ([ranked(MEMPHIS, NASHVILLE, CHATTANOOGA, KNOXVILLE)] * 42
            + [ranked(NASHVILLE, CHATTANOOGA, KNOXVILLE, MEMPHIS)] * 26
            + [ranked(CHATTANOOGA, KNOXVILLE, NASHVILLE, MEMPHIS)] * 15
            + [ranked(KNOXVILLE, CHATTANOOGA, NASHVILLE, MEMPHIS)] * 17)


def test_the_kinds():
    assert KINDS == ("consent", "single", "multiple", "ranked", "score", "meeting", "sense")
    with pytest.raises(ValueError, match="^unknown decision kind: 'plurality'$"):
        count("plurality", [A], [{A: 1}])


@pytest.mark.parametrize("kind", ["single", "consent", "sense"])
def test_one_option_per_ballot(kind):
    result = count(kind, [A, B, C], [{A: 1}, {A: 1}, {B: 1}, {A: 1}])
    assert result == {"voters": 4, "options": {A: {"votes": 3}, B: {"votes": 1}, C: {"votes": 0}}}
    assert list(result["options"]) == [A, B, C]       # display order kept


def test_multiple():
    result = count("multiple", [A, B, C], [{A: 1, B: 1}, {B: 1}, {C: 1, A: 1}])
    assert result == {"voters": 3, "options": {A: {"votes": 2}, B: {"votes": 2}, C: {"votes": 1}}}


def test_score():
    choices = [{A: 5, B: 0, C: 3}, {A: 2, B: 1, C: 3}, {A: 0, B: 0, C: 3}]
    assert count("score", [A, B, C], choices, max_score=5) == {
        "voters": 3, "max_score": 5,
        "options": {A: {"points": 7, "mean": 2.33}, B: {"points": 1, "mean": 0.33},
                    C: {"points": 9, "mean": 3.0}}}


def test_meeting():
    choices = [{A: 2, B: 1, C: 0}, {A: 2, B: 0, C: 0}, {A: 1, B: 2, C: 0}]
    assert count("meeting", [A, B, C], choices) == {
        "voters": 3, "options": {A: {"yes": 2, "maybe": 1, "no": 0}, B: {"yes": 1, "maybe": 1, "no": 1},
                                 C: {"yes": 0, "maybe": 0, "no": 3}}}


@pytest.mark.parametrize("kind", KINDS)
def test_no_ballots(kind):
    result = count(kind, [A, B], [], max_score=3)
    assert result["voters"] == 0
    assert list(result["options"]) == [A, B]
    if kind == "ranked":
        assert result["irv"]["winner"] is None and not result["irv"]["final_tie"]
        assert result["borda_winners"] == []
    if kind == "score":   # no ballot, no mean: 0, not a division by zero
        assert result["options"] == {A: {"points": 0, "mean": 0.0}, B: {"points": 0, "mean": 0.0}}


def test_options_no_longer_in_the_poll_are_not_counted():
    assert count("single", [A, B], [{A: 1}, {C: 1}])["options"] == {A: {"votes": 1}, B: {"votes": 0}}


def test_a_meeting_answer_for_an_option_gone_or_out_of_range_is_not_counted():
    assert count("meeting", [A, B], [{A: 2, C: 2}, {A: 3, B: 1}])["options"] == {
        A: {"yes": 1, "maybe": 0, "no": 0}, B: {"yes": 0, "maybe": 1, "no": 0}}


def test_ranked_ballots_sharing_a_first_choice_add_up():
    # Two rankings that start alike, and two that become one once an option gone is dropped.
    result = count("ranked", [A, B, C], [ranked(A, B), ranked(A, B), ranked(A, C), ranked(B, 99), ranked(B)])
    assert result["options"] == {A: {"borda": 3 * 2, "first": 3}, B: {"borda": 2 * 2 + 2 * 1, "first": 2},
                                 C: {"borda": 1, "first": 0}}


# --- ranked: Tennessee ---------------------------------------------------------------------

def test_tennessee_borda_is_n_minus_rank():
    result = count("ranked", CITIES, tennessee())
    assert {key: figures["borda"] for key, figures in result["options"].items()} == {
        MEMPHIS: 126, NASHVILLE: 194, CHATTANOOGA: 173, KNOXVILLE: 107}
    assert result["borda_winners"] == [NASHVILLE]
    assert {key: figures["first"] for key, figures in result["options"].items()} == {
        MEMPHIS: 42, NASHVILLE: 26, CHATTANOOGA: 15, KNOXVILLE: 17}


def test_tennessee_instant_runoff_elects_knoxville():
    irv = count("ranked", CITIES, tennessee())["irv"]
    assert irv["rounds"] == [{MEMPHIS: 42, NASHVILLE: 26, CHATTANOOGA: 15, KNOXVILLE: 17},
                             {MEMPHIS: 42, NASHVILLE: 26, KNOXVILLE: 32},
                             {MEMPHIS: 42, KNOXVILLE: 58}]
    assert irv["eliminated"] == [[CHATTANOOGA], [NASHVILLE]]
    assert irv["decided_by"] == ["fewest", "fewest"]
    assert irv["exhausted"] == [0, 0, 0]
    assert irv["winner"] == KNOXVILLE and not irv["final_tie"]


# --- ranked: partial ballots, exhaustion ---------------------------------------------------

def test_partial_ballots_borda_unranked_earn_nothing():
    # Four options: rank 1 earns 3, rank 2 earns 2, unranked 0; ranks need not be contiguous.
    result = count("ranked", [A, B, C, D], [ranked(B, A), {C: 1, D: 4}])
    assert {key: figures["borda"] for key, figures in result["options"].items()} == {A: 2, B: 3, C: 3, D: 2}
    assert result["borda_winners"] == [B, C]


def test_majority_is_of_the_ballots_not_exhausted():
    choices = [ranked(A)] * 4 + [ranked(B)] * 3 + [ranked(C)] * 2
    irv = count("ranked", [A, B, C], choices)["irv"]
    # Round 2: A 4 of the 7 ballots left (C's two are exhausted): a majority, no third round.
    assert irv["rounds"] == [{A: 4, B: 3, C: 2}, {A: 4, B: 3}]
    assert irv["exhausted"] == [0, 2]
    assert irv["winner"] == A


def test_ballots_move_to_their_next_remaining_option():
    choices = [ranked(A, B)] * 4 + [ranked(B, A)] * 3 + [ranked(C, B, A)] * 2
    irv = count("ranked", [A, B, C], choices)["irv"]
    assert irv["rounds"] == [{A: 4, B: 3, C: 2}, {A: 4, B: 5}]
    assert irv["winner"] == B


# --- ranked: ties --------------------------------------------------------------------------

def test_tied_last_go_together_when_they_cannot_catch_up():
    choices = [ranked(A)] * 5 + [ranked(B)] * 4 + [ranked(C, B)] + [ranked(D, B)]
    irv = count("ranked", [A, B, C, D], choices)["irv"]
    assert irv["eliminated"] == [[C, D]]
    assert irv["decided_by"] == ["all_tied_last"]
    assert irv["rounds"] == [{A: 5, B: 4, C: 1, D: 1}, {A: 5, B: 6}]
    assert irv["winner"] == B


def test_tied_last_that_could_catch_up_are_split_by_borda_points():
    # B and C tie with 3 each, together 6 >= A's 4: C has fewer Borda points (6 against 10) and
    # goes, although B comes later in the display order.
    choices = [ranked(A, B, C)] * 4 + [ranked(B, A, C)] * 3 + [ranked(C, A, B)] * 3
    result = count("ranked", [A, C, B], choices)
    assert result["options"][B]["borda"] == 10 and result["options"][C]["borda"] == 6
    irv = result["irv"]
    assert irv["eliminated"] == [[C]]
    assert irv["decided_by"] == ["borda"]
    assert irv["rounds"][1] == {A: 7, B: 3}
    assert irv["winner"] == A


def test_equal_borda_points_the_later_option_goes_first():
    choices = [ranked(A)] * 4 + [ranked(B, C)] * 3 + [ranked(C, B)] * 3
    irv = count("ranked", [A, B, C], choices)["irv"]
    assert irv["eliminated"] == [[C]] and irv["decided_by"] == ["order"]
    assert irv["rounds"][1] == {A: 4, B: 6} and irv["winner"] == B
    irv = count("ranked", [A, C, B], choices)["irv"]
    assert irv["eliminated"] == [[B]] and irv["winner"] == C


def test_tie_in_the_final_round_has_no_winner():
    irv = count("ranked", [A, B], [ranked(A, B)] * 3 + [ranked(B, A)] * 3)["irv"]
    assert irv["winner"] is None and irv["final_tie"]
    assert irv["rounds"] == [{A: 3, B: 3}] and irv["eliminated"] == []


def test_tie_in_the_final_round_after_eliminations():
    choices = [ranked(A)] * 3 + [ranked(B)] * 3 + [ranked(C)]
    irv = count("ranked", [A, B, C], choices)["irv"]
    assert irv["rounds"] == [{A: 3, B: 3, C: 1}, {A: 3, B: 3}]
    assert irv["exhausted"] == [0, 1]
    assert irv["winner"] is None and irv["final_tie"]


def test_three_way_tie_is_broken_then_final_tie():
    choices = [ranked(A)] * 2 + [ranked(B)] * 2 + [ranked(C)] * 2
    irv = count("ranked", [A, B, C], choices)["irv"]
    assert irv["eliminated"] == [[C]] and irv["decided_by"] == ["order"]
    assert irv["winner"] is None and irv["final_tie"]


def test_single_ballot_wins_outright():
    irv = count("ranked", [A, B, C], [ranked(C)])["irv"]
    assert irv["rounds"] == [{A: 0, B: 0, C: 1}] and irv["winner"] == C


# --- per collège ---------------------------------------------------------------------------

def ballots(voters, option=A):
    """Single-choice ballots: {collège: number of voters}, all for ``option``."""
    return [(college, {option: 1}) for college, n in voters.items() for _ in range(n)]


def grouping(result):
    return ([(college, figures["voters"]) for college, figures in result["colleges"]],
            result["others"] and result["others"]["voters"], result["others_colleges"],
            result["others_unassigned"], result["only_total"])


ORDER = [1, 2, 3, 4]


def test_all_collèges_large_enough_are_all_shown():
    result = per_college("single", [A, B], ballots({1: 5, 2: 6, 3: 7, 4: 8}), ORDER)
    assert grouping(result) == ([(1, 5), (2, 6), (3, 7), (4, 8)], None, [], False, False)
    assert result["overall"] == count("single", [A, B], [{A: 1}] * 26)


def test_a_small_collège_is_merged_with_the_first_other_in_the_order():
    result = per_college("single", [A, B], ballots({1: 6, 2: 9, 3: 3, 4: 8}), ORDER)
    # Collège 1 is taken because it comes first, not because of its count.
    assert grouping(result) == ([(2, 9), (4, 8)], 9, [1, 3], False, False)


def test_a_complementary_collège_joins_even_when_the_small_ones_add_up_past_k():
    # 4 + 4 = 8 > K, but "autres = 8" out of two small collèges would read 4 and 4.
    result = per_college("single", [A], ballots({1: 4, 2: 4, 3: 6, 4: 7}), ORDER)
    assert grouping(result) == ([(4, 7)], 14, [1, 2, 3], False, False)


def test_complementary_collèges_join_until_the_group_holds_more_than_k():
    result = per_college("single", [A], ballots({1: 1, 2: 9, 3: 2, 4: 9}), ORDER)
    assert grouping(result) == ([(4, 9)], 12, [1, 2, 3], False, False)
    # Exactly K is not enough: 0 + 5 would read 0 and 5.
    result = per_college("single", [A], ballots({1: 5, 2: 0, 3: 6, 4: 7}), ORDER)
    assert grouping(result) == ([(4, 7)], 11, [1, 2, 3], False, False)


def test_a_collège_with_no_voter_counts_as_small():
    result = per_college("single", [A], ballots({2: 6, 3: 7, 4: 8}), ORDER)
    assert grouping(result) == ([(3, 7), (4, 8)], 6, [1, 2], False, False)


def test_nothing_left_to_show_gives_only_the_total():
    result = per_college("single", [A], ballots({1: 4, 2: 3, 3: 5}), [1, 2, 3])
    assert grouping(result) == ([], None, [], False, True)
    assert result["overall"]["voters"] == 12
    result = per_college("single", [A], [], ORDER)
    assert result["only_total"] and result["overall"]["voters"] == 0


def test_voters_without_a_collège_are_always_merged():
    result = per_college("single", [A], ballots({None: 7, 1: 6, 2: 7, 3: 8}), [1, 2, 3])
    assert grouping(result) == ([(2, 7), (3, 8)], 13, [1], True, False)
    assert result["overall"]["voters"] == 28


def test_with_voters_without_a_collège_the_group_holds_more_than_k_plus_one():
    # Unassigned voters are there only if at least one voted: "1 + 5 = 6" would be read.
    result = per_college("single", [A], ballots({None: 1, 1: 5, 2: 7, 3: 8}), [1, 2, 3])
    assert grouping(result) == ([(3, 8)], 13, [1, 2], True, False)
    result = per_college("single", [A], ballots({None: 2, 1: 5, 2: 7, 3: 8}), [1, 2, 3])
    assert grouping(result) == ([(2, 7), (3, 8)], 7, [1], True, False)


def test_a_collège_outside_the_order_counts_as_without_a_collège():
    result = per_college("single", [A], ballots({99: 2, 1: 6, 2: 7, 3: 8}), [1, 2, 3])
    assert grouping(result) == ([(2, 7), (3, 8)], 8, [1], True, False)


@pytest.mark.parametrize("kind", ["single", "multiple", "score", "meeting", "ranked"])
def test_per_college_figures_are_the_count_of_each_group(kind):
    choice = {"single": {B: 1}, "multiple": {A: 1, B: 1}, "score": {A: 2, B: 5},
              "meeting": {A: 2, B: 1}, "ranked": ranked(B, A)}[kind]
    other = {"single": {A: 1}, "multiple": {A: 1}, "score": {A: 4, B: 1},
             "meeting": {A: 0, B: 2}, "ranked": ranked(A)}[kind]
    data = ([(1, choice)] * 6 + [(2, other)] * 2 + [(3, choice)] * 3 + [(3, other)] * 4
            + [(None, other)] * 1)
    result = per_college(kind, [A, B], data, [1, 2, 3], max_score=5)
    assert result["overall"] == count(kind, [A, B], [c for _, c in data], max_score=5)
    assert result["colleges"] == [(3, count(kind, [A, B], [choice] * 3 + [other] * 4, max_score=5))]
    assert result["others"] == count(kind, [A, B], [choice] * 6 + [other] * 3, max_score=5)
    assert result["others_colleges"] == [1, 2] and result["others_unassigned"]


def test_k_is_five_and_can_be_changed():
    assert K == 5
    data = ballots({1: 3, 2: 4})
    assert per_college("single", [A], data, [1, 2])["only_total"]
    assert grouping(per_college("single", [A], data, [1, 2], k=3)) == ([(1, 3), (2, 4)], None, [], False, False)


def test_tied_last_options_go_together_only_when_fewer_than_the_next():
    # C and D have 2 each: 4, as many as B, not fewer: they could still catch up, so one goes,
    # the one with fewer Borda points (C: 2 × 3; D: 2 × 3 + 2 × 2).
    ballots = [ranked(A)] * 5 + [ranked(B)] * 4 + [ranked(C, D)] * 2 + [ranked(D, A)] * 2
    irv = count("ranked", [A, B, C, D], ballots)["irv"]
    assert irv["eliminated"][0] == [C] and irv["decided_by"][0] == "borda"


def test_three_tied_last_the_fewest_borda_points_goes():
    # C, D, B have 2 each (6, more than A's 5): Borda decides, C alone has the fewest points.
    ballots = [ranked(A)] * 5 + [ranked(C, D)] * 2 + [ranked(D, B)] * 2 + [ranked(B)] * 2
    irv = count("ranked", [A, C, D, B], ballots)["irv"]
    assert irv["eliminated"][0] == [C] and irv["decided_by"][0] == "borda"
