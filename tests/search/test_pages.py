"""The search page, its JSON twin and the header form, through HTTP."""
import json
import re

from ..helpers import Browser


def test_header_form_on_every_page(client):
    page = client.get("/").get_data(as_text=True)
    form = re.search(r'<form role="search" action="/recherche" method="get"[^>]*>(.*?)</form>', page, re.S)
    assert form and re.search(r'<label for="recherche-q">', form.group(1))
    assert 'name="q"' in form.group(1)


def test_results_page_lists_results_with_topic_space_author_excerpt(world, forum, client):
    topic = forum.topic(world.alice, world.theme, "Accès aux droits et <script>", "Le non-recours aux droits "
                        "sociaux reste massif. <script>alert(1)</script>")
    response = client.get("/recherche", query_string={"q": "droits"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    results = re.search(r'<ol class="search-results"[^>]*>(.*?)</ol>', page, re.S).group(1)
    assert f'href="/message/{forum.opening(topic).id}"' in results
    assert "<mark>droits</mark>" in results and world.theme.name in results
    assert "Alice" in results and "<time" in results
    assert "<script>" not in results and "&lt;script&gt;" in results


def test_json_results_and_restricted_spaces(world, forum, app):
    forum.topic(world.alice, world.secret, "Question réservée", "Une question confidentielle.")
    forum.topic(world.alice, world.theme, "Question publique", "Une question ouverte à tous.")
    anonymous = app.test_client().get("/search.json", query_string={"q": "question"}).get_json()
    assert [r["topic"]["title"] for r in anonymous["results"]] == ["Question publique"]
    assert anonymous["total"] == 1
    alice = Browser(app.test_client())
    alice.login(world.alice)
    data = json.loads(alice.get("/search.json?q=question").get_data(as_text=True))
    assert {r["topic"]["title"] for r in data["results"]} == {"Question publique", "Question réservée"}
    page = alice.get("/recherche?q=question&espace=" + world.secret.slug).get_data(as_text=True)
    assert "</mark> réservée</a>" in page and "publique" not in page


def test_form_fields_filters_and_pagination_links(world, forum, client):
    topic = forum.topic(world.alice, world.theme, "Permanences du lundi", "Permanence sociale.")
    for n in range(25):
        forum.reply(world.bob, topic, f"Permanence numéro {n}.")
    page = client.get("/recherche", query_string={"q": "permanence", "auteur": "Bob"}).get_data(as_text=True)
    assert "25 messages trouvés" in page
    assert re.search(r'href="/recherche\?[^"]*page=2', page)
    second = client.get("/recherche", query_string={"q": "permanence", "auteur": "Bob", "page": 2})
    assert second.get_data(as_text=True).count('class="search-result"') == 5


def test_bad_input_gives_a_message_not_an_error(world, client):
    for query in ("foo:bar", "before:hier", "@inconnu", '"', "-", "*", "?", "((", "in:body", "page:2",
                  "a" * 5000, "\x00", "%00", "order:"):
        response = client.get("/recherche", query_string={"q": query, "page": "x"})
        assert response.status_code == 200, query
        assert client.get("/search.json", query_string={"q": query}).status_code == 200
    page = client.get("/recherche", query_string={"q": "foo:bar"}).get_data(as_text=True)
    assert "Filtre inconnu" in page


def test_nothing_found_gives_tips_and_a_way_out_of_the_filters(world, forum, client):
    tag = forum.tag("Jeunesse")      # a tag the topic does not have
    forum.topic(world.alice, world.theme, "Permanences du lundi", "Permanence sociale à la mairie.")
    page = client.get("/recherche", query_string={"q": f'permanence "à la mairie" -vendredi tag:{tag.slug}'})
    html = page.get_data(as_text=True)
    assert "Aucun message trouvé." in html and "vérifiez l’orthographe" in html
    link = re.search(r'<a href="(/recherche\?q=[^"]+)">cherchez sans les filtres</a>', html).group(1)
    wider = client.get(link.replace("&amp;", "&")).get_data(as_text=True)
    assert "1 message trouvé" in wider and "cherchez sans les filtres" not in wider
    assert "vérifiez l’orthographe" not in wider


def test_the_suggestion_is_a_link_that_keeps_the_form_fields(world, forum, client, app):
    forum.topic(world.alice, world.theme, "Permanences du lundi", "Permanence sociale à la mairie.")
    html = client.get("/recherche", query_string={"q": "permanances", "espace": world.theme.slug}).get_data(as_text=True)
    link = re.search(r'Vouliez-vous dire : <a href="([^"]+)">permanences</a>', html).group(1)
    assert f"espace={world.theme.slug}" in link
    assert "1 message trouvé" in client.get(link.replace("&amp;", "&")).get_data(as_text=True)
    answer = client.get("/search.json", query_string={"q": "permanances"}).get_json()
    assert answer["total"] == 0 and answer["suggestion"] == "permanences"


def test_filters_are_lists_of_what_the_viewer_may_read_and_the_hint_is_words(world, forum, app):
    shared, private = forum.tag("Jeunesse"), forum.tag("Dossier signalé")
    forum.topic(world.alice, world.theme, "Jeunes majeurs", "Sortie de l'aide sociale.", tags=[shared])
    forum.topic(world.alice, world.secret, "Une famille suivie", "Situation en cours.", tags=[private])
    bob, alice = Browser(app.test_client()), Browser(app.test_client())
    bob.login(world.bob)
    alice.login(world.alice)

    def options(page, name):
        select = re.search(rf'<select id="f-{name}" name="{name}"[^>]*>(.*?)</select>', page, re.S)
        assert select, f"the {name} filter is a list"
        return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(1))

    page = bob.get("/recherche?q=jeunes").get_data(as_text=True)
    assert options(page, "tag") == [("", "Toutes les étiquettes"), ("jeunesse", "Jeunesse")]   # not the comité's tag
    assert "Dossier signalé" not in page
    assert options(page, "college")[1:] == [(world.users.slug, "Personnes accompagnées"),
                                            (world.workers.slug, "Travailleurs sociaux")]
    assert ("dossier-signale", "Dossier signalé") in options(alice.get("/recherche").get_data(as_text=True), "tag")

    # The hint is words; the syntax waits in the advanced help.
    hint = re.search(r'<p id="recherche-aide" class="hint">(.*?)</p>', page, re.S).group(1)
    assert "@" not in hint and "tag:" not in hint and "after:" not in hint
    syntax = re.search(r'<details class="search-syntax">(.*?)</details>', page, re.S).group(1)
    assert "@pseudonyme" in syntax and "tag:" in syntax and "college:" in syntax

    # A collège's name in the address (an old link, a typed URL) is chosen in the list, not refused.
    page = bob.get("/recherche?q=jeunes&college=Personnes+accompagn%C3%A9es").get_data(as_text=True)
    assert "Aucun collège" not in page
    assert f'<option value="{world.users.slug}" selected>' in page
