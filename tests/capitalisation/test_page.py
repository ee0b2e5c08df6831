"""/capitalisation: published syntheses and resources the viewer may read, by facets, with
counts computed only over what the viewer reads."""
import re

from ..helpers import text


def _counts(page):
    """{label: count} of every facet value on the page."""
    return {label.strip(): int(count) for label, count in
            re.findall(r'<a href="/capitalisation[^"]*"[^>]*>([^<]+) <span class="count">\((\d+)\)</span>', page)}


def _world(forum, add_resource, publish_synthesis):
    comite = forum.committee("13", name="Comité des Bouches-du-Rhône")
    secret_comite = forum.committee("84", name="Comité de Vaucluse")
    public = forum.space("Non-recours")
    restricted = forum.space("Bureau secret", visibility="restricted", committees=[secret_comite])
    open_tag, secret_tag = forum.tag("Accès aux droits"), forum.tag("Sujet confidentiel")
    college, secret_college = forum.college("Organismes de protection sociale"), forum.college("Collège caché")
    author = forum.member(committees=[comite])
    insider = forum.member(committees=[secret_comite])
    add_resource(author, public, title="Guide CAF 13", tags=[open_tag.slug], territory=comite.slug,
                 college=college.slug, year="2025")
    add_resource(insider, restricted, title="Note interne du bureau", tags=[secret_tag.slug, open_tag.slug],
                 territory=secret_comite.slug, college=secret_college.slug, year="2019")
    publish_synthesis(author, comite, title="Synthèse du comité 13", transmitted=True)
    publish_synthesis(insider, restricted, title="Synthèse confidentielle")
    return insider


def test_a_visitor_sees_only_what_public_spaces_hold_and_counts_nothing_else(forum, browser, add_resource,
                                                                           publish_synthesis):
    _world(forum, add_resource, publish_synthesis)
    response = browser.get("/capitalisation")
    assert response.status_code == 200
    page = text(response)
    assert "Guide CAF 13" in page and "Synthèse du comité 13" in page and "transmise au HCTS" in page
    for hidden in ("Note interne du bureau", "Synthèse confidentielle", "Sujet confidentiel", "Collège caché",
                   "2019", "Comité de Vaucluse", "Bureau secret"):
        assert hidden not in page, hidden
    counts = _counts(page)
    assert counts["Accès aux droits"] == 1
    assert counts["Synthèses"] == 1 and counts["Fiches ressources"] == 1
    assert counts["Comité des Bouches-du-Rhône"] == 2          # the synthesis's comité and the resource's territory
    assert "2 documents" in page


def test_a_reader_of_the_restricted_space_sees_and_counts_it(forum, login, add_resource, publish_synthesis):
    insider = _world(forum, add_resource, publish_synthesis)
    page = text(login(insider).get("/capitalisation"))
    assert "Note interne du bureau" in page and "Synthèse confidentielle" in page
    counts = _counts(page)
    assert counts["Accès aux droits"] == 2 and counts["Sujet confidentiel"] == 1
    assert counts["Synthèses"] == 2 and counts["Fiches ressources"] == 2
    assert counts["2019"] == 1


def test_facets_filter_and_count_among_the_others(forum, login, browser, add_resource, publish_synthesis):
    insider = _world(forum, add_resource, publish_synthesis)
    page = text(browser.get("/capitalisation?type=ressource"))
    assert "Guide CAF 13" in page and "Synthèse du comité 13" not in page
    assert _counts(page)["Synthèses"] == 1         # the type's own counts ignore the type chosen
    page = text(browser.get("/capitalisation?theme=sujet-confidentiel"))   # a value the visitor cannot see
    assert "Sujet confidentiel" not in page and "Guide CAF 13" in page     # ignored, as if not asked
    page = text(login(insider).get("/capitalisation?annee=2019"))
    assert "Note interne du bureau" in page and "Guide CAF 13" not in page
    assert 'aria-current="true"' in page and "Retirer tous les filtres" in page


def test_drafts_and_syntheses_never_published_are_not_listed(app, forum, browser, add_resource):
    from forum.extensions import db
    from forum.syntheses.models import Synthesis
    space, author = forum.space(), forum.member()
    with app.app_context():
        db.session.add(Synthesis(space_id=space.id, author_id=author.id, title="Brouillon pas publié", status="review"))
        db.session.commit()
    assert "Brouillon pas publié" not in text(browser.get("/capitalisation"))


def test_thirty_per_page(forum, browser, publish_synthesis):
    space, author = forum.space(), forum.member()
    for number in range(31):
        publish_synthesis(author, space, title=f"Synthèse numéro {number:02d}", days_ago=number)
    page = text(browser.get("/capitalisation"))
    assert "Synthèse numéro 00" in page and "Synthèse numéro 29" in page and "Synthèse numéro 30" not in page
    assert "Page 1 sur 2" in page
    page = text(browser.get("/capitalisation?page=2"))
    assert "Synthèse numéro 30" in page and "Synthèse numéro 00" not in page


def test_the_main_navigation_links_to_it_for_everyone(forum, browser, login):
    assert 'href="/capitalisation"' in browser.get("/").get_data(as_text=True)
    assert 'href="/capitalisation"' in login(forum.member()).get("/").get_data(as_text=True)


def test_a_visitor_s_cached_page_follows_new_resources_and_syntheses(forum, browser, add_resource,
                                                                     publish_synthesis):
    space, author = forum.space(), forum.member()
    assert "Aucune synthèse publiée" in text(browser.get("/capitalisation"))
    add_resource(author, space, title="Nouvelle fiche après la mise en cache")
    assert "Nouvelle fiche après la mise en cache" in text(browser.get("/capitalisation"))
    publish_synthesis(author, space, title="Synthèse après la mise en cache")
    assert "Synthèse après la mise en cache" in text(browser.get("/capitalisation"))
