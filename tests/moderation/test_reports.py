"""Reports: the form (no JavaScript needed), one open report per member, thresholds, anonymity, limits."""
import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.topics.models import Post
from moderation import reporting, settings
from moderation.models import Report

from ..helpers import Browser, Forum, text
from .conftest import ARTICLES


def _report(browser, post, **data):
    form = {"reason": data.pop("reason"), "submit": "1"}
    form.update(data)
    return browser.post(f"/message/{post.id}/signaler", form)


def test_a_member_reports_a_post_through_a_plain_form(world, login, app):
    carol = login(world.carol)
    topic_page = text(carol.get(f"/sujet/{world.topic13.id}"))
    assert f'href="/message/{world.reply13.id}/signaler"' in topic_page
    form = text(carol.get(f"/message/{world.reply13.id}/signaler"))
    for number, (title, _) in enumerate(ARTICLES, 1):
        assert f"Article {number} — {title}" in form
    # The règlement's articles are the reasons: no second "données personnelles" choice beside them.
    assert "Données personnelles d'un tiers" not in form and "Autre" in form
    response = _report(carol, world.reply13, reason=world.articles[2], message="On reconnaît la personne.")
    assert response.status_code == 303
    assert "Merci : votre signalement est transmis" in text(carol.get(response.headers["Location"],
                                                                       follow_redirects=True))
    with app.app_context():
        report = db.session.scalars(select(Report)).one()
        assert (report.reporter_id, report.reason, report.article_number, report.charter_version) == \
            (world.carol.id, "article", 2, world.version.number)
        assert report.message == "On reconnaît la personne." and report.status == "open"


def test_one_open_report_per_member_per_post(world, login, app):
    carol = login(world.carol)
    assert _report(carol, world.reply13, reason="third_party").status_code == 303
    again = _report(carol, world.reply13, reason=world.articles[1], message="Encore")
    assert again.status_code == 409 and "déjà signalé" in text(again)
    assert "Vous avez déjà signalé ce message" in text(carol.get(f"/message/{world.reply13.id}/signaler"))
    with app.app_context():
        assert db.session.scalar(select(db.func.count(Report.id))) == 1


def test_the_database_refuses_a_second_open_report_even_past_the_code(world, app):
    from sqlalchemy.exc import IntegrityError
    with app.app_context():
        for _ in range(2):
            db.session.add(Report(post_id=world.reply13.id, reporter_id=world.carol.id, reason="other",
                                  detail="x", status="open"))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
        # Closed reports are history: they never block a new one.
        db.session.add(Report(post_id=world.reply13.id, reporter_id=world.carol.id, reason="other", detail="x",
                              status="dismissed"))
        db.session.add(Report(post_id=world.reply13.id, reporter_id=world.carol.id, reason="other", detail="x",
                              status="open"))
        db.session.commit()


@pytest.mark.parametrize("data, field, message, status", [
    ({"reason": ""}, "reason", "Choisissez la raison du signalement", 422),
    ({"reason": "other", "detail": ""}, "detail", "Précisez en quelques mots", 422),
    ({"reason": "999999"}, "reason", "pas dans le règlement en vigueur", 422),
    ({"reason": "third_party", "message": "x" * 3000}, "message", "trop long", 422),
])
def test_bad_reports_are_refused_in_french_and_keep_the_text(world, login, data, field, message, status):
    carol = login(world.carol)
    data = dict(data)
    data.setdefault("message", "Mon explication à garder")
    response = _report(carol, world.reply13, **data)
    assert response.status_code == status
    page = text(response)
    assert message in page
    if field != "message":
        assert "Mon explication à garder" in page


def test_nobody_reports_their_own_post_or_an_unreadable_one(world, login, forum):
    bob = login(world.bob)
    assert bob.get(f"/message/{world.reply13.id}/signaler").status_code == 403
    assert _report(bob, world.reply13, reason="third_party").status_code == 403
    secret = forum.space("Bureau", kind="regional", visibility="restricted", committees=[world.c83])
    topic = forum.topic(world.eve, secret, "Sujet du bureau")
    assert bob.get(f"/message/{forum.opening(topic).id}/signaler").status_code == 404
    anonymous = Browser(forum.app.test_client())
    assert anonymous.get(f"/message/{world.reply13.id}/signaler").status_code == 302


