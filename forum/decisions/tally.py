"""PROVISIONAL (replaced by the tally branch): the counting interface, simple kinds only."""
K = 5
KINDS = ("consent", "single", "multiple", "ranked", "score", "meeting", "sense")


def count(kind, option_keys, choices, max_score=None):
    options = {k: {"votes": 0} for k in option_keys}
    voters = 0
    for choice in choices:
        voters += 1
        for key, value in choice.items():
            options[key]["votes"] += value
    return {"voters": voters, "options": options}


def protect(voters_by_college, order, k=K):
    merged = {c for c, n in voters_by_college.items() if n < k}
    if merged:
        added = 0
        for c in [c for c in order if c in voters_by_college and c not in merged]:
            if added >= 1 and sum(voters_by_college[m] for m in merged) > k:
                break
            merged.add(c)
            added += 1
    shown = {c: n for c, n in voters_by_college.items() if c not in merged}
    others = sum(voters_by_college[c] for c in merged) if merged else None
    return shown, others, frozenset(merged)


def per_college(kind, option_keys, ballots, order, max_score=None, k=K):
    ballots = list(ballots)
    groups = {c: [] for c in order}
    for college, choice in ballots:
        groups.setdefault(college, []).append(choice)
    counts = {c: len(v) for c, v in groups.items()}
    shown, others, merged = protect(counts, [c for c in order] + [None], k)
    return {"overall": count(kind, option_keys, (c for _, c in ballots), max_score),
            "colleges": [(c, count(kind, option_keys, groups[c], max_score)) for c in order if c in shown],
            "others": count(kind, option_keys, (x for c in merged for x in groups[c]), max_score) if merged else None,
            "others_colleges": [c for c in order if c in merged],
            "only_total": not shown}
