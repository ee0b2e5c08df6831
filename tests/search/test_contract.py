"""The contract every backend keeps: French analysis, syntax, filters, permissions, index freshness.

Runs with Whoosh on SQLite and PostgreSQL, and with PostgreSQL FTS on PostgreSQL.
"""
from datetime import datetime

import pytest
from sqlalchemy import text, update

from forum.extensions import db
from forum.topics import posting
from forum.topics.models import Post, Topic
from moderation import post_decisions, topic_decisions
from search import indexing


def test_french_analysis_stems_folds_accents_and_elisions(world, forum, finder):
    topic = forum.topic(world.alice, world.theme, "La désinstitutionnalisation en débat",
                        "Les enfants placés, l'hébergement d'urgence et l'accompagnement des éducateurs.")
    opening = forum.opening(topic).id
    other = forum.topic(world.alice, world.theme, "Un autre sujet sans rapport",
                        "Une réunion du comité est prévue mardi.")
    for query in ("desinstitutionnaliser", "désinstitutionnalisation", "enfant", "hebergement",
                  "accompagner", "éducateur", "l'enfant", "Hébergement D'URGENCE"):
        assert finder.ids(None, query) == [opening], query
    assert finder.ids(None, "reunion") == [forum.opening(other).id]


def test_all_words_are_required_then_some_follow(world, forum, finder):
    both = forum.opening(forum.topic(world.alice, world.theme, "Logement des jeunes",
                                     "Le logement des jeunes majeurs sortant de l'aide sociale.")).id
    one = forum.opening(forum.topic(world.alice, world.theme, "Logement social",
                                    "Les bailleurs sociaux et les familles.")).id
    found = finder.results(None, "logement jeunes")
    assert [item.post.id for item in found.items][0] == both
    # "logement" alone: both; two words held together by one post come first, others follow.
    assert set(finder.ids(None, "logement")) == {both, one}
    found = finder.results(None, "logement bailleurs majeurs")
    ids = [item.post.id for item in found.items]
    assert set(ids) == {both, one} and found.partial
    assert found.messages == ["Peu de messages contiennent tous ces mots : suivent ceux qui en contiennent une "
                              "partie, les plus proches d'abord."]


def test_exclusions_hold_when_some_of_the_words_follow(world, forum, finder):
    both = forum.opening(forum.topic(world.alice, world.theme, "Logement", "Le logement des jeunes.")).id
    one = forum.opening(forum.topic(world.alice, world.theme, "Sport", "Les jeunes et le sport.")).id
    forum.topic(world.alice, world.theme, "Logement social", "Le logement social et les bailleurs.")
    found = finder.results(None, "logement jeunes -bailleurs")
    assert found.partial and [item.post.id for item in found.items][0] == both
    assert {item.post.id for item in found.items} == {both, one}


def test_question_words_are_dropped_when_something_else_is_asked(world, forum, finder):
    rsa = forum.opening(forum.topic(world.alice, world.theme, "Le RSA", "Obtenir le RSA : le dossier à remplir.")).id
    how = forum.opening(forum.topic(world.alice, world.theme, "Une question", "Je ne sais pas comment faire.")).id
    found = finder.results(None, "Comment obtenir le RSA ?")
    assert [item.post.id for item in found.items] == [rsa] and not found.partial
    assert "comment" not in str(found.items[0].excerpt_html).lower()
    assert finder.ids(None, "comment") == [how]            # asked alone, a question word is searched
    assert finder.ids(None, 'pourquoi "le dossier"') == [rsa]


def test_phrase_and_exclusion(world, forum, finder):
    exact = forum.opening(forum.topic(world.alice, world.theme, "Droits des usagers",
                                      "La protection de l'enfance reste une priorité du département.")).id
    apart = forum.opening(forum.topic(world.alice, world.theme, "Données personnelles",
                                      "La protection des données, et l'enfance aussi.")).id
    assert finder.ids(None, '"protection de l\'enfance"') == [exact]
    assert set(finder.ids(None, "protection enfance")) == {exact, apart}
    assert finder.ids(None, "protection -données") == [exact]
    assert finder.ids(None, 'protection -"protection de l\'enfance"') == [apart]


