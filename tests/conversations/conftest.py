"""A world for the tests of forum/conversations/: members past their first days, a comité with
its moderator, another comité's moderator, the coordination."""
from datetime import timedelta
from types import SimpleNamespace

import pytest

from forum.clock import now


@pytest.fixture
def people(forum):
    past = now() - timedelta(days=30)
    marseille = forum.committee("13", "Comité des Bouches-du-Rhône")
    nice = forum.committee("06", "Comité des Alpes-Maritimes")
    return SimpleNamespace(
        marseille=marseille, nice=nice,
        alice=forum.member("Alice", committees=[marseille], created_at=past),
        bob=forum.member("Bob", committees=[marseille], created_at=past),
        carol=forum.member("Carol", committees=[marseille], created_at=past),
        newcomer=forum.member("Nouveau", committees=[marseille]),
        mod13=forum.moderator(marseille, pseudonym="Mod-13", committees=[marseille], created_at=past),
        mod06=forum.moderator(nice, pseudonym="Mod-06", committees=[nice], created_at=past),
        coordinator=forum.member("Coord", role="coordinator", created_at=past),
    )
