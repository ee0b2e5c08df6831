"""Decisions on topics, each with its reversal: lock/unlock, move, split/merge, slow mode."""
import re

import pytest
from sqlalchemy import func, select

from forum.errors import Conflict
from forum.extensions import db
from forum.topics.models import Post, Space, Tag, Topic
from moderation import deciding, topic_decisions
from moderation.models import Decision

from ..helpers import text


def _decide(browser, topic, action, **data):
    return browser.post(f"/moderation/sujets/{topic.id}/{action}", dict(data, submit="1"))


def _space_counts(app, *spaces):
    with app.app_context():
        return [(s.topic_count, s.post_count) for s in (db.session.get(Space, x.id) for x in spaces)]


def test_lock_and_unlock(world, login, app, forum):
    moderator = login(world.mod13)
    assert "Fermer le sujet" in text(moderator.get(f"/moderation/sujets/{world.topic13.id}"))
    response = _decide(moderator, world.topic13, "fermer", articles=[world.articles[3]],
                       justification="Le débat tourne en rond.")
    assert response.status_code == 303
    reply = login(world.carol).post(f"/sujet/{world.topic13.id}/repondre", {"body": "Encore un mot", "submit": "1"})
    assert reply.status_code == 403 and "Ce sujet est fermé" in text(reply)
    assert _decide(moderator, world.topic13, "fermer", articles=[world.articles[3]],
                   justification="Encore.").status_code == 409
    assert _decide(login(world.mod13b), world.topic13, "rouvrir", justification="").status_code == 303
    with app.app_context():
        assert db.session.get(Topic, world.topic13.id).status == "open"
        lock = db.session.scalars(select(Decision).where(Decision.action == "lock")).one()
        assert lock.reversed_by_id is not None and lock.member_id == world.alice.id
    assert login(world.carol).post(f"/sujet/{world.topic13.id}/repondre",
                                   {"body": "Encore un mot", "submit": "1"}).status_code == 303


def test_move_keeps_counters_right_and_moves_back(world, login, app, act):
    before = _space_counts(app, world.c13, world.theme)
    response = _decide(login(world.coordinator), world.topic13, "deplacer", space=world.theme.slug,
                       articles=[world.articles[3]], justification="Ce sujet concerne tous les comités.")
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Topic, world.topic13.id).space_id == world.theme.id
        move = db.session.scalars(select(Decision).where(Decision.action == "move")).one()
        assert move.details["from_space_id"] == world.c13.id
    assert _space_counts(app, world.c13, world.theme) == [(before[0][0] - 1, before[0][1] - 2),
                                                            (before[1][0] + 1, before[1][1] + 2)]
    act(deciding.reverse, world.coordinator, move, "Retour dans le comité.")
    with app.app_context():
        assert db.session.get(Topic, world.topic13.id).space_id == world.c13.id
    assert _space_counts(app, world.c13, world.theme) == before


def test_a_space_moderator_moves_only_between_spaces_they_moderate(world, login, app):
    moderator = login(world.mod13)
    page = text(moderator.get(f"/moderation/sujets/{world.topic13.id}"))
    assert world.c83.name not in page   # not offered
    response = _decide(moderator, world.topic13, "deplacer", space=world.c83.slug, articles=[world.articles[3]],
                       justification="Vers le Var.")
    assert response.status_code == 403
    with app.app_context():
        assert db.session.get(Topic, world.topic13.id).space_id == world.c13.id
    missing = _decide(moderator, world.topic13, "deplacer", space="", articles=[world.articles[3]],
                      justification="Quelque part.")
    assert missing.status_code == 422 and "Choisissez l'espace" in text(missing)


