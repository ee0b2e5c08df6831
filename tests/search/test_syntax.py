"""The search box's language (search/syntax.py), case by case: what each way of typing gives.

Pure: ``parse`` reads no database, so each row is checked directly (and a mutant of the syntax
costs milliseconds: ``make mutants AREA=search``)."""
from datetime import date

import pytest

from search.syntax import MAX_TERM_CHARS, MAX_TERMS, Query, parse


def fields_of(query):
    """What a query holds, messages left out, as one comparable dict."""
    return {name: value for name, value in vars(query).items() if name != "messages"}


def expect(**changes):
    return fields_of(Query(**changes))


@pytest.mark.parametrize("typed,expected", [
    ("", expect()),
    ("  \t ", expect()),
    ("accompagnement logement", expect(words=["accompagnement", "logement"])),
    ('"non-recours aux droits"', expect(phrases=["non-recours aux droits"])),
    ('"  non-recours   aux\tdroits  "', expect(phrases=["non-recours aux droits"])),
    ('"non-recours aux droits', expect(phrases=["non-recours aux droits"])),       # unclosed
    ("« non-recours »", expect(phrases=["non-recours"])),
    ("“non-recours”", expect(phrases=["non-recours"])),
    ('""', expect()),
    ('"   "', expect()),
    ("-logement", expect(excluded=["logement"])),
    ('-"aux droits"', expect(excluded=["aux droits"])),
    ("-", expect()),
    ("--", expect(excluded=["-"])),
    ("-foo:bar", expect(excluded=["foo:bar"])),       # an exclusion, never a filter
    ("a-b", expect(words=["a-b"])),
    ("@camille", expect(author="camille")),
    ("@", expect(words=["@"])),
    ("@a", expect(author="a")),
    ("#a", expect(space="a")),
    ("X", expect(words=["X"])),
    ("#Comite-13", expect(space="comite-13")),
    ("#", expect(words=["#"])),
    ("tag:Jeunesse", expect(tags=["jeunesse"])),
    ("etiquette:jeunesse tag:logement", expect(tags=["jeunesse", "logement"])),
    ("college:Usagers", expect(college="usagers")),
    ("collège:usagers", expect(college="usagers")),
    ("in:title", expect(in_title=True)),
    ("dans:Titre", expect(in_title=True)),
    ("status:open", expect(status="open")),
    ("statut:Fermé", expect(status="closed")),
    ("statut:ferme", expect(status="closed")),
    ("status:ouvert", expect(status="open")),
    ("status:CLOSED", expect(status="closed")),
    ("order:latest", expect(order="latest")),
    ("tri:pertinence", expect(order="relevance")),
    ("tri:récent", expect(order="latest")),
    ("tri:recent", expect(order="latest")),
    ("tri:Date", expect(order="latest")),
    ("order:relevance", expect()),
    ("auteur:@Camille", expect(author="Camille")),
    ("auteur:Xavier", expect(author="Xavier")),         # only the "@" is taken off
    ("espace:Xenon", expect(space="xenon")),
    ("author:camille", expect(author="camille")),
    ("espace:#Comite-13", expect(space="comite-13")),
    ("space:theme", expect(space="theme")),
    ("TAG:jeunesse", expect(tags=["jeunesse"])),
    ("after:2025-01-15", expect(after=date(2025, 1, 15))),
    ("apres:15/01/2025", expect(after=date(2025, 1, 15))),
    ("après:2025-03", expect(after=date(2025, 3, 1))),
    ("before:2026", expect(before=date(2026, 1, 1))),
    ("after:1900", expect(after=date(1900, 1, 1))),          # the earliest year understood
    ("avant:2026-02-01", expect(before=date(2026, 2, 1))),
    ("https://example.org/a", expect(words=["https://example.org/a"])),
    ("http://example.org", expect(words=["http://example.org"])),
    ("mot\x00tag:x", expect(words=["mot"], tags=["x"])),
    ("type:decision", expect(type="decision")),
    ("type:Décision", expect(type="decision")),
    ("type:decisions", expect(type="decision")),
    ("type:DÉCISIONS charte", expect(words=["charte"], type="decision")),
    ('type:"decision" accueil', expect(words=["accueil"], type="decision")),
    ("type:synthese", expect(type="synthese")),
    ("type:Synthèses droits", expect(words=["droits"], type="synthese")),
    ("type:ressource", expect(type="ressource")),
    ("type:fiches", expect(type="ressource")),
])
def test_what_each_way_of_typing_gives(typed, expected):
    query = parse(typed)
    assert fields_of(query) == expected
    assert query.messages == []


