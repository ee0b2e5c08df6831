"""Every limit, tried at its boundary: the last value accepted and the first one refused.

A limit tested only far from its edge survives an off-by-one; so each test here names the
exact value on both sides (docs/tests.md, "Boundaries").
"""
from datetime import timedelta

import pytest

from forum.accounts.models import Member
from forum.clock import now
from forum.extensions import db
from forum.notifications.digest import (ACTIVE_TOPICS, NEW_TOPICS_PER_SPACE, PERSONAL_ITEMS,
                                        POPULAR_MIN_ANSWERS, POPULAR_REPLIES, compose)
from forum.topics.models import Topic
from forum.topics.tagging import MAX_TAGS
from forum.topics.reading import Pagination
from search.searching import MAX_PAGE, search

from .helpers import Browser, text


@pytest.fixture
def writer(app, forum, client):
    space = forum.space("Accès aux droits")
    tags = [forum.tag(f"Étiquette {i}") for i in range(MAX_TAGS + 1)]
    author = forum.member("Plume")
    browser = Browser(client)
    browser.login(author)
    return {"space": space, "tags": tags, "author": author, "browser": browser}


def _start(writer, title="Un titre de sujet", body="Un message.", tags=()):
    return writer["browser"].post("/nouveau-sujet", {
        "space": writer["space"].slug, "title": title, "body": body,
        "tags": [tag.slug for tag in tags], "submit": "1"})


def _topic_count(app):
    with app.app_context():
        return db.session.query(Topic).count()


def test_the_longest_title_is_taken_and_one_more_character_is_refused_keeping_the_text(app, writer):
    high = app.config["TITLE_MAX_CHARS"]
    refused = _start(writer, title="t" * (high + 1), body="Ce que j'ai écrit reste là.")
    assert refused.status_code == 422
    page = text(refused)
    assert f"{high} caractères au plus" in page and "Ce que j'ai écrit reste là." in page
    assert _topic_count(app) == 0
    assert _start(writer, title="t" * high).status_code == 303
    assert _topic_count(app) == 1


def test_the_longest_post_is_taken_and_one_more_character_is_refused_keeping_the_text(app, writer):
    high = app.config["POST_MAX_CHARS"]
    refused = _start(writer, title="Un long message", body="é" * (high + 1))
    assert refused.status_code == 422
    assert f"{high + 1} caractères, {high} au plus" in text(refused)
    assert "é" * 100 in text(refused)   # what was typed comes back
    assert _topic_count(app) == 0
    assert _start(writer, title="Un long message", body="é" * high).status_code == 303


def test_a_topic_takes_five_tags_and_refuses_six(app, writer):
    refused = _start(writer, title="Six étiquettes", tags=writer["tags"][:MAX_TAGS + 1])
    assert refused.status_code == 422 and f"{MAX_TAGS} étiquettes au plus" in text(refused)
    assert _topic_count(app) == 0
    assert _start(writer, title="Cinq étiquettes", tags=writer["tags"][:MAX_TAGS]).status_code == 303
    with app.app_context():
        assert len(db.session.query(Topic).one().tags) == MAX_TAGS


@pytest.mark.parametrize("total,page,has_next,pages", [
    (0, 1, False, 1), (20, 1, False, 1), (21, 1, True, 2), (40, 2, False, 2), (41, 2, True, 3), (41, 3, False, 3)])
def test_pagination_has_a_next_page_exactly_when_one_more_item_exists(total, page, has_next, pages):
    pagination = Pagination(page=page, per_page=20, total=total)
    assert (pagination.has_next, pagination.pages, pagination.has_prev) == (has_next, pages, page > 1)


def test_search_stops_at_page_fifty(app, forum):
    space = forum.space("Recherche profonde")
    author = forum.member("Chercheuse")
    topic = forum.topic(author, space, "Sujet aux nombreuses réponses", body="Le mot profondeur ouvre ce sujet.")
    for n in range(MAX_PAGE + 1):
        forum.reply(author, topic, f"Réponse {n} avec le mot profondeur.")
    with app.app_context():
        last = search(None, "profondeur", page=MAX_PAGE, per_page=1)
        beyond = search(None, "profondeur", page=MAX_PAGE + 1, per_page=1)
    assert last.pagination.page == MAX_PAGE and not last.pagination.has_next and len(last.items) == 1
    assert last.pagination.total == MAX_PAGE   # 52 match; no more than 50 pages are offered
    assert beyond.pagination.page == MAX_PAGE and [i.post.id for i in beyond.items] == [i.post.id for i in last.items]


def test_search_page_fifty_one_in_the_address_answers_page_fifty(forum, client):
    forum.topic(forum.member("Auteure"), forum.space("Thème"), "Un sujet sur la profondeur")
    page = client.get(f"/recherche?q=profondeur&page={MAX_PAGE + 1}")
    assert page.status_code == 200 and "profondeur" in text(page)


# --- the weekly digest's thresholds -----------------------------------------------------------

def _week(app, member):
    with app.app_context():
        return compose(db.session.get(Member, member.id), now() - timedelta(days=7), now() + timedelta(seconds=1))


@pytest.mark.parametrize("count", [NEW_TOPICS_PER_SPACE, NEW_TOPICS_PER_SPACE + 1])
def test_a_space_shows_five_new_topics_and_counts_the_rest(app, forum, count):
    space = forum.space("Logement")
    author, reader = forum.member("Auteur"), forum.member("Lectrice")
    for n in range(count):
        forum.topic(author, space, f"Nouveau sujet numéro {n}")
    [section] = _week(app, reader).spaces
    assert len(section.topics) == NEW_TOPICS_PER_SPACE
    assert section.more == count - NEW_TOPICS_PER_SPACE