def test_filters_author_space_tag_status_dates_title(world, forum, finder, app, act):
    tag = forum.tag("Jeunesse")
    in_theme = forum.topic(world.alice, world.theme, "Budget participatif", "Le budget des associations.",
                           tags=[tag])
    by_bob = forum.topic(world.bob, world.c83, "Budget du comité", "Notre budget annuel est voté.")
    reply = forum.reply(world.bob, in_theme, "Le budget baisse encore cette année.")
    a, b = forum.opening(in_theme).id, forum.opening(by_bob).id
    with app.app_context():
        # An old post (no domain path changes a date): the index is rebuilt from the database.
        db.session.execute(update(Post).where(Post.id == b).values(created_at=datetime(2025, 3, 1)))
        db.session.commit()
        indexing.reindex()
    everyone = set(finder.ids(world.alice, "budget"))
    assert everyone == {a, b, reply.id}
    assert set(finder.ids(world.alice, "budget @Bob")) == {b, reply.id}
    assert set(finder.ids(world.alice, "budget", {"auteur": "bob"})) == {b, reply.id}
    assert set(finder.ids(world.alice, "budget #" + world.c83.slug)) == {b}
    assert set(finder.ids(world.alice, "budget", {"espace": world.theme.slug})) == {a, reply.id}
    assert set(finder.ids(world.alice, "budget tag:" + tag.slug)) == {a, reply.id}
    assert set(finder.ids(world.alice, "budget before:2026-01-01")) == {b}
    assert set(finder.ids(world.alice, "budget after:2025-06-01")) == {a, reply.id}
    assert set(finder.ids(world.alice, "budget", {"after": "2025-01-01", "before": "2025-04-01"})) == {b}
    assert set(finder.ids(world.alice, "budget in:title")) == {a, b}
    assert finder.ids(world.alice, "annuel in:title") == []
    assert finder.ids(world.alice, "budget order:latest")[-1] == b
    # Filters alone list the matching posts, latest first.
    assert finder.ids(world.alice, "@bob") == [reply.id, b]
    # The topic's status changes with TopicChanged (here: a moderator locks it).
    act(topic_decisions.lock_topic, world.mod, forum.get(Topic, in_theme.id), [world.articles[0]], "Clos.")
    assert set(finder.ids(world.alice, "budget status:closed")) == {a, reply.id}
    assert set(finder.ids(world.alice, "budget status:open")) == {b}


def test_college_filter_only_where_the_author_shows_it(world, forum, finder):
    alice = forum.opening(forum.topic(world.alice, world.theme, "Formation continue", "Formation des équipes.")).id
    forum.topic(world.bob, world.theme, "Formation des pairs", "Formation entre pairs aidants.")
    workers, users = world.workers.slug, world.users.slug
    assert finder.ids(None, f"formation college:{workers}") == [alice]
    # Bob's collège is hidden: the filter must not reveal that he belongs to it.
    assert finder.ids(None, f"formation college:{users}") == []


def test_tags_colleges_and_spaces_are_named_whatever_the_case_and_accents(world, forum, finder):
    rights = forum.tag("Accès aux droits")
    topic = forum.topic(world.alice, world.theme, "Permanence juridique", "Une permanence juridique ouvre.",
                        tags=[rights])
    opening = forum.opening(topic).id
    for typed in ('tag:"Accès aux droits"', "tag:ACCES-AUX-DROITS", "tag:acces_aux_droits",
                  'college:"travailleurs sociaux"', "college:Travailleurs-Sociaux", "#Éthique-et-Déontologie",
                  '#"éthique et déontologie"'):
        found = finder.results(None, f"permanence {typed}")
        assert [item.post.id for item in found.items] == [opening], typed
        assert found.messages == [], typed
    # A form field (the page's lists send slugs; an address may hold the name).
    assert finder.ids(None, "permanence", {"tag": "Accès aux droits", "college": "Travailleurs sociaux"}) == [opening]
    # A collège by its name, still only for authors who show theirs (Bob hides it).
    forum.topic(world.bob, world.theme, "Permanence des pairs", "Une permanence entre pairs.")
    found = finder.results(None, 'permanence college:"Personnes accompagnées"')
    assert found.searched and found.items == [] and found.messages == []


