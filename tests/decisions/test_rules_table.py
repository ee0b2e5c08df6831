"""Who may see, vote on, close and conclude a decision (forum/decisions/rules.py), as one table:
viewer × decision × answer, a row for each "who may" and each "who cannot" (issue 26).

One world, built once: decisions in a public theme space (anyone may write there, so the
electorate's own limits decide) and in a comité, open, closed, hidden, anonymous, with results
shown, after one's vote or after the closing. ``make mutants AREA=decisions`` runs it against
every mutant of rules.py."""
from datetime import timedelta

import pytest
from flask_login import AnonymousUserMixin

from forum.clock import now
from forum.decisions import closing, rules, voting
from forum.decisions.models import Poll
from forum.extensions import db
from forum.topics.models import Member, Post, Space, Topic

from .conftest import settings

POLLS = ("open", "after_vote", "after_closing", "for_p", "for_c83", "closed", "closed_anonymous",
         "hidden", "pending", "closed_hidden", "in_c13")
CLOSED = ("closed", "closed_anonymous", "closed_hidden")
UNSEEN = ("hidden", "pending", "closed_hidden")   # by all but their author and the theme's moderators


@pytest.fixture
def world(app, forum):
    p, q = forum.college("Personnes accompagnées"), forum.college("Professionnels")
    c13, c83 = forum.committee("13"), forum.committee("83")
    theme = forum.space("Accès aux droits")
    members = {
        "alice": forum.member("Alice", college=p, committees=[c13]),     # opens every decision
        "bob": forum.member("Bob", college=q, committees=[c13]),         # votes on "after_vote"
        "carol": forum.member("Carol", college=p, confirmed=False, committees=[c83]),
        "dan": forum.member("Dan", college=p),                           # no comité
        "silenced": forum.member("Muet", college=p, committees=[c13, c83],
                                 silenced_until=now() + timedelta(days=3)),
        "mod": forum.moderator(theme, pseudonym="ModoTheme"),
        "mod13": forum.moderator(c13, pseudonym="Modo13", committees=[c13]),
        "coordinator": forum.member("Coordination", role="coordinator"),
        "former": forum.moderator(theme, pseudonym="AncienModo"),   # closes "closed", then steps down
    }
    rows = {}
    with app.app_context():
        alice = db.session.get(Member, members["alice"].id)
        topic = db.session.get(Topic, forum.topic(members["alice"], theme).id)
        in_c13 = db.session.get(Topic, forum.topic(members["alice"], c13).id)

        def poll(name, where=topic, **chosen):
            rows[name] = voting.open_poll(alice, where, settings(**chosen), "Décidons.").id

        poll("open")
        poll("after_vote", results_mode="after_vote")
        poll("after_closing", results_mode="after_closing")
        poll("for_p", college_ids=(p.id,))
        poll("for_c83", committee_ids=(c83.id,))
        poll("closed")
        poll("closed_anonymous", anonymous=True)
        poll("hidden")
        poll("pending")
        poll("closed_hidden")
        poll("in_c13", where=in_c13)
        bob = db.session.get(Member, members["bob"].id)
        voting.cast_ballot(bob, db.session.get(Poll, rows["after_vote"]), {0: 1})
        former = db.session.get(Member, members["former"].id)
        closing.close_poll(db.session.get(Poll, rows["closed"]), former)
        held = db.session.get(Space, theme.id)   # held: a collection only weakly refers to it
        held.moderators.remove(former)
        closing.close_poll(db.session.get(Poll, rows["closed_anonymous"]))          # its date came
        closing.close_poll(db.session.get(Poll, rows["closed_hidden"]))
        for name, state in (("hidden", "hidden"), ("pending", "pending"), ("closed_hidden", "hidden")):
            db.session.get(Post, db.session.get(Poll, rows[name]).post_id).state = state
        db.session.commit()
    return app, members, rows


def ask(world, rule, viewer, poll, *more):
    app, members, rows = world
    with app.test_request_context():
        person = AnonymousUserMixin() if viewer == "anonymous" else db.session.get(Member, members[viewer].id)
        return rule(person, db.session.get(Poll, rows[poll]), *more)


def answers(world, rule, table, *more):
    """{(viewer, poll): answer} where the rule's answer differs from the table's."""
    return {(viewer, poll): got for (viewer, poll), expected in table.items()
            if (got := ask(world, rule, viewer, poll, *more)) != expected}


VIEWERS = ("anonymous", "alice", "bob", "carol", "dan", "silenced", "mod", "mod13", "coordinator", "former")


def grid(default, **exceptions):
    """Every viewer × every poll: ``default``, but ``exceptions`` {"viewer__poll": answer}."""
    table = {(v, p): default for v in VIEWERS for p in POLLS}
    for key, value in exceptions.items():
        viewer, poll = key.split("__")
        assert (viewer, poll) in table, key
        table[(viewer, poll)] = value
    return table


