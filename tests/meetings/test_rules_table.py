"""Who may see, schedule, organise, register for a meeting, and who sees its online link, its
participants, may propose agenda points and declare travel costs (forum/meetings/rules.py), as
one table: viewer × meeting × answer, a row for each "who may" and each "who cannot" (issue 26).

One world, built once: meetings of the comité 13 (to come and hybrid, cancelled, held, online
with no link), one of its reserved bureau, one of a theme. ``make mutants AREA=meetings`` runs
it against every mutant of rules.py."""
from datetime import timedelta

import pytest
from flask_login import AnonymousUserMixin

from forum import permissions
from forum.clock import now
from forum.extensions import db
from forum.meetings import registering, rules, scheduling
from forum.meetings.models import PRESENT, Attendance, Meeting, TravelClaim
from forum.topics.models import Member, Space


MEETINGS = ("next", "cancelled", "held", "bureau", "theme", "everyone", "nobody", "onsite")


@pytest.fixture
def world(app, forum, schedule, move):
    pa, pro = forum.college("Personnes accompagnées"), forum.college("Professionnels")
    with app.app_context():
        db.session.get(type(pa), pa.id).travel_costs_covered = True
        db.session.commit()
    c13, c83 = forum.committee("13"), forum.committee("83")
    bureau = forum.space("Bureau du 13", visibility="restricted", committees=[c13])
    theme = forum.space("Accès aux droits")
    people = {
        "karim": forum.member("Karim", college=pa, committees=[c13]),            # registered, covered
        "nadia": forum.member("Nadia", college=pro, committees=[c13]),           # registered, not covered
        "waiting": forum.member("Attente", college=pa, committees=[c13]),        # on the waiting list
        "unconfirmed": forum.member("Rose", college=pa, confirmed=False, committees=[c13]),
        "eve": forum.member("Eve", college=pa, committees=[c83]),                # another comité
        "silenced": forum.member("Muet", college=pa, committees=[c13],
                                 silenced_until=now() + timedelta(days=3)),
        "mod13": forum.moderator(c13, pseudonym="Modo13", committees=[c13]),
        "mod83": forum.moderator(c83, pseudonym="Modo83", committees=[c83]),
        "coordinator": forum.member("Coordination", role="coordinator"),
        "former": forum.member("Organisatrice", committees=[c13]),   # organises "next" (not a moderator)
    }
    rows = {
        "next": schedule(people["mod13"], c13, capacity="2", mode="hybrid", online_url="https://visio.example/13"),
        "cancelled": schedule(people["mod13"], c13, mode="hybrid", online_url="https://visio.example/x"),
        "held": schedule(people["mod13"], c13),
        "bureau": schedule(people["coordinator"], bureau, mode="online", online_url="https://visio.example/b"),
        "theme": schedule(people["coordinator"], theme, travel_claims="everyone"),
        "everyone": schedule(people["mod13"], c13, travel_claims="everyone"),
        "nobody": schedule(people["mod13"], c13, travel_claims="nobody"),
        # On site, with the link of the time it was also online still in its row: no link shown.
        "onsite": schedule(people["mod13"], c13),
    }
    with app.app_context():
        get = lambda name: db.session.get(Member, people[name].id)   # noqa: E731
        meetings = {name: db.session.get(Meeting, row.id) for name, row in rows.items()}
        meetings["next"].organiser_id = people["former"].id
        meetings["theme"].organiser_id = people["silenced"].id   # read-only: organises nothing
        for name in ("next", "held", "everyone", "nobody"):
            for who in ("karim", "nadia"):
                registering.register(get(who), meetings[name])
        registering.register(get("waiting"), meetings["next"])
        registering.register(get("karim"), meetings["cancelled"])
        registering.register(get("karim"), meetings["bureau"])
        registering.register(get("karim"), meetings["onsite"])
        meetings["onsite"].online_url = "https://visio.example/ancien-lien"
        db.session.commit()
        scheduling.cancel(get("mod13"), meetings["cancelled"])
        # "held" and "everyone"/"nobody" are over; "held" has its attendance: Karim present, Nadia not.
        for name in ("held", "everyone", "nobody"):
            meetings[name].starts_at -= timedelta(days=30)
            meetings[name].ends_at -= timedelta(days=30)
        db.session.add_all([Attendance(meeting_id=meetings["held"].id, member_id=people["karim"].id, status=PRESENT),
                            Attendance(meeting_id=meetings["held"].id, member_id=people["nadia"].id,
                                       status="absent")])
        db.session.commit()
    return people, rows, dict(c13=c13, bureau=bureau, theme=theme, c83=c83)


VIEWERS = ("anonymous", "karim", "nadia", "waiting", "unconfirmed", "eve", "silenced", "mod13", "mod83",
           "coordinator", "former")
ALL = set(VIEWERS)
C13_READERS = ALL   # a comité's space is public to read
BUREAU_READERS = {"karim", "nadia", "waiting", "unconfirmed", "silenced", "mod13", "coordinator", "former"}
WRITERS_13 = {"karim", "nadia", "waiting", "unconfirmed", "mod13", "coordinator", "former"}
MEMBERS = ALL - {"anonymous"}