def test_a_tag_of_unreadable_topics_only_is_as_unknown_as_a_tag_that_does_not_exist(world, forum, finder):
    private = forum.tag("Dossier signalé")
    secret = forum.opening(forum.topic(world.alice, world.secret, "Un signalement", "Un signalement en cours.",
                                       tags=[private])).id
    assert finder.ids(world.alice, "signalement tag:dossier-signale") == [secret]
    unreadable = finder.results(world.bob, "signalement tag:dossier-signale")
    unknown = finder.results(world.bob, "signalement tag:dossier-inexistant")
    assert unreadable.items == [] and not unreadable.searched
    assert [m.replace("dossier-signale", "X") for m in unreadable.messages] == \
        [m.replace("dossier-inexistant", "X") for m in unknown.messages]


def test_restricted_spaces_are_never_searched_by_outsiders(world, forum, finder):
    secret = forum.opening(forum.topic(world.alice, world.secret, "Situation confidentielle",
                                       "Une situation confidentielle discutée en comité.")).id
    members = forum.opening(forum.topic(world.alice, world.members_only, "Situation des membres",
                                        "Une situation réservée aux membres.")).id
    public = forum.opening(forum.topic(world.alice, world.theme, "Situation publique", "Une situation publique.")).id
    assert set(finder.ids(world.alice, "situation")) == {secret, members, public}
    assert set(finder.ids(world.bob, "situation")) == {members, public}
    assert set(finder.ids(None, "situation")) == {public}
    assert finder.results(world.bob, "situation").total == 2
    assert finder.ids(world.bob, "situation #" + world.secret.slug) == []
    assert finder.results(world.bob, "situation #" + world.secret.slug).messages


def test_space_names_are_searched_on_their_topics_opening_posts(world, forum, finder, act):
    from forum.coordination import structure
    from forum.topics.models import Space
    rights = forum.space("Non-recours aux droits")
    secret = forum.space("Non-recours du comité 13", visibility="restricted", committees=[world.c13])
    debate = forum.topic(world.alice, rights, "Les dossiers trop longs", "Beaucoup abandonnent en route.")
    reply = forum.reply(world.bob, debate, "C'est aussi la peur du contrôle.")
    hidden = forum.topic(world.alice, secret, "Situations suivies", "Deux familles sans ressources.")
    opening, restricted = forum.opening(debate).id, forum.opening(hidden).id

    # Found by the space's name, once per topic (its opening post, not every reply)...
    assert set(finder.ids(world.alice, "non recours")) == {opening, restricted}
    assert finder.ids(world.alice, '"non-recours" dossiers')[0] == opening   # name and text together first
    assert reply.id not in finder.ids(world.alice, "non recours")
    # ...as the space's readers only, totals included.
    assert finder.ids(world.bob, "non recours") == [opening]
    assert finder.results(world.bob, "non recours").total == 1
    assert finder.ids(None, "non recours") == [opening]
    assert finder.results(None, "non recours").total == 1
    # The name is not a title: in:title does not find it.
    assert finder.ids(world.alice, "recours in:title") == []

    # A renamed space is found by its new name only.
    space = forum.get(Space, rights.id)
    act(structure.save_space, world.coordinator, space, name="Accès aux droits", kind=space.kind)
    assert finder.ids(None, "non recours") == []
    assert finder.ids(None, "accès droits") == [opening]


def test_hidden_deleted_and_restored_posts(world, forum, finder, act):
    topic = forum.topic(world.alice, world.theme, "Accueil de jour", "L'accueil de jour ouvre en mars.")
    reply = forum.reply(world.bob, topic, "Un accueil inadmissible, propos injurieux.")
    assert reply.id in finder.ids(None, "injurieux")
    act(post_decisions.hide, world.mod, forum.get(Post, reply.id), [world.articles[0]], "Propos injurieux.")
    for viewer in (None, world.alice, world.bob, world.mod):
        assert finder.ids(viewer, "injurieux") == []
    act(post_decisions.restore, world.mod, forum.get(Post, reply.id), "Après relecture.")
    assert finder.ids(world.alice, "injurieux") == [reply.id]
    act(posting.delete_post, world.bob, forum.get(Post, reply.id))
    assert finder.ids(world.alice, "injurieux") == []
    assert finder.ids(world.alice, "accueil") == [forum.opening(topic).id]