def test_threshold_hides_the_post_pending_review_without_deleting_it(world, login, app, notices):
    for member in (world.carol, world.dave):
        assert _report(login(member), world.reply13, reason=world.articles[2]).status_code == 303
    with app.app_context():
        assert db.session.get(Post, world.reply13.id).state == "visible"   # 2 < 3 (the default)
    assert _report(login(world.alice), world.reply13, reason="third_party").status_code == 303
    with app.app_context():
        post = db.session.get(Post, world.reply13.id)
        assert post.state == "hidden" and "rue des Lilas" in post.source
        assert reporting.hold_of(post.id).reason == "threshold"
    reader = text(login(world.eve).get(f"/sujet/{world.topic13.id}"))
    assert "Message masqué en attente de modération" in reader and "rue des Lilas" not in reader
    # The author still reads their text and learns what happened, but not who reported it.
    author = text(login(world.bob).get(f"/sujet/{world.topic13.id}"))
    assert "rue des Lilas" in author
    told = [t for member_id, t, _ in notices if member_id == world.bob.id]
    assert told and "en attente de modération" in told[-1]
    mine = text(login(world.bob).get("/moderation/mes-decisions"))
    for reporter in ("Carol", "Dave", "Alice"):
        assert reporter not in mine
        assert all(reporter not in t for t in told)


def test_threshold_is_a_per_space_setting(world, login, app):
    coordinator = login(world.coordinator)
    response = coordinator.post(f"/moderation/espaces/{world.c13.slug}/reglages",
                                {"report_threshold": "1", "approve_first_posts": "0", "submit": "1"})
    assert response.status_code == 303
    assert _report(login(world.carol), world.reply13, reason="third_party").status_code == 303
    with app.app_context():
        assert db.session.get(Post, world.reply13.id).state == "hidden"
        assert settings.for_space(world.c83).report_threshold == 3


def test_space_settings_are_kept_by_the_space_moderators_and_the_coordination(world, login, app):
    url = f"/moderation/espaces/{world.c13.slug}/reglages"
    assert login(world.mod83).post(url, {"report_threshold": "1", "approve_first_posts": "0",
                                         "submit": "1"}).status_code == 403
    assert login(world.alice).get(url).status_code == 403
    bad = login(world.mod13).post(url, {"report_threshold": "0", "approve_first_posts": "abc", "submit": "1"})
    assert bad.status_code == 422 and "Un nombre de 1 à 50" in text(bad)
    ok = login(world.mod13).post(url, {"report_threshold": "5", "approve_first_posts": "2", "submit": "1"})
    assert ok.status_code == 303
    with app.app_context():
        row = settings.for_space(world.c13)
        assert (row.report_threshold, row.approve_first_posts) == (5, 2)


def test_reporting_is_rate_limited_per_member(app_factory):
    app = app_factory(RATELIMIT_ENABLED=True, RATELIMIT_REPORTING="2 per hour",
                      RATELIMIT_REPORTING_NEW_MEMBER="1 per hour")
    forum = Forum(app)
    forum.charter(ARTICLES)
    space = forum.space("Espace")
    author = forum.member("Auteur")
    topic = forum.topic(author, space, "Un sujet à signaler")
    posts = [forum.reply(author, topic, f"Réponse {i}") for i in range(4)]
    from datetime import timedelta

    from forum.clock import now
    veteran = forum.member("Ancienne", created_at=now() - timedelta(days=30))
    newcomer = forum.member("Nouvelle")
    browser = Browser(app.test_client())
    browser.login(veteran)
    statuses = [_report(browser, post, reason="third_party").status_code for post in posts[:3]]
    assert statuses == [303, 303, 429]
    assert "Trop de tentatives" in text(_report(browser, posts[3], reason="third_party"))
    # A refused report (bad input) does not count.
    fresh = Browser(app.test_client())
    fresh.login(newcomer)
    assert _report(fresh, posts[0], reason="").status_code == 422
    assert [_report(fresh, post, reason="third_party").status_code for post in posts[:2]] == [303, 429]
