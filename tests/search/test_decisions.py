"""Decisions are searched with the post that opened them (both backends): their question, their
options and their outcome; ``type:decision``; a restricted space's decision is absent from the
results and the totals of an outsider; no tally figure is ever indexed."""
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy.orm import Session

from forum.clock import now
from forum.decisions import closing, voting
from forum.decisions.models import Outcome, Poll
from forum.extensions import db
from forum.topics.models import Member, Topic
from search import documents, indexing

from ..helpers import Browser


def open_poll(app, author, topic, question, options, kind="single"):
    with app.app_context():
        settings = voting.PollSettings(kind=kind, question=question, closes_at=now() + timedelta(days=3),
                                       options=list(options))
        poll = voting.open_poll(db.session.get(Member, author.id), db.session.get(Topic, topic.id), settings,
                                "Décidons ensemble, après en avoir débattu.")
        return SimpleNamespace(id=poll.id, post_id=poll.post_id)


@pytest.fixture
def decided(world, forum, app):
    secret_topic = forum.topic(world.alice, world.secret, "Organisation du comité")
    public_topic = forum.topic(world.alice, world.theme, "Charte d'accueil")
    secret = open_poll(app, world.alice, secret_topic, "Choisir le lieu Zanzibar ?", ("Quetzalcoatl", "Marseille"))
    public = open_poll(app, world.alice, public_topic, "Adopter la charte d'accueil Kilimandjaro ?", (),
                       kind="consent")
    return SimpleNamespace(secret=secret, public=public, secret_topic=secret_topic)


def test_question_and_options_are_found_with_a_link_to_the_decision(world, finder, decided):
    for word in ("zanzibar", "quetzalcoatl"):
        found = finder.results(world.alice, word)
        assert [(item.post.id, item.poll_id) for item in found.items] == [(decided.secret.post_id, decided.secret.id)]
    assert finder.ids(world.bob, "kilimandjaro") == [decided.public.post_id]
    # The excerpt reads the question and options, then the post's own words.
    [item] = finder.results(world.alice, "zanzibar").items
    assert item.excerpt_html == ("Choisir le lieu <mark>Zanzibar</mark> ? Quetzalcoatl Marseille "
                                 "Décidons ensemble, après en avoir débattu.")


def test_type_decision_keeps_decisions_only(world, forum, finder, decided):
    forum.topic(world.alice, world.theme, "Kilimandjaro sans décision", "Un débat Kilimandjaro.")
    assert set(finder.ids(world.alice, "type:decision")) == {decided.secret.post_id, decided.public.post_id}
    assert finder.ids(world.alice, "kilimandjaro type:decision") == [decided.public.post_id]
    assert len(finder.ids(world.alice, "kilimandjaro")) == 2


def test_an_outsider_neither_finds_nor_counts_a_restricted_decision(world, forum, finder, decided):
    ordinary = forum.member("Ordinaire")
    for viewer in (None, world.bob, ordinary):
        for query in ("zanzibar", "quetzalcoatl", "zanzibar type:decision", "quetzalcoatl order:latest"):
            found = finder.results(viewer, query)
            assert (found.total, found.items) == (0, []), (viewer, query)
        found = finder.results(viewer, "type:decision")
        assert (found.total, [item.post.id for item in found.items]) == (1, [decided.public.post_id])


def test_the_outcome_is_found_once_written_and_no_figure_is_indexed(app, world, forum, finder, decided):
    voter = forum.member("Votante", committees=[world.c13])
    with app.app_context():
        voting.cast_ballot(db.session.get(Member, voter.id), db.session.get(Poll, decided.secret.id), {1: 1})
        poll = closing.close_poll(db.session.get(Poll, decided.secret.id), db.session.get(Member, world.alice.id))
        db.session.add(Outcome(poll_id=poll.id, author_id=world.alice.id, source="Retenu : Popocatepetl.",
                               html="<p>Retenu : Popocatepetl.</p>"))
        indexing.search_reindex_poll(poll.id)
        db.session.commit()
    assert finder.ids(world.alice, "popocatepetl") == [decided.secret.post_id]
    with app.app_context(), Session(db.engine) as session:
        body = documents.documents(session, [decided.secret.post_id])[decided.secret.post_id].body
    assert body.startswith("Choisir le lieu Zanzibar ? Quetzalcoatl Marseille Retenu : Popocatepetl.")
    assert "1" not in body                          # one ballot: no count anywhere


def test_results_page_links_to_the_decision(app, world, decided):
    client = Browser(app.test_client())
    client.login(world.alice)
    page = client.get("/recherche?q=zanzibar").get_data(as_text=True)
    # decisions.show where it is registered, else the post's address (which leads to the same place).
    assert f'href="/decision/{decided.secret.id}"' in page or f'href="/message/{decided.secret.post_id}"' in page
    assert "Décision" in page
    data = client.get("/search.json?q=zanzibar").get_json()
    assert data["total"] == 1 and data["results"][0]["decision_id"] == decided.secret.id


def test_an_outcome_written_event_reindexes_the_decision(app, world, finder, decided):
    from forum import events
    with app.app_context():
        poll = closing.close_poll(db.session.get(Poll, decided.public.id), db.session.get(Member, world.alice.id))
        db.session.add(Outcome(poll_id=poll.id, author_id=world.alice.id, source="Adoptée : Chimborazo.",
                               html="<p>Adoptée : Chimborazo.</p>"))
        db.session.flush()
        events.publish(events.OutcomeWritten(poll_id=poll.id, topic_id=poll.topic_id, space_id=poll.topic.space_id))
        db.session.commit()
    assert finder.ids(world.bob, "chimborazo") == [decided.public.post_id]
    assert finder.ids(world.bob, "chimborazo type:decision") == [decided.public.post_id]