def test_edits_and_deletions_never_leave_stale_or_duplicate_hits(world, forum, finder, act):
    """Regression: whoosh-reloaded's Searcher.refresh() returns stale and duplicated hits."""
    topic = forum.topic(world.alice, world.theme, "Réunion plénière", "Ordre du jour de la plénière.")
    posts = [forum.reply(world.alice, topic, f"Proposition numéro {n} sur le calendrier.") for n in range(4)]
    assert len(finder.ids(None, "calendrier")) == 4        # a searcher is now open and kept
    for round_ in range(3):
        for post in posts[:2]:
            act(posting.edit_post, world.alice, forum.get(Post, post.id),
                f"Proposition révisée {round_} sur le calendrier.")
    assert sorted(finder.ids(None, "calendrier")) == sorted(p.id for p in posts)
    assert sorted(finder.ids(None, "révisée")) == sorted(p.id for p in posts[:2])
    assert sorted(finder.ids(None, "numéro")) == sorted(p.id for p in posts[2:])
    act(posting.delete_post, world.alice, forum.get(Post, posts[3].id))
    assert sorted(finder.ids(None, "calendrier")) == sorted(p.id for p in posts[:3])
    assert finder.results(None, "calendrier").total == 3


def test_moved_topic_follows_its_new_space(world, forum, finder, act):
    topic = forum.topic(world.alice, world.theme, "Sujet à déplacer", "Une question sur la mobilité.")
    opening = forum.opening(topic).id
    assert finder.ids(world.bob, "mobilité") == [opening]
    act(topic_decisions.move_topic, world.coordinator, forum.get(Topic, topic.id), forum.get(type(world.secret), world.secret.id),
        [world.articles[0]], "Relève du groupe restreint.")
    assert finder.ids(world.bob, "mobilité") == []
    assert finder.ids(world.alice, "mobilité #" + world.secret.slug) == [opening]


def test_retitled_topic(world, forum, finder, act):
    topic = forum.topic(world.alice, world.theme, "Ancien intitulé du sujet", "Corps du message initial.")
    opening = forum.opening(topic).id
    act(posting.edit_post, world.alice, forum.get(Post, opening), "Corps du message initial.",
        title="Nouvelle appellation du sujet")
    assert finder.ids(None, "appellation in:title") == [opening]
    assert finder.ids(None, "intitulé") == []


def test_pagination_is_right_after_permission_filtering(world, forum, finder):
    topic = forum.topic(world.alice, world.theme, "Permanences", "Les permanences du lundi.")
    for n in range(7):
        forum.reply(world.alice, topic, f"Permanence numéro {n}.")
    secret = forum.topic(world.alice, world.secret, "Permanences secrètes", "Permanence cachée.")
    first = finder.results(world.bob, "permanence", per_page=5)
    second = finder.results(world.bob, "permanence", page=2, per_page=5)
    assert first.total == second.total == 8
    assert len(first.items) == 5 and len(second.items) == 3
    ids = [i.post.id for i in first.items + second.items]
    assert len(set(ids)) == 8 and forum.opening(secret).id not in ids


def test_excerpts_are_escaped_and_marked(world, forum, finder):
    forum.topic(world.alice, world.theme, "Balises <b>dans</b> le titre",
                "Un message avec `<script>alert('xss')</script>` et le mot solidarité & plus.")
    found = finder.results(None, "solidarite")
    item = found.items[0]
    assert "<script>" not in item.excerpt_html and "&lt;script&gt;" in item.excerpt_html
    assert "<mark>solidarité</mark>" in item.excerpt_html
    assert "&lt;b&gt;" in finder.results(None, "balises").items[0].title_html