@pytest.mark.parametrize("answers,popular", [(POPULAR_MIN_ANSWERS - 1, False), (POPULAR_MIN_ANSWERS, True)])
def test_a_reply_is_remarked_from_two_answers(app, forum, answers, popular):
    space = forum.space("Mobilité")
    author, reader = forum.member("Autrice"), forum.member("Lecteur")
    topic = forum.topic(author, space, "Transports en zone rurale")
    remarked = forum.reply(author, topic, "Une réponse qui fait réagir.")
    for n in range(answers):
        forum.reply(forum.member(f"Voix{n}"), topic, f"Je réagis ({n}).", parent=remarked)
    assert [entry.id for entry in _week(app, reader).popular] == ([remarked.id] if popular else [])


@pytest.mark.parametrize("extra", [0, 1])
def test_a_digest_shows_five_active_topics_and_three_remarked_replies_and_the_rest_after_them(app, forum, extra):
    forum.charter()
    space = forum.space("Insertion")
    author, voice = forum.member("Autrice"), forum.member("Voix")
    reader = forum.member("Lecteur", accept_charter=False)
    topics = [forum.topic(author, space, f"Sujet animé {n}") for n in range(ACTIVE_TOPICS + extra)]
    remarked = [forum.reply(author, topics[0], f"Réponse remarquée {n}") for n in range(POPULAR_REPLIES + extra)]
    for reply in remarked:
        for n in range(POPULAR_MIN_ANSWERS):
            forum.reply(voice, topics[0], f"Je réagis ({n}).", parent=reply)
    for topic in topics[1:]:
        forum.reply(voice, topic, "Une réponse.")
    digest = _week(app, reader)
    # The busiest first (the first topic), then the oldest; remarked replies the oldest first.
    assert [entry.id for entry in digest.active] == [topic.id for topic in topics[:ACTIVE_TOPICS]]
    assert [entry.id for entry in digest.popular] == [reply.id for reply in remarked[:POPULAR_REPLIES]]
    assert digest.charter is not None     # what comes after the lists is still there


@pytest.mark.parametrize("mentions", [PERSONAL_ITEMS, PERSONAL_ITEMS + 1])
def test_a_digest_names_ten_mentions_at_most(app, forum, mentions):
    space = forum.space("Accès aux droits")
    author, reader = forum.member("Autrice"), forum.member("Lectrice")
    topic = forum.topic(author, space, "Permanences juridiques")
    replies = [forum.reply(author, topic, f"Qu'en pense @Lectrice ? ({n})") for n in range(mentions)]
    personal = _week(app, reader).personal
    assert [(entry.url.rsplit("/", 1)[1], entry.excerpt) for entry in personal] == [
        (str(r.id), f"Qu'en pense @Lectrice ? ({n})") for n, r in enumerate(replies[:PERSONAL_ITEMS])]


def test_a_digest_speaks_its_reader_s_language(app, forum):
    space = forum.space("Accès aux droits")
    author, reader = forum.member("Autrice"), forum.member("Reader")
    with app.app_context():
        db.session.get(Member, reader.id).locale = "en"
        db.session.commit()
    topic = forum.topic(author, space, "Permanences juridiques")
    forum.reply(author, topic, "Qu'en pense @Reader ?")
    assert [entry.text for entry in _week(app, reader).personal] == [
        "Autrice mentioned you in “Permanences juridiques”"]


def test_a_preview_by_the_coordination_leaves_out_what_keeps_staff_out(app, forum):
    """The coordination previews a member's digest (forum/notifications/views.py) and sees of it
    only the spaces it may read itself: a collège's space that keeps staff out stays out."""
    college = forum.college("Personnes accompagnées")
    committee = forum.committee("13", "Comité des Bouches-du-Rhône")
    board = forum.space("Bureau du comité 13", visibility="restricted", committees=[committee])
    private = forum.space("Entre personnes accompagnées", visibility="restricted", colleges=[college],
                          staff_reads=False)
    open_space = forum.space("Vie du réseau")
    author = forum.member("Autrice", college=college, committees=[committee])
    reader = forum.member("Lectrice", college=college, committees=[committee])
    coordinator = forum.member("Coordination", role="coordinator")
    forum.topic(author, private, "Réservé au comité")
    forum.topic(author, board, "Ordre du jour du bureau")     # restricted, and read by the coordination
    forum.topic(author, open_space, "Pour tout le réseau")
    with app.app_context():
        member = db.session.get(Member, reader.id)
        since, until = now() - timedelta(days=7), now() + timedelta(seconds=1)
        own = compose(member, since, until)
        previewed = compose(member, since, until, previewer=db.session.get(Member, coordinator.id))
    assert [section.name for section in own.spaces] == [
        "Bureau du comité 13", "Entre personnes accompagnées", "Vie du réseau"]
    assert [section.name for section in previewed.spaces] == ["Bureau du comité 13", "Vie du réseau"]


def test_the_reglement_is_recalled_only_to_who_has_not_accepted_it(app, forum):
    forum.charter()
    accepted = forum.member("Acceptante")
    pending = forum.member("Retardataire", accept_charter=False)
    assert _week(app, accepted).charter is None
    assert _week(app, pending).charter is not None
