"""What moderation checks when members post: watched words, first posts to approve, slow mode (see topics)."""
import pytest
from sqlalchemy import select

from forum.errors import Invalid, Refused
from forum.extensions import db
from forum.topics import posting
from forum.topics.models import Post
from moderation import settings, topic_decisions
from moderation.models import Report, WatchedWord

from ..helpers import text
from .conftest import text_snapshot


def _words(act, world, *pairs):
    for phrase, action in pairs:
        act(settings.add_word, world.coordinator, phrase, action)


def _reply(browser, topic, body):
    return browser.post(f"/sujet/{topic.id}/repondre", {"body": body, "submit": "1"})


def test_a_blocked_word_refuses_the_post_and_keeps_the_text(world, act, login, app):
    _words(act, world, ("casino en ligne", "block"))
    carol = login(world.carol)
    response = _reply(carol, world.topic13, "Venez jouer au CASINO   en ligne, c'est gratuit !")
    assert response.status_code == 422
    page = text(response)
    assert "expression refusée" in page and "« casino en ligne »" in page and "c'est gratuit" in page
    title = carol.post("/nouveau-sujet", {"title": "Le casino en ligne", "space": world.c13.slug,
                                          "body": "Un texte correct.", "submit": "1"})
    assert title.status_code == 422 and "expression refusée" in text(title)
    # Moderators are held to blocked words too.
    assert _reply(login(world.mod13), world.topic13, "Un casino en ligne ici ?").status_code == 422
    assert _reply(carol, world.topic13, "Le mot casinos en ligne n'est pas le même.").status_code == 303


def test_words_match_without_case_or_accents_and_with_a_final_wildcard(world, act, app):
    _words(act, world, ("arnaqu*", "flag"), ("Crédit rapide", "block"))
    with app.app_context():
        assert settings.matches("Une ARNAQUE évidente")["flag"] == ["arnaqu*"]
        assert settings.matches("arnaqueurs")["flag"] == ["arnaqu*"]
        assert settings.matches("un credit  rapide")["block"] == ["credit rapide"]
        assert settings.matches("crédit rapidement") == {}
        assert settings.matches("narnaque") == {}


def test_an_approval_word_holds_the_post_for_a_moderator(world, act, login, app):
    _words(act, world, ("cagnotte en ligne", "approve"))
    response = _reply(login(world.carol), world.topic13, "Participez à notre cagnotte en ligne pour la fête.")
    assert response.status_code == 303
    with app.app_context():
        post = db.session.scalars(select(Post).where(Post.source.contains("cagnotte"))).one()
        assert post.state == "pending"
    assert "Messages à approuver (1)" in text(login(world.mod13).get("/moderation/"))
    assert "cagnotte" not in text(login(world.dave).get(f"/sujet/{world.topic13.id}"))
    # The space's moderator is trusted with the same words: published at once.
    assert _reply(login(world.mod13), world.topic13, "La cagnotte en ligne est close, merci.").status_code == 303
    with app.app_context():
        post = db.session.scalars(select(Post).where(Post.source.contains("est close"))).one()
        assert post.state == "visible"


def test_a_flag_word_publishes_and_reports_to_the_moderators(world, act, login, app):
    _words(act, world, ("née le", "flag"))
    assert _reply(login(world.carol), world.topic13, "Mme D., née le 3 mars 1970, attend.").status_code == 303
    with app.app_context():
        post = db.session.scalars(select(Post).where(Post.source.contains("1970"))).one()
        assert post.state == "visible"
        report = db.session.scalars(select(Report).where(Report.post_id == post.id)).one()
        assert (report.reporter_id, report.reason, report.detail) == (None, "watched_word", "nee le")
    queue = text(login(world.mod13).get("/moderation/"))
    assert "Mot surveillé : nee le" in queue
    # An edit that adds a flagged word is flagged too (once while a report is open).
    bob = login(world.bob)
    response = bob.post(f"/message/{world.reply13.id}/modifier", {"body": "Elle est née le 4 avril.", "submit": "1"})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.scalars(select(Report).where(Report.post_id == world.reply13.id)).one().reporter_id is None


