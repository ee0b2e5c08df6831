"""Results per collège without exposing small groups: which collèges are shown on their own,
which are merged into "autres collèges". Pure code: counts in, grouping out.

The rule, in short (docs/decisions.md, "Results per collège: the small-group rule"):

1. Primary: a collège with fewer than ``K`` voters is never shown on its own, zero voters
   included. Voters without a confirmed collège (key ``None``) are never shown on their own
   either, however many they are.
2. Complementary: as soon as anything is merged, at least one more collège joins it, taken
   from the public ``order`` (the collèges' fixed numbering), never chosen by its count, and
   collèges keep joining in that order until the group holds more than ``K`` voters (more than
   ``K + 1`` when voters without a collège are in it).
3. Whatever is left (possibly nothing: then only the overall total is shown) is shown.

Why the complementary step: without it the group is made only of collèges known to hold fewer
than ``K`` voters each, and its total gives them away (two collèges, "autres = 8": 4 and 4).
Why the fixed order: picking the smallest shown collège lets a reader who knows the rule pin
the merged counts. Why ``K + 1`` with the unassigned voters: their group is
known to hold at least one voter (it is only there when someone voted), so "unassigned +
one collège = 6" would read 1 + 5; tests/decisions/test_disclosure.py checks exhaustively that
no merged count can be deduced from what is shown.
"""

K = 5   # a collège with fewer than K voters is never shown on its own

UNASSIGNED = None   # the pseudo-collège of voters without a confirmed collège


def protect(voters_by_college, order, k=K, size=None):
    """Group the collèges of one poll for publication.

    ``voters_by_college``: {collège key: voters}; a collège of ``order`` missing here has 0
    voters. The key ``None`` (and any key not in ``order``) holds voters without a confirmed
    collège: they are always merged. ``order``: every collège that has eligible members, in the
    public fixed order.

    Returns ``(shown, others, merged)``: ``shown`` {collège: voters} for the collèges shown on
    their own, in ``order``; ``others`` the voters of the merged group, or None when nothing is
    merged; ``merged`` the frozenset of merged keys (``None`` in it when unassigned voters are).
    When every collège is merged, ``shown`` is empty and only the overall total may be shown.

    ``size(keys)``: how many people a merged group of keys holds, for groups that may share
    people (the contributors of two spaces, or of two months: forum/participation/). By default
    the counts add up, as collèges do (a member has one collège).
    """
    if size is None:
        def size(keys):
            return unassigned + sum(counts[key] for key in keys if key is not UNASSIGNED)
    counts = {college: voters_by_college.get(college, 0) for college in order}
    unassigned = sum(n for college, n in voters_by_college.items() if college not in counts)
    merged = {college for college in order if counts[college] < k}          # primary
    if unassigned:
        merged.add(UNASSIGNED)
    if not merged:
        return dict(counts), None, frozenset()
    # The unassigned group is present only when at least one of them voted: a known lower bound
    # of one voter, which the threshold makes up for.
    threshold = k + (1 if unassigned else 0)
    added = 0
    for college in order:                                                   # complementary
        if college in merged:
            continue
        if added and size(merged) > threshold:
            break
        merged.add(college)
        added += 1
    shown = {college: n for college, n in counts.items() if college not in merged}
    return shown, size(merged), frozenset(merged)