def test_mistakes_give_messages_never_errors(world, forum, finder):
    forum.topic(world.alice, world.theme, "Un sujet quelconque", "Avec un texte quelconque.")
    for text, fragment in (("quelconque foo:bar", "Filtre inconnu"), ("quelconque before:demain", "Date"),
                           ("quelconque @personne", "Aucun membre"), ("quelconque #nulle-part", "Aucun espace"),
                           ("quelconque tag:rien", "Aucune étiquette"), ("quelconque status:peutetre", "Statut"),
                           ("quelconque order:alpha", "Tri"), ("quelconque college:inconnu", "Aucun collège"),
                           ("le la les", "trop courants")):
        found = finder.results(None, text)
        assert any(fragment in message for message in found.messages), (text, found.messages)
    assert finder.results(None, "").items == []
    assert finder.results(None, '"texte quelconque').total == 1


def test_frequent_words_rank_the_most_recent_matches_only(world, forum, finder, app, monkeypatch):
    """At 100,000 posts a word can match tens of thousands: each backend ranks only its CANDIDATES
    most recent matches (here 2, for the test), without losing the count or the phrase check."""
    from search import postgres_backend, searching, whoosh_backend
    from search.backend import Terms
    monkeypatch.setattr(whoosh_backend, "CANDIDATES", 2)
    monkeypatch.setattr(postgres_backend, "CANDIDATES", 2)
    ids = [forum.opening(forum.topic(world.alice, world.theme, f"Réunion {n}",
                                     f"La réunion numéro {n} du comité.")).id for n in range(6)]
    with app.test_request_context():
        from flask import current_app
        engine = current_app.extensions["search"]
        scope = searching._resolve(None, searching.syntax.parse("réunion"), [])
        page = engine.search(Terms(words=("réunion",)), scope, 0, 2)
        assert len(page.post_ids) == 2 and set(page.post_ids) <= set(ids) and page.total == 6
        page = engine.search(Terms(phrases=("réunion numéro",)), scope, 0, 2)
        assert len(page.post_ids) == 2 and set(page.post_ids) <= set(ids)
        assert engine.search(Terms(phrases=("numéro réunion",)), scope, 0, 2).post_ids == []
    # Through the search function, a page asking for more than the candidates still fills up
    # (Whoosh ranks them all again; PostgreSQL pages stop at the candidates).
    assert len(finder.ids(None, "réunion")) >= 2


def test_date_filters_hold_with_frequent_words_and_edits(world, forum, finder, app, act, monkeypatch):
    """Whoosh finds a period's posts by bisection over each segment's posts sorted by day, and
    ranks only the CANDIDATES last of them: results stay inside the period, an edited post (put
    at the end of the index by Whoosh) keeps its date, and the count is an estimate."""
    from search import searching, whoosh_backend
    from search.backend import Terms
    monkeypatch.setattr(whoosh_backend, "CANDIDATES", 2)
    ids = [forum.opening(forum.topic(world.alice, world.theme, f"Réunion {n}",
                                     f"La réunion numéro {n} du comité.")).id for n in range(8)]
    with app.app_context():
        for number, post_id in enumerate(ids):
            when = datetime(2025, 3, 1 + number) if number < 4 else datetime(2026, 3, 1 + number)
            db.session.execute(update(Post).where(Post.id == post_id).values(created_at=when))
        db.session.commit()
        indexing.reindex()
    spring_2025 = "réunion after:2025-01-01 before:2025-06-01"
    assert set(finder.ids(None, spring_2025)) == set(ids[:4])
    assert set(finder.ids(None, "réunion after:2026-01-01")) == set(ids[4:])
    assert set(finder.ids(None, "réunion before:2025-03-03")) == set(ids[:2])
    assert finder.ids(None, "réunion after:2027-01-01") == []
    act(posting.edit_post, world.alice, forum.get(Post, ids[0]), "La réunion numéro 0, compte rendu ajouté.")
    assert set(finder.ids(None, spring_2025)) == set(ids[:4])
    assert set(finder.ids(None, "compte rendu before:2025-06-01")) == {ids[0]}
    assert finder.ids(None, "compte rendu after:2026-01-01") == []
    with app.test_request_context():
        from flask import current_app
        scope = searching._resolve(None, searching.syntax.parse(spring_2025), [])
        page = current_app.extensions["search"].search(Terms(words=("réunion",)), scope, 0, 2)
        assert len(page.post_ids) == 2 and set(page.post_ids) <= set(ids[:4]) and page.total == 4


