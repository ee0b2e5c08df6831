"""The demo's decisions: an open consent proposal with an objection and its reason, a closed
ranked choice with its outcome and two action items, a meeting-time poll open; a per-collège
table that shows some collèges and « autres collèges »."""
import pytest
from sqlalchemy import select

from forum.decisions.models import ActionItem, Ballot, Poll
from forum.extensions import db


@pytest.fixture
def app(demo_app):
    """Every test of this module starts from a copy of the demo (tests/conftest.py)."""
    return demo_app


def test_the_demo_decides_in_the_comite_13(app):
    # No time limit here: under CI's load it measured the machine, not the demo (speed belongs
    # to bench/).
    with app.app_context():
        polls = {poll.kind: poll for poll in db.session.scalars(select(Poll))}
        assert set(polls) == {"consent", "ranked", "meeting"}
        consent = polls["consent"]
        assert consent.question == "Adopter la charte d'accueil des personnes accompagnées"
        assert not consent.is_closed and consent.voter_count >= 10
        objection = next(ballot for ballot in db.session.scalars(select(Ballot).where(Ballot.poll_id == consent.id))
                         if ballot.choice == {"3": 1})
        assert objection.reason and objection.reason_post is not None      # published as a reply
        ranked = polls["ranked"]
        assert ranked.is_closed and ranked.quorum_reached
        table = ranked.results
        assert len(table["colleges"]) >= 2 and table["others"] and len(table["others_colleges"]) >= 2
        actions = db.session.scalars(select(ActionItem).order_by(ActionItem.position)).all()
        assert ranked.outcome is not None and len(actions) == 2
        assert actions[0].assignee.pseudonym == "Nadia.M" and actions[1].assignee_name == "CAF des Bouches-du-Rhône"
        assert not polls["meeting"].is_closed and polls["meeting"].voter_count > 0
    with app.test_request_context():       # the outcome is searched with its decision
        from flask_login import AnonymousUserMixin

        from search import searching
        found = searching.search(AnonymousUserMixin(), "fil rouge type:decision")
        assert [item.poll_id for item in found.items] == [ranked.id]
