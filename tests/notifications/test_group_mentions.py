"""Group mentions (@comite-N, @moderation-N, @coordination, @college-…): each notifies exactly its
members who may read the post, only when its author may mention it and the group is not too big;
otherwise the post is published all the same and its author is told why."""
import pytest
from sqlalchemy import select

from forum.accounts.models import Member
from forum.extensions import db
from forum.notifications import preferences
from forum.notifications.models import KIND_MENTION, Notification
from forum.text import group_mentions
from forum.text.references import group_refusals, render_post
from forum.topics import posting
from forum.topics.models import Post
from tests.helpers import text


def notified(app, post):
    """Ids of the members a post notified."""
    with app.app_context():
        return sorted(db.session.scalars(select(Notification.member_id).where(
            Notification.post_id == post.id, Notification.kind == KIND_MENTION)))


def refusals(app, author, body):
    with app.app_context():
        return [(r.handle, r.reason) for r in group_refusals(db.session.get(Member, author.id), body)]


def opt_in(forum, member, choice=True):
    forum.run(lambda: preferences.save(db.session.get(Member, member.id), "direct", True, choice))


@pytest.fixture
def world(forum):
    c06, c13 = forum.committee("06", "Comité des Alpes-Maritimes"), forum.committee("13", "Comité des Bouches-du-Rhône")
    theme = forum.space("Éthique et déontologie")
    pros = forum.college("Professionnels du travail social")
    w = type("World", (), {})()
    w.c06, w.c13, w.theme, w.pros = c06, c13, theme, pros
    w.ana, w.bea = forum.member("Ana", committees=[c06]), forum.member("Bea", committees=[c06])
    w.carl = forum.member("Carl", committees=[c13])                 # in no group of the 06
    w.mod06 = forum.moderator(c06, pseudonym="Mod-06")
    w.coord = forum.member("Coord", role="coordinator")
    w.admin = forum.member("Admin", role="admin")
    w.topic = forum.topic(w.coord, theme, "Accueil des personnes en situation d'urgence")
    return w


def test_each_group_notifies_exactly_its_members(app, forum, world):
    w = world
    # The comité's members (its author excepted), nobody else.
    post = forum.reply(w.ana, w.topic, "Qu'en pense @comite-06 ?")
    assert notified(app, post) == [w.bea.id]
    # Its moderators, called by anyone.
    post = forum.reply(w.carl, w.topic, "J'ai besoin de @moderation-06.")
    assert notified(app, post) == [w.mod06.id]
    # The coordinators (not the administrators, who keep the site).
    post = forum.reply(w.carl, w.topic, "@coordination, pouvez-vous aider ?")
    assert notified(app, post) == [w.coord.id]


def test_a_college_notifies_only_its_confirmed_members_who_opted_in(app, forum, world):
    w = world
    yes = forum.member("Oui", college=w.pros)
    no = forum.member("Non", college=w.pros)                                 # never chose: off
    unconfirmed = forum.member("Pasconfirme", college=w.pros, confirmed=False)
    opt_in(forum, yes)
    opt_in(forum, unconfirmed)
    post = forum.reply(w.coord, w.topic, "Question pour @college-professionnels-du-travail-social")
    assert notified(app, post) == [yes.id]
    assert no.id not in notified(app, post) and unconfirmed.id not in notified(app, post)
    opt_in(forum, yes, False)
    post = forum.reply(w.coord, w.topic, "Encore @college-professionnels-du-travail-social")
    assert notified(app, post) == []


