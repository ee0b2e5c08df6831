"""The events other packages rely on (search, realtime, notifications) are published after commit."""
import pytest

from forum import events
from moderation import deciding, post_decisions, sanctions, topic_decisions


@pytest.fixture
def published(committed_events):
    return committed_events(events.PostStateChanged, events.PostPublished, events.TopicChanged, events.PostsMoved,
                            events.MemberAccessChanged, events.PostEdited).seen


def test_decisions_announce_what_changed(world, forum, act, published):
    a = world.articles
    act(post_decisions.hide, world.mod13, world.reply13, [a[2]], "Tiers.")
    assert published[-1] == events.PostStateChanged(post_id=world.reply13.id, topic_id=world.topic13.id,
                                                    space_id=world.c13.id, state="hidden")
    act(post_decisions.restore, world.mod13b, world.reply13, "Rétabli.")
    assert isinstance(published[-1], events.PostPublished) and published[-1].post_id == world.reply13.id
    act(post_decisions.edit, world.mod13, world.reply13, "Texte anonymisé.", None, [a[2]], "Anonymisé.")
    assert isinstance(published[-1], events.PostEdited) and published[-1].editor_id == world.mod13.id

    move = act(topic_decisions.move_topic, world.coordinator, world.topic13, world.theme, [a[3]], "Déplacé.")
    assert published[-1] == events.TopicChanged(topic_id=world.topic13.id, space_id=world.theme.id,
                                                old_space_id=world.c13.id)
    act(deciding.reverse, world.coordinator, move, "Revenu.")
    assert published[-1].old_space_id == world.theme.id

    leaf = forum.reply(world.carol, world.topic13, "Sous la réponse", world.reply13)
    split = act(topic_decisions.split, world.mod13, world.reply13, "Un sujet détaché", [a[3]], "Autre sujet.")
    moved = published[-1]
    assert isinstance(moved, events.PostsMoved)
    assert (set(moved.post_ids), moved.topic_id, moved.old_topic_id) == ({world.reply13.id, leaf.id},
                                                                        split.topic_id, world.topic13.id)
    act(deciding.reverse, world.mod13b, split, "Rattaché.")
    back = published[-1]
    assert (back.topic_id, back.old_topic_id, back.old_space_id) == (world.topic13.id, split.topic_id, world.c13.id)

    act(sanctions.sanction, world.coordinator, world.bob, "suspend", 1, "jours", [a[1]], "Pause.")
    assert published[-1] == events.MemberAccessChanged(member_id=world.bob.id)


def test_nothing_is_announced_when_a_decision_is_refused(world, act, published):
    from forum.errors import Invalid
    with pytest.raises(Invalid):
        act(post_decisions.hide, world.mod13, world.reply13, [], "Sans article.")
    assert published == []
