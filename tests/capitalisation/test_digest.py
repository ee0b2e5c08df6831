"""The weekly digest lists the syntheses published and the resources added during the week,
of the spaces the member reads only."""
from datetime import timedelta

from forum.clock import now
from forum.extensions import db
from forum.notifications.digest import compose
from forum.topics.models import Member


def _week(app, member):
    with app.app_context():
        digest = compose(db.session.get(Member, member.id), now() - timedelta(days=7), now() + timedelta(seconds=1))
        return [(part.title, [(entry.text, entry.url) for entry in part.entries]) for part in digest.parts]


def test_new_syntheses_and_resources_of_readable_spaces_are_in_the_digest(app, forum, add_resource,
                                                                          publish_synthesis):
    comite = forum.committee("13")
    board = forum.space("Bureau du 13", visibility="restricted", committees=[comite])
    public = forum.space("Non-recours")
    insider, outsider = forum.member(committees=[comite]), forum.member()
    add_resource(insider, public, title="Guide CAF 13")
    add_resource(insider, board, title="Note du bureau")
    synthesis = publish_synthesis(insider, public, title="Synthèse de la plénière")
    publish_synthesis(insider, board, title="Synthèse du bureau")
    publish_synthesis(insider, public, title="Synthèse ancienne", days_ago=30)

    parts = dict(_week(app, outsider))
    entries = parts["Capitalisation : synthèses et ressources"]
    texts = [text for text, _url in entries]
    assert texts == ["Synthèse publiée : Synthèse de la plénière", "Nouvelle fiche ressource : Guide CAF 13"]
    assert entries[0][1].endswith(f"/synthese/{synthesis.id}") and entries[0][1].startswith("http")
    assert "/fiche/" in entries[1][1]

    texts = [text for text, _url in dict(_week(app, insider))["Capitalisation : synthèses et ressources"]]
    assert "Synthèse publiée : Synthèse du bureau" in texts and "Nouvelle fiche ressource : Note du bureau" in texts
    assert "Synthèse publiée : Synthèse ancienne" not in texts


def test_no_part_when_nothing_new(app, forum):
    assert _week(app, forum.member()) == []
