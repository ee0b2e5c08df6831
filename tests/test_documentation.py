"""The README documents every setting (and the two commands come first)."""
import os

from forum.config import SETTINGS

README = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "README.md")


def test_readme_lists_every_setting():
    readme = open(README, encoding="utf-8").read()
    missing = [name for name in SETTINGS if f"`FORUM_{name}`" not in readme]
    assert missing == []


def test_readme_opens_with_the_two_commands():
    head = open(README, encoding="utf-8").read().splitlines()[:6]
    assert any(line.startswith("make run") for line in head)
    assert any(line.startswith("make test") for line in head)
