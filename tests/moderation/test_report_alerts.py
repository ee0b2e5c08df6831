"""A report reaches the space's moderators at once (in-app and by email, as each chose), and the
coordination when it waits longer than the space's delay: once, however many runs."""
from datetime import timedelta

from sqlalchemy import select, update

from forum.clock import now
from forum.extensions import db
from forum.notifications import mailing, preferences
from forum.notifications.models import Notification
from moderation import escalation, reporting, settings
from moderation.models import Report

from ..helpers import email_text, sent_emails, text


def _notified(app, member):
    with app.app_context():
        return db.session.scalars(select(Notification).where(Notification.member_id == member.id)
                                  .order_by(Notification.id)).all()


def test_the_first_report_tells_the_moderators_of_the_space_and_no_one_else(world, act, app, notices):
    act(reporting.report_post, world.carol, world.reply13, world.articles[2])
    told = {member_id: (words, url) for member_id, words, url in notices}
    assert set(told) == {world.mod13.id, world.mod13b.id}     # not mod83, the coordination, the author
    words, url = told[world.mod13.id]
    assert words == "Nouveau signalement à examiner dans « Accueil des nouveaux membres du comité » " \
                    "(Comité des Bouches-du-Rhône)."
    assert url == f"/moderation/messages/{world.reply13.id}"
    assert "Carol" not in words                                # the notice does not name who reported
    # A second report of the post, while it waits: in the queue, no new notice.
    act(reporting.report_post, world.dave, world.reply13, "third_party")
    assert len(list(notices)) == 2


def test_a_moderator_who_reports_is_not_told_of_his_own_report(world, act, notices):
    act(reporting.report_post, world.mod13, world.reply13, world.articles[1])
    assert [member_id for member_id, _, _ in notices] == [world.mod13b.id]


def test_a_space_without_moderators_of_its_own_tells_the_coordination(world, forum, act, notices):
    topic = forum.topic(world.alice, world.theme, "Éthique du signalement")
    post = forum.reply(world.bob, topic, "Une réponse qui sera signalée.")
    act(reporting.report_post, world.carol, post, world.articles[1])
    assert [member_id for member_id, _, _ in notices] == [world.coordinator.id]


def test_the_alert_is_emailed_as_each_moderator_chose(world, act, app):
    act(preferences.save, world.mod13b, "never", True)
    act(reporting.report_post, world.carol, world.reply13, world.articles[2])
    with app.app_context():
        mailing.send_due(force=True)
    mine = sent_emails(app, world.mod13.email)
    assert len(mine) == 1 and "Nouveau signalement à examiner" in email_text(mine[0])
    assert f"/moderation/messages/{world.reply13.id}" in email_text(mine[0])
    assert sent_emails(app, world.mod13b.email) == []          # "jamais": the in-app notice only
    assert len(_notified(app, world.mod13b)) == 1


def _age(app, hours):
    with app.app_context():
        db.session.execute(update(Report).values(created_at=now() - timedelta(hours=hours)))
        db.session.commit()


def test_a_report_waiting_past_the_space_delay_goes_to_the_coordination_once(world, act, app, notices):
    act(settings.save_for_space, world.mod13, world.c13, 3, 0, "6")
    act(reporting.report_post, world.carol, world.reply13, world.articles[2])
    _age(app, 5)
    with app.app_context():
        assert escalation.escalate_waiting() == 0                # 5 hours: within the 6 of this space
    _age(app, 7)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["moderation", "escalate-reports"])
    assert first.exit_code == 0 and "1 message(s) signalé(s) transmis à la coordination" in first.output
    second = runner.invoke(args=["moderation", "escalate-reports"])
    assert second.exit_code == 0 and "0 message(s)" in second.output
    escalated = [(member_id, words) for member_id, words, _ in notices
                 if "la coordination est prévenue" in words]
    assert escalated == [(world.coordinator.id, "Un signalement attend depuis plus de 6 heures dans « Accueil des "
                          "nouveaux membres du comité » (Comité des Bouches-du-Rhône) : la coordination est prévenue.")]
    with app.app_context():
        assert db.session.scalar(select(Report.escalated_at)) is not None


def test_the_default_delay_is_48_hours(world, act, app):
    act(reporting.report_post, world.carol, world.reply13, world.articles[2])
    _age(app, 47)
    with app.app_context():
        assert escalation.escalate_waiting() == 0
    _age(app, 49)
    with app.app_context():
        assert escalation.escalate_waiting() == 1


def test_a_closed_report_is_never_escalated(world, act, app):
    act(reporting.report_post, world.carol, world.reply13, world.articles[2])
    from moderation import post_decisions
    act(post_decisions.dismiss, world.mod13, world.reply13)
    _age(app, 100)
    with app.app_context():
        assert escalation.escalate_waiting() == 0


def test_the_web_process_thread_escalates_without_cron(world, act, app, notices):
    """A single-process install has no cron: the notification email thread runs it (without
    being started here: its loop's periodic step is called once)."""
    act(reporting.report_post, world.carol, world.reply13, world.articles[2])
    _age(app, 49)
    worker = mailing.Worker(app)
    with app.app_context():
        worker.run_periodic()
        worker.run_periodic()     # too soon for another run: nothing twice anyway
    assert [m for m, words, _ in notices if "la coordination est prévenue" in words] == [world.coordinator.id]


def test_the_delay_is_a_setting_of_the_space(world, login, app):
    mod = login(world.mod13)
    page = text(mod.get(f"/moderation/espaces/{world.c13.slug}/reglages"))
    assert "Délai avant de prévenir la coordination (heures)" in page and 'value="48"' in page
    refused = mod.post(f"/moderation/espaces/{world.c13.slug}/reglages",
                       {"report_threshold": "3", "approve_first_posts": "0", "escalate_after_hours": "0",
                        "submit": "1"})
    assert refused.status_code == 422 and "Un nombre d'heures de 1 à 720." in text(refused)
    saved = mod.post(f"/moderation/espaces/{world.c13.slug}/reglages",
                     {"report_threshold": "3", "approve_first_posts": "0", "escalate_after_hours": "12",
                      "submit": "1"})
    assert saved.status_code == 303
    with app.app_context():
        space = db.session.get(type(world.c13), world.c13.id)
        assert settings.for_space(space).escalate_after_hours == 12
