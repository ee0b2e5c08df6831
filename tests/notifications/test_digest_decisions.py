"""The decisions in the weekly digest: those awaiting the member's vote, the outcomes of the
week; each through the decisions' permissions, and never a figure of a tally."""
from datetime import timedelta

import pytest

from forum.clock import now
from forum.decisions import closing, outcomes, voting
from forum.decisions.models import Poll
from forum.extensions import db
from forum.notifications import weekly
from forum.notifications.digest import compose
from forum.topics.models import Member, Topic

from .conftest import parts


def open_decision(app, author, topic, question, **chosen):
    with app.app_context():
        settings = voting.PollSettings(kind="single", question=question, closes_at=now() + timedelta(days=5),
                                       options=["Mardi", "Jeudi"], **chosen)
        return voting.open_poll(db.session.get(Member, author.id), db.session.get(Topic, topic.id), settings,
                                "Décidons ensemble.").id


def cast(app, member, poll_id, position=0):
    with app.app_context():
        voting.cast_ballot(db.session.get(Member, member.id), db.session.get(Poll, poll_id), {position: 1})


@pytest.fixture
def decisions(app, forum):
    committee = forum.committee("13", "Comité des Bouches-du-Rhône")
    college = forum.college("Usagers")
    board = forum.space("Bureau du 13", visibility="restricted", committees=[committee])
    author = forum.member("Alice", committees=[committee], college=college)
    voter = forum.member("Bruno", committees=[committee], college=college)
    waiting = forum.member("Chloe", committees=[committee], college=college)
    not_in_college = forum.member("Emma", committees=[committee])
    outsider = forum.member("Olga", college=college)
    topic = forum.topic(author, committee, "La journée régionale")
    secret_topic = forum.topic(author, board, "Budget du bureau")
    open_id = open_decision(app, author, topic, "Quel jour pour la journée ?", college_ids=(college.id,))
    secret_id = open_decision(app, author, secret_topic, "Quel budget pour le bureau ?")
    decided_id = open_decision(app, author, topic, "Quel lieu ?")
    for member in (voter, waiting, author):
        cast(app, member, decided_id, 1)
    cast(app, voter, open_id)
    with app.app_context():
        closing.close_poll(db.session.get(Poll, decided_id), db.session.get(Member, author.id))
        outcomes.write_outcome(db.session.get(Member, author.id), db.session.get(Poll, decided_id),
                               "Ce sera **au Mucem**.", "", [])
    return {"author": author, "voter": voter, "waiting": waiting, "not_in_college": not_in_college,
            "outsider": outsider, "open": open_id, "secret": secret_id}


def week(app, member):
    with app.app_context():
        return compose(db.session.get(Member, member.id), now() - timedelta(days=7), now() + timedelta(seconds=1))


def part(digest, title):
    found = [p for p in digest.parts if p.title == title]
    return [entry.text for entry in found[0].entries] if found else []


AWAITING, DECIDED = "Décisions qui attendent votre vote", "Décisions prises cette semaine"


def test_a_member_who_may_vote_sees_what_awaits_their_vote(app, decisions):
    digest = week(app, decisions["waiting"])
    assert part(digest, AWAITING) == ["Quel jour pour la journée ?", "Quel budget pour le bureau ?"]
    assert part(digest, DECIDED) == ["Quel lieu ?"]
    entry = digest.parts[0].entries[0]
    assert entry.url.endswith(f"/message/{db_post_id(app, decisions['open'])}")
    assert "La journée régionale" in entry.detail and "jusqu'au" in entry.detail
    decided = [p for p in digest.parts if p.title == DECIDED][0].entries[0]
    assert decided.detail == "Ce sera au Mucem."


def db_post_id(app, poll_id):
    with app.app_context():
        return db.session.get(Poll, poll_id).post_id


def test_who_voted_or_may_not_vote_is_not_asked(app, decisions):
    assert part(week(app, decisions["voter"]), AWAITING) == ["Quel budget pour le bureau ?"]
    assert part(week(app, decisions["not_in_college"]), AWAITING) == ["Quel budget pour le bureau ?"]


def test_who_may_not_read_the_space_sees_none_of_it(app, decisions):
    digest = week(app, decisions["outsider"])
    assert part(digest, AWAITING) == [] and part(digest, DECIDED) == ["Quel lieu ?"]   # the comité's space is public
    everything = repr(digest)
    assert "budget" not in everything.lower() and "Quel jour" not in everything


def test_the_sent_digest_lists_them_without_a_figure(app, decisions, smtp):
    with app.app_context():
        weekly.send_weekly(moment=now() + timedelta(seconds=1), immediate=True,
                           member_id=decisions["waiting"].id)
    [message] = smtp.to("chloe@test.agora.localhost")
    plain, html = parts(message)
    for text in (plain, html):
        assert "Quel jour pour la journée ?" in text and "Quel lieu ?" in text
        assert "voix" not in text and "votant" not in text and "%" not in text
    assert "DÉCISIONS QUI ATTENDENT VOTRE VOTE" in plain


def test_a_hidden_decision_leaves_the_digest(app, decisions):
    from forum.topics import posting
    from forum.topics.models import Post
    with app.app_context():
        posting.set_post_state(db.session.get(Post, db.session.get(Poll, decisions["secret"]).post_id), "hidden")
        db.session.commit()
    assert part(week(app, decisions["waiting"]), AWAITING) == ["Quel jour pour la journée ?"]
