"""A small forum seen in a real browser: the pages every member meets, with content on them.

Browser tests are slow, so they run on SQLite only (the pages do not depend on the database).
"""
import os
from types import SimpleNamespace

import pytest

from forum.accounts.models import Member
from forum.extensions import db
from forum.topics.models import Post

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
AXE = os.path.join(ROOT, "node_modules", "axe-core", "axe.min.js")

ARTICLES = [
    ("Respect des personnes", "Chacun s'exprime avec courtoisie."),
    ("Confidentialité des situations évoquées", "Aucune personne tierce identifiable."),
]


@pytest.fixture
def backend():
    """Overrides the parametrized backend of tests/conftest.py: browser tests use SQLite only."""
    return "sqlite"


@pytest.fixture
def axe_source():
    if not os.path.exists(AXE):
        pytest.fail(f"{AXE} is missing: run `make assets` (npm ci installs axe-core)")
    return AXE


@pytest.fixture
def site(forum, app):
    """A comité with a threaded discussion, a report waiting for its moderator, a notification."""
    version = forum.charter(ARTICLES)
    college = forum.college("Personnes accompagnées")
    committee = forum.committee("13", "Comité des Bouches-du-Rhône")
    theme = forum.space("Protection de l'enfance")
    tag = forum.tag("Logement")
    moderator = forum.moderator(committee, pseudonym="Modo13", committees=[committee])
    alice = forum.member("Alice", committees=[committee], bio="Assistante sociale à Marseille.")
    bob = forum.member("Bob", committees=[committee])
    topic = forum.topic(alice, committee, "Préparer la plénière de décembre",
                        body="Quels points mettre à **l'ordre du jour** ?\n\n- le logement\n- les transports",
                        tags=[tag])
    opening = forum.opening(topic)
    first = forum.reply(bob, topic, "Le logement d'abord : trois familles attendent.", opening)
    second = forum.reply(alice, topic, "D'accord, et qui présente ?", first)
    last = forum.reply(bob, topic, "Je peux le faire.", second)
    forum.reply(moderator, topic, "Pensez aussi aux transports.", opening)
    # What could push a phone's page sideways: a long address, a wide table, a long line of code.
    forum.reply(bob, topic, "Voir https://exemple.fr/" + "compte-rendu-" * 12 + "\n\n"
                "| Commune | Familles | Délai | Service | Référent | Observation |\n|---|---|---|---|---|---|\n"
                "| Marseille | 3 | 4 mois | CAF | Mme Durand | dossier incomplet transmis deux fois |\n\n"
                "```\n" + "x = 1; " * 40 + "\n```", opening)
    other = forum.topic(bob, theme, "Accueil des jeunes majeurs", body="Un retour d'expérience.")
    off_topic = forum.reply(bob, topic, "Qui vient au match dimanche ?", opening)

    from moderation.reporting import report_post
    with app.app_context():
        article = str(db.session.get(type(version), version.id).articles[1].id)
        report_post(db.session.get(Member, alice.id), db.session.get(Post, first.id), article,
                    message="Une famille est reconnaissable.")
        # A post hidden by the moderation: its placeholder is on the topic page too.
        from moderation.post_decisions import hide
        first_article = str(db.session.get(type(version), version.id).articles[0].id)
        hide(db.session.get(Member, moderator.id), db.session.get(Post, off_topic.id), [first_article],
             "Hors sujet : ce fil prépare la plénière.")
    return SimpleNamespace(version=version, college=college, committee=committee, theme=theme, tag=tag, moderator=moderator,
                           alice=alice, bob=bob, topic=topic, opening=opening, first=first, last=last,
                           other=other)


