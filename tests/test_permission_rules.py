"""Every permission rule as a table: viewer × object × answer, one row per "who may" and per "who
cannot" (anonymous, suspended, read-only, author or not, closed topic, comité not joined, collège
not confirmed, moderator of another space, coordination).

The rows are the contract of ``forum/permissions.py`` and ``moderation/permissions.py``; mutation
testing (``make mutants AREA=permissions``, docs/tests.md) checks that no change of a rule goes
unnoticed by them. The world (``tests/permission_world.py``) is built once per backend: the rows
only read it.
"""
import pytest
from sqlalchemy import event, select

from forum import permissions as core
from forum.extensions import db
from moderation import permissions as moderation
from moderation.models import Decision

from .conftest import BACKENDS
from .permission_world import close_world, open_world


@pytest.fixture(scope="module", params=BACKENDS)
def world(request, migrated, tmp_path_factory):
    built = open_world(request.param, migrated, tmp_path_factory.mktemp("permission-rules"))
    yield built
    close_world(built)


def answer(world, rule, names):
    """``rule`` asked about the named rows, in a request of its own (the per-request memos)."""
    with world.app.test_request_context():
        return rule(*[world.load(name) for name in names])


def table(rule, rows):
    """(rule, viewer, objects…, expected) for each row, with a readable test id."""
    return [pytest.param(rule, row[:-1], row[-1], id=f"{rule.__name__}-{'-'.join(row[:-1])}") for row in rows]


def check(world, rule, names, expected):
    assert answer(world, rule, names) == expected


ROLES = (
    table(core.is_member, [
        ("anonymous", False), ("anonymous_user", False), ("not_a_user", False), ("suspended", False), ("alice", True),
        ("silenced", True), ("was_suspended", True), ("unsigned", True),
    ])
    + table(core.is_coordinator, [
        ("anonymous", False), ("alice", False), ("mod13", False), ("coordinator", True), ("admin", True),
        ("sus_coord", False),
    ])
    + table(core.is_space_moderator, [
        ("anonymous", "c13", False), ("alice", "c13", False), ("mod13", "c13", True), ("mod13", "c83", False),
        ("coordinator", "c13", False), ("sus_mod", "c13", False), ("mod83", "c83", True),
    ])
    + table(core.holds_a_role, [   # who must use two-step login where the forum requires it
        ("anonymous", False), ("not_a_user", False), ("alice", False), ("outsider", False), ("mod13", True),
        ("mod83", True), ("coordinator", True), ("admin", True), ("sus_coord", False), ("sus_mod", False),
    ])
    + table(core.can_moderate, [
        ("anonymous", "c13", False), ("alice", "c13", False), ("mod13", "c13", True), ("mod13", "c83", False),
        ("coordinator", "c83", True), ("admin", "c83", True), ("sus_coord", "c13", False),
        ("sus_mod", "c13", False),
        # A space that keeps staff out: only its moderators and coordinators of its collège.
        ("coordinator", "r_sealed", False), ("admin", "r_sealed", False), ("coord_a", "r_sealed", True),
        ("mod_sealed", "r_sealed", True), ("confirmed", "r_sealed", False), ("coordinator", "r_college", True),
    ])
    + table(core.keeps_staff_out, [("r_sealed", True), ("r_college", False), ("r_c13", False), ("public", False)])
)

