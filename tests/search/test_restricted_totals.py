"""Totals, pages and spelling suggestions count only what the viewer may read (both backends).

Regression: with Whoosh, a restricted space's posts were counted (``total=1, results=[]``, "1
message trouvé", « Vouliez-vous dire » a word seen only there) whenever a post of an excluded
space came before the match in the index: whoosh's ``AndNotMatcher`` checked its first match
against the excluded documents only when both stood on the same document.
"""
from types import SimpleNamespace

import pytest

from search import indexing

from ..helpers import Browser, text


@pytest.fixture
def hidden(world, forum, app):
    """A comité-restricted space (13) and a collège-restricted one (travailleurs sociaux), each
    holding unique words in a title and in a body; Karim writes only in the comité's space."""
    guarded = forum.space("Salle des travailleurs", visibility="restricted", colleges=[world.workers])
    karim = forum.member("Karim", committees=[world.c13])
    ordinary = forum.member("Ordinaire")
    tag = forum.tag("Logement")
    # Earlier posts of the restricted spaces: in the index, excluded documents come before the
    # matches (what the Whoosh miscount needed).
    forum.topic(world.alice, world.secret, "Ordre du jour", "Réunion mensuelle du groupe.")
    forum.topic(world.alice, guarded, "Ordre du jour", "Réunion mensuelle de la salle.")
    forum.topic(karim, world.secret, "Dossier Zanzibar", "Situation suivie par le groupe.", tags=[tag])
    forum.topic(karim, world.secret, "Autre dossier", "La famille Quetzalcoatl est accompagnée.", tags=[tag])
    forum.topic(world.alice, guarded, "Dossier Kilimandjaro", "Les éducateurs parlent de Popocatepetl.",
                tags=[tag])
    forum.topic(world.bob, world.theme, "Dossier public", "Une situation publique.", tags=[tag])
    with app.app_context():
        indexing.reindex()      # one segment, oldest posts first, as after `flask search reindex`
    return SimpleNamespace(guarded=guarded, karim=karim, ordinary=ordinary, tag=tag)


def _outsiders(world, hidden):
    return {"anonyme": None, "membre": hidden.ordinary, "autre comité": world.bob}


def _queries(world, hidden):
    tag, workers = hidden.tag.slug, world.workers.slug
    for word in ("zanzibar", "quetzalcoatl", "kilimandjaro", "popocatepetl"):
        yield from (word, f"{word} -public", f"{word} -inexistant", f"{word} tag:{tag}",
                    f"{word} after:2000-01-01", f"{word} status:open", f"{word} order:latest",
                    f"{word} college:{workers}", f"{word} in:title", f"#{world.theme.slug} {word}")
    yield from ('"dossier zanzibar"', '"famille quetzalcoatl"', '"dossier kilimandjaro"',
                "dossier -public", "ordre jour", "réunion mensuelle", f"tag:{tag} -public",
                f"college:{workers} -public", "@Karim", "dossier @Karim", "zanzibar @Karim",
                "@Karim after:2000-01-01", f"@Karim tag:{tag}", f"@Karim #{world.theme.slug}")


def test_outsiders_count_nothing_of_a_restricted_space(world, forum, finder, hidden):
    for who, viewer in _outsiders(world, hidden).items():
        for query in _queries(world, hidden):
            found = finder.results(viewer, query)
            assert (found.total, found.items, found.partial) == (0, [], False), (who, query)


def test_members_of_the_space_find_and_count_them(world, forum, finder, hidden):
    assert finder.results(world.alice, "zanzibar").total == 1
    assert finder.results(world.alice, "popocatepetl").total == 1
    assert finder.results(world.alice, "dossier -public").total == 3
    assert finder.results(hidden.karim, "@Karim").total == 2
    assert finder.results(hidden.karim, "kilimandjaro").total == 0      # not in his collège
    assert finder.results(world.bob, "dossier").total == 1


def test_no_suggestion_of_a_word_seen_only_where_the_viewer_may_not_read(world, forum, finder, hidden):
    forum.topic(world.bob, world.theme, "Zanzibat et Kilimanjara", "Deux mots proches, publics.")
    for who, viewer in _outsiders(world, hidden).items():
        for typo in ("zanzibr", "zanzibarr", "kilimandjar", "zanzibr -public"):
            found = finder.results(viewer, typo)
            assert found.total == 0, (who, typo)
            assert not {"zanzibar", "kilimandjaro"} & set((found.suggestion or "").split()), (who, typo)
        # The closest word they may read is offered, never hidden behind a restricted one.
        assert finder.results(viewer, "zanzibarr").suggestion == "zanzibat", who
        assert finder.results(viewer, "kilimandjar").suggestion == "kilimanjara", who
    assert finder.results(world.alice, "zanzibarr").suggestion == "zanzibar"
    assert finder.results(world.alice, "kilimandjar").suggestion == "kilimandjaro"


def test_pages_and_json_show_no_count_to_outsiders(world, forum, app, hidden):
    ordinary = Browser(app.test_client())
    ordinary.login(hidden.ordinary)
    for who, client in (("anonyme", app.test_client()), ("membre", ordinary)):
        for query in ("zanzibar", "@Karim", "popocatepetl -public", "zanzibr"):
            data = client.get("/search.json", query_string={"q": query}).get_json()
            assert (data["total"], data["results"], data["suggestion"]) == (0, [], None), (who, query)
            page = text(client.get("/recherche", query_string={"q": query}))
            assert "Aucun message trouvé." in page and "1 message" not in page, (who, query)
            assert "Zanzibar" not in page and "Vouliez-vous dire" not in page, (who, query)
    alice = Browser(app.test_client())
    alice.login(world.alice)
    assert "1 message trouvé" in text(alice.get("/recherche", query_string={"q": "zanzibar"}))
    assert alice.get("/search.json", query_string={"q": "@Karim"}).get_json()["total"] == 2