@pytest.mark.parametrize("engine", ["postgres"], indirect=True)
def test_postgres_walks_the_date_index_when_every_word_is_frequent(world, forum, finder, app, monkeypatch):
    """Words found in most posts: candidates come from walking the date index (ranked and
    phrase-checked as they are read), not from the GIN index. Same results, counts exact."""
    from search import postgres_backend, searching
    from search.backend import Terms
    monkeypatch.setattr(postgres_backend, "CANDIDATES", 2)
    ids = [forum.opening(forum.topic(world.alice, world.theme, f"Compte rendu {n}",
                                     f"La réunion du comité numéro {n}.")).id for n in range(6)]
    apart = forum.opening(forum.topic(world.alice, world.theme, "Autre chose", "Le comité, puis une réunion.")).id
    with app.app_context():
        db.session.execute(text("ANALYZE"))
        db.session.commit()
    with app.test_request_context():
        from flask import current_app
        scope = searching._resolve(None, searching.syntax.parse("réunion comité"), [])
        assert current_app.extensions["search"]._walks(Terms(words=("réunion", "comité")), scope)
        assert not current_app.extensions["search"]._walks(Terms(words=("réunion", "chose")), scope)
    found = finder.results(None, "réunion comité")
    assert found.total == 7 and [item.post.id for item in found.items] in ([apart, ids[-1]], [ids[-1], apart])
    assert finder.ids(None, '"réunion du comité"') == [ids[-1]]      # checked among the 2 candidates
    assert finder.results(None, "réunion comité -numéro").total == 1


def test_a_misspelt_word_gets_a_suggestion_only_from_what_the_viewer_may_read(world, forum, finder, app):
    forum.topic(world.alice, world.theme, "Accompagnement des familles", "L'accompagnement des familles à domicile.")
    forum.topic(world.alice, world.secret, "Confidentialité renforcée", "Un dossier confidentiel du groupe.")
    found = finder.results(None, "acompagnement familles")     # "familles" alone is found
    assert found.partial and found.suggestion == "accompagnement familles"
    assert finder.results(None, "accompagnement familles").suggestion is None      # found: nothing to suggest
    # "confidentialité" is only in a restricted space: suggested to its members, never to others.
    assert finder.results(None, "confidentialite renforcee domicile").suggestion is None
    assert finder.results(world.bob, "confidentialté").suggestion is None
    assert finder.results(world.alice, "confidentialté").suggestion == "confidentialité"
    # Filters and other words stay as typed.
    assert finder.results(None, "acompagnement #" + world.theme.slug).suggestion == \
        "accompagnement #" + world.theme.slug


def test_an_unknown_name_is_answered_word_for_word_with_what_the_viewer_may_name(world, forum, finder):
    """Each message names what exists among what the viewer may read, and nothing else: the
    restricted space of the 13 is named to its members only."""
    forum.topic(world.alice, world.theme, "Un sujet quelconque", "Avec un texte quelconque.")
    outsider = {
        "quelconque #nulle-part": "Aucun espace « #nulle-part » parmi ceux que vous pouvez lire "
                                  "(#comite-des-bouches-du-rhone, #comite-du-var, #ethique-et-deontologie…).",
        "quelconque @personne": "Aucun membre ne s'appelle « @personne ».",
        "quelconque tag:rien": "Aucune étiquette « rien » parmi celles des sujets que vous pouvez lire.",
        "quelconque college:inconnu": "Aucun collège « inconnu » : Personnes accompagnées, Travailleurs sociaux.",
    }
    for typed, message in outsider.items():
        found = finder.results(None, typed)
        assert (found.messages, found.searched, found.items) == ([message], False, []), typed
    found = finder.results(world.alice, "quelconque #nulle-part")
    assert found.messages == ["Aucun espace « #nulle-part » parmi ceux que vous pouvez lire (#comite-des-bouches-du-rhone, "
                              "#comite-du-var, #groupe-restreint, #ethique-et-deontologie, #vie-des-membres…)."]
    # Two mistakes, two messages; a known name beside an unknown one still finds nothing.
    found = finder.results(None, "quelconque @personne tag:rien #ethique-et-deontologie")
    assert found.messages == [outsider["quelconque @personne"], outsider["quelconque tag:rien"]]
    assert found.items == []


