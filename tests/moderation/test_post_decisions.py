"""Decisions on posts, each with its reversal: hide/restore, dismiss, edit/revert, approve/reject."""
import pytest
from sqlalchemy import func, select

from forum.accounts.models import Member
from forum.errors import Conflict, Forbidden, Invalid
from forum.extensions import db
from forum.topics.models import Post, PostRevision, Space, Topic
from moderation import deciding, post_decisions, reporting, settings
from moderation.models import AuditEntry, Decision, Report

from ..helpers import text


def _decide(browser, post, action, **data):
    return browser.post(f"/moderation/messages/{post.id}/{action}", dict(data, submit="1"))


def test_hide_cites_the_article_keeps_the_text_and_is_explained(world, login, app, notices):
    moderator = login(world.mod13)
    page = text(moderator.get(f"/moderation/messages/{world.reply13.id}"))
    assert "Masquer le message" in page and "rue des Lilas" in page
    response = _decide(moderator, world.reply13, "masquer", articles=[world.articles[2]],
                       justification="Une personne tierce est reconnaissable.")
    assert response.status_code == 303
    with app.app_context():
        post = db.session.get(Post, world.reply13.id)
        assert post.state == "hidden" and "rue des Lilas" in post.source
        decision = db.session.scalars(select(Decision)).one()
        assert (decision.action, decision.moderator_id, decision.member_id) == ("hide", world.mod13.id, world.bob.id)
        assert [(a.number, a.charter_version) for a in decision.articles] == [(2, world.version.number)]
        assert decision.justification == "Une personne tierce est reconnaissable."
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "hide")).one()
        assert entry.before["state"] == "visible" and entry.after["state"] == "hidden"
    reader = text(login(world.carol).get(f"/sujet/{world.topic13.id}"))
    assert 'Message masqué par la modération — <a href="/reglement#article-2">article 2</a>' in reader
    assert "rue des Lilas" not in reader
    # Only the author is offered to write to the comité's moderation, from the notice itself.
    moderation_letter = f'href="/messages/ecrire/moderation?comite={world.c13.slug}"'
    assert moderation_letter not in reader
    author_page = text(login(world.bob).get(f"/sujet/{world.topic13.id}"))
    assert f"{moderation_letter}>Écrire à la modération de ce comité</a>" in author_page
    told = [(t, url) for member_id, t, url in notices if member_id == world.bob.id]
    assert len(told) == 1
    assert "Message masqué" in told[0][0] and "article 2" in told[0][0] and "contester" in told[0][0]
    assert "Modo13" not in told[0][0] and told[0][1].startswith("/moderation/mes-decisions#decision-")
    mine = text(login(world.bob).get("/moderation/mes-decisions"))
    assert "Une personne tierce est reconnaissable." in mine and "Contester cette décision" in mine
    assert f"{moderation_letter}>Écrire à la modération de ce comité</a>" in mine


def test_hide_needs_an_article_and_a_justification(world, login, app):
    moderator = login(world.mod13)
    response = _decide(moderator, world.reply13, "masquer", justification="Mon motif gardé")
    assert response.status_code == 422 and "Citez au moins un article" in text(response)
    assert "Mon motif gardé" in text(response)
    response = _decide(moderator, world.reply13, "masquer", articles=[world.articles[1]], justification="")
    assert response.status_code == 422 and "Expliquez la décision" in text(response)
    response = _decide(moderator, world.reply13, "masquer", articles=["abc"], justification="Motif valable")
    assert response.status_code == 422
    assert _decide(moderator, world.reply13, "inconnue", justification="x").status_code == 404
    with app.app_context():
        assert db.session.get(Post, world.reply13.id).state == "visible"
        assert db.session.scalar(select(func.count(Decision.id))) == 0


def test_restore_reverses_a_hide(world, login, act, app):
    decision = act(post_decisions.hide, world.mod13, world.reply13, [world.articles[2]], "Tiers reconnaissable.")
    moderator = login(world.mod13b)
    response = _decide(moderator, world.reply13, "retablir", justification="Le texte a été anonymisé.")
    assert response.status_code == 303
    with app.app_context():
        post = db.session.get(Post, world.reply13.id)
        assert post.state == "visible" and reporting.hold_of(post.id) is None
        restored = db.session.scalars(select(Decision).where(Decision.action == "restore")).one()
        assert db.session.get(Decision, decision.id).reversed_by_id == restored.id
        assert restored.reverses_id == decision.id
        assert db.session.get(Space, world.c13.id).post_count == 2
        assert db.session.get(Topic, world.topic13.id).reply_count == 1
    again = _decide(moderator, world.reply13, "retablir", justification="Encore")
    assert again.status_code == 409 and "pas masqué" in text(again)


def test_hiding_twice_is_a_conflict_not_a_second_decision(world, act, app):
    act(post_decisions.hide, world.mod13, world.reply13, [world.articles[2]], "Premier masquage.")
    with pytest.raises(Conflict):
        act(post_decisions.hide, world.mod13b, world.reply13, [world.articles[2]], "Second masquage.")
    with app.app_context():
        assert db.session.scalar(select(func.count(Decision.id))) == 1
        assert db.session.get(Space, world.c13.id).post_count == 1