READING = (
    table(core.can_read_space, [
        ("anonymous", "public", True), ("anonymous", "c13", True), ("anonymous", "members", False),
        ("anonymous_user", "members", False), ("suspended", "public", True), ("suspended", "members", False),
        ("outsider", "members", True), ("outsider", "r_c13", False), ("alice", "r_c13", True),
        ("alice", "r_college", False), ("confirmed", "r_college", True), ("unconfirmed", "r_college", False),
        ("other_college", "r_college", False), ("confirmed", "r_both", False), ("alice", "r_both", False),
        ("both", "r_both", True), ("both", "r_none", False), ("coordinator", "r_none", True),
        ("mod_r", "r_none", True), ("mod83", "r_none", False), ("mod83", "r_c13", False),
        ("sus_coord", "r_none", False), ("suspended", "r_c13", False),
        ("coordinator", "r_sealed", False), ("admin", "r_sealed", False), ("coord_a", "r_sealed", True),
        ("confirmed", "r_sealed", True), ("unconfirmed", "r_sealed", False), ("mod_sealed", "r_sealed", True),
        ("other_college", "r_sealed", False),
        # A pending request opens nothing: the outsider asked to join the comité 13.
        ("outsider", "r_c13", False),
    ])
    + table(core.can_read_topic, [
        ("anonymous", "t13", True), ("anonymous", "t_public", True), ("outsider", "t13", True),
    ])
    + table(core.can_read_post_text, [
        ("anonymous", "public_post", True), ("anonymous", "bob_reply", True),
        ("outsider", "rc13_post", False), ("alice", "rc13_post", True),
        ("anonymous", "bob_hidden", False), ("bob", "bob_hidden", True), ("alice", "bob_hidden", False),
        ("mod13", "bob_hidden", True), ("mod83", "bob_hidden", False), ("coordinator", "bob_hidden", True),
        ("anonymous", "bob_pending", False), ("bob", "bob_pending", True), ("alice", "bob_pending", False),
        ("mod13", "bob_pending", True), ("mod83", "bob_pending", False),
        ("anonymous", "bob_deleted", False), ("bob", "bob_deleted", False), ("alice", "bob_deleted", False),
        ("mod13", "bob_deleted", True), ("coordinator", "bob_deleted", True), ("mod83", "bob_deleted", False),
        ("suspended", "suspended_hidden", False), ("sus_mod", "bob_hidden", False),
        ("coordinator", "archived_post", False), ("bob", "archived_post", False),
    ])
    + table(core.can_see_post_author, [
        # Under a hidden post, only who may read it sees its author: the public log's alias holds.
        ("anonymous", "bob_reply", True), ("alice", "bob_reply", True),
        ("anonymous", "bob_hidden", False), ("alice", "bob_hidden", False), ("bob", "bob_hidden", True),
        ("mod13", "bob_hidden", True), ("mod83", "bob_hidden", False), ("coordinator", "bob_hidden", True),
        ("anonymous", "bob_deleted", True), ("alice", "bob_pending", False), ("bob", "bob_pending", True),
        ("outsider", "rc13_post", False),
    ])
    + table(core.can_see_post, [
        ("anonymous", "bob_reply", True), ("anonymous", "bob_hidden", True), ("anonymous", "bob_deleted", True),
        ("anonymous", "bob_pending", False), ("alice", "bob_pending", False), ("bob", "bob_pending", True),
        ("mod13", "bob_pending", True), ("outsider", "rc13_post", False), ("alice", "rc13_post", True),
    ])
)

SIGN_IN = "Connectez-vous pour participer."
NOT_OPEN = "Cet espace ne vous est pas ouvert."
READ_ONLY = "Votre compte est en lecture seule jusqu'au 2 janv. 2099 à 04:04."   # 03:04 UTC, in Paris
CONVENTION = "Adhérez à la convention pour participer."
CHARTER = "Une nouvelle version du règlement doit être acceptée avant de publier."
JOIN = "Demandez à rejoindre ce comité (dans vos préférences) pour y écrire."
CLOSED = "Ce sujet est fermé : il n'accepte plus de réponses."
ARCHIVED = "Cet espace est archivé : on peut le lire, plus y écrire."

