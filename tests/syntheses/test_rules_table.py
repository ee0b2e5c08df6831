"""Who may read, write, comment, invite to and approve a synthesis (forum/syntheses/rules.py), as
one table: viewer × synthesis × answer, a row for each "who may" and each "who cannot" (issue 26).

One world, built once: a synthesis in each status (draft, review, approved, published, and a
published one taken back to draft for its next version) in each kind of space (a public theme,
a comité read by members, a space restricted to that comité's members, an archived one), all
written by the same author with the same invited editors, asked by eleven viewers.
``make mutants AREA=synthesis-rules`` runs it against every mutant of rules.py."""
from datetime import timedelta

import pytest
from flask_login import AnonymousUserMixin

from forum import permissions
from forum.clock import now
from forum.extensions import db
from forum.syntheses import rules
from forum.syntheses.models import APPROVED, DRAFT, PUBLISHED, REVIEW, Synthesis, SynthesisEditor
from forum.topics.models import VISIBILITY_MEMBERS, VISIBILITY_PUBLIC, VISIBILITY_RESTRICTED, Member, Space

SPACES = ("theme", "comite", "restricted", "archived")
STATUSES = ("draft", "review", "approved", "published", "redraft")   # redraft: published, then edited
SYNTHESES = tuple(f"{space}/{status}" for space in SPACES for status in STATUSES)
VIEWERS = ("anonymous", "alice", "bruno", "carol", "dan", "erin", "silenced", "suspended", "mod", "modtheme",
           "coordinator")
EVERYONE = set(VIEWERS)

# Written by hand from docs/syntheses.md and forum/permissions.py, per space:
READS = {   # who reads the space
    "theme": EVERYONE, "archived": EVERYONE,
    "comite": EVERYONE - {"anonymous", "suspended"},
    "restricted": {"alice", "bruno", "carol", "silenced", "coordinator"},
}
POSTS = {   # who may write in it (start a topic, so a synthesis)
    "theme": {"alice", "bruno", "carol", "dan", "erin", "mod", "modtheme", "coordinator"},
    "comite": {"alice", "bruno", "carol", "mod", "coordinator"},     # its members and moderators
    "restricted": {"alice", "bruno", "carol", "coordinator"},
    "archived": set(),
}
MODERATES = {"theme": {"modtheme", "coordinator"}, "comite": {"mod", "coordinator"},
             "restricted": {"coordinator"}, "archived": {"modtheme", "coordinator"}}
# Its editors: the author and the invited (alice; bruno, dan, silenced, suspended) who are members
# able to read the space, and its moderators.
EDITS = {space: ({"alice", "bruno", "dan", "silenced"} & READS[space]) | MODERATES[space] for space in SPACES}


@pytest.fixture
def world(app, forum):
    comite = forum.space("Comité 13", kind="comite", visibility=VISIBILITY_MEMBERS, department="13")
    spaces = {
        "theme": forum.space("Accès aux droits"),
        "comite": comite,
        "restricted": forum.space("Entre membres du 13", visibility=VISIBILITY_RESTRICTED, committees=[comite]),
        "archived": forum.space("Ancien espace"),
    }
    later = now() + timedelta(days=3)
    members = {
        "alice": forum.member("Alice", committees=[comite]),          # writes every synthesis
        "bruno": forum.member("Bruno", committees=[comite]),          # invited
        "carol": forum.member("Carol", committees=[comite]),
        "dan": forum.member("Dan"),                                   # invited, in no comité
        "erin": forum.member("Erin"),
        "silenced": forum.member("Muet", committees=[comite], silenced_until=later),   # invited
        "suspended": forum.member("Suspendu", committees=[comite], suspended_until=later),   # invited
        "mod": forum.moderator(comite, pseudonym="Modo13"),           # not one of the comité's members
        "modtheme": forum.moderator(spaces["theme"], pseudonym="ModoTheme"),
        "coordinator": forum.member("Coordination", role="coordinator"),
    }
    invited = ("bruno", "dan", "silenced", "suspended")
    rows = {}
    with app.app_context():
        archived = db.session.get(Space, spaces["archived"].id)   # held: a collection only weakly refers to it
        archived.moderators.append(db.session.get(Member, members["modtheme"].id))
        moment = now()
        for space in SPACES:
            for status in STATUSES:
                published = status in ("published", "redraft")
                synthesis = Synthesis(space_id=spaces[space].id, author_id=members["alice"].id, title=status,
                                      source="Texte.", status={"draft": DRAFT, "review": REVIEW, "approved": APPROVED,
                                                               "published": PUBLISHED, "redraft": DRAFT}[status],
                                      revision_count=1, created_at=moment, updated_at=moment,
                                      published_version=1 if published else 0,
                                      published_at=moment if published else None)
                synthesis.editors = [SynthesisEditor(member_id=members[name].id, added_at=moment)
                                     for name in ("alice", *invited)]
                db.session.add(synthesis)
                db.session.flush()
                rows[f"{space}/{status}"] = synthesis.id
        archived.archived_at = moment
        db.session.commit()
    return app, members, rows, {name: space.id for name, space in spaces.items()}