def test_a_forum_with_nothing_to_name_says_so_without_a_list(forum, finder):
    found = finder.results(None, "quelconque #nulle-part college:inconnu")
    assert found.messages == ["Aucun espace « #nulle-part » parmi ceux que vous pouvez lire.",
                              "Aucun collège « inconnu »."]


def test_the_search_form_offers_what_the_viewer_may_read_and_recognises_a_typed_name(world, forum, app):
    from flask_login import AnonymousUserMixin

    from forum.accounts.models import Member
    from search.searching import choices
    shared, private = forum.tag("Jeunesse"), forum.tag("Dossier signalé")
    forum.topic(world.alice, world.theme, "Jeunes majeurs", "Sortie de l'aide sociale.", tags=[shared])
    forum.topic(world.alice, world.secret, "Une famille suivie", "Situation en cours.", tags=[private])

    def offered(viewer, space="", tag="", college=""):
        with app.test_request_context():
            member = db.session.get(Member, viewer.id) if viewer else AnonymousUserMixin()
            found = choices(member, space, tag, college)
            return ([space.slug for space in found.spaces], [tag.slug for tag in found.tags],
                    [college.slug for college in found.colleges], (found.space, found.tag, found.college))

    colleges = [world.users.slug, world.workers.slug]
    assert offered(None) == (["comite-des-bouches-du-rhone", "comite-du-var", "ethique-et-deontologie"],
                             ["jeunesse"], colleges, ("", "", ""))
    assert offered(world.alice)[:2] == (
        ["comite-des-bouches-du-rhone", "comite-du-var", "groupe-restreint", "ethique-et-deontologie",
         "vie-des-membres"], ["dossier-signale", "jeunesse"])
    # A name typed in an address, whatever its case and accents, is chosen as its slug; what the
    # viewer may not read, or what does not exist, is chosen as nothing.
    assert offered(None, "Éthique et Déontologie", "JEUNESSE", "Personnes accompagnées")[3] == (
        "ethique-et-deontologie", "jeunesse", world.users.slug)
    assert offered(None, "groupe-restreint", "dossier-signale", "inconnu")[3] == ("", "", "")
    assert offered(world.alice, "groupe-restreint", "Dossier signalé", "")[3] == ("groupe-restreint", "dossier-signale", "")
    # Collèges in their order (their position), not in the order they were made.
    from forum.accounts.models import College
    with app.app_context():
        db.session.get(College, world.workers.id).position = 0
        db.session.commit()
    assert offered(None)[2] == [world.workers.slug, world.users.slug]


def test_the_posts_an_index_returns_are_checked_again_one_by_one(world, forum, app):
    """``load`` is the last gate whatever the index says (a stale entry, a post hidden or moved
    since): each id once, in order, only visible posts the viewer may read; the rest skipped,
    not the end of the page."""
    from flask_login import AnonymousUserMixin

    from forum.accounts.models import Member
    from search.searching import load
    theme = forum.topic(world.alice, world.theme, "Permanence sociale", "Une permanence le lundi.")
    secret = forum.topic(world.alice, world.secret, "Permanence du groupe", "Une permanence réservée.")
    hidden = forum.reply(world.alice, theme, "Une permanence masquée.")
    last = forum.reply(world.bob, theme, "Une autre permanence, le jeudi.")
    with app.app_context():
        posting.set_post_state(db.session.get(Post, hidden.id), "hidden")
        db.session.commit()
    ids = [forum.opening(secret).id, hidden.id, forum.opening(theme).id, 999999, last.id, forum.opening(theme).id]

    def loaded(viewer):
        with app.test_request_context():
            member = db.session.get(Member, viewer.id) if viewer else AnonymousUserMixin()
            return [(item.post.id, item.score, item.title_html, item.excerpt_html)
                    for item in load(member, ids, [6, 5, 4, 3, 2, 1], ["permanence"])]

    assert loaded(None) == [
        (forum.opening(theme).id, 4, "<mark>Permanence</mark> sociale", "Une <mark>permanence</mark> le lundi."),
        (last.id, 2, "<mark>Permanence</mark> sociale", "Une autre <mark>permanence</mark>, le jeudi.")]
    assert [row[0] for row in loaded(world.alice)] == [forum.opening(secret).id, forum.opening(theme).id, last.id]


