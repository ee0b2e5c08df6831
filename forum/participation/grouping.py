"""Rows of people and posts published under the small-group rule.

The rule is the decisions' one (``forum.decisions.protection.protect``: one implementation for
every table of people): a group of fewer than 5 people is never shown on its own; it is merged
with others, taken in the public order (collège numbering, spaces' order, time), until the
merged group holds more than 5. People counted here may be in several groups (a member writes
in two comités, or in two months): a merged group's size is the number of distinct people in
it, never a sum that could count one person twice.
"""
from dataclasses import dataclass

from forum.decisions.protection import K, protect


@dataclass(frozen=True)
class Row:
    key: object            # a collège id, space id, bucket index; None for the merged row
    label: str
    people: int
    posts: int
    crossing: int = 0      # replies to another collège (collège rows only)
    merged: bool = False


@dataclass(frozen=True)
class Grouped:
    rows: tuple            # shown rows in public order, then the merged one (if any)
    merged_keys: frozenset
    people: int            # distinct people in every group
    posts: int

    @property
    def only_total(self):
        """Everything had to be merged: only the totals may be shown."""
        return not any(not row.merged for row in self.rows)


def group(posts_by_key, order, label_of, merged_label, crossing=None, k=K, shown_in=None):
    """``posts_by_key``: {key: {member: posts}}; keys outside ``order`` are people without a
    place in it (no confirmed collège): always merged. ``order``: the public order complements
    are taken in. ``label_of(key)``; ``merged_label(keys)`` names the merged row from the keys
    it holds (in the shown order; None among them for the unassigned). ``crossing``: {member:
    replies crossing collèges}, for collège rows. ``shown_in``: the order rows are shown in,
    when it is not ``order``."""
    people = {key: set(posts) for key, posts in posts_by_key.items() if posts}
    counts = {key: len(members) for key, members in people.items()}

    def size(keys):
        return len(set().union(*(people.get(key, ()) for key in keys)))

    shown, _others, merged = protect(counts, order, k, size=size)
    if shown_in is not None:
        rank = {key: index for index, key in enumerate(shown_in)}
        shown = sorted(shown, key=lambda key: rank.get(key, len(rank)))
        order = shown_in
    rows = [_row(key, label_of(key), people.get(key, set()), posts_by_key, [key], crossing)
            for key in shown]
    if merged and shown:
        held = [key for key in order if key in merged] + ([None] if None in merged else [])
        keys = [key for key in merged if key in people] + [key for key in people if key not in order
                                                           and key not in merged]
        members = set().union(*(people[key] for key in keys)) if keys else set()
        rows.append(_row(None, merged_label(held), members, posts_by_key, keys, crossing, merged=True))
    everyone = set().union(*people.values()) if people else set()
    total = sum(sum(posts.values()) for posts in posts_by_key.values())
    return Grouped(tuple(rows), merged, len(everyone), total)


def _row(key, label, members, posts_by_key, keys, crossing, merged=False):
    posts = sum(sum(posts_by_key.get(k, {}).values()) for k in keys)
    crossed = sum(crossing.get(m, 0) for m in members) if crossing is not None else 0
    return Row(key, label, len(members), posts, crossed, merged)
