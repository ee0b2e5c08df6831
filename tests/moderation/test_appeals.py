"""Appeals: the member concerned contests; another moderator confirms or reverses; both are logged."""
import pytest
from sqlalchemy import select

from forum.errors import Conflict, Forbidden
from forum.extensions import db
from forum.topics.models import Post
from moderation import appeals, post_decisions
from moderation.models import Appeal, AuditEntry, Decision

from ..helpers import text


@pytest.fixture
def hidden(world, act):
    return act(post_decisions.hide, world.mod13, world.reply13, [world.articles[2]], "Tiers reconnaissable.")


def _appeal(browser, decision, message):
    return browser.post(f"/moderation/decisions/{decision.id}/contester", {"message": message, "submit": "1"})


def test_the_author_appeals_and_another_moderator_reverses(world, hidden, login, app, notices):
    bob = login(world.bob)
    form = text(bob.get(f"/moderation/decisions/{hidden.id}/contester"))
    assert "Un autre modérateur que celui qui a décidé" in form
    short = _appeal(bob, hidden, "Non.")
    assert short.status_code == 422 and "Expliquez en quelques phrases" in text(short)
    response = _appeal(bob, hidden, "J'ai retiré le nom, la personne n'est plus reconnaissable.")
    assert response.status_code == 303
    assert "un autre modérateur va l'examiner" in text(bob.get("/moderation/mes-decisions"))
    assert _appeal(bob, hidden, "Une seconde fois, pour voir.").status_code == 409
    with app.app_context():
        appeal = db.session.scalars(select(Appeal)).one()
    # The moderator who decided does not review it, nor sees it in the queue.
    decider = login(world.mod13)
    assert decider.get(f"/moderation/recours/{appeal.id}").status_code == 403
    assert "Recours à examiner (0)" in text(decider.get("/moderation/"))
    assert login(world.mod83).get(f"/moderation/recours/{appeal.id}").status_code == 403
    reviewer = login(world.mod13b)
    assert "Recours à examiner (1)" in text(reviewer.get("/moderation/"))
    page = text(reviewer.get(f"/moderation/recours/{appeal.id}"))
    assert "J'ai retiré le nom" in page and "Tiers reconnaissable." in page
    response = reviewer.post(f"/moderation/recours/{appeal.id}", {
        "outcome": "reverse", "justification": "Le message peut être rétabli.", "submit": "1"})
    assert response.status_code == 303
    with app.app_context():
        appeal = db.session.get(Appeal, appeal.id)
        assert (appeal.status, appeal.resolved_by_id) == ("reversed", world.mod13b.id)
        assert db.session.get(Post, world.reply13.id).state == "visible"
        restore = db.session.get(Decision, appeal.outcome_id)
        assert restore.action == "restore" and restore.reverses_id == hidden.id
        assert restore.details["appeal_id"] == appeal.id
        actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
        assert actions[-4:] == ["hide", "appeal", "appeal_reversed", "restore"][-4:]
    assert any("Recours accepté" in t for m, t, _ in notices if m == world.bob.id)
    assert "Recours examiné : décision annulée." in text(bob.get("/moderation/mes-decisions"))
    again = reviewer.post(f"/moderation/recours/{appeal.id}", {
        "outcome": "confirm", "justification": "Deuxième avis.", "submit": "1"})
    assert again.status_code == 409


def test_an_appeal_can_be_confirmed(world, hidden, act, app, notices):
    appeal = act(appeals.file_appeal, world.bob, hidden, "Je ne vois pas le problème dans ce message.")
    outcome = act(appeals.resolve, world.coordinator, appeal, "confirm", "L'adresse permet de reconnaître la personne.")
    with app.app_context():
        assert db.session.get(Post, world.reply13.id).state == "hidden"
        assert db.session.get(Appeal, appeal.id).status == "confirmed"
        assert outcome.action == "appeal_confirmed" and outcome.moderator_id == world.coordinator.id
    assert any("décision confirmée" in t and "L'adresse permet" in t for m, t, _ in notices if m == world.bob.id)


def test_only_the_person_concerned_appeals_once_and_only_restrictive_decisions(world, hidden, act, login):
    assert login(world.carol).get(f"/moderation/decisions/{hidden.id}/contester").status_code == 404
    with pytest.raises(Forbidden):
        act(appeals.file_appeal, world.carol, hidden, "Je conteste pour Bob, qui n'est pas d'accord.")
    restore = act(post_decisions.restore, world.mod13b, world.reply13, "Rétabli.")
    with pytest.raises(Conflict):   # a decision in one's favour is not contested
        act(appeals.file_appeal, world.bob, restore, "Je conteste ce rétablissement, pourquoi pas.")
    with pytest.raises(Conflict):   # and an undone one neither
        act(appeals.file_appeal, world.bob, hidden, "Trop tard : elle est déjà annulée.")


def test_the_reviewer_must_be_another_moderator_of_that_space(world, hidden, act):
    appeal = act(appeals.file_appeal, world.bob, hidden, "Je demande un second regard, merci.")
    for reviewer in (world.mod13, world.mod83, world.bob, world.alice):
        with pytest.raises(Forbidden):
            act(appeals.resolve, reviewer, appeal, "reverse", "Je tranche.")