def test_a_decision_on_reports_decided_meanwhile_is_a_conflict(world, act, app):
    """The reports a moderator was shown must still be open, and be this post's: else someone
    decided meanwhile (409). A report that came since does not stop the decision."""
    act(reporting.report_post, world.alice, world.reply13, "third_party")
    act(reporting.report_post, world.alice, world.reply83, "third_party")
    with app.app_context():
        seen = str(reporting.open_reports(world.reply13.id)[0].id)
        elsewhere = str(reporting.open_reports(world.reply83.id)[0].id)
    act(reporting.report_post, world.carol, world.reply13, "third_party")   # after the page was shown
    with pytest.raises(Conflict):
        act(post_decisions.dismiss, world.mod13, world.reply13, "", seen=f"{seen},{elsewhere}")
    act(post_decisions.dismiss, world.mod13, world.reply13, "", seen=seen)
    with pytest.raises(Conflict) as late:      # a second moderator, shown the same report, decides too late
        act(post_decisions.hide, world.mod13b, world.reply13, [world.articles[2]], "Masquage tardif.", seen=seen)
    assert late.value.fields == {None: "Un autre modérateur vient de traiter ces signalements : "
                                       "voici l'état actuel du message."}
    with app.app_context():
        assert db.session.scalars(select(Decision.action)).all() == ["dismiss"]
        assert db.session.get(Post, world.reply13.id).state == "visible"


def test_dismiss_closes_reports_and_brings_back_a_post_hidden_by_the_threshold(world, act, app, login, notices):
    for member in (world.alice, world.carol, world.dave):
        act(reporting.report_post, member, world.reply13, "third_party")
    with app.app_context():
        assert db.session.get(Post, world.reply13.id).state == "hidden"
        seen = ",".join(str(r.id) for r in reporting.open_reports(world.reply13.id))
    moderator = login(world.mod13)
    queue = text(moderator.get("/moderation/"))
    assert "Accueil des nouveaux membres du comité" in queue and "3 membres ont signalé ce message" in queue
    response = _decide(moderator, world.reply13, "classer", reports=seen, justification="")
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Post, world.reply13.id).state == "visible"
        assert reporting.open_reports(world.reply13.id) == []
        statuses = set(db.session.scalars(select(Report.status)))
        assert statuses == {"dismissed"}
        hold = db.session.scalars(select(Decision).where(Decision.action == "hold")).one()
        dismiss = db.session.scalars(select(Decision).where(Decision.action == "dismiss")).one()
        assert hold.reversed_by_id == dismiss.id and hold.moderator_id is None
    reporters = {member_id for member_id, t, _ in notices if "Votre signalement" in t}
    assert reporters == {world.alice.id, world.carol.id, world.dave.id}
    # Dismissing is reversed by hiding, which needs an article.
    with app.app_context():
        dismiss_id = db.session.scalars(select(Decision.id).where(Decision.action == "dismiss")).one()
    with pytest.raises(Invalid):
        act(lambda: deciding.reverse(fresh_member(world.mod13b), db.session.get(Decision, dismiss_id), "Motif"))
    act(lambda: deciding.reverse(fresh_member(world.mod13b), db.session.get(Decision, dismiss_id),
                                 "Finalement, le tiers est reconnaissable.", [world.articles[2]]))
    with app.app_context():
        assert db.session.get(Post, world.reply13.id).state == "hidden"


def fresh_member(member):
    from forum.accounts.models import Member
    return db.session.get(Member, member.id)


def test_moderator_edit_adds_a_revision_with_a_visible_note_and_can_be_reverted(world, login, app, act):
    moderator = login(world.mod13)
    form = text(moderator.get(f"/moderation/messages/{world.reply13.id}/modifier"))
    assert "rue des Lilas" in form
    response = moderator.post(f"/moderation/messages/{world.reply13.id}/modifier", {
        "body": "Mme D. attend son RSA depuis quatre mois.", "articles": [world.articles[2]],
        "justification": "Adresse retirée.", "submit": "1"})
    assert response.status_code == 303
    with app.app_context():
        post = db.session.get(Post, world.reply13.id)
        assert post.source == "Mme D. attend son RSA depuis quatre mois." and post.revision_count == 2
        revisions = db.session.scalars(select(PostRevision).where(PostRevision.post_id == post.id)
                                       .order_by(PostRevision.number)).all()
        assert "rue des Lilas" in revisions[0].source
        assert revisions[1].editor_id == world.mod13.id
        assert revisions[1].note == "Modifié par la modération (article 2 de la version 1) : Adresse retirée."
        decision = db.session.scalars(select(Decision).where(Decision.action == "edit")).one()
    history = text(login(world.carol).get(f"/message/{world.reply13.id}/versions"))
    assert "Modifié par la modération (article 2 de la version 1) : Adresse retirée." in history
    unchanged = moderator.post(f"/moderation/messages/{world.reply13.id}/modifier", {
        "body": "Mme D. attend son RSA depuis quatre mois.", "articles": [world.articles[2]],
        "justification": "Rien.", "submit": "1"})
    assert unchanged.status_code == 422 and "Le texte n'a pas changé" in text(unchanged)
    act(deciding.reverse, world.mod13b, decision, "Le texte d'origine était acceptable.")
    with app.app_context():
        post = db.session.get(Post, world.reply13.id)
        assert "rue des Lilas" in post.source and post.revision_count == 3
        assert db.session.get(Decision, decision.id).reversed_by_id is not None


