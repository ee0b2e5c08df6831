"""Closing by hand, the outcome and its action items: who may, what is refused and why."""
import re
from datetime import timedelta

import pytest

from forum.clock import now
from forum.decisions import closing, outcomes
from forum.decisions.models import ActionItem, Poll
from forum.errors import Forbidden, Invalid, Refused
from forum.extensions import db
from forum.topics.models import Member

from ..helpers import text


@pytest.fixture
def place(forum):
    committee = forum.committee("13")
    author = forum.member("Alice", committees=[committee])
    voter = forum.member("Bruno", committees=[committee])
    moderator = forum.moderator(committee, pseudonym="Modeste")
    outsider = forum.member("Olga")
    topic = forum.topic(author, committee)
    return committee, author, voter, moderator, outsider, topic


def close(app, poll, closer):
    with app.app_context():
        closing.close_poll(db.session.get(Poll, poll.id), db.session.get(Member, closer.id))


def write(app, writer, poll, body="Réunion le **jeudi**.", review="", rows=()):
    with app.app_context():
        try:
            outcome = outcomes.write_outcome(db.session.get(Member, writer.id), db.session.get(Poll, poll.id), body,
                                             review, [outcomes.ActionRow(**row) for row in rows])
            return outcome.id
        except Exception:
            db.session.rollback()
            raise


def day(days=0):
    return (outcomes.today() + timedelta(days=days)).isoformat()


# --- closing by hand ---------------------------------------------------------------------

def test_close_now_by_post_who_may_and_not_who_may_not(app, place, open_poll, login):
    committee, author, voter, moderator, outsider, topic = place
    poll = open_poll(author, topic)
    assert login(voter).post(f"/decision/{poll.id}/clore").status_code == 403
    assert login(outsider).post(f"/decision/{poll.id}/clore").status_code == 403
    assert login(voter).post(f"/decision/{poll.id}/clore", csrf=False).status_code == 400
    response = login(author).post(f"/decision/{poll.id}/clore")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/decision/{poll.id}/issue")
    assert login(moderator).post(f"/decision/{poll.id}/clore").status_code == 409
    with app.app_context():
        assert db.session.get(Poll, poll.id).closed_by_id == author.id


def test_a_moderator_closes_and_an_unseen_decision_is_a_404(app, forum, place, open_poll, login):
    committee, author, voter, moderator, outsider, topic = place
    poll = open_poll(author, topic)
    assert login(moderator).post(f"/decision/{poll.id}/clore").status_code == 303
    assert login(author).post("/decision/999999/clore").status_code == 404
    hidden = forum.space("Réservé", visibility="restricted", committees=[committee])
    secret = open_poll(author, forum.topic(author, hidden))
    assert login(outsider).post(f"/decision/{secret.id}/clore").status_code == 404


def test_the_block_offers_close_now_to_who_may_close_only(app, place, open_poll, login):
    committee, author, voter, moderator, outsider, topic = place
    poll = open_poll(author, topic)

    def block(member):
        return login(member).get(f"/decision/{poll.id}/bloc").get_data(as_text=True)
    assert "Clore maintenant" in block(author) and "Clore maintenant" in block(moderator)
    assert 'name="csrf_token"' in block(author) and "définitifs" in block(author)
    assert "Clore maintenant" not in block(voter)
    close(app, poll, author)
    assert "Clore maintenant" not in block(author)
    assert "Écrire l'issue" in block(author).replace("&#39;", "'")
    assert "Écrire l'issue" not in block(voter).replace("&#39;", "'")


# --- the outcome ---------------------------------------------------------------------------

def test_who_may_write_the_outcome(app, forum, place, open_poll, login):
    committee, author, voter, moderator, outsider, topic = place
    poll = open_poll(author, topic)
    assert login(author).get(f"/decision/{poll.id}/issue").status_code == 409       # still open
    with pytest.raises(Refused) as early:
        write(app, author, poll)
    assert early.value.status == 409
    close(app, poll, moderator)
    for member in (voter, outsider):
        with pytest.raises(Forbidden):
            write(app, member, poll)
        assert login(member).get(f"/decision/{poll.id}/issue").status_code == 403
        assert login(member).post(f"/decision/{poll.id}/issue", {"text": "Non.", "submit": "1"}).status_code == 403
    for member in (author, moderator):        # the author and the closer (a moderator)
        assert login(member).get(f"/decision/{poll.id}/issue").status_code == 200
    write(app, author, poll, "Réunion le jeudi.")
    write(app, moderator, poll, "Réunion le **jeudi**, salle B.")
    with app.app_context():
        outcome = db.session.get(Poll, poll.id).outcome
        assert outcome.author_id == author.id and outcome.edited_at is not None
        assert "<strong>jeudi</strong>" in outcome.html


def test_a_read_only_member_writes_no_outcome(app, place, open_poll):
    committee, author, voter, moderator, outsider, topic = place
    poll = open_poll(author, topic)
    close(app, poll, author)
    with app.app_context():
        db.session.get(Member, author.id).silenced_until = now() + timedelta(days=3)
        db.session.commit()
    with pytest.raises(Forbidden) as refused:
        write(app, author, poll)
    assert "lecture seule" in refused.value.message