def test_who_may_not_mention_a_group_notifies_nobody_and_is_told(app, forum, world):
    w = world
    member_of_college = forum.member("Pro", college=w.pros)
    opt_in(forum, member_of_college)
    body = "Bonjour @comite-06 et @college-professionnels-du-travail-social"
    post = forum.reply(w.carl, w.topic, body)       # Carl: comité 13, no collège
    assert notified(app, post) == []
    with app.app_context():
        assert db.session.get(Post, post.id).source == body          # published all the same
    assert refusals(app, w.carl, body) == [("comite-06", group_mentions.NOT_ALLOWED),
                                           ("college-professionnels-du-travail-social", group_mentions.NOT_ALLOWED)]
    # The comité's moderator and the coordination may.
    assert refusals(app, w.mod06, body)[0] == ("college-professionnels-du-travail-social", group_mentions.NOT_ALLOWED)
    assert refusals(app, w.coord, body) == []
    # A confirmed member of the collège may mention it; an unconfirmed one may not.
    colleague = forum.member("Collegue", college=w.pros)
    newcomer = forum.member("Nouveau", college=w.pros, confirmed=False)
    post = forum.reply(colleague, w.topic, "Salut @college-professionnels-du-travail-social")
    assert notified(app, post) == [member_of_college.id]
    post = forum.reply(newcomer, w.topic, "Salut @college-professionnels-du-travail-social")
    assert notified(app, post) == []


def test_a_group_bigger_than_the_setting_is_not_notified(app, forum, world):
    w = world
    cleo = forum.member("Cleo", committees=[w.c06])
    app.config["GROUP_MENTION_MAX_MEMBERS"] = 2           # Bea and Cleo, Ana writing: 2, notified
    post = forum.reply(w.ana, w.topic, "@comite-06 ?")
    assert notified(app, post) == sorted([w.bea.id, cleo.id])
    forum.member("Dina", committees=[w.c06])                 # now 3 besides Ana: too big
    post = forum.reply(w.ana, w.topic, "@comite-06 ?")
    assert notified(app, post) == []
    with app.app_context():
        messages = [r.message for r in group_refusals(db.session.get(Member, w.ana.id), "@comite-06 ?")]
    assert messages == ["@comite-06 n'a pas été prévenu : ce groupe compte plus de 2 membres."]


def test_a_group_member_who_cannot_read_the_post_is_not_notified(app, forum, world):
    w = world
    both = forum.member("Deux", committees=[w.c06, w.c13])
    closed = forum.space("Bureau du comité 06", kind="regional", visibility="restricted", committees=[w.c06])
    topic = forum.topic(w.coord, closed, "Ordre du jour du bureau")
    post = forum.reply(w.coord, topic, "@comite-13 : vous êtes invités.")
    assert notified(app, post) == [both.id]                   # Carl (comité 13 only) cannot read it


def test_a_member_mentioned_directly_and_by_a_group_hears_once(app, forum, world):
    w = world
    post = forum.reply(w.ana, w.topic, "@Bea et tout le @comite-06 : réunion jeudi.")
    with app.app_context():
        rows = db.session.scalars(select(Notification).where(Notification.post_id == post.id,
                                                             Notification.member_id == w.bea.id)).all()
    assert [row.kind for row in rows] == [KIND_MENTION]


def test_an_edit_notifies_a_group_once(app, forum, world):
    w = world
    post = forum.reply(w.ana, w.topic, "Sans mention")
    with app.app_context():
        posting.edit_post(db.session.get(Member, w.ana.id), db.session.get(Post, post.id), "Avis de @comite-06 ?")
    assert notified(app, post) == [w.bea.id]
    with app.app_context():
        db.session.execute(Notification.__table__.delete().where(Notification.post_id == post.id))
        db.session.commit()
        # The group was already named: changing other words tells nobody again.
        posting.edit_post(db.session.get(Member, w.ana.id), db.session.get(Post, post.id),
                          "Avis de @comite-06, vraiment ?")
    assert notified(app, post) == []


