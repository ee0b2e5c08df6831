"""The participation of a scope over a period, as the page shows it: plain data, the small-group
rule applied to every count of people before anything leaves this module.

A scope is the whole forum (the coordination's page: every space the viewer reads) or one
comité (its space and the spaces kept for its members that the viewer reads).
"""
from dataclasses import dataclass

from flask_babel import gettext as _

from forum.decisions.protection import K
from forum.topics.models import KIND_THEME

from . import counting
from .grouping import group


@dataclass(frozen=True)
class Scope:
    spaces: tuple          # the spaces counted, in their public order
    committee: object = None   # the comité's space, or None for the whole forum

    @property
    def space_ids(self):
        return [space.id for space in self.spaces]


@dataclass(frozen=True)
class Report:
    period: object
    contributors: int          # distinct people who wrote (the page says "moins de 5" under K)
    posts: int
    topics: int
    new_members: int
    colleges: object           # Grouped: contributors and posts per collège
    previous_colleges: object  # the same, for the period before (the summaries' comparison)
    committees: object         # Grouped per comité and regional space (whole forum only), or None
    themes: object             # Grouped per theme space (whole forum only), or None
    series: object             # Grouped per bucket of time, in order
    buckets: tuple
    replies: int               # replies written in the period…
    crossing: int              # …of which to another collège
    opened: int                # topics opened up to seven days before the period's end…
    unanswered: int            # …of which without another member's answer within seven days
    waiting: tuple             # (id, title, slug, created_at, None): still without an answer
    polls: tuple               # decisions closed in the period
    voters: object             # Grouped: distinct voters per collège (posts: ballots cast)

    @property
    def empty(self):
        return self.posts == 0 and self.new_members == 0 and not self.polls

    @property
    def few(self):
        """Fewer than K people wrote: no figure about them is shown, only that."""
        return 0 < self.contributors < K


def build(scope, period):
    """The report of ``scope`` over ``period`` (callers ask ``rules`` whether the viewer may)."""
    colleges = counting.college_order()
    college_ids = [college_id for college_id, _name in colleges]
    # Complements are taken from the end of the public numbering: the first collèges (the
    # personnes accompagnées first, whom the convention names first) then stay on their own
    # whenever the rule allows. Any order fixed in advance keeps the rule's promises
    # (tests/participation/test_disclosure.py tries them all); the rows keep the numbering.
    complements = college_ids[::-1]
    names = dict(colleges)
    activity = counting.activity(scope.space_ids, period)
    before = counting.posts_by_author(scope.space_ids, period.previous())
    per_college = _by_college(activity)
    opened, late, waiting = counting.unanswered(scope.space_ids, period)
    polls, voter_college, votes = counting.decisions(scope.space_ids, period)

    def college_label(key):
        return names[key]

    def others(keys):
        return _merged_colleges(keys, names)

    committees = themes = None
    if scope.committee is None:
        committees = _by_space(activity, [s for s in scope.spaces if s.kind != KIND_THEME])
        themes = _by_space(activity, [s for s in scope.spaces if s.kind == KIND_THEME])
    buckets = tuple(period.buckets())
    # A week or month nobody wrote in is shown as 0 (nobody to protect); only those with
    # writers go through the rule.
    busy = [index for index in range(len(buckets)) if activity.by_bucket.get(index)]
    series = group(activity.by_bucket, busy, str, lambda keys: "")
    voters = {}
    for member, college in voter_college.items():
        voters.setdefault(college, {})[member] = votes[member]
    return Report(
        period=period, contributors=len(activity.posts), posts=sum(activity.posts.values()),
        topics=activity.topics, new_members=counting.new_members(scope.committee, period),
        colleges=group(per_college, complements, college_label, others, crossing=activity.crossing,
                       shown_in=college_ids),
        previous_colleges=group(_previous_by_college(before), complements, college_label, others,
                                shown_in=college_ids),
        committees=committees, themes=themes, series=series, buckets=buckets,
        replies=sum(activity.posts.values()) - activity.topics, crossing=sum(activity.crossing.values()),
        opened=opened, unanswered=late, waiting=tuple(waiting), polls=tuple(polls),
        voters=group(voters, complements, college_label, others, shown_in=college_ids))


def _by_college(activity):
    per_college = {}
    for member, posts in activity.posts.items():
        per_college.setdefault(activity.college_of[member], {})[member] = posts
    return per_college


def _previous_by_college(posts):
    per_college = {}
    for member, (college, count) in posts.items():
        per_college.setdefault(college, {})[member] = count
    return per_college


def _by_space(activity, spaces):
    if len(spaces) < 2:
        return None
    names = {space.id: space.name for space in spaces}
    posts = {space.id: dict(activity.by_space.get(space.id, {})) for space in spaces}

    def merged(keys):
        listed = ", ".join(names[key] for key in keys if key in names)
        return _("Autres espaces (%(names)s)", names=listed) if listed else _("Autres espaces")
    return group(posts, [space.id for space in spaces], names.__getitem__, merged)


def _merged_colleges(keys, names):
    listed = ", ".join(names[key] for key in keys if key is not None)
    label = _("Autres collèges (%(names)s)", names=listed) if listed else _("Autres collèges")
    if None in keys:
        label += " " + _("et membres sans collège confirmé")
    return label
