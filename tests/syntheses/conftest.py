"""A comité with a debate, for the tests of forum/syntheses/."""
import pytest

from forum.extensions import db
from forum.syntheses import writing
from forum.syntheses.models import Synthesis
from forum.topics.models import Member, Space, Topic

from ..helpers import detach


class Place:
    """Comité 13 (members only), its moderator, two members, an outsider, a debate with replies."""


@pytest.fixture
def place(forum):
    p = Place()
    p.committee = forum.committee("13")
    p.moderator = forum.moderator(p.committee, pseudonym="Modeste", committees=[p.committee])
    p.alice = forum.member("Alice", committees=[p.committee])
    p.bruno = forum.member("Bruno", committees=[p.committee])
    p.olga = forum.member("Olga")
    p.topic = forum.topic(p.alice, p.committee, "Le non-recours aux droits dans le 13",
                          body="Comment aller vers les personnes qui ne demandent rien ?")
    p.reply = forum.reply(p.bruno, p.topic, "Les permanences en mairie marchent bien à Aubagne.")
    return p


@pytest.fixture
def start(app):
    """``start(author, space, title, source, topic=None)``: a draft, detached."""
    def build(author, space, title="Synthèse du débat", source="## Ce que nous retenons\n\nAller vers.", topic=None):
        with app.app_context():
            return detach(writing.start(db.session.get(Member, author.id), db.session.get(Space, space.id), title,
                                        source, topic=db.session.get(Topic, topic.id) if topic else None))
    return build


def reload(app, synthesis):
    with app.app_context():
        return detach(db.session.get(Synthesis, synthesis.id))
