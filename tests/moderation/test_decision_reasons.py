"""A ballot's reason is a contribution: reported, hidden by moderation and logged like any reply,
while the ballot itself still counts."""
from datetime import timedelta

from sqlalchemy import select

from forum.clock import now
from forum.decisions import results, voting
from forum.decisions.models import Ballot, Poll
from forum.extensions import db
from forum.topics.models import Member, Post, Topic
from moderation import journal, post_decisions, reporting
from moderation.models import AuditEntry, Decision, Report

from ..helpers import text


def test_a_hidden_reason_leaves_the_ballot_counted_and_is_logged(world, app, login):
    with app.app_context():
        poll = voting.open_poll(db.session.get(Member, world.alice.id), db.session.get(Topic, world.topic13.id),
                                voting.PollSettings(kind="consent", question="Adopter la charte d'accueil ?",
                                                    closes_at=now() + timedelta(days=3)),
                                "Voici la charte proposée.")
        ballot = voting.cast_ballot(db.session.get(Member, world.bob.id), poll, {3: 1},
                                    "Mme R., impasse des Oliviers, ne pourra pas venir : c'est inacceptable.")
        poll_id, reason_id = poll.id, ballot.reason_post_id
        assert reason_id is not None
        reason = db.session.get(Post, reason_id)
        report = reporting.report_post(db.session.get(Member, world.carol.id), reason, world.articles[2],
                                       message="Une personne est reconnaissable.")
        report_id = report.id
    with app.app_context():
        post_decisions.hide(db.session.get(Member, world.mod13.id), db.session.get(Post, reason_id),
                            [world.articles[2]], "Tiers reconnaissable dans la raison du vote.")
    with app.app_context():
        poll = db.session.get(Poll, poll_id)
        assert db.session.get(Post, reason_id).state == "hidden"
        ballot = db.session.scalar(select(Ballot).where(Ballot.poll_id == poll_id))
        assert ballot.choice == {"3": 1} and poll.voter_count == 1
        tally = results.current(poll)
        assert tally["voters"] == 1 and tally["options"]["3"]["votes"] == 1      # the objection still counts
        hiding = db.session.scalar(select(Decision).where(Decision.post_id == reason_id))
        assert hiding.action == "hide" and hiding.member_id == world.bob.id
        assert db.session.scalar(select(AuditEntry).where(AuditEntry.decision_id == hiding.id)) is not None
        lines = journal.public_log(db.session.get(type(poll.topic.space), world.c13.id))["lines"]
        assert [line.decision.id for line in lines] == [hiding.id]
        assert db.session.get(Report, report_id).status != "open"
    page = text(login(world.carol).get(f"/sujet/{world.topic13.id}"))
    assert "impasse des Oliviers" not in page and "Message masqué par la modération" in page