WRITING = (
    table(core.why_cannot_post, [
        ("anonymous", "public", SIGN_IN), ("anonymous_user", "public", SIGN_IN), ("suspended", "public", SIGN_IN),
        ("outsider", "r_c13", NOT_OPEN), ("outsider", "members", None), ("silenced", "public", READ_ONLY),
        ("silenced", "r_none", NOT_OPEN), ("unsigned", "public", CONVENTION), ("stale", "public", CHARTER),
        ("outsider", "public", None), ("outsider", "c13", JOIN), ("alice", "c13", None), ("alice", "c83", JOIN),
        ("mod83", "c83", None), ("mod83", "c13", JOIN), ("coordinator", "c83", None),
        ("alice", "r_c13", None), ("alice", "archived", ARCHIVED), ("coordinator", "archived", ARCHIVED),
        ("anonymous", "archived", SIGN_IN),
    ])
    + table(core.why_cannot_reply, [
        ("alice", "t13", None), ("alice", "t13_closed", CLOSED), ("mod13", "t13_closed", None),
        ("coordinator", "t13_closed", None), ("anonymous", "t13_closed", SIGN_IN),
        ("outsider", "public_closed", CLOSED), ("mod83", "public_closed", CLOSED),
        ("coordinator", "public_closed", None), ("alice", "t83", JOIN), ("silenced", "t13", READ_ONLY),
    ])
    + table(core.can_edit_post, [
        ("anonymous", "bob_reply", False), ("bob", "bob_reply", True), ("bob", "bob_pending", True),
        ("bob", "bob_hidden", False), ("bob", "bob_deleted", False), ("alice", "bob_reply", False),
        ("mod13", "bob_reply", False), ("coordinator", "bob_reply", False),
        # Read-only: the edit form opens, but the edit may only remove words (tests/test_posting.py).
        ("silenced", "silenced_post", True), ("suspended", "suspended_post", False),
    ])
    + table(core.can_edit_tags, [
        # Its moderators, and its author while they may write there; nobody in an archived space.
        ("anonymous", "t13", False), ("alice", "t13", True), ("bob", "t13", False), ("mod13", "t13", True),
        ("mod83", "t13", False), ("coordinator", "t13", True), ("sus_mod", "t13", False),
        ("outsider", "t_public", True), ("alice", "t_public", False), ("eve", "t83", True),
        ("mod13", "t83", False), ("alice", "t_archived", False), ("coordinator", "t_archived", False),
        ("alice", "t_rc13", True), ("outsider", "t_rc13", False),
    ])
    + table(core.can_delete_post, [
        ("anonymous", "bob_reply", False), ("bob", "bob_reply", True), ("bob", "bob_pending", True),
        ("bob", "bob_hidden", False), ("bob", "bob_deleted", False), ("alice", "bob_reply", False),
        ("mod13", "bob_reply", False), ("coordinator", "bob_reply", False),
        ("silenced", "silenced_post", True), ("suspended", "suspended_post", False),
    ])
    + table(core.can_download_attachment, [
        ("alice", "att_unposted", True), ("bob", "att_unposted", False), ("anonymous", "att_unposted", False),
        ("coordinator", "att_unposted", False), ("suspended", "att_unposted_suspended", False),
        ("anonymous", "att_visible", True), ("outsider", "att_rc13", False), ("alice", "att_rc13", True),
        ("alice", "att_hidden", False), ("bob", "att_hidden", True), ("mod13", "att_hidden", True),
        # A private message's file: its conversation's readers only, its uploader included.
        ("alice", "att_message", True), ("bob", "att_message", True), ("outsider", "att_message", False),
        ("mod13", "att_message", False), ("coordinator", "att_message", False), ("admin", "att_message", False),
        ("anonymous", "att_message", False), ("anonymous_user", "att_message", False),
    ])
)

