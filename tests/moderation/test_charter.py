"""Coordinators write the règlement in Markdown, draft then publish; members accept it before posting."""
from sqlalchemy import select

from forum.charter import versions as charter
from forum.charter.models import CharterAcceptance, CharterVersion
from forum.extensions import db
from moderation import charter_editing

from ..helpers import text

NEW_TEXT = """Ce règlement s'applique à tous les espaces.

## Respect des personnes

Chacun s'exprime avec courtoisie, **sans exception**.

## Article 2 — Confidentialité des situations évoquées

Aucune personne tierce identifiable.

## Rester dans le sujet

Les réponses portent sur le sujet ouvert.

## Pluralisme des collèges

Les neuf collèges ont une parole égale.
"""


def test_parse_and_write_back_the_markdown_text():
    preamble, articles = charter_editing.parse(NEW_TEXT)
    assert preamble == "Ce règlement s'applique à tous les espaces."
    assert [a[0] for a in articles] == ["Respect des personnes", "Confidentialité des situations évoquées",
                                        "Rester dans le sujet", "Pluralisme des collèges"]
    assert articles[0][1] == "Chacun s'exprime avec courtoisie, **sans exception**."


def test_a_coordinator_drafts_previews_and_publishes_a_new_version(world, login, app):
    coordinator = login(world.coordinator)
    form = text(coordinator.get("/moderation/reglement/brouillon"))
    assert "## Confidentialité des situations évoquées" in form       # starts from the current version
    preview = coordinator.post("/moderation/reglement/brouillon", {"title": "Règlement 2027", "text": NEW_TEXT,
                                                                   "preview": "1"})
    assert preview.status_code == 200 and "<strong>sans exception</strong>" in text(preview)
    with app.app_context():
        assert charter_editing.draft() is None                          # a preview saves nothing
    saved = coordinator.post("/moderation/reglement/brouillon", {"title": "Règlement 2027", "text": NEW_TEXT,
                                                                 "submit": "1"})
    assert saved.status_code == 303
    with app.app_context():
        draft = charter_editing.draft()
        assert (draft.number, len(draft.articles), draft.published_at) == (world.version.number + 1, 4, None)
        assert charter.current_version().id == world.version.id
    # Saving again rewrites the same draft.
    assert coordinator.post("/moderation/reglement/brouillon", {"title": "Règlement 2027 (relu)", "text": NEW_TEXT,
                                                                "submit": "1"}).status_code == 303
    with app.app_context():
        drafts = db.session.scalars(select(CharterVersion).where(CharterVersion.published_at.is_(None))).all()
        assert [d.title for d in drafts] == ["Règlement 2027 (relu)"]
        draft_id = drafts[0].id
    # Posting still works until publication.
    carol = login(world.carol)
    reply = f"/sujet/{world.topic13.id}/repondre"
    assert carol.post(reply, {"body": "Avant publication", "submit": "1"}).status_code == 303
    published = coordinator.post(f"/moderation/reglement/{draft_id}/publier", {"submit": "1"})
    assert published.status_code == 303
    refused = carol.post(reply, {"body": "Après publication", "submit": "1"})
    assert refused.status_code == 403 and "nouvelle version du règlement" in text(refused)
    # Publishing is accepting: the publisher goes on writing without being asked to accept.
    assert coordinator.post(reply, {"body": "Publié par moi", "submit": "1"}).status_code == 303
    assert "Une nouvelle version à lire et accepter" not in text(coordinator.get("/reglement"))
    assert carol.get(f"/sujet/{world.topic13.id}").status_code == 200          # reading stays possible
    page = text(carol.get("/reglement"))
    assert "Une nouvelle version à lire et accepter" in page
    assert "article modifié" in page and "nouvel article" in page and "article retiré" in page
    assert "Pas de publicité ni de propagande" in page                       # the removed one, named
    assert carol.post("/reglement/accepter", {"submit": "1"}).status_code == 303
    with app.app_context():
        acceptance = db.session.get(CharterAcceptance, (world.carol.id, draft_id))
        assert acceptance is not None and acceptance.accepted_at is not None
    assert carol.post(reply, {"body": "Après acceptation", "submit": "1"}).status_code == 303
    versions = text(coordinator.get("/moderation/reglement"))
    assert "2 sur " in versions and " membres" in versions                  # Carol, and the publisher
    again = coordinator.post(f"/moderation/reglement/{draft_id}/publier", {"submit": "1"})
    assert again.status_code == 409 and "déjà publiée" in text(again)


def test_decisions_keep_citing_the_article_of_their_version(world, act, app):
    from moderation import post_decisions
    decision = act(post_decisions.hide, world.mod13, world.reply13, [world.articles[4]], "Publicité.")
    with app.app_context():
        version = charter.draft_version("Nouveau", "", [("Un seul article", "Soyez aimables.")])
        db.session.flush()
        charter.publish_version(version)
    with app.app_context():
        from moderation.models import Decision
        cited = db.session.get(Decision, decision.id).articles[0]
        assert (cited.number, cited.charter_version, cited.title) == (4, world.version.number,
                                                                      "Pas de publicité ni de propagande")