def who_sees_a_decision(world):
    # A hidden or pending post's decision, open or closed: its author and the moderators of its
    # space (the coordination among them), not another space's moderator nor a former one. Both
    # spaces are public.
    expected = grid(True)
    for poll in UNSEEN:
        for viewer in ("anonymous", "bob", "carol", "dan", "silenced", "mod13", "former"):
            expected[(viewer, poll)] = False
    assert answers(world, rules.can_see_poll, expected) == {}


def who_may_vote(world):
    eligible = grid(True)
    for poll in POLLS:
        eligible[("anonymous", poll)] = False
        eligible[("silenced", poll)] = False
    for viewer in ("bob", "carol", "mod", "mod13", "coordinator", "former"):   # not a confirmed P
        eligible[(viewer, "for_p")] = False
    for viewer in ("alice", "bob", "dan", "mod", "mod13", "coordinator", "former"):   # not in the comité 83
        eligible[(viewer, "for_c83")] = False
    for viewer in ("carol", "dan", "mod", "former"):   # may not write in the comité 13
        eligible[(viewer, "in_c13")] = False
    assert answers(world, rules.is_eligible, eligible) == {}

    statuses = {}
    for (viewer, poll), may in eligible.items():
        statuses[(viewer, poll)] = None if may else 403
        if viewer == "anonymous":
            statuses[(viewer, poll)] = 403
        elif poll in CLOSED:
            statuses[(viewer, poll)] = 409
    got = {key: (value[0] if value else None) for key in statuses
           for value in [ask(world, rules.why_cannot_vote, *key)]}
    assert {k: v for k, v in got.items() if v != statuses[k]} == {}
    # Each refusal says why, in the words of its cause.
    assert ask(world, rules.why_cannot_vote, "anonymous", "open")[1] == "Connectez-vous pour voter."
    assert ask(world, rules.why_cannot_vote, "alice", "closed")[1] == \
        "Ce vote est clos : il ne reçoit plus de bulletin."
    assert ask(world, rules.why_cannot_vote, "bob", "for_p")[1] == \
        "Ce vote est réservé à d'autres membres (voir « Qui vote »)."
    assert ask(world, rules.why_cannot_vote, "silenced", "open")[1].startswith(
        "Votre compte est en lecture seule")


def who_sees_the_tally_and_each_ballot(world):
    seen = {key: ask(world, rules.can_see_poll, *key) for key in grid(None)}
    tally = dict(seen)
    for viewer in VIEWERS:
        tally[(viewer, "after_vote")] = viewer == "bob"        # the one who voted
        tally[(viewer, "after_closing")] = False               # still open
    assert answers(world, rules.can_see_tally, tally) == {}
    # The caller's knowledge wins over the database's: ``voted`` given.
    assert ask(world, rules.can_see_tally, "alice", "after_vote", True) is True
    assert ask(world, rules.can_see_tally, "bob", "after_vote", False) is False
    named = {**tally, **{(viewer, "closed_anonymous"): False for viewer in VIEWERS}}
    assert answers(world, rules.can_see_how_each_voted, named) == {}
    assert ask(world, rules.can_see_how_each_voted, "alice", "after_vote", True) is True


def who_has_voted(world):
    assert answers(world, rules.has_voted, grid(False, bob__after_vote=True)) == {}


def who_closes_and_who_writes_the_outcome(world):
    closes = grid(False)
    for poll in POLLS:
        if poll in CLOSED:
            continue
        closes[("alice", poll)] = True                         # its author
        closes[("coordinator", poll)] = True
        closes[("mod", poll)] = poll != "in_c13"               # the theme's moderator
    closes[("mod13", "in_c13")] = True
    assert answers(world, rules.can_close, closes) == {}
    outcome = grid(False)
    for poll in CLOSED:
        outcome[("alice", poll)] = True
        outcome[("mod", poll)] = True                          # moderates the theme
        outcome[("coordinator", poll)] = True
    outcome[("former", "closed")] = True                       # closed it, moderates no more
    assert answers(world, rules.can_write_outcome, outcome) == {}


def who_opens_a_decision(world):
    app, members, rows = world
    with app.test_request_context():
        topic = db.session.get(Poll, rows["open"]).topic
        alice, dan = (db.session.get(Member, members[n].id) for n in ("alice", "dan"))
        assert rules.why_cannot_open(alice, topic) is None
        assert rules.why_cannot_open(db.session.get(Member, members["silenced"].id), topic)
        db.session.get(Space, topic.space_id).decisions_opened_by = "moderators"
        db.session.commit()
        assert rules.why_cannot_open(dan, topic) == \
            "Dans cet espace, seuls ses modérateurs et la coordination ouvrent une décision."
        assert rules.why_cannot_open(db.session.get(Member, members["mod"].id), topic) is None
        assert rules.why_cannot_open(db.session.get(Member, members["coordinator"].id), topic) is None


def test_the_rules_of_decisions(world):
    """One world for every rule (it takes seconds to build; mutation testing runs this per mutant)."""
    for rule in (who_sees_a_decision, who_may_vote, who_sees_the_tally_and_each_ballot, who_has_voted,
                 who_closes_and_who_writes_the_outcome, who_opens_a_decision):
        rule(world)