MODERATION = (
    table(moderation.can_report_post, [
        ("alice", "bob_reply", True), ("bob", "bob_reply", False), ("anonymous", "bob_reply", False),
        ("suspended", "bob_reply", False), ("outsider", "bob_reply", True), ("alice", "bob_hidden", False),
        ("mod13", "bob_hidden", False), ("mod13", "bob_pending", False), ("outsider", "rc13_post", False),
        ("bob", "rc13_post", True),
    ])
    + table(moderation.can_moderate_post, [
        ("mod13", "bob_reply", True), ("mod13", "mod13_post", False), ("mod13b", "mod13_post", True),
        ("mod83", "bob_reply", False), ("coordinator", "bob_reply", True),
        ("coordinator", "coordinator_post", False), ("alice", "bob_reply", False),
        ("anonymous", "bob_reply", False), ("sus_mod", "bob_reply", False),
    ])
    + table(moderation.can_sanction, [
        ("coordinator", "alice", True), ("coordinator", "coordinator", False), ("coordinator", "admin", False),
        ("coordinator", "coord2", False), ("admin", "coordinator", True), ("admin", "alice", True),
        ("admin", "admin", False), ("admin", "admin2", False), ("mod13", "alice", False),
        ("anonymous", "alice", False), ("sus_coord", "alice", False),
    ])
    + table(moderation.can_warn, [
        ("coordinator", "alice", True), ("coordinator", "alice", "c83", True),
        ("coordinator", "coordinator", False), ("mod13", "alice", "c13", True), ("mod13", "alice", False),
        ("mod13", "alice", "c83", False), ("mod13", "mod13", "c13", False), ("alice", "bob", "c13", False),
        ("anonymous", "alice", "c13", False), ("sus_mod", "alice", "c13", False),
        ("mod83", "eve", "c83", True),
    ])
    + table(moderation.can_read_moderation_log, [
        ("anonymous", "public", False), ("alice", "public", True), ("outsider", "r_c13", False),
        ("alice", "r_c13", True), ("suspended", "public", False), ("outsider", "members", True),
    ])
    + table(moderation.can_review_appeal, [
        ("mod13b", "dec13", True), ("mod13", "dec13", False), ("coordinator", "dec13", True),
        ("mod83", "dec13", False), ("alice", "dec13", False), ("anonymous", "dec13", False),
        ("mod13b", "dec_about_mod", False), ("sus_mod", "dec13", False),
        ("mod13", "dec_site", False), ("coord2", "dec_site", True), ("coordinator", "dec_site", False),
        ("bob", "dec_site", False), ("admin", "dec_site", True),
        ("mod13b", "dec_redact", False), ("coordinator", "dec_redact", True), ("mod13", "dec_redact", False),
        ("bob", "dec_redact", False),
    ])
    + table(moderation.can_redact_revision, [
        ("bob", "bob_reply", True), ("mod13", "bob_reply", True), ("coordinator", "bob_reply", True),
        ("mod83", "bob_reply", False), ("alice", "bob_reply", False), ("anonymous", "bob_reply", False),
        ("silenced", "silenced_post", True), ("suspended", "suspended_post", False),
        ("sus_mod", "bob_reply", False), ("mod13", "mod13_post", True),
    ])
    + table(moderation.can_read_redacted_original, [
        ("coordinator", "bob_reply", True), ("admin", "bob_reply", True), ("mod13", "bob_reply", False),
        ("bob", "bob_reply", False), ("alice", "bob_reply", False), ("anonymous", "bob_reply", False),
        ("sus_coord", "bob_reply", False),
    ])
    + table(moderation.can_open_member_page, [
        ("coordinator", "eve", True), ("mod13", "bob", True), ("mod13", "eve", False),
        ("mod13", "decided_only", True), ("mod83", "decided_only", False), ("mod83", "eve", True),
        ("anonymous", "bob", False), ("alice", "bob", False), ("sus_mod", "bob", False),
        ("sus_coord", "bob", False),
    ])
    + table(moderation.can_see_decision, [
        ("anonymous", "dec13", True), ("anonymous", "dec_site", True), ("anonymous", "dec_rcollege", False),
        ("mod13", "dec_rcollege", False), ("zoe", "dec_rcollege", True), ("coordinator", "dec_rcollege", True),
        ("confirmed", "dec_rcollege", True), ("unconfirmed", "dec_rcollege", False),
        ("outsider", "dec_lost", True), ("alice", "dec_lost", True), ("eve", "dec_lost", False),
        ("coordinator", "dec_lost", True),
    ])
    + table(moderation.can_read_decision_reason, [
        ("mod13", "dec_site", False), ("bob", "dec_site", True), ("coordinator", "dec_site", True),
        ("anonymous", "dec_site", False), ("alice", "dec13", True), ("anonymous", "dec13", True),
        ("mod13", "dec_rcollege", False), ("zoe", "dec_rcollege", True), ("confirmed", "dec_rcollege", True),
        ("outsider", "dec_lost", True), ("eve", "dec_lost", False),
    ])
)