def test_bad_drafts_are_refused_and_kept(world, login):
    coordinator = login(world.coordinator)
    response = coordinator.post("/moderation/reglement/brouillon", {"title": "R", "text": "Pas d'article ici.",
                                                                    "submit": "1"})
    assert response.status_code == 422
    page = text(response)
    assert "au moins un article" in page and "Un titre de 3 à 200 caractères" in page and "Pas d'article ici." in page
    empty = coordinator.post("/moderation/reglement/brouillon", {"title": "Règlement",
                                                                 "text": "## Vide\n\n## Plein\n\nTexte",
                                                                 "submit": "1"})
    assert empty.status_code == 422 and "n'a pas de texte" in text(empty)


def test_only_coordinators_write_the_reglement(world, login):
    for member in (world.mod13, world.alice):
        browser = login(member)
        assert browser.get("/moderation/reglement").status_code == 403
        assert browser.post("/moderation/reglement/brouillon", {"title": "Règlement pirate", "text": NEW_TEXT,
                                                                "submit": "1"}).status_code == 403


ARTICLES_V2 = [
    ("Respect des personnes", "Chacun s'exprime avec courtoisie."),
    ("Bienveillance envers les nouveaux", "Accueillez les nouveaux membres."),      # inserted: 3, 4 move
    ("Confidentialité des situations évoquées", "Aucune personne tierce identifiable."),
    ("Rester dans le sujet", "Les réponses portent sur le sujet ouvert."),
    ("Pas de publicité ni de propagande", "Pas de promotion commerciale, électorale ou partisane."),
]


def _publish(app, articles):
    with app.app_context():
        version = charter.draft_version("Règlement", "", articles)
        db.session.flush()
        charter.publish_version(version)
        return version.number


def test_a_hidden_post_cites_the_article_of_its_version_and_says_where_it_is_today(world, act, app, login):
    from moderation import post_decisions
    act(post_decisions.hide, world.mod13, world.reply13, [world.articles[4]], "Publicité.")
    reader = login(world.carol)
    before = text(reader.get(f"/sujet/{world.topic13.id}"))
    assert 'Message masqué par la modération — <a href="/reglement#article-4">article 4</a>' in before
    _publish(app, ARTICLES_V2)
    page = text(reader.get(f"/sujet/{world.topic13.id}"))
    # Article 4 of today's règlement is "Rester dans le sujet": the notice must not point there.
    assert ('Message masqué par la modération — <a href="/reglement?version=1#article-4">article 4</a> '
            "de la version 1, aujourd'hui <a href=\"/reglement#article-5\">article 5</a>") in page
    assert 'href="/reglement#article-4"' not in page
    old = text(reader.get("/reglement?version=1"))
    assert 'id="article-4"' in old and "Pas de publicité ni de propagande" in old
    assert "Cette version a été remplacée le" in old and "J'ai lu et j'accepte" not in old
    assert reader.get("/reglement?version=9").status_code == 404
    # The same reference where decisions are listed: the author's own page and the public log.
    mine = text(login(world.bob).get("/moderation/mes-decisions"))
    assert "de la version 1, aujourd'hui" in mine
    log = text(reader.get(f"/espace/{world.c13.slug}/journal-de-moderation"))
    assert "de la version 1, aujourd'hui" in log
    # An article dropped since says so.
    _publish(app, ARTICLES_V2[:4])
    assert "de la version 1, retiré depuis" in text(reader.get(f"/sujet/{world.topic13.id}"))


def test_a_new_version_lists_the_articles_it_renumbers(world, app, login):
    _publish(app, ARTICLES_V2)
    with app.app_context():
        current = charter.current_version()
        previous = charter.previous_version(current)
        moved = {c.title: (c.kind, c.before, c.number) for c in charter.changes(previous, current)}
        keys = {a.title: a.key for a in previous.articles}
        assert all(a.key == keys.get(a.title, a.key) for a in current.articles)   # identities kept
    assert moved == {"Bienveillance envers les nouveaux": ("added", None, 2),
                     "Confidentialité des situations évoquées": ("renumbered", 2, 3),
                     "Rester dans le sujet": ("renumbered", 3, 4),
                     "Pas de publicité ni de propagande": ("renumbered", 4, 5)}
    page = text(login(world.carol).get("/reglement"))
    assert "article renuméroté, texte inchangé" in page and "(auparavant article 4)" in page
    accepted = login(world.carol)
    accepted.post("/reglement/accepter", {"submit": "1"})
    assert "(auparavant article 4)" in text(accepted.get("/reglement"))   # shown after accepting too