def test_a_blocked_word_refuses_the_outcome_beside_its_text(app, forum, place, open_poll):
    from moderation import settings as moderation_settings
    committee, author, voter, moderator, outsider, topic = place
    poll = open_poll(author, topic)
    close(app, poll, author)
    coordinator = forum.member("Coralie", role="coordinator")
    with app.app_context():
        moderation_settings.add_word(db.session.get(Member, coordinator.id), "grossièreté", "block")
    with pytest.raises(Invalid) as refused:
        write(app, author, poll, "Une grossièreté.")
    assert "text" in refused.value.fields


def test_the_form_saves_the_outcome_with_actions(app, forum, place, open_poll, login):
    committee, author, voter, moderator, outsider, topic = place
    poll = open_poll(author, topic)
    close(app, poll, author)
    browser = login(author)
    page = text(browser.get(f"/decision/{poll.id}/issue"))
    assert page.count("<fieldset class=\"action-row\">") == 3
    response = browser.post(f"/decision/{poll.id}/issue", {
        "text": "On se réunit **jeudi**.", "review_on": day(30), "submit": "1",
        "actions-0-what": "Réserver la salle", "actions-0-who": "@Bruno", "actions-0-due_on": day(7),
        "actions-0-status": "open",
        "actions-1-what": "Demander le financement", "actions-1-who": "CAF des Bouches-du-Rhône",
        "actions-1-due_on": "", "actions-1-status": "open",
        "actions-2-what": "", "actions-2-who": "", "actions-2-due_on": "", "actions-2-status": "open"})
    assert response.status_code == 303, text(response)[:3000]
    with app.app_context():
        outcome = db.session.get(Poll, poll.id).outcome
        assert outcome.review_on.isoformat() == day(30)
        first, second = outcome.actions
        assert (first.what, first.assignee_id, first.due_on.isoformat()) == ("Réserver la salle", voter.id, day(7))
        assert (second.assignee_id, second.assignee_name) == (None, "CAF des Bouches-du-Rhône")
    page = text(browser.get(f"/decision/{poll.id}/issue"))
    assert page.count("<fieldset class=\"action-row\">") == 5 and 'value="@Bruno"' in page


def test_more_rows_keep_what_was_typed_and_save_nothing(app, place, open_poll, login):
    committee, author, voter, moderator, outsider, topic = place
    poll = open_poll(author, topic)
    close(app, poll, author)
    response = login(author).post(f"/decision/{poll.id}/issue", {
        "text": "Texte en cours", "more": "1",
        **{f"actions-{i}-{f}": ("Une action" if (i, f) == (1, "what") else "") for i in range(3)
           for f in ("what", "who", "due_on")}})
    page = text(response)
    assert response.status_code == 200 and page.count("<fieldset class=\"action-row\">") == 6
    assert "Texte en cours" in page and 'value="Une action"' in page
    with app.app_context():
        assert db.session.get(Poll, poll.id).outcome is None


@pytest.mark.parametrize("row, field, words", [
    ({"what": "x" * 301}, "what", "300 caractères"),
    ({"what": "Appeler", "who": "@Personne"}, "who", "Aucun membre"),
    ({"what": "Appeler", "who": "@Olga"}, "who", "Aucun membre"),          # not a member of the comité
    ({"what": "Appeler", "who": "y" * 121}, "who", "120 caractères"),
    ({"what": "Appeler", "due_on": "le 3 mars"}, "due_on", "JJ/MM/AAAA"),
    ({"what": "Appeler", "due_on": "31/02/2027"}, "due_on", "JJ/MM/AAAA"),
    ({"what": "Appeler", "due_on": "01/01/2001"}, "due_on", "précède"),
    ({"what": "Appeler", "due_on": "01/01/2999"}, "due_on", "cinq ans"),
    ({"what": "", "who": "@Bruno"}, "what", "à faire"),
    ({"what": "Appeler", "status": "perdu"}, "status", "état"),
])
def test_bad_rows_are_422_beside_their_field_with_the_text_kept(app, place, open_poll, login, row, field, words):
    committee, author, voter, moderator, outsider, topic = place
    poll = open_poll(author, topic)
    close(app, poll, author)
    data = {"text": "Décidé : jeudi.", "submit": "1", "actions-0-what": "Bien", "actions-0-status": "open"}
    data.update({f"actions-1-{name}": value for name, value in row.items()})
    data.setdefault("actions-1-status", "open")
    response = login(author).post(f"/decision/{poll.id}/issue", data)
    page = text(response)
    assert response.status_code == 422
    errors = re.search(rf'id="actions-1-{field}-erreurs"><li>([^<]*)<', page)
    assert errors and words in errors.group(1), page[:4000]
    assert "Décidé : jeudi." in page and 'value="Bien"' in page
    with app.app_context():
        assert db.session.get(Poll, poll.id).outcome is None