def test_split_renumbers_the_subtree_keeps_ids_and_merges_back(world, forum, login, app, act):
    tag = forum.tag("Logement")
    topic = forum.topic(world.alice, world.c13, "Un sujet qui dérive", tags=[tag])
    opening = forum.opening(topic)
    a = forum.reply(world.bob, topic, "Réponse A", opening)
    b = forum.reply(world.carol, topic, "Réponse B, hors sujet", opening)
    b1 = forum.reply(world.dave, topic, "Réponse à B", b)
    b11 = forum.reply(world.bob, topic, "Réponse à la réponse à B", b1)
    c = forum.reply(world.alice, topic, "Réponse C", opening)
    b2 = forum.reply(world.alice, topic, "Autre réponse à B", b)
    with app.app_context():
        before = {p.id: (p.topic_id, p.number, p.path, p.depth, p.parent_id)
                  for p in db.session.scalars(select(Post).where(Post.topic_id == topic.id))}
    moderator = login(world.mod13)
    response = moderator.post(f"/moderation/messages/{b.id}/detacher", {
        "title": "Le sujet qui était hors sujet", "articles": [world.articles[3]],
        "justification": "Une autre discussion mérite son sujet.", "submit": "1"})
    assert response.status_code == 303
    new_id = int(re.search(r"/sujet/(\d+)", response.headers["Location"]).group(1))
    with app.app_context():
        new = db.session.get(Topic, new_id)
        old = db.session.get(Topic, topic.id)
        moved = {p.id: p for p in db.session.scalars(select(Post).where(Post.topic_id == new_id))}
        assert set(moved) == {b.id, b1.id, b11.id, b2.id}
        shape = [(moved[i].number, moved[i].depth, moved[i].path, moved[i].parent_id)
                 for i in (b.id, b1.id, b11.id, b2.id)]
        assert shape == [
            (1, 0, "000001", None), (2, 1, "000001/000002", b.id),
            (3, 2, "000001/000002/000003", b1.id), (4, 1, "000001/000004", b.id)]
        assert (new.title, new.author_id, new.reply_count, new.last_number, new.space_id) == \
            ("Le sujet qui était hors sujet", world.carol.id, 3, 4, world.c13.id)
        assert [t.slug for t in new.tags] == ["logement"]
        assert old.reply_count == 2 and old.last_number == 7
        assert db.session.get(Tag, tag.id).topic_count == 2
        split = db.session.scalars(select(Decision).where(Decision.action == "split")).one()
    page = text(login(world.eve).get(f"/sujet/{new_id}"))
    assert page.index("Réponse B, hors sujet") < page.index("Réponse à B") < page.index("Autre réponse à B")
    # A reply written in the new topic comes back too, after the old topic's last number.
    later = forum.reply(world.dave, fresh_topic(app, new_id), "Écrit après la séparation", fresh_post(app, b1.id))
    act(deciding.reverse, world.mod13b, split, "On rassemble la discussion.")
    with app.app_context():
        assert db.session.get(Topic, new_id) is None
        after = {p.id: (p.topic_id, p.number, p.path, p.depth, p.parent_id)
                 for p in db.session.scalars(select(Post).where(Post.topic_id == topic.id))}
        back = after.pop(later.id)
        assert after == before
        assert back[1] == 8 and back[2] == before[b1.id][2] + "/000008" and back[4] == b1.id
        old = db.session.get(Topic, topic.id)
        assert old.reply_count == 7 and old.last_number == 8
        assert db.session.get(Tag, tag.id).topic_count == 1
        assert db.session.get(Decision, split.id).reversed_by_id is not None
        assert db.session.get(Decision, split.id).topic_id is None   # the emptied topic is gone, the log stays
    assert a and c


def fresh_topic(app, topic_id):
    from ..helpers import detach
    with app.app_context():
        return detach(db.session.get(Topic, topic_id))


def fresh_post(app, post_id):
    from ..helpers import detach
    with app.app_context():
        return detach(db.session.get(Post, post_id))


def test_the_opening_post_is_not_split(world, login):
    response = login(world.mod13).post(f"/moderation/messages/{world.opening13.id}/detacher", {
        "title": "Un titre valable", "articles": [world.articles[3]], "justification": "Essai.", "submit": "1"})
    assert response.status_code == 422 and "déplacez plutôt le sujet" in text(response)


def test_slow_mode_limits_each_member_and_can_be_lifted(world, login, app, act):
    moderator = login(world.mod13)
    bad = _decide(moderator, world.topic13, "mode-lent", minutes="0", articles=[world.articles[1]],
                  justification="Apaiser.")
    assert bad.status_code == 422 and "Un intervalle de 1 à 1440 minutes" in text(bad)
    assert _decide(moderator, world.topic13, "mode-lent", minutes="30", articles=[world.articles[1]],
                   justification="Les échanges s'enveniment.").status_code == 303
    carol = login(world.carol)
    assert carol.post(f"/sujet/{world.topic13.id}/repondre", {"body": "Premier", "submit": "1"}).status_code == 303
    second = carol.post(f"/sujet/{world.topic13.id}/repondre", {"body": "Second, trop tôt", "submit": "1"})
    assert second.status_code == 429
    assert "mode lent" in text(second) and "Second, trop tôt" in text(second)
    # Moderators are not slowed down.
    moderator_b = login(world.mod13b)
    for body in ("Modération", "Modération 2"):
        assert moderator_b.post(f"/sujet/{world.topic13.id}/repondre", {"body": body, "submit": "1"}).status_code == 303
    with app.app_context():
        slow = db.session.scalars(select(Decision).where(Decision.action == "slow_mode")).one()
        assert slow.minutes == 30
    act(deciding.reverse, world.mod13b, slow, "Le calme est revenu.")
    assert carol.post(f"/sujet/{world.topic13.id}/repondre", {"body": "Second", "submit": "1"}).status_code == 303
    with app.app_context():
        off = db.session.scalars(select(Decision).where(Decision.action == "slow_mode_off")).one()
    act(deciding.reverse, world.mod13, off, "Finalement, on ralentit.", [world.articles[1]])
    with app.app_context():
        assert db.session.get(topic_decisions.TopicSlowMode, world.topic13.id).minutes == 30
    with pytest.raises(Conflict):
        act(topic_decisions.set_slow_mode, world.mod13, world.topic13, 30, [world.articles[1]], "Encore.")
    with app.app_context():
        assert db.session.scalar(select(func.count(Decision.id)).where(Decision.action == "slow_mode")) == 2
