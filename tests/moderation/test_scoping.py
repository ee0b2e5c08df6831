"""A space moderator acts only in their spaces: every route answers 403 elsewhere and changes nothing."""
import pytest
from sqlalchemy import select, update

from forum.accounts.models import Member
from forum.errors import Forbidden
from forum.extensions import db
from forum.topics.models import Post, Topic
from moderation import post_decisions, topic_decisions
from moderation.models import AuditEntry, Decision

from ..helpers import text
from .conftest import text_snapshot


def _state(app):
    with app.app_context():
        return (text_snapshot(app),
                [(p.id, p.state) for p in db.session.scalars(select(Post).order_by(Post.id))],
                [(t.id, t.status, t.space_id) for t in db.session.scalars(select(Topic).order_by(Topic.id))],
                db.session.scalars(select(Decision.id)).all(), db.session.scalars(select(AuditEntry.id)).all())


POST_ROUTES = [("masquer", {}), ("retablir", {}), ("classer", {}), ("approuver", {}), ("refuser", {}),
               ("avertir", {}), ("modifier", {"body": "Texte réécrit par un intrus."}),
               ("detacher", {"title": "Un nouveau sujet venu d'ailleurs"})]
TOPIC_ROUTES = ["fermer", "rouvrir", "deplacer", "mode-lent", "fin-mode-lent"]


def test_a_moderator_of_comite_13_cannot_act_in_comite_83(world, login, app):
    before = _state(app)
    moderator = login(world.mod13)
    common = {"articles": [world.articles[1]], "justification": "Tentative hors de mon espace.",
              "minutes": "10", "space": world.c13.slug, "submit": "1"}
    assert moderator.get(f"/moderation/messages/{world.reply83.id}").status_code == 403
    assert moderator.get(f"/moderation/sujets/{world.topic83.id}").status_code == 403
    for action, extra in POST_ROUTES:
        response = moderator.post(f"/moderation/messages/{world.reply83.id}/{action}", dict(common, **extra))
        assert response.status_code == 403, action
    for action in TOPIC_ROUTES:
        response = moderator.post(f"/moderation/sujets/{world.topic83.id}/{action}", common)
        assert response.status_code == 403, action
    assert moderator.get(f"/moderation/?espace={world.c83.slug}").status_code == 403
    assert moderator.post(f"/moderation/espaces/{world.c83.slug}/reglages",
                          {"report_threshold": "1", "approve_first_posts": "0", "submit": "1"}).status_code == 403
    assert _state(app) == before
    # And the domain says the same when called directly.
    with app.app_context():
        me = db.session.get(Member, world.mod13.id)
        with pytest.raises(Forbidden) as refused:
            post_decisions.hide(me, db.session.get(Post, world.reply83.id), [world.articles[1]], "Essai direct.")
        assert refused.value.message == "Vous ne modérez pas l'espace de ce message."
        db.session.rollback()
        with pytest.raises(Forbidden) as refused:
            topic_decisions.lock_topic(me, db.session.get(Topic, world.topic83.id), [world.articles[1]], "Essai.")
        assert refused.value.message == "Vous ne modérez pas l'espace « Comité du Var »."
        db.session.rollback()
    assert _state(app) == before
    # The moderator of 83 can.
    assert login(world.mod83).post(f"/moderation/messages/{world.reply83.id}/masquer", common).status_code == 303


def test_the_queue_shows_only_the_moderators_spaces(world, login, act):
    from moderation import reporting
    act(reporting.report_post, world.alice, world.reply13, "third_party")
    act(reporting.report_post, world.mod13, world.reply83, "third_party")
    mod83 = text(login(world.mod83).get("/moderation/"))
    assert "Plénière du comité du Var" in mod83 and "Accueil des nouveaux membres" not in mod83
    coordinator = text(login(world.coordinator).get("/moderation/"))
    assert "Plénière du comité du Var" in coordinator and "Accueil des nouveaux membres" in coordinator
    assert login(world.alice).get("/moderation/").status_code == 403


def test_members_see_no_moderation_links_and_moderators_see_theirs(world, login):
    member = text(login(world.alice).get(f"/sujet/{world.topic13.id}"))
    assert "/moderation/messages/" not in member and "Signaler" in member
    moderator = text(login(world.mod13).get(f"/sujet/{world.topic13.id}"))
    assert f"/moderation/messages/{world.reply13.id}" in moderator
    assert f"/moderation/sujets/{world.topic13.id}" in moderator
    elsewhere = text(login(world.mod13).get(f"/sujet/{world.topic83.id}"))
    assert "/moderation/messages/" not in elsewhere


def test_a_restricted_space_stays_invisible_to_outside_moderators(world, forum, login):
    bureau = forum.space("Bureau du Var", kind="regional", visibility="restricted", committees=[world.c83])
    topic = forum.topic(world.eve, bureau, "Sujet réservé au Var")
    opening = forum.opening(topic)
    moderator = login(world.mod13)
    assert moderator.get(f"/moderation/messages/{opening.id}").status_code == 404
    assert moderator.post(f"/moderation/messages/{opening.id}/masquer", {
        "articles": [world.articles[1]], "justification": "Essai.", "submit": "1"}).status_code == 404
    assert moderator.get(f"/moderation/sujets/{topic.id}").status_code == 403


def test_every_moderation_form_requires_a_csrf_token(world, login, app):
    moderator = login(world.mod13)
    for url in (f"/moderation/messages/{world.reply13.id}/masquer", f"/moderation/sujets/{world.topic13.id}/fermer",
                f"/message/{world.reply13.id}/signaler", "/moderation/mots-surveilles"):
        response = moderator.post(url, {"articles": [world.articles[1]], "justification": "Sans jeton.",
                                        "reason": "third_party", "submit": "1"}, csrf=False)
        assert response.status_code == 400, url
    with app.app_context():
        assert db.session.scalars(select(Decision)).all() == []


def test_a_decision_checks_again_once_the_row_is_locked(world, app):
    """The check is made again after the lock and the re-read: a topic moved out of the
    moderator's spaces meanwhile (by another session, behind this one's back) is refused, its
    post too, and nothing is decided."""
    before = _state(app)
    for decide in ("lock", "hide"):
        with app.app_context():
            me = db.session.get(Member, world.mod13.id)
            topic, post = db.session.get(Topic, world.topic13.id), db.session.get(Post, world.reply13.id)
            assert post.topic.space.id == world.c13.id          # what the moderator was shown
            db.session.execute(update(Topic).where(Topic.id == topic.id).values(space_id=world.c83.id)
                               .execution_options(synchronize_session=False))
            with pytest.raises(Forbidden):
                if decide == "lock":
                    topic_decisions.lock_topic(me, topic, [world.articles[1]], "Décidé trop tard.")
                else:
                    post_decisions.hide(me, post, [world.articles[1]], "Décidé trop tard.")
            db.session.rollback()
    assert _state(app) == before