def empty_filter(name, example):
    return f"Le filtre « {name}: » attend une valeur (par exemple {example})."


def bad_date(typed):
    return (f"Date non comprise dans « {typed} » : écrivez-la AAAA-MM-JJ (par exemple "
            f"{typed.split(':')[0]}:2026-01-15).")


UNKNOWN = ("Filtre inconnu « {name}: » : les filtres sont @pseudonyme, #espace, tag:, college:, before:, after:, "
           "in:title, status:, type:decision et order:. Le mot a été cherché tel quel.")
DATES_CROSSED = "La date « après » doit précéder la date « avant » : aucun message ne peut correspondre."


@pytest.mark.parametrize("typed,message,expected", [
    ("tag:", empty_filter("tag", "tag:jeunesse"), expect()),
    ("auteur:", empty_filter("auteur", "auteur:…"), expect()),
    ("college:", empty_filter("college", "college:usagers"), expect()),
    ("before:", empty_filter("before", "before:2026-01-01"), expect()),
    ("after:", empty_filter("after", "after:2025-06-01"), expect()),
    ("in:", empty_filter("in", "in:title"), expect()),
    ("status:", empty_filter("status", "status:open"), expect()),
    ("order:", empty_filter("order", "order:latest"), expect()),
    ("type:", empty_filter("type", "type:decision"), expect()),
    ("type:sondage", "Type inconnu « sondage » : type:decision (les décisions et leurs issues), type:synthese "
                     "(les synthèses publiées) ou type:ressource (les fiches ressources).", expect()),
    ("in:texte", "« in:texte » : seul in:title (chercher dans les titres) existe.", expect()),
    ("status:archived", "Statut inconnu « archived » : status:open (ouvert) ou status:closed (fermé).",
     expect()),
    ("order:alpha", "Tri inconnu « alpha » : order:relevance (pertinence) ou order:latest (récent).",
     expect()),
    ("before:demain", bad_date("before:demain"), expect()),
    ("after:1899-12-31", bad_date("after:1899-12-31"), expect()),
    ("after:1899", bad_date("after:1899"), expect()),
    ("foo:bar", UNKNOWN.format(name="foo"), expect(words=["foo:bar"])),
    ("été:chaud", UNKNOWN.format(name="été"), expect(words=["été:chaud"])),
    ("after:2026-01-01 before:2026-01-01", DATES_CROSSED, expect(after=date(2026, 1, 1), before=date(2026, 1, 1))),
    ("after:2026-02-01 before:2026-01-01", DATES_CROSSED, expect(after=date(2026, 2, 1), before=date(2026, 1, 1))),
])
def test_a_mistake_is_a_message_and_the_rest_still_runs(typed, message, expected):
    query = parse(typed)
    assert fields_of(query) == expected
    assert query.messages == [message]


def test_one_day_apart_is_no_mistake():
    query = parse("after:2026-01-01 before:2026-01-02")
    assert (query.after, query.before, query.messages) == (date(2026, 1, 1), date(2026, 1, 2), [])


def test_a_filter_typed_wrong_keeps_the_one_typed_right():
    query = parse("after:2025-01-01 after:jamais before:2026-01-01 before:bientot")
    assert (query.after, query.before) == (date(2025, 1, 1), date(2026, 1, 1))
    assert len(query.messages) == 2