INVITING = (
    table(core.can_invite_to, [
        ("anonymous", "c13", False), ("alice", "c13", False), ("mod13", "c13", True), ("mod13", "c83", False),
        ("mod83", "c83", True), ("coordinator", "c83", True), ("admin", "c13", True), ("sus_mod", "c13", False),
        ("sus_coord", "c13", False), ("coordinator", "r_c13", False), ("mod_r", "r_none", False),
    ])
    + table(core.can_invite, [
        ("anonymous", False), ("anonymous_user", False), ("alice", False), ("mod13", True), ("mod83", True),
        ("mod_r", False), ("coordinator", True), ("admin", True), ("sus_mod", False), ("sus_coord", False),
    ])
    + table(core.can_manage_invitation, [
        ("anonymous", "inv13", False), ("alice", "inv13", False), ("coordinator", "inv83", True),
        ("coord2", "inv_none", True), ("coordinator", "inv_none", True), ("mod13", "inv13", True),
        ("mod13", "inv83", False),
        ("mod13", "inv_none", False), ("mod83", "inv83", True), ("mod83", "inv13", False),
        ("mod83", "inv13_by_mod83", True), ("mod13", "inv13_by_mod83", True), ("alice", "inv_by_alice", False),
        ("sus_mod", "inv13", False), ("sus_coord", "inv83", False),
    ])
)

MEMBERSHIP = (
    table(core.can_manage_committee, [
        ("anonymous", "c13", False), ("alice", "c13", False), ("mod13", "c13", True), ("mod13", "c83", False),
        ("mod83", "c83", True), ("coordinator", "c13", True), ("admin", "c83", True), ("sus_mod", "c13", False),
        ("sus_coord", "c13", False), ("mod_r", "r_none", False), ("coordinator", "r_c13", False),
    ])
    + table(core.can_decide_membership, [
        ("anonymous", "req13", False), ("outsider", "req13", False), ("alice", "req13", False),
        ("mod13", "req13", True), ("mod83", "req13", False), ("coordinator", "req13", True),
        ("sus_mod", "req13", False), ("mod13", "req_college", False), ("coordinator", "req_college", True),
        ("unconfirmed", "req_college", False),
    ])
)


@pytest.mark.parametrize("rule, names, expected", ROLES + READING + WRITING + MODERATION + INVITING + MEMBERSHIP)
def test_rule(world, rule, names, expected):
    check(world, rule, names, expected)


SPACES_IN_ORDER = ["members", "public", "c13", "c83", "r_c13", "r_college", "r_both", "r_none", "r_sealed"]


@pytest.mark.parametrize("viewer, readable", [
    ("anonymous", ["public", "c13", "c83"]),
    ("suspended", ["public", "c13", "c83"]),
    ("outsider", ["members", "public", "c13", "c83"]),
    ("alice", ["members", "public", "c13", "c83", "r_c13"]),
    ("both", ["members", "public", "c13", "c83", "r_c13", "r_college", "r_both", "r_sealed"]),
    ("mod_r", ["members", "public", "c13", "c83", "r_none"]),
    ("coordinator", SPACES_IN_ORDER[:-1]),   # not the space that keeps staff out
    ("coord_a", SPACES_IN_ORDER),            # …unless they belong to its collège
])
def test_readable_spaces(world, viewer, readable):
    with world.app.test_request_context():
        ids = {world.load(name).id: name for name in SPACES_IN_ORDER}
        assert [ids[space.id] for space in core.readable_spaces(world.load(viewer))] == readable
        assert core.readable_space_ids(world.load(viewer)) == {world.load(name).id for name in readable}


def test_readable_spaces_are_remembered_per_viewer_within_a_request(world):
    with world.app.test_request_context():
        assert len(core.readable_spaces(None)) == 3
        assert len(core.readable_spaces(world.load("alice"))) == 5
        assert len(core.readable_spaces(world.load("coordinator"))) == len(SPACES_IN_ORDER) - 1
        assert len(core.readable_spaces(world.load("suspended"))) == 3