def test_group_mentions_render_as_links_distinct_from_members(app, forum, world):
    w = world
    long_college = forum.college("Acteurs du développement social local")
    with app.app_context():
        coord = db.session.get(Member, w.coord.id)
        html = render_post(coord, "@Comite-06 @moderation-13 @coordination "
                                  "@college-acteurs-du-developpement-social-local @comite-99 @Ana").html
    assert f'<a class="group-mention" href="/espace/{w.c06.slug}" rel="nofollow ugc noopener">@Comite-06</a>' in html
    assert f'<a class="group-mention" href="/espace/{w.c13.slug}"' in html
    assert '<a class="group-mention" href="/aide#mentions-de-groupe" rel="nofollow ugc noopener">@coordination</a>' in html
    assert f">@college-{long_college.slug}</a>" in html
    assert "@comite-99" in html and ">@comite-99<" not in html          # no such comité: plain text
    assert '<a class="mention" href="/membre/Ana"' in html


def test_a_member_named_like_a_group_before_the_rule_does_not_take_its_mentions(app, forum, world):
    w = world
    squatter = forum.member("comite-06")        # made directly: registration refuses it now
    post = forum.reply(w.ana, w.topic, "@comite-06")
    assert squatter.id not in notified(app, post)


@pytest.mark.parametrize("pseudonym", ["coordination", "Coordination", "comite-13", "Comité_06", "moderation-84",
                                       "college-personnes", "COLLEGE.autre"])
def test_registration_refuses_a_group_handle(app, browser, forum, pseudonym):
    college = forum.college()
    response = browser.post("/inscription", {
        "pseudonym": pseudonym, "email": "groupe@example.fr", "password": "un-mot-de-passe-long",
        "college": str(college.id), "show_college": "default", "adheres_convention": "y",
        "accepts_charter": "y", "submit": "1"})
    assert response.status_code == 422
    assert "Ce pseudonyme est réservé aux mentions de groupe" in text(response)
    with app.app_context():
        assert db.session.scalar(select(Member.id).where(Member.email == "groupe@example.fr")) is None


def test_names_that_only_begin_like_a_group_stay_open():
    assert not group_mentions.is_reserved("Coordination-PACA")
    assert not group_mentions.is_reserved("Comitard")
    assert not group_mentions.is_reserved("Colleges")
    assert group_mentions.is_reserved("comite-xx")


def test_the_author_sees_why_after_posting_and_in_the_preview(app, browser, forum, world):
    w = world
    browser.login(w.carl)
    url = f"/sujet/{w.topic.id}/repondre"
    body = "Un avis de @comite-06 ?"
    preview = browser.post(url, {"body": body, "preview": "1"})
    assert preview.status_code == 200
    notice = "@comite-06 n'a pas été prévenu : seuls ses membres, ses modérateurs et la coordination"
    assert notice in text(preview)
    response = browser.post(url, {"body": body, "submit": "1"}, follow_redirects=True)
    assert response.status_code == 200
    assert notice in text(response)
    with app.app_context():
        assert db.session.scalar(select(Post.id).where(Post.source == body)) is not None


def test_the_college_choice_is_saved_from_the_preferences_page(app, browser, forum, world):
    w = world
    member = forum.member("Choisit", college=w.pros)
    browser.login(member)
    page = browser.get("/preferences/courriels")
    assert "Les membres peuvent me mentionner avec @college-…" in text(page)
    response = browser.post("/preferences/courriels", {"email_mode": "direct", "digest": "y",
                                                       "college_mentions": "y", "submit": "1"})
    assert response.status_code == 303
    post = forum.reply(w.coord, w.topic, "@college-professionnels-du-travail-social")
    assert notified(app, post) == [member.id]


def test_a_call_to_a_comite_without_moderators_points_to_the_coordination(app, forum, world):
    w = world
    assert refusals(app, w.carl, "Aidez-moi @moderation-13") == [("moderation-13", group_mentions.EMPTY)]
    with app.app_context():
        [refusal] = group_refusals(db.session.get(Member, w.carl.id), "Aidez-moi @moderation-13")
    assert "Mentionnez @coordination pour demander de l'aide." in refusal.message
