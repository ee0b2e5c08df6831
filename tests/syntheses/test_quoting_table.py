"""Which posts a synthesis may quote, and which quotations are withdrawn (forum/syntheses/quoting.py
``check`` and ``withdrawn``), as one table: post × synthesis space × editor × answer (issue 26).

One world, built once: posts in a public space (visible, hidden, deleted, pending, one whose
earlier version was withdrawn), in a members-only space, in a space restricted to the comité 13,
in one restricted to the comité 83; a post that does not exist. Two editors: a member of the
comité 13, and the coordination (who reads every post, hidden ones included).
``make mutants AREA=syntheses`` runs it against every mutant of quoting.py's checks."""
import pytest

from forum.clock import now
from forum.errors import Invalid
from forum.extensions import db
from forum.syntheses import quoting
from forum.topics.models import VISIBILITY_MEMBERS, VISIBILITY_RESTRICTED, Member, Post, PostRevision, Space

SPACES = ("public", "members", "restricted", "other")   # "other": restricted to the comité 83
POSTS = ("visible", "hidden", "deleted", "pending", "redacted", "in_members", "in_restricted", "in_other", "missing")
MISSING = 999999


@pytest.fixture
def world(app, forum):
    c13, c83 = forum.committee("13"), forum.committee("83")
    spaces = {"public": forum.space("Accès aux droits"),
              "members": forum.space("Entre membres", visibility=VISIBILITY_MEMBERS),
              "restricted": forum.space("Comité 13 seulement", visibility=VISIBILITY_RESTRICTED, committees=[c13]),
              "other": forum.space("Comité 83 seulement", visibility=VISIBILITY_RESTRICTED, committees=[c83])}
    alice = forum.member("Alice", committees=[c13])
    bruno = forum.member("Bruno", committees=[c13, c83])
    coordinator = forum.member("Coordination", role="coordinator")
    topic = forum.topic(bruno, spaces["public"], "Le non-recours")
    posts = {name: forum.reply(bruno, topic, f"Réponse {name}.")
             for name in ("visible", "hidden", "deleted", "pending", "redacted")}
    for name, space in (("in_members", "members"), ("in_restricted", "restricted"), ("in_other", "other")):
        posts[name] = forum.opening(forum.topic(bruno, spaces[space], f"Sujet {name}"))
    ids = {name: post.id for name, post in posts.items()}
    ids["missing"] = MISSING
    with app.app_context():
        for name in ("hidden", "deleted", "pending"):
            db.session.get(Post, ids[name]).state = name
        first = db.session.scalars(db.select(PostRevision).where(PostRevision.post_id == ids["redacted"])).one()
        first.redacted_at, first.redaction_reason = now(), "personal"   # its version withdrawn
        db.session.commit()
    return app, {"alice": alice.id, "coordinator": coordinator.id}, ids, {k: s.id for k, s in spaces.items()}


def quote(post_id):
    return f"> [Bruno](/message/{post_id}) a écrit :\n> Un passage.\n\nSuite."


def refusal(world, editor, space, post):
    """The refusal of a synthesis of ``space`` quoting ``post``, written by ``editor`` (None: accepted)."""
    app, editors, ids, spaces = world
    with app.test_request_context():
        try:
            quoting.check(db.session.get(Member, editors[editor]), db.session.get(Space, spaces[space]),
                          quote(ids[post]))
        except Invalid as refused:
            return refused.fields["source"]
    return None


def kind(message, post_id):
    if message is None:
        return "ok"
    for label, text in (("not found", f"Le message n° {post_id} cité est introuvable."),
                        ("not visible", f"Le message n° {post_id} n'est pas visible de tous"),
                        ("wider", f"Le message n° {post_id} vient de l'espace « ")):
        if message.startswith(text):
            return label
    return message


# post: (alice's answer, the coordination's answer) in a synthesis of public, members, restricted, other.
# ok; F not found (unknown, or a post the editor may not read); V not visible; W shown wider.
TABLE = {
    "visible":       ("ok ok ok ok", "ok ok ok ok"),
    "hidden":        ("F F F F", "V V V V"),          # alice may not read it: as if it did not exist
    "deleted":       ("F F F F", "V V V V"),
    "pending":       ("F F F F", "V V V V"),
    "redacted":      ("V V V V", "V V V V"),          # a copy may hold the withdrawn text
    "in_members":    ("W ok ok ok", "W ok ok ok"),
    "in_restricted": ("W W ok W", "W W ok W"),
    "in_other":      ("F F F F", "W W W ok"),
    "missing":       ("F F F F", "F F F F"),
}
LABELS = {"ok": "ok", "F": "not found", "V": "not visible", "W": "wider"}


def what_may_be_quoted(world):
    app, editors, ids, spaces = world
    expected, got = {}, {}
    for post, answers in TABLE.items():
        for editor, row in zip(("alice", "coordinator"), answers):
            for space, answer in zip(SPACES, row.split()):
                expected[(post, editor, space)] = LABELS[answer]
                got[(post, editor, space)] = kind(refusal(world, editor, space, post), ids[post])
    assert {key: value for key, value in got.items() if value != expected[key]} == {}
    # The whole messages, and every problem of a text told at once, in the order of the posts.
    assert refusal(world, "alice", "public", "in_members") == (
        f"Le message n° {ids['in_members']} vient de l'espace « Entre membres », plus restreint que celui de la "
        "synthèse : le citer le montrerait à des lecteurs qui ne peuvent pas le lire.")
    assert refusal(world, "coordinator", "public", "hidden") == (
        f"Le message n° {ids['hidden']} n'est pas visible de tous (masqué, supprimé, en attente ou retiré) : "
        "il ne peut pas être cité.")
    with app.test_request_context():
        source = "\n\n".join(quote(ids[name]) for name in ("missing", "in_members", "hidden", "visible"))
        with pytest.raises(Invalid) as refused:
            quoting.check(db.session.get(Member, editors["alice"]), db.session.get(Space, spaces["public"]), source)
        assert refused.value.fields == {"source": " ".join((
            f"Le message n° {ids['hidden']} cité est introuvable.",
            refusal(world, "alice", "public", "in_members"),
            f"Le message n° {MISSING} cité est introuvable."))}


# Withdrawn when read, per synthesis space: whatever is not visible, was redacted, or comes from
# a space whose readers are fewer; a post gone altogether too.
WITHDRAWN = {
    "public": {"hidden", "deleted", "pending", "redacted", "in_members", "in_restricted", "in_other", "missing"},
    "members": {"hidden", "deleted", "pending", "redacted", "in_restricted", "in_other", "missing"},
    "restricted": {"hidden", "deleted", "pending", "redacted", "in_other", "missing"},
    "other": {"hidden", "deleted", "pending", "redacted", "in_restricted", "missing"},
}


def what_is_withdrawn(world):
    app, editors, ids, spaces = world
    with app.test_request_context():
        for space in SPACES:
            where = db.session.get(Space, spaces[space])
            got = quoting.withdrawn({ids[name] for name in POSTS}, where)
            assert got == {ids[name] for name in WITHDRAWN[space]}, space
            assert quoting.withdrawn({ids["visible"]}, where) == set()
            assert quoting.withdrawn(set(), where) == set()
        public = db.session.get(Space, spaces["public"])
        assert quoting.withdrawn({ids["redacted"], ids["visible"]}, public) == {ids["redacted"]}
        assert quoting.withdrawn({ids["in_other"]}, public) == {ids["in_other"]}


def test_what_a_synthesis_may_quote(world):
    """One world for both rules (mutation testing runs this per mutant)."""
    what_may_be_quoted(world)
    what_is_withdrawn(world)