def test_readable_spaces_load_the_lists_the_rules_ask_in_one_go(world):
    """Every list a rule asks of a space (comités, collèges, moderators) comes with the spaces:
    the number of queries does not grow with the number of spaces (4 restricted ones here)."""
    statements = []
    with world.app.test_request_context():
        alice = world.load("alice")
        alice.committee_ids   # her own comités: one query, whatever the spaces
        engine = db.engine
        listen = lambda *args: statements.append(args[2])   # noqa: E731
        event.listen(engine, "before_cursor_execute", listen)
        try:
            core.readable_spaces(alice)
        finally:
            event.remove(engine, "before_cursor_execute", listen)
    assert len(statements) == 4, statements   # the spaces, then each of their three lists


@pytest.mark.parametrize("viewer", ["suspended", "alice", "mod13", "zoe", "confirmed", "coordinator", "bob",
                                    "outsider", "eve"])
def test_the_decisions_query_lists_what_can_see_decision_allows(world, viewer):
    # Asked for members only (moderation pages need a login): a visitor has no id to compare.
    with world.app.test_request_context():
        person = world.load(viewer)
        listed = set(db.session.scalars(
            select(Decision.id).where(moderation.visible_decisions_filter(person))))
        names = ("dec13", "dec_about_mod", "dec_site", "dec_rcollege", "dec_decided_only", "dec_lost", "dec_redact")
        allowed = {world.load(name).id for name in names if moderation.can_see_decision(person, world.load(name))}
        assert listed == allowed and allowed


def test_rules_are_asked_by_name_and_answer_booleans(world):
    app = world.app
    with app.test_request_context():
        alice, bob_reply = world.load("alice"), world.load("bob_reply")
        assert core.ask("can_report_post", alice, bob_reply) is True
        assert core.ask("can_report_post", world.load("bob"), bob_reply) is False
        assert core.ask("can_warn", world.load("mod13"), alice, space=world.load("c13")) is True
        assert core.ask("no_such_rule", alice) is False
        core.register_rules(app, {"can_report_post": moderation.can_report_post})   # the same rule again: kept
        core.register_rules(app, {"permission_rules_probe": lambda viewer, member: member.id})
        assert core.ask("permission_rules_probe", None, alice) is True   # any truthy answer becomes True
        with pytest.raises(RuntimeError, match="permission rule 'can_warn' is already defined"):
            core.register_rules(app, {"can_warn": lambda viewer, member: True})
        with pytest.raises(RuntimeError, match="'is_member'"):
            core.register_rules(app, {"is_member": lambda viewer: True})


def test_who_reads_a_space_is_said_word_for_word(world):
    """``readers_statement`` says the rule of ``can_read_space`` in words, under each space's name
    and above its forms: each kind of list, and whether the staff may enter."""
    with world.app.test_request_context():
        comite, other = world.load("c13").name, world.load("c83").name
        said = {name: core.readers_statement(world.load(name)) for name in (
            "public", "c13", "members", "r_c13", "r_college", "r_both", "r_none", "r_sealed", "r_two")}
    staff, no_staff = ("La coordination et les administrateurs y ont accès.",
                       "La coordination et les administrateurs n'y ont pas accès.")
    moderators = "et les modérateurs de cet espace."
    assert said == {
        "public": "Lisible par : tout le monde, même sans compte.",
        "c13": "Lisible par : tout le monde, même sans compte.",
        "members": "Lisible par : tous les membres connectés.",
        "r_c13": f"Lisible par : les membres de « {comite} » {moderators} {staff}",
        "r_college": f"Lisible par : les membres confirmés du collège « Collège A » {moderators} {staff}",
        "r_both": f"Lisible par : les membres de « {comite} » qui sont aussi membres confirmés du collège "
                  f"« Collège A » {moderators} {staff}",
        "r_none": f"Lisible par : les modérateurs de cet espace. {staff}",
        "r_sealed": f"Lisible par : les membres confirmés du collège « Collège A » {moderators} {no_staff}",
        "r_two": f"Lisible par : les membres de « {comite} », « {other} » qui sont aussi membres confirmés du "
                 f"collège « Collège A », « Collège B » {moderators} {staff}",
    }