def test_everything_at_once():
    query = parse('accompagnement "non-recours aux droits" -logement @camille #Comite-13 tag:jeunesse '
                  'college:usagers after:2025-01-01 before:2026-01-01 in:title status:open order:latest')
    assert fields_of(query) == expect(
        words=["accompagnement"], phrases=["non-recours aux droits"], excluded=["logement"], author="camille",
        space="comite-13", tags=["jeunesse"], college="usagers", after=date(2025, 1, 1),
        before=date(2026, 1, 1), in_title=True, status="open", order="latest")
    assert query.messages == []


def test_long_words_and_phrases_are_cut():
    word, phrase = "a" * (MAX_TERM_CHARS + 5), " ".join(["b" * 10] * 15)
    query = parse(f'{word} "{phrase}" -{"c" * (MAX_TERM_CHARS + 5)}')
    assert query.words == ["a" * MAX_TERM_CHARS]
    assert query.phrases == [phrase[:MAX_TERM_CHARS]]
    assert query.excluded == ["c" * (MAX_TERM_CHARS - 1)]     # the "-" counts in the cut
    assert query.messages == []


@pytest.mark.parametrize("kind,term", [("words", "mot{n}"), ("phrases", '"mot {n}"'),
                                       ("excluded", "-mot{n}")])
def test_exactly_the_most_terms_is_no_mistake(kind, term):
    query = parse(" ".join(term.format(n=n) for n in range(MAX_TERMS)))
    assert len(getattr(query, kind)) == MAX_TERMS and query.messages == []


@pytest.mark.parametrize("kind,term", [("words", "mot{n}"), ("phrases", '"mot {n}"'),
                                       ("excluded", "-mot{n}")])
def test_one_term_too_many_is_cut_with_a_message(kind, term):
    query = parse(" ".join(term.format(n=n) for n in range(MAX_TERMS + 1)))
    assert len(getattr(query, kind)) == MAX_TERMS
    assert query.messages == [f"Requête trop longue : seuls les {MAX_TERMS} premiers mots ont été cherchés."]


def test_filters_do_not_count_as_terms():
    words = " ".join(f"mot{n}" for n in range(MAX_TERMS))
    query = parse(words + " tag:a tag:b @camille #theme status:open")
    assert len(query.words) == MAX_TERMS and query.messages == []


def test_form_fields_are_filters_too():
    query = parse("logement", {"tag": "Jeunesse", "college": "usagers", "after": "2025-01-01",
                               "before": "2026-01-01", "in": "1", "status": "ouvert", "order": "date",
                               "auteur": "@camille", "espace": "#Theme", "vide": "", "rien": None})
    assert fields_of(query) == expect(words=["logement"], tags=["jeunesse"], college="usagers",
                                      after=date(2025, 1, 1), before=date(2026, 1, 1), in_title=True,
                                      status="open", order="latest", author="camille", space="theme")
    assert query.messages == []


@pytest.mark.parametrize("value", ["1", "on", "true", "title"])
def test_the_title_box_in_every_form(value):
    query = parse("", {"in": value})
    assert query.in_title and query.messages == []


def test_a_wrong_form_field_is_a_message():
    query = parse("", {"in": "yes", "status": "peut-etre"})
    assert not query.in_title and query.status is None
    assert len(query.messages) == 2


@pytest.mark.parametrize("typed,text,filters,empty", [
    ("", False, False, True),
    ("mot", True, False, False),
    ('"une phrase"', True, False, False),
    ("-mot", False, False, False),
    ("@camille", False, True, False),
    ("#theme", False, True, False),
    ("tag:x", False, True, False),
    ("college:x", False, True, False),
    ("after:2025", False, True, False),
    ("before:2025", False, True, False),
    ("status:open", False, True, False),
    ("type:decision", False, True, False),
    ("in:title", False, False, True),
    ("order:latest", False, False, True),
])
def test_what_a_query_asks(typed, text, filters, empty):
    query = parse(typed)
    assert (query.has_text, query.has_filters, query.is_empty) == (text, filters, empty)


def test_without_filters_gives_back_what_was_typed_minus_the_filters():
    query = parse('logement "aux droits" -expulsion -"trêve hivernale" tag:jeunesse @camille')
    assert query.without_filters() == 'logement "aux droits" -expulsion -"trêve hivernale"'
    assert parse("tag:jeunesse").without_filters() == ""
