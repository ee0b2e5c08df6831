"""Published syntheses (``type:synthese``) and resources (``type:ressource``) in search, on both
backends: found by their words, a restricted space's absent from the results and the totals of
an outsider, a synthesis indexed when published (its latest version), a resource reindexed when
edited and gone when deleted."""
import html

from sqlalchemy import select

from forum import events
from forum.capitalisation import resources
from forum.capitalisation.models import Resource
from forum.extensions import db
from forum.syntheses import lifecycle, writing
from forum.syntheses.models import Synthesis, SynthesisVersion
from forum.topics import posting
from forum.topics.models import Member, Post, Space, Topic

from ..capitalisation.conftest import add_resource, publish_synthesis  # noqa: F401 (fixtures)


def _titles(found):
    return sorted(html.unescape(str(item.title_html).replace("<mark>", "").replace("</mark>", ""))
                  for item in found.documents)


def test_type_ressource_finds_resources_the_viewer_reads_only(world, finder, add_resource):
    add_resource(world.alice, world.theme, title="Guide de l'accès aux droits", description="Prestations Zanzibar.")
    add_resource(world.alice, world.secret, title="Note du groupe restreint", description="Réunion Zanzibar.")
    found = finder.results(world.alice, "zanzibar type:ressource")
    assert _titles(found) == ["Guide de l'accès aux droits", "Note du groupe restreint"] and found.total == 2
    found = finder.results(world.bob, "zanzibar type:ressource")
    assert _titles(found) == ["Guide de l'accès aux droits"] and found.total == 1
    found = finder.results(None, "type:ressource")
    assert _titles(found) == ["Guide de l'accès aux droits"] and found.total == 1
    assert "<mark>Zanzibar</mark>" in str(finder.results(world.bob, "zanzibar type:ressource").documents[0].excerpt_html)
    assert finder.results(world.bob, "zanzibar").documents == []      # without the type: the posts only
    assert finder.results(world.bob, "quetzalcoatl type:ressource").total == 0


def test_type_synthese_finds_published_syntheses_the_viewer_reads_only(world, finder, publish_synthesis):
    publish_synthesis(world.alice, world.theme, title="Synthèse publique", text="Le non-recours aux droits recule.",
                      transmitted=True)
    publish_synthesis(world.alice, world.secret, title="Synthèse restreinte", text="Droits et non-recours au comité.")
    found = finder.results(world.alice, "non-recours type:synthese")
    assert _titles(found) == ["Synthèse publique", "Synthèse restreinte"] and found.total == 2
    found = finder.results(world.bob, "droits type:synthèse")
    assert _titles(found) == ["Synthèse publique"] and found.total == 1
    assert found.documents[0].transmitted and found.documents[0].url.startswith("/synthese/")
    assert finder.results(world.bob, "droits type:ressource").total == 0


def test_the_latest_published_version_is_what_is_searched(app, world, finder, publish_synthesis):
    synthesis = publish_synthesis(world.alice, world.theme, title="Première version", text="Ancien texte Zanzibar.")
    with app.app_context():
        version = SynthesisVersion(synthesis_id=synthesis.id, number=2, revision=2, title="Deuxième version",
                                   source="Texte corrigé Quetzalcoatl.", html="<p>Texte corrigé Quetzalcoatl.</p>",
                                   approved_at=synthesis.published_at, published_at=synthesis.published_at)
        db.session.add(version)
        db.session.get(Synthesis, synthesis.id).published_version = 2
        db.session.flush()
        events.publish(events.SynthesisPublished(synthesis_id=synthesis.id, version_id=version.id,
                                                 space_id=synthesis.space_id))
        db.session.commit()
    assert finder.results(world.bob, "zanzibar type:synthese").total == 0
    assert _titles(finder.results(world.bob, "quetzalcoatl type:synthese")) == ["Deuxième version"]


def test_an_edited_resource_is_found_by_its_new_words_and_a_deleted_one_no_more(app, world, finder, add_resource):
    resource = add_resource(world.alice, world.theme, title="Fiche Zanzibar")
    with app.app_context():
        alice, row = db.session.get(Member, world.alice.id), db.session.get(Resource, resource.id)
        resources.edit_resource(alice, row, resources.ResourceInput(kind="document", title="Fiche Kilimandjaro",
                                                                    description="Nouveau texte."))
    assert finder.results(world.bob, "zanzibar type:ressource").total == 0
    assert finder.results(world.bob, "kilimandjaro type:ressource").total == 1
    with app.app_context():
        resources.delete_resource(db.session.get(Member, world.alice.id), db.session.get(Resource, resource.id))
    assert finder.results(world.bob, "kilimandjaro type:ressource").total == 0


def test_reindex_rebuilds_the_documents(app, world, finder, add_resource, publish_synthesis):
    from search import capital
    from search.models import CapitalDocument
    add_resource(world.alice, world.theme, title="Fiche Zanzibar")
    publish_synthesis(world.alice, world.theme, title="Synthèse Zanzibar")
    with app.app_context():
        db.session.execute(CapitalDocument.__table__.delete())
        db.session.commit()
    assert finder.results(world.bob, "zanzibar type:ressource").total == 0
    with app.app_context():
        assert capital.rebuild() == 2
        assert len(db.session.scalars(select(CapitalDocument)).all()) == 2
    assert finder.results(world.bob, "zanzibar type:ressource").total == 1
    assert finder.results(world.bob, "zanzibar type:synthese").total == 1


def test_the_pages_show_them(world, forum, login, add_resource):
    add_resource(world.alice, world.theme, title="Guide Zanzibar")
    page = login(world.bob).get("/recherche?q=zanzibar+type:ressource").get_data(as_text=True)
    assert "Fiche ressource" in page and "1 document trouvé" in page and "/fiche/" in page
    data = login(world.bob).get("/search.json?q=zanzibar+type:ressource").get_json()
    assert data["total"] == 1 and data["documents"][0]["kind"] == "ressource" and data["results"] == []


def test_a_quoted_post_hidden_after_publication_leaves_the_synthesis_search_and_excerpts(app, world, forum, finder,
                                                                                          login):
    """Its words no longer find the synthesis, nor show in its excerpt (search, capitalisation)."""
    topic = forum.topic(world.alice, world.theme, "Le débat", body="Ouverture du débat.")
    reply = forum.reply(world.bob, topic, "Les permanences Zanzibar marchent bien.")
    with app.app_context():
        alice, mod = db.session.get(Member, world.alice.id), db.session.get(Member, world.mod.id)
        synthesis = writing.start(alice, db.session.get(Space, world.theme.id), "Synthèse citante",
                                  f"> [Bob](/message/{reply.id}) a écrit :\n> Les permanences Zanzibar marchent bien.\n\n"
                                  "Nos propres mots Quetzalcoatl.", topic=db.session.get(Topic, topic.id))
        lifecycle.ask_review(alice, synthesis)
        lifecycle.approve(mod, synthesis)
        lifecycle.publish(mod, synthesis)
    assert finder.results(world.bob, "zanzibar type:synthese").total == 1       # the check can fail
    with app.app_context():
        posting.set_post_state(db.session.get(Post, reply.id), "hidden")
        db.session.commit()
    assert finder.results(world.bob, "zanzibar type:synthese").total == 0
    assert finder.results(world.bob, "quetzalcoatl type:synthese").total == 1
    page = login(world.bob).get("/capitalisation").get_data(as_text=True)
    assert "Quetzalcoatl" in page and "Zanzibar" not in page