# rule -> meeting -> who answers yes
EXPECTED = {
    "can_see": {name: (BUREAU_READERS if name == "bureau" else ALL) for name in MEETINGS},
    "can_organise": {"next": {"mod13", "coordinator", "former"}, "cancelled": {"mod13", "coordinator"},
                     "held": {"mod13", "coordinator"}, "bureau": {"coordinator"},
                     "theme": {"coordinator"}, "everyone": {"mod13", "coordinator"},
                     "nobody": {"mod13", "coordinator"}},
    "may_register": {"next": WRITERS_13, "cancelled": set(), "held": set(), "everyone": set(), "nobody": set(),
                     "bureau": BUREAU_READERS - {"silenced"},
                     "theme": MEMBERS - {"silenced"}},
    "can_see_online_link": {"next": {"karim", "nadia", "mod13", "coordinator", "former"}, "cancelled": set(),
                            "held": set(), "bureau": {"karim", "coordinator"}, "theme": set(),
                            "everyone": set(), "nobody": set(), "onsite": set()},
    "can_propose_item": {"next": WRITERS_13, "cancelled": set(), "held": set(), "everyone": set(), "nobody": set(),
                         "bureau": BUREAU_READERS - {"silenced"}, "theme": MEMBERS - {"silenced"}},
    "may_claim": {"next": set(), "cancelled": set(), "bureau": set(), "theme": set(),
                  "held": {"karim"}, "everyone": {"karim", "nadia"}, "nobody": set()},
}


def answer(rule, viewer, meeting):
    if rule == "may_register":
        return rules.why_cannot_register(viewer, meeting) is None
    if rule == "may_claim":
        return rules.why_cannot_claim(viewer, meeting) is None
    return getattr(rules, rule)(viewer, meeting)


def test_every_rule_as_a_table(app, world):
    people, rows, _spaces = world
    wrong = []
    with app.app_context():
        for name in VIEWERS:
            viewer = AnonymousUserMixin() if name == "anonymous" else db.session.get(Member, people[name].id)
            for rule, by_meeting in EXPECTED.items():
                for meeting_name, allowed in by_meeting.items():
                    meeting = db.session.get(Meeting, rows[meeting_name].id)
                    if answer(rule, viewer, meeting) != (name in allowed):
                        wrong.append((rule, meeting_name, name, not (name in allowed)))
    assert wrong == []


def test_who_schedules_and_who_sees_needs_and_claims(app, world, forum):
    people, rows, spaces = world
    with app.app_context():
        member = lambda name: db.session.get(Member, people[name].id)   # noqa: E731
        space = lambda name: db.session.get(Space, spaces[name].id)     # noqa: E731
        table = {(who, where): rules.may_schedule(member(who), space(where))
                 for who in ("karim", "mod13", "mod83", "coordinator", "former", "silenced")
                 for where in ("c13", "bureau", "theme", "c83")}
        assert {key for key, yes in table.items() if yes} == {
            ("mod13", "c13"), ("mod83", "c83"), *(("coordinator", where) for where in ("c13", "bureau", "theme", "c83"))}
        registration = rules.registration_of(member("karim"), db.session.get(Meeting, rows["next"].id))
        assert {who for who in people if rules.can_see_needs(member(who), registration)} == {
            "karim", "mod13", "coordinator", "former"}
        assert not rules.can_see_needs(AnonymousUserMixin(), registration)
        assert {who for who in people if rules.can_decide_claims(member(who))} == {"coordinator"}
        assert not rules.can_decide_claims(AnonymousUserMixin())
        claim = TravelClaim(meeting_id=rows["held"].id, member_id=people["karim"].id, mode="ticket")
        assert {who for who in people if rules.can_see_claim(member(who), claim)} == {"karim", "coordinator"}
        assert not rules.can_see_claim(AnonymousUserMixin(), claim)
        meeting = db.session.get(Meeting, rows["held"].id)
        assert rules.attended(member("karim"), meeting) and not rules.attended(member("nadia"), meeting)
        assert not rules.is_covered(member("unconfirmed"), meeting) and rules.is_covered(member("karim"), meeting)
        assert {who for who in people if rules.can_see_participants(member(who), meeting)} == {"mod13", "coordinator"}
        assert rules.can_write_minutes(member("mod13"), meeting)
        assert not rules.can_write_minutes(member("mod13"), db.session.get(Meeting, rows["cancelled"].id))
        assert not rules.can_write_minutes(member("karim"), meeting)
        assert not rules.can_write_minutes(member("mod13"), db.session.get(Meeting, rows["next"].id))   # not yet begun


# Why, for each "who cannot" of registering and claiming: the reason the member reads, word for
# word (a part of it would let an altered text through).
NOT_COVERED = "Les frais de déplacement de cette réunion ne sont pas pris en charge pour vous (voir les règles du comité)."
REASONS = [
    ("why_cannot_register", "anonymous", "next", "Connectez-vous pour vous inscrire."),
    ("why_cannot_register", "karim", "cancelled", "Cette réunion est annulée."),
    ("why_cannot_register", "karim", "held", "Cette réunion est passée."),
    ("why_cannot_register", "eve", "next", None),    # the comité's rule: permissions.why_cannot_post
    ("why_cannot_claim", "anonymous", "held", "Connectez-vous pour déclarer des frais."),
    ("why_cannot_claim", "karim", "cancelled", "Cette réunion est annulée."),
    ("why_cannot_claim", "karim", "next", "Les frais de déplacement se déclarent une fois la réunion commencée."),
    ("why_cannot_claim", "nadia", "held", NOT_COVERED),
    ("why_cannot_claim", "karim", "nobody", NOT_COVERED),
    ("why_cannot_claim", "unconfirmed", "everyone",
     "Seuls les participants présents à la réunion déclarent des frais de déplacement."),
]


def test_each_refusal_says_why(app, world):
    people, rows, _spaces = world
    with app.app_context():
        for rule, name, meeting_name, words in REASONS:
            viewer = AnonymousUserMixin() if name == "anonymous" else db.session.get(Member, people[name].id)
            meeting = db.session.get(Meeting, rows[meeting_name].id)
            reason = getattr(rules, rule)(viewer, meeting)
            expected = words or permissions.why_cannot_post(viewer, meeting.space)
            assert expected and reason == expected, (rule, name, meeting_name, reason)