def test_first_posts_of_a_new_member_wait_for_approval_where_the_space_asks(world, act, forum, app):
    from moderation import post_decisions
    forum.reply(world.alice, world.topic13, "Alice a maintenant deux messages publiés.")
    act(settings.save_for_space, world.mod13, world.c13, 3, 2)       # two published posts, forum-wide
    newcomer = forum.member("Nouvelle", committees=[world.c13, world.c83])
    first = forum.reply(newcomer, world.topic13, "Bonjour à toutes et tous.")
    elsewhere = forum.reply(newcomer, world.topic83, "Bonjour le Var.")   # the Var asks nothing
    assert (first.state, elsewhere.state) == ("pending", "visible")
    assert forum.reply(newcomer, world.topic13, "Deuxième message.").state == "pending"   # 1 published
    act(post_decisions.approve, world.mod13, first)
    assert forum.reply(newcomer, world.topic13, "Troisième message.").state == "visible"  # 2 published
    assert forum.reply(world.alice, world.topic13, "Une habituée.").state == "visible"
    assert forum.reply(world.carol, world.topic13, "Jamais publié encore.").state == "pending"
    assert forum.reply(world.mod13b, world.topic13, "La modération.").state == "visible"


@pytest.mark.parametrize("wanted", [0, 1])
def test_approving_one_first_post_holds_exactly_the_first(world, act, forum, wanted):
    act(settings.save_for_space, world.mod13, world.c13, 3, wanted)
    newcomer = forum.member(f"Nouvelle{wanted}", committees=[world.c13])
    first = forum.reply(newcomer, world.topic13, "Bonjour à toutes et tous.")
    assert first.state == ("pending" if wanted else "visible")
    if wanted:
        from moderation import post_decisions
        act(post_decisions.approve, world.mod13, first)
    assert forum.reply(newcomer, world.topic13, "Deuxième message.").state == "visible"


def test_watched_words_are_kept_by_the_coordination(world, login, app):
    assert login(world.mod13).get("/moderation/mots-surveilles").status_code == 403
    coordinator = login(world.coordinator)
    assert coordinator.post("/moderation/mots-surveilles", {"phrase": "spam", "action": "flag",
                                                            "submit": "1"}).status_code == 303
    again = coordinator.post("/moderation/mots-surveilles", {"phrase": "SPAM", "action": "block", "submit": "1"})
    assert again.status_code == 409 and "déjà surveillé" in text(again)
    short = coordinator.post("/moderation/mots-surveilles", {"phrase": "x", "action": "block", "submit": "1"})
    assert short.status_code == 422
    with app.app_context():
        word = db.session.scalars(select(WatchedWord)).one()
    assert coordinator.post(f"/moderation/mots-surveilles/{word.id}/retirer", {"submit": "1"}).status_code == 303
    with app.app_context():
        assert db.session.scalars(select(WatchedWord)).all() == []



def test_an_edit_is_held_to_blocked_words_in_its_body_and_its_title(world, act, app):
    """Editing goes through the guards too: a blocked word is refused in the new text and in a
    new title, on the field where it was typed, and nothing is changed."""
    _words(act, world, ("casino en ligne", "block"), ("crédit rapide", "block"))
    before = text_snapshot(app)
    with pytest.raises(Invalid) as refusal:      # two words: both named, one after the other
        act(posting.edit_post, world.bob, world.reply13, "Un crédit rapide pour le casino en ligne.")
    assert any(f"« {a} », « {b} »" in refusal.value.fields["body"]
               for a, b in (("casino en ligne", "credit rapide"), ("credit rapide", "casino en ligne")))
    for post, title, body, field in (
            (world.reply13, None, "Et un casino en ligne, aussi.", "body"),
            (world.opening13, "Le casino en ligne du comité", "Un texte correct.", "title")):
        author = world.alice if post == world.opening13 else world.bob
        with pytest.raises(Invalid) as refusal:
            act(posting.edit_post, author, post, body, title)
        assert refusal.value.fields == {field: "Ce texte contient une expression refusée sur le forum "
                                               "(« casino en ligne ») : reformulez-le."}
    assert text_snapshot(app) == before


def test_slow_mode_never_slows_an_author_editing_their_own_post(world, act, forum, app):
    act(topic_decisions.set_slow_mode, world.mod13, world.topic13, 30, [world.articles[1]], "On ralentit.")
    mine = forum.reply(world.carol, world.topic13, "Une première réponse.")
    edited = act(posting.edit_post, world.carol, mine, "Une première réponse, corrigée.")
    assert edited.source == "Une première réponse, corrigée."
    with pytest.raises(Refused) as refusal:       # while a second reply must wait
        forum.reply(world.carol, world.topic13, "Une seconde réponse.")
    assert refusal.value.status == 429
