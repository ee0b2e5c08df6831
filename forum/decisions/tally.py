"""Counting the ballots of a decision, overall and per collège. Pure code: no database, no Flask.

A ballot's choice is stored as {option key (int): value (int)}:

- consent, sense, single: exactly one option, value 1;
- multiple: the chosen options, value 1 each;
- ranked: option -> rank 1..n (distinct ranks, at least one option; unranked options absent);
- score: option -> 0..max_score (every option present);
- meeting: option -> 2 (oui), 1 (peut-être), 0 (non) (every option present).

Ballots are first turned into a profile, {canonical choice: number of ballots}, in one pass
(per collège in ``per_college``); every figure is then computed from the profiles, whose size is
the number of distinct choices, not of ballots. Profiles add up, so the overall and "autres
collèges" figures come from the collèges' profiles without a second pass over the ballots.
The rules are written out in docs/decisions.md ("Counting").
"""
from collections import Counter

from .protection import K, UNASSIGNED, protect

__all__ = ["K", "KINDS", "count", "per_college", "protect"]

KINDS = ("consent", "single", "multiple", "ranked", "score", "meeting", "sense")

MEETING_ANSWERS = {2: "yes", 1: "maybe", 0: "no"}


# --- profiles ------------------------------------------------------------------------------

def _one(choice):
    return tuple(choice)


def _chosen(choice):
    return tuple(sorted(key for key, value in choice.items() if value))


def _ranking(choice):
    """The options of a ranked ballot, best first (ranks need not be contiguous)."""
    return tuple(sorted(choice, key=choice.__getitem__))


def _values(choice):
    return tuple(sorted(choice.items()))


CANONICAL = {"consent": _one, "single": _one, "sense": _one, "multiple": _chosen,
             "ranked": _ranking, "score": _values, "meeting": _values}


def _canonical(kind):
    try:
        return CANONICAL[kind]
    except KeyError:
        raise ValueError(f"unknown decision kind: {kind!r}") from None


def _profile(kind, choices):
    canonical = _canonical(kind)
    return Counter(canonical(choice) for choice in choices)


# --- counting one profile ------------------------------------------------------------------

def _votes(option_keys, profile):
    votes = dict.fromkeys(option_keys, 0)
    for chosen, weight in profile.items():
        for key in chosen:
            if key in votes:          # an option no longer in the poll is not counted
                votes[key] += weight
    return {key: {"votes": v} for key, v in votes.items()}


def _scores(option_keys, profile, voters):
    points = dict.fromkeys(option_keys, 0)
    for values, weight in profile.items():
        for key, value in values:
            if key in points:
                points[key] += value * weight
    return {key: {"points": p, "mean": round(p / voters, 2) if voters else 0.0}
            for key, p in points.items()}


def _meeting(option_keys, profile):
    answers = {key: {"yes": 0, "maybe": 0, "no": 0} for key in option_keys}
    for values, weight in profile.items():
        for key, value in values:
            if key in answers and value in MEETING_ANSWERS:
                answers[key][MEETING_ANSWERS[value]] += weight
    return answers


def _ranked(option_keys, profile):
    """Borda points and first preferences per option, and the instant-runoff count."""
    known = set(option_keys)
    rankings = Counter()
    for ranking, weight in profile.items():
        rankings[tuple(key for key in ranking if key in known)] += weight
    n = len(option_keys)
    borda = dict.fromkeys(option_keys, 0)
    first = dict.fromkeys(option_keys, 0)
    for ranking, weight in rankings.items():
        if ranking:
            first[ranking[0]] += weight
        for position, key in enumerate(ranking):
            borda[key] += (n - 1 - position) * weight    # rank r earns n - r; unranked 0
    options = {key: {"borda": borda[key], "first": first[key]} for key in option_keys}
    voters = sum(profile.values())
    top = max(borda.values(), default=0)
    winners = [key for key in option_keys if borda[key] == top] if voters else []
    return options, {"irv": instant_runoff(option_keys, rankings, borda), "borda_winners": winners}