@pytest.mark.parametrize("fields, field", [
    ({"text": " "}, "text"),
    ({"review_on": "demain"}, "review_on"),
    ({"review_on": "2001-01-01"}, "review_on"),
])
def test_bad_outcome_fields_are_422(app, place, open_poll, login, fields, field):
    committee, author, voter, moderator, outsider, topic = place
    poll = open_poll(author, topic)
    close(app, poll, author)
    data = {"text": "Décidé.", "review_on": "", "submit": "1", "actions-0-what": "Garder ceci"}
    data.update(fields)
    response = login(author).post(f"/decision/{poll.id}/issue", data)
    assert response.status_code == 422
    assert f'id="{field}-erreurs"' in text(response) and 'value="Garder ceci"' in text(response)


def test_fifty_actions_at_most(app, place, open_poll):
    committee, author, voter, moderator, outsider, topic = place
    poll = open_poll(author, topic)
    close(app, poll, author)
    write(app, author, poll, rows=[{"what": f"Action {i}"} for i in range(50)])
    with pytest.raises(Invalid):
        write(app, author, poll, rows=[{"what": f"Action {i}"} for i in range(51)])


def test_a_row_emptied_of_its_action_takes_it_away(app, place, open_poll):
    committee, author, voter, moderator, outsider, topic = place
    poll = open_poll(author, topic)
    close(app, poll, author)
    write(app, author, poll, rows=[{"what": "Garder"}, {"what": "Retirer"}])
    with app.app_context():
        keep, drop = [item.id for item in db.session.get(Poll, poll.id).outcome.actions]
    write(app, author, poll, rows=[{"id": keep, "what": "Garder"}, {"id": drop, "what": ""}])
    with app.app_context():
        assert [item.what for item in db.session.get(Poll, poll.id).outcome.actions] == ["Garder"]


# --- an action's state --------------------------------------------------------------------

def test_who_may_change_an_actions_state(app, forum, place, open_poll, login):
    committee, author, voter, moderator, outsider, topic = place
    other = forum.member("Clara", committees=[committee])
    poll = open_poll(author, topic)
    close(app, poll, author)
    write(app, author, poll, rows=[{"what": "Réserver la salle", "who": "@Bruno"}])
    with app.app_context():
        item_id = db.session.get(Poll, poll.id).outcome.actions[0].id

    def state():
        with app.app_context():
            return db.session.get(ActionItem, item_id).status
    assert login(other).post(f"/action/{item_id}/etat", {"status": "done"}).status_code == 403
    assert login(outsider).post(f"/action/{item_id}/etat", {"status": "done"}).status_code == 403
    assert login(voter).post(f"/action/{item_id}/etat", {"status": "done"}, csrf=False).status_code == 400
    assert state() == "open"
    assert login(voter).post(f"/action/{item_id}/etat", {"status": "finie"}).status_code == 422
    assert login(voter).post(f"/action/{item_id}/etat", {"status": "done"}).status_code == 303      # the assignee
    assert state() == "done"
    assert login(moderator).post(f"/action/{item_id}/etat", {"status": "dropped"}).status_code == 303
    assert state() == "dropped"
    response = login(author).post(f"/action/{item_id}/etat?next=/espace/{committee.slug}/suivi", {"status": "open"})
    assert response.headers["Location"].endswith(f"/espace/{committee.slug}/suivi") and state() == "open"
    assert login(author).post("/action/999999/etat", {"status": "open"}).status_code == 404


def test_the_outcome_shows_in_the_block(app, place, open_poll, login):
    committee, author, voter, moderator, outsider, topic = place
    poll = open_poll(author, topic)
    close(app, poll, author)
    write(app, author, poll, "On se réunit **jeudi**.", day(10),
          rows=[{"what": "Réserver la salle", "who": "@Bruno", "due_on": day(-0)}])
    html = login(voter).get(f"/decision/{poll.id}/bloc").get_data(as_text=True)
    assert "<strong>jeudi</strong>" in html and "Réserver la salle" in html and "Bruno" in html
    assert 'action="/action/' in html        # the assignee may change its state


def test_an_unseen_decision_has_no_outcome_page(app, forum, place, open_poll, login):
    committee, author, voter, moderator, outsider, topic = place
    hidden = forum.space("Réservé", visibility="restricted", committees=[committee])
    poll = open_poll(author, forum.topic(author, hidden))
    close(app, poll, author)
    assert login(outsider).get(f"/decision/{poll.id}/issue").status_code == 404
    assert login(outsider).post(f"/decision/{poll.id}/issue", {"text": "Non.", "submit": "1"}).status_code == 404
    assert login(author).get("/decision/999999/issue").status_code == 404


def test_a_read_only_assignee_changes_no_state(app, place, open_poll, login):
    committee, author, voter, moderator, outsider, topic = place
    poll = open_poll(author, topic)
    close(app, poll, author)
    write(app, author, poll, rows=[{"what": "Réserver la salle", "who": "@Bruno"}])
    with app.app_context():
        item_id = db.session.get(Poll, poll.id).outcome.actions[0].id
        db.session.get(Member, voter.id).silenced_until = now() + timedelta(days=1)
        db.session.commit()
    assert login(voter).post(f"/action/{item_id}/etat", {"status": "done"}).status_code == 403
    with app.app_context():
        assert db.session.get(ActionItem, item_id).status == "open"
