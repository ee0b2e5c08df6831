"""Moderation's rules live in moderation and are asked by name through the core's one entry point."""
import pytest

from forum import permissions

from ..helpers import fresh


def test_the_core_asks_moderation_rules_by_name(world, app):
    with app.app_context():
        alice, bob, mod13, coordinator, reply13 = fresh([world.alice, world.bob, world.mod13, world.coordinator,
                                                         world.reply13])
        assert permissions.ask("can_report_post", alice, reply13)
        assert not permissions.ask("can_report_post", bob, reply13)   # their own post
        assert permissions.ask("can_moderate_post", mod13, reply13)
        assert permissions.ask("can_sanction", coordinator, bob)
        assert not permissions.ask("can_sanction", mod13, bob)
        assert permissions.ask("can_warn", mod13, bob, space=reply13.topic.space)
        assert not permissions.ask("no_such_rule", coordinator, bob)


def test_without_moderation_nobody_may_do_what_it_offers(app_factory):
    core = app_factory(PACKAGES=())
    with core.app_context():
        assert not permissions.ask("can_report_post", None, None)
        assert not permissions.ask("can_sanction", None, None)


def test_a_rule_is_registered_once(app):
    with pytest.raises(RuntimeError):
        permissions.register_rules(app, {"can_sanction": lambda viewer, member: True})
    with pytest.raises(RuntimeError):
        permissions.register_rules(app, {"can_read_space": lambda viewer, space: True})
