"""CSV export of a decision's results: the table as shown (suppression applied), only where the
tally may be seen, safe for spreadsheets."""
import csv
import io

import pytest

from forum.decisions import closing, export
from forum.decisions.models import Poll
from forum.extensions import db
from forum.topics.models import Member

from ..helpers import Browser


@pytest.fixture
def place(forum):
    committee = forum.committee("13", name="Comité 13")
    author = forum.member("Alice", committees=[committee])
    topic = forum.topic(author, committee, "Dates de la plénière")
    return committee, author, topic


def download(app, member, poll):
    client = app.test_client()
    if member is not None:
        Browser(client).login(member)
    return client.get(f"/decision/{poll.id}/resultats.csv")


def table(response):
    body = response.get_data()
    assert body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def close(app, poll, closer):
    with app.app_context():
        closing.close_poll(db.session.get(Poll, poll.id), db.session.get(Member, closer.id))


def test_closed_table_is_the_one_shown_small_colleges_inside_others(app, forum, place, open_poll, vote):
    committee, author, topic = place
    big, other, small, tiny = (forum.college(name) for name in ("Élus", "Institutions", "Bénévoles", "Usagers"))
    voters = ([forum.member(college=big, committees=[committee]) for _ in range(6)]
              + [forum.member(college=other, committees=[committee]) for _ in range(6)]
              + [forum.member(college=small, committees=[committee]) for _ in range(2)]
              + [forum.member(college=tiny, committees=[committee])]
              + [forum.member(college=tiny, confirmed=False, committees=[committee])])
    poll = open_poll(author, topic, kind="single", options=("Mardi 3 mars", "=HYPERLINK(\"x\")"))
    for index, voter in enumerate(voters):
        vote(voter, poll, {index % 2: 1})
    close(app, poll, author)

    response = download(app, voters[0], poll)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert 'filename="resultats-decision-' in response.headers["Content-Disposition"]
    rows = table(response)
    assert rows[0] == ["Groupe", "Votants", "Option", "Voix"]
    assert rows[1] == ["Ensemble", "16", "Mardi 3 mars", "8"]
    assert rows[2] == ["Ensemble", "16", "'=HYPERLINK(\"x\")", "8"]      # no formula reaches a spreadsheet
    with app.app_context():
        stored = db.session.get(Poll, poll.id).results
    groups = [row[0] for row in rows[1::2]]
    shown = {name for name in ("Élus", "Institutions") if name in groups}
    assert len(groups) == 1 + len(stored["colleges"]) + (1 if stored["others"] else 0)
    # Bénévoles (2) and Usagers (1) never stand alone: only inside « Autres collèges (…) ».
    assert "Bénévoles" not in groups and "Usagers" not in groups
    others = [g for g in groups if g.startswith("Autres collèges")]
    assert len(others) == 1 and "Bénévoles" in others[0] and "Usagers" in others[0]
    assert "membres sans collège" in others[0]          # the unconfirmed voter is counted there
    assert len(shown) == len(stored["colleges"])
    voters_by_group = {row[0]: int(row[1]) for row in rows[1:]}
    assert all(n >= 5 for n in voters_by_group.values())
    # Nobody is named, not even in a named decision.
    assert not any(voter.pseudonym in response.get_data(as_text=True) for voter in voters)


def test_while_open_only_the_overall_tally(app, forum, place, open_poll, vote):
    committee, author, topic = place
    voter = forum.member("Bruno", committees=[committee])
    poll = open_poll(author, topic, kind="single", options=("Mardi", "Jeudi"))
    vote(voter, poll, {1: 1})
    rows = table(download(app, voter, poll))
    assert rows[1:] == [["Ensemble", "1", "Mardi", "0"], ["Ensemble", "1", "Jeudi", "1"]]


def test_hidden_results_are_403_and_an_unseen_decision_404(app, forum, place, open_poll, vote):
    committee, author, topic = place
    voter = forum.member("Bruno", committees=[committee])
    poll = open_poll(author, topic, kind="single", options=("Mardi", "Jeudi"), results_mode="after_vote")
    assert download(app, voter, poll).status_code == 403          # not voted yet
    vote(voter, poll, {1: 1})
    assert download(app, voter, poll).status_code == 200
    hidden = open_poll(author, topic, kind="single", options=("Oui", "Non"), results_mode="after_closing")
    vote(voter, hidden, {0: 1})
    assert download(app, voter, hidden).status_code == 403
    outsider = forum.member("Omar")
    with app.app_context():
        from forum.topics.models import Space
        db.session.get(Space, committee.id).visibility = "restricted"
        db.session.commit()
    assert download(app, outsider, poll).status_code == 404
    assert download(app, None, poll).status_code == 404
    assert download(app, voter, Poll(id=999999)).status_code == 404


def test_kind_measures_and_cell_safety():
    assert export.safe("=1+1") == "'=1+1" and export.safe("@SUM") == "'@SUM" and export.safe("-2") == "'-2"
    assert export.safe("+33") == "'+33" and export.safe("Mardi") == "Mardi"
    assert export._number(2.5) == "2,50" and export._number(None) == ""
    text = export.to_csv([["a;b", "c\"d"]])
    assert text.startswith("\ufeff") and text.endswith("\r\n") and '"a;b"' in text
