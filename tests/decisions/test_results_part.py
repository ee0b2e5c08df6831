"""The results part, kept once per state of its topic: never shown to a reader who may not see
it, never stale after a ballot; every voter on their own page."""
import pytest

from forum.decisions import tally_view

from ..helpers import Browser, text


@pytest.fixture
def place(forum):
    committee = forum.committee("13")
    author = forum.member("Alice", committees=[committee])
    voter = forum.member("Bruno", committees=[committee])
    return committee, author, voter, forum.topic(author, committee, "Préparer la plénière")


def logged(app, member):
    browser = Browser(app.test_client())
    browser.login(member)
    return browser


def test_a_reader_who_has_not_voted_never_gets_the_kept_tally(app, place, open_poll, vote):
    committee, author, voter, topic = place
    poll = open_poll(author, topic, results_mode="after_vote")
    vote(author, poll, {0: 1})
    alice, bruno = logged(app, author), logged(app, voter)
    assert "Résultats provisoires" in text(alice.get(f"/decision/{poll.id}/bloc"))   # kept now
    page = text(bruno.get(f"/decision/{poll.id}/bloc"))
    assert "Résultats provisoires" not in page and "1 voix" not in page
    assert "après son vote" in page


def test_a_new_ballot_reaches_members_at_once(app, place, open_poll, vote):
    committee, author, voter, topic = place
    poll = open_poll(author, topic)
    vote(author, poll, {0: 1})
    alice = logged(app, author)
    assert "Qui a voté (1)" in text(alice.get(f"/decision/{poll.id}/bloc"))
    vote(voter, poll, {1: 1})
    assert "Qui a voté (2)" in text(alice.get(f"/decision/{poll.id}/bloc"))


def test_the_block_names_the_first_voters_and_their_page_names_all(app, forum, place, open_poll, vote,
                                                                   monkeypatch):
    committee, author, voter, topic = place
    monkeypatch.setattr(tally_view, "VOTERS_SHOWN", 2)
    monkeypatch.setattr(tally_view, "VOTERS_PER_PAGE", 2)
    poll = open_poll(author, topic)
    names = ["Zoé", "Yann", "Xavier"]
    for name in names:
        vote(forum.member(name, committees=[committee]), poll, {0: 1})
    alice = logged(app, author)
    block = text(alice.get(f"/decision/{poll.id}/bloc"))
    assert "Xavier : Mardi" in block and "Yann : Mardi" in block and "Zoé" not in block
    assert f"/decision/{poll.id}/votants" in block
    first, second = text(alice.get(f"/decision/{poll.id}/votants")), text(alice.get(f"/decision/{poll.id}/votants?page=2"))
    assert "Xavier : Mardi" in first and "Zoé" not in first and "Zoé : Mardi" in second


def test_the_voters_page_follows_the_decision(app, forum, place, open_poll, vote, client):
    committee, author, voter, topic = place
    secret = forum.space("Espace fermé", visibility="restricted", committees=[committee])
    hidden = open_poll(author, forum.topic(author, secret), anonymous=True)
    vote(voter, hidden, {0: 1})
    outsider = logged(app, forum.member("Dehors"))
    assert outsider.get(f"/decision/{hidden.id}/votants").status_code == 404
    assert client.get(f"/decision/{hidden.id}/votants").status_code == 404
    page = text(logged(app, author).get(f"/decision/{hidden.id}/votants"))
    assert "Bruno" in page and "Mardi" not in page            # anonymous: who, never how
