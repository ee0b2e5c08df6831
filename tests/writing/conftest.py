"""Fixtures of the writing tests: external corpora from ../shared/corpora, a small setting."""
import json

import pytest

from ..conftest import shared_path


def corpus(name):
    with open(shared_path("corpora", name), encoding="utf-8") as handle:
        return json.load(handle)


@pytest.fixture
def place(forum):
    """A public space, two members (Alice writes, Bob reads) and a topic by Alice."""
    space = forum.space("Éthique et déontologie")
    alice = forum.member("Alice")
    bob = forum.member("Bob")
    topic = forum.topic(alice, space, "Un sujet pour écrire")
    return space, alice, bob, topic
