"""A synthesis's skeleton takes the comité's participation by collège over the ended months
its debate spans: the chart's table, small groups merged, only for who may see the page."""
from datetime import timedelta

from sqlalchemy import update

from forum.accounts.models import Member
from forum.extensions import db
from forum.syntheses import skeleton
from forum.topics.models import Topic

from .test_counting import backdate, last_month


def test_the_skeleton_carries_the_comite_table_for_who_may_see_it(app, forum):
    a, b, c = forum.college("Collège A"), forum.college("Collège B"), forum.college("Collège C")
    committee = forum.committee(name="Comité du Var")
    writers = [forum.member(college=a, committees=[committee]) for _ in range(6)]
    few = [forum.member(college=college, committees=[committee]) for college in [b] * 5 + [c] * 2]
    topic = forum.topic(writers[0], committee, title="Accueil des jeunes majeurs")
    for member in writers[1:] + few:
        forum.reply(member, topic)
    started = last_month().start + timedelta(days=4)
    backdate(app, started, topics=[topic])
    outsider = forum.member()

    def source(viewer):
        with app.test_request_context():     # as « Préparer une synthèse » builds it
            return skeleton.build(db.session.get(Member, viewer.id), db.session.get(Topic, topic.id)).source

    text = source(writers[1])
    assert "## La participation au comité" in text
    # Messages: A's 6 people shown; C's 2 merged with B (from the end of the order), never alone.
    assert "| Collège A | 6 |" in text and "| Autres collèges (Collège B, Collège C) | 7 |" in text
    assert "| Collège C |" not in text
    assert "/espace/comite-du-var/participation?periode=perso" in text
    assert "## La participation au comité" not in source(outsider)
    # A debate of the running month has no ended month to show.
    with app.app_context():
        db.session.execute(update(Topic).where(Topic.id == topic.id).values(created_at=started + timedelta(days=60)))
        db.session.commit()
    assert "## La participation au comité" not in source(writers[1])