def test_pending_posts_are_approved_or_rejected(world, act, app, login, forum, notices):
    act(lambda: settings.save_for_space(
        fresh_member(world.coordinator), db.session.get(Space, world.c13.id), 3, 1))
    newcomer = forum.member("Nouvelle", committees=[world.c13])
    first = forum.reply(newcomer, world.topic13, "Mon tout premier message.")
    second = forum.reply(newcomer, world.topic13, "Mon deuxième message.")
    assert first.state == "pending" and second.state == "pending"
    assert "Mon tout premier message." not in text(login(world.carol).get(f"/sujet/{world.topic13.id}"))
    assert "Mon tout premier message." in text(login(newcomer).get(f"/sujet/{world.topic13.id}"))
    moderator = login(world.mod13)
    assert "Messages à approuver (2)" in text(moderator.get("/moderation/"))
    assert _decide(moderator, first, "approuver", justification="").status_code == 303
    refused = _decide(moderator, second, "refuser", articles=[world.articles[3]], justification="Hors sujet ici.")
    assert refused.status_code == 303
    with app.app_context():
        assert db.session.get(Post, first.id).state == "visible"
        assert db.session.get(Post, second.id).state == "hidden"
        assert db.session.get(Topic, world.topic13.id).reply_count == 2
    assert "Mon tout premier message." in text(login(world.carol).get(f"/sujet/{world.topic13.id}"))
    assert _decide(moderator, first, "approuver", justification="").status_code == 409
    # Rejecting is reversed by publishing; approving by hiding.
    with app.app_context():
        rejected = db.session.scalars(select(Decision).where(Decision.action == "reject")).one()
        approved = db.session.scalars(select(Decision).where(Decision.action == "approve")).one()
    act(lambda: deciding.reverse(fresh_member(world.mod13b), db.session.get(Decision, rejected.id),
                                 "Relu : à sa place."))
    act(lambda: deciding.reverse(fresh_member(world.mod13b), db.session.get(Decision, approved.id), "Finalement non.",
                                 [world.articles[3]]))
    with app.app_context():
        assert db.session.get(Post, second.id).state == "visible"
        assert db.session.get(Post, first.id).state == "hidden"


def test_a_pending_opening_post_starts_its_topic_when_approved(world, act, app, forum):
    from forum import events
    started = []

    def handler(event):
        started.append(event.topic_id)
    events.subscribe(app, events.TopicStarted, handler)
    try:
        act(lambda: settings.save_for_space(
            fresh_member(world.coordinator), db.session.get(Space, world.c13.id), 3, 1))
        newcomer = forum.member("Nouveau", committees=[world.c13])
        topic = forum.topic(newcomer, world.c13, "Un premier sujet en attente")
        assert topic.id not in started
        act(post_decisions.approve, world.mod13, forum.opening(topic))
        assert started.count(topic.id) == 1
    finally:
        events.unsubscribe(app, events.TopicStarted, handler)


def test_moderators_never_decide_about_their_own_posts(world, forum, login, app):
    own = forum.reply(world.mod13, world.topic13, "Un message du modérateur.")
    response = _decide(login(world.mod13), own, "masquer", articles=[world.articles[1]], justification="Auto.")
    assert response.status_code == 403
    with app.app_context():
        with pytest.raises(Forbidden) as refused:
            post_decisions.hide(db.session.get(Member, world.mod13.id), db.session.get(Post, own.id),
                                [world.articles[1]], "Auto.")
        assert refused.value.message == "Un autre modérateur doit décider de vos propres messages."
        db.session.rollback()
    assert _decide(login(world.mod13b), own, "masquer", articles=[world.articles[1]],
                   justification="Par un autre.").status_code == 303


def test_notices_are_written_in_each_recipients_language(world, act, app, notices):
    """Bob reads the forum in English, Carol (who reported) in French: each notice of one decision
    is stored in its recipient's language, whatever the moderator's."""
    from forum.accounts.models import Member
    with app.app_context():
        db.session.get(Member, world.bob.id).locale = "en"
        db.session.commit()
    act(reporting.report_post, world.carol, world.reply13, "third_party")
    act(post_decisions.hide, world.mod13, world.reply13, [world.articles[2]], "Une personne est reconnaissable.")
    told = {member_id: words for member_id, words, _ in notices}
    assert told[world.bob.id].startswith("Moderation decision: Post hidden")
    assert "(article 2 of the rules)" in told[world.bob.id] and "You may appeal" in told[world.bob.id]
    assert "Reason: Une personne est reconnaissable." in told[world.bob.id]
    assert told[world.carol.id].startswith("Votre signalement d'un message dans « ")
    assert "le message a été masqué. Merci" in told[world.carol.id]