def person(world, viewer):
    app, members, rows, spaces = world
    return AnonymousUserMixin() if viewer == "anonymous" else db.session.get(Member, members[viewer].id)


def answers(world, rule, table):
    """{(viewer, synthesis): answer} where the rule's answer differs from the table's."""
    app, members, rows, spaces = world
    wrong = {}
    with app.test_request_context():
        for (viewer, name), expected in table.items():
            got = rule(person(world, viewer), db.session.get(Synthesis, rows[name]))
            if got != expected:
                wrong[(viewer, name)] = got
    return wrong


def grid(answer):
    """Every viewer × every synthesis: ``answer(viewer, space, status)``."""
    return {(viewer, name): answer(viewer, *name.split("/")) for viewer in VIEWERS for name in SYNTHESES}


def who_edits(world):
    assert answers(world, rules.is_editor, grid(lambda viewer, space, status: viewer in EDITS[space])) == {}


def who_reads(world):
    # A draft (a published one taken back included): its editors. In review, approved or
    # published: who may write in the space too. Once published: every reader of the space.
    def working(viewer, space, status):
        return viewer in EDITS[space] or (status not in ("draft", "redraft") and viewer in POSTS[space])

    assert answers(world, rules.can_read_working_text, grid(working)) == {}

    def reads(viewer, space, status):
        return working(viewer, space, status) or (status in ("published", "redraft") and viewer in READS[space])

    assert answers(world, rules.can_read, grid(reads)) == {}


def who_starts(world):
    app, members, rows, spaces = world
    with app.test_request_context():
        for viewer in VIEWERS:
            for space in SPACES:
                where = db.session.get(Space, spaces[space])
                reason = rules.why_cannot_start(person(world, viewer), where)
                assert (reason is None) == (viewer in POSTS[space]), (viewer, space, reason)
                assert reason == permissions.why_cannot_post(person(world, viewer), where)


NOT_AN_EDITOR = "Seuls ses rédacteurs, les modérateurs de l'espace et la coordination modifient cette synthèse."
ARCHIVED = "Cet espace est archivé : on peut le lire, plus y écrire."
SILENCED = "Votre compte est en lecture seule pour le moment."


def who_writes(world):
    def reason(viewer, space, status):
        if viewer not in EDITS[space]:
            return NOT_AN_EDITOR
        if space == "archived":
            return ARCHIVED
        return SILENCED if viewer == "silenced" else None

    assert answers(world, rules.why_cannot_edit, grid(reason)) == {}


def who_comments(world):
    def comments(viewer, space, status):
        return status in ("review", "approved") and viewer in POSTS[space]

    assert answers(world, rules.can_comment, grid(comments)) == {}


def who_invites_and_approves(world):
    invites = grid(lambda viewer, space, status: viewer == "alice" or viewer in MODERATES[space])
    assert answers(world, rules.can_invite, invites) == {}
    approves = grid(lambda viewer, space, status: viewer in MODERATES[space])
    assert answers(world, rules.can_approve, approves) == {}


def what_may_be_quoted_where(world):
    # A post of a space (row) quoted in a synthesis of a space (column): shown to no reader who
    # could not read it. Spaces built here, not stored: the rule reads their id and visibility.
    public, public2, members, members2, restricted, restricted2 = (
        Space(id=number, visibility=visibility) for number, visibility in enumerate(
            (VISIBILITY_PUBLIC, VISIBILITY_PUBLIC, VISIBILITY_MEMBERS, VISIBILITY_MEMBERS,
             VISIBILITY_RESTRICTED, VISIBILITY_RESTRICTED), start=1))
    every = (public, public2, members, members2, restricted, restricted2)
    table = {   # the post's space: in a synthesis of public, public2, members, members2, restricted, restricted2
        public: "YYYYYY", public2: "YYYYYY",
        members: "..YYYY", members2: "..YYYY",       # never in a public synthesis
        restricted: "....Y.", restricted2: ".....Y",  # in its own space only
    }
    expected = {(p.id, s.id): table[p][index] == "Y" for p in every for index, s in enumerate(every)}
    got = {(p.id, s.id): rules.audience_within(p, s) for p in every for s in every}
    assert {key: value for key, value in got.items() if value != expected[key]} == {}
    # Spelled out: a members' post never in a public synthesis, a restricted one only in its own space.
    assert rules.audience_within(members, public) is False
    assert rules.audience_within(members, restricted) is True
    assert rules.audience_within(restricted, restricted2) is False
    assert rules.audience_within(restricted, restricted) is True


def test_the_rules_of_syntheses(world):
    """One world for every rule (mutation testing runs this per mutant)."""
    for rule in (who_edits, who_reads, who_starts, who_writes, who_comments, who_invites_and_approves,
                 what_may_be_quoted_where):
        rule(world)