def test_an_unknown_space_names_twelve_of_the_readable_ones_at_most(world, forum, finder):
    forum.topic(world.alice, world.theme, "Un sujet quelconque", "Avec un texte quelconque.")
    for n in range(10):     # 13 readable spaces with the two comités and the theme
        forum.space(f"Espace {n:02d}")
    [message] = finder.results(None, "quelconque #nulle-part").messages
    named = message.split("(")[1].rstrip("…).").split(", ")
    assert named == ["#comite-des-bouches-du-rhone", "#comite-du-var", "#ethique-et-deontologie"] + [
        f"#espace-{n:02d}" for n in range(9)]


def test_college_filter_counts_only_a_confirmed_college_and_meets_the_author_filter(world, forum, finder, app):
    from forum.accounts.models import College
    unconfirmed = forum.member("Claude", college=world.workers, confirmed=False)
    alice = forum.opening(forum.topic(world.alice, world.theme, "Formation continue", "Formation des équipes.")).id
    forum.topic(unconfirmed, world.theme, "Formation à confirmer", "Formation en attente.")
    forum.topic(world.bob, world.theme, "Formation des pairs", "Formation entre pairs.")
    college = f"college:{world.workers.slug}"
    assert finder.ids(None, f"formation {college}") == [alice]          # Claude's collège is not confirmed
    assert finder.ids(None, f"formation @Alice {college}") == [alice]
    assert finder.ids(None, f"formation @Bob {college}") == []          # both filters hold, not either
    # Collèges are listed in their order (their position), not in the order they were made.
    with app.app_context():
        db.session.get(College, world.workers.id).position = 0
        db.session.commit()
    [message] = finder.results(None, "formation college:inconnu").messages
    assert message == "Aucun collège « inconnu » : Travailleurs sociaux, Personnes accompagnées."


def test_an_empty_search_answers_an_empty_first_page(world, finder, app):
    from flask_login import AnonymousUserMixin

    from search.searching import search
    with app.test_request_context():
        for text in ("", None, "   "):
            found = search(AnonymousUserMixin(), text, page=3, per_page=10)
            assert (found.text, found.searched, found.items, found.messages) == (text or "", False, [], [])
            assert (found.pagination.page, found.pagination.per_page, found.pagination.total) == (3, 10, 0)


def test_dates_that_leave_no_day_between_them_search_nothing(world, forum, finder):
    forum.topic(world.alice, world.theme, "Un sujet daté", "Un texte daté.")
    found = finder.results(None, "daté after:2026-01-10 before:2026-01-10")
    assert (found.searched, found.items, found.total) == (False, [], 0)
    assert finder.results(None, "daté after:2026-01-09 before:2026-01-10").searched


def test_a_suggestion_keeps_the_form_s_fields_and_is_made_only_when_it_finds_every_word(world, forum, finder):
    forum.topic(world.alice, world.theme, "Permanences et accompagnement des familles", "Le lundi et le jeudi.")
    forum.topic(world.alice, world.secret, "Le groupe confidentiel", "Le dossier du groupe confidentiel.")
    # An inflected word is found alone: it is not corrected, the misspelt one is.
    assert finder.results(None, "accompagnements familes").suggestion == "accompagnements familles"
    # Found alone by who may read it: for a member of the 13, "groupes" is no mistake.
    assert finder.results(world.alice, "groupes confidantiel").suggestion == "groupes confidentiel"
    # The corrected words would be found, but not in the space the form chose: no suggestion.
    assert finder.results(None, "permanances", {"space": world.theme.slug}).suggestion == "permanences"
    assert finder.results(world.alice, "permanances", {"space": world.secret.slug}).suggestion is None
    # Corrected, the query still misses a word: no suggestion either.
    assert finder.results(None, "permanances zzzzzz").suggestion is None
