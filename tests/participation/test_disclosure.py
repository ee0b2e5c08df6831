"""The small-group property tests of decisions, run on participation's tables: the same rule
(``protect``) through ``grouping.group``, with collèges (people in one group each) and with
spaces or months (people in several groups: a merged group counts distinct people).

Pure: no application, no database."""
import itertools

from hypothesis import assume, given, settings, strategies as st

from forum.decisions.protection import K
from forum.participation.grouping import group
from tests.decisions.test_disclosure import UNASSIGNED, pinned, rows


def _group(counts, order):
    posts = {key: {(key, i): 1 for i in range(n)} for key, n in counts.items()}
    return group(posts, order, str, lambda keys: ",".join(map(str, keys)))


def publish_group(counts, order):
    """What a participation page shows of a collège table, and the keys it hides."""
    grouped = _group(counts, order)
    shown = tuple((row.key, row.people) for row in grouped.rows if not row.merged)
    merged = next(((row.people, row.label) for row in grouped.rows if row.merged), None)
    hidden = set(order) - {key for key, _ in shown}
    if grouped.only_total or (merged and None in grouped.merged_keys):
        hidden.add(UNASSIGNED)
    published = (shown, merged, grouped.only_total, grouped.people)
    return published, sorted(hidden, key=lambda c: (c is not None, c or ""))


@settings(deadline=None, max_examples=300)
@given(rows())
def test_no_hidden_count_can_be_deduced_from_a_college_table(row):
    counts, order = row
    assume(sum(counts.values()) > 0)
    assert pinned(counts, order, publish_group) == set()


def test_exhaustively_three_collèges_and_members_without_one():
    order = [1, 2, 3]
    for values in itertools.product(range(8), repeat=4):
        counts = dict(zip(order + [UNASSIGNED], values))
        grouped = _group(counts, order)
        assert all(row.people >= K for row in grouped.rows)
        if any(values):
            assert pinned(counts, order, publish_group) == set(), counts


@st.composite
def overlapping(draw):
    """People writing in several spaces (or months): {space: {person: posts}}."""
    spaces = list(range(draw(st.integers(1, 6))))
    people = range(draw(st.integers(1, 14)))
    posts = {space: {} for space in spaces}
    for person in people:
        for space in draw(st.sets(st.sampled_from(spaces), max_size=len(spaces))):
            posts[space][person] = draw(st.integers(1, 5))
    return posts, draw(st.permutations(spaces))


@settings(deadline=None, max_examples=500)
@given(overlapping())
def test_no_group_of_fewer_than_k_distinct_people_is_shown(row):
    posts, order = row
    grouped = group(posts, list(order), str, lambda keys: "autres")
    for row_ in grouped.rows:
        members = set().union(*(posts[key] for key in (grouped.merged_keys if row_.merged else [row_.key])))
        assert row_.people == len(members)
        assert row_.people >= K
        if row_.merged:
            assert row_.people > K and len(grouped.merged_keys) >= 2
    assert sum(row_.posts for row_ in grouped.rows) == grouped.posts or grouped.only_total