def instant_runoff(option_keys, rankings, borda):
    """Instant-runoff count over ``rankings`` ({options best first: ballots}).

    Each round every ballot counts for its highest-ranked option still in the count; a ballot
    with none left is exhausted. An option with more than half of the ballots not exhausted
    wins. Otherwise the option with the fewest votes is eliminated. A tie for last place: all
    the tied options go together when their votes added up are fewer than the next option's
    (they could not catch up); otherwise the one with fewer Borda points goes, and between equal
    Borda points the one later in the poll's display order. Two options tied in the last round:
    no winner (``winner`` None, ``final_tie`` True), the decision goes back to the comité.
    ``decided_by`` says, per elimination, which of these rules decided it.
    """
    position = {key: index for index, key in enumerate(option_keys)}
    alive = list(option_keys)
    result = {"rounds": [], "eliminated": [], "decided_by": [], "exhausted": [],
              "winner": None, "final_tie": False}
    total = sum(rankings.values())
    while alive:
        living = set(alive)
        tally = dict.fromkeys(alive, 0)
        for ranking, weight in rankings.items():
            for key in ranking:
                if key in living:
                    tally[key] += weight
                    break
        active = sum(tally.values())
        result["rounds"].append(tally)
        result["exhausted"].append(total - active)
        if not active:
            break
        leader = max(alive, key=tally.__getitem__)
        if 2 * tally[leader] > active:
            result["winner"] = leader
            break
        if len(alive) == 2:       # two options, neither above half: tied
            result["final_tie"] = True
            break
        fewest = min(tally.values())
        last = [key for key in alive if tally[key] == fewest]
        above = [votes for votes in tally.values() if votes > fewest]
        if len(last) == 1:
            out, rule = last, "fewest"
        elif above and fewest * len(last) < min(above):
            out, rule = last, "all_tied_last"
        else:
            out = [min(last, key=lambda key: (borda[key], -position[key]))]
            lowest = borda[out[0]]
            rule = "borda" if sum(borda[key] == lowest for key in last) == 1 else "order"
        result["eliminated"].append(out)
        result["decided_by"].append(rule)
        alive = [key for key in alive if key not in out]
    return result


def _tally(kind, option_keys, profile, max_score=None):
    option_keys = list(option_keys)
    voters = sum(profile.values())
    result = {"voters": voters}
    if kind == "ranked":
        result["options"], extras = _ranked(option_keys, profile)
        result.update(extras)
    elif kind == "score":
        result["options"] = _scores(option_keys, profile, voters)
        result["max_score"] = max_score
    elif kind == "meeting":
        result["options"] = _meeting(option_keys, profile)
    else:
        result["options"] = _votes(option_keys, profile)
    return result


def count(kind, option_keys, choices, max_score=None):
    """The figures of one set of ballots. ``option_keys``: the poll's options in display order;
    ``choices``: the ballots' choice dicts. Returns {"voters": n, "options": {key: {...}}, ...}:
    votes (single, multiple, consent, sense), points and mean (score), yes/maybe/no (meeting),
    borda and first plus "irv" and "borda_winners" (ranked)."""
    return _tally(kind, option_keys, _profile(kind, choices), max_score)


# --- per collège ---------------------------------------------------------------------------

def per_college(kind, option_keys, ballots, order, max_score=None, k=K):
    """Overall figures and figures per collège, small collèges merged (``protect``).

    ``ballots``: (collège key or None, choice) pairs; None, or a collège not in ``order``, is a
    voter without a confirmed collège: counted in the overall figures, always in "autres
    collèges". ``order``: every collège with eligible members, in the public fixed order.

    Returns {"overall", "colleges": [(key, figures)] in order, "others": figures or None,
    "others_colleges": merged collège keys in order, "others_unassigned": whether voters without
    a collège are in "others", "only_total": True when no collège can be shown (then
    "colleges" is empty and "others" None)}.
    """
    canonical = _canonical(kind)
    known = set(order)
    profiles = {}
    for college, choice in ballots:
        if college not in known:
            college = UNASSIGNED
        profile = profiles.get(college)
        if profile is None:
            profile = profiles[college] = Counter()
        profile[canonical(choice)] += 1
    if kind == "ranked":   # instant runoff does not add up: merge the (small) profiles, count again
        def combine(colleges):
            return _tally(kind, option_keys, sum((profiles[c] for c in colleges if c in profiles), Counter()))
    else:                  # every figure adds up: count each collège once, add the figures
        tallies = {college: _tally(kind, option_keys, profile, max_score) for college, profile in profiles.items()}

        def combine(colleges):
            return _add(kind, option_keys, [tallies[c] for c in colleges if c in tallies], max_score)
    overall = combine(profiles)
    voters = {college: sum(profile.values()) for college, profile in profiles.items()}
    shown, _others, merged = protect(voters, order, k)
    result = {"overall": overall, "colleges": [], "others": None, "others_colleges": [],
              "others_unassigned": False, "only_total": not shown}
    if not shown:
        return result
    result["colleges"] = [(college, combine([college])) for college in order if college in shown]
    if merged:
        result["others"] = combine(merged)
        result["others_colleges"] = [college for college in order if college in merged]
        result["others_unassigned"] = UNASSIGNED in merged
    return result


def _add(kind, option_keys, tallies, max_score):
    """The figures of several groups of ballots, added (every kind but ranked)."""
    result = _tally(kind, option_keys, Counter(), max_score)
    options = result["options"]
    for tally in tallies:
        result["voters"] += tally["voters"]
        for key, figures in tally["options"].items():
            for name, value in figures.items():
                if name != "mean":
                    options[key][name] += value
    if kind == "score" and result["voters"]:
        for figures in options.values():
            figures["mean"] = round(figures["points"] / result["voters"], 2)
    return result
