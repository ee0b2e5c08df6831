"""Events become notifications in the post's own transaction, following watch levels and permissions."""
import logging

import pytest
from sqlalchemy import func, select

from forum import events
from forum.accounts import administration, membership
from forum.accounts.models import Member
from forum.extensions import db
from forum.notifications import watching
from forum.notifications.models import (KIND_COLLEGE, KIND_MENTION, KIND_NOTICE, KIND_POST,
                                        KIND_QUOTE, KIND_REPLY, KIND_TOPIC, MUTED, NORMAL, TRACKING,
                                        WATCHING, Notification)
from forum.topics import posting
from forum.topics.models import Post, Space, Tag, Topic
from tests.helpers import Forum



def notifications_of(app, member):
    with app.app_context():
        return [(n.kind, n.actor_id, n.post_id) for n in db.session.scalars(
            select(Notification).where(Notification.member_id == member.id).order_by(Notification.id)).unique()]


def set_level(app, member, level, **target):
    with app.app_context():
        models = {"space": Space, "topic": Topic, "tag": Tag}
        rows = {name: db.session.get(models[name], row.id) for name, row in target.items()}
        watching.set_level(db.session.get(Member, member.id), level, **rows)
        db.session.commit()


@pytest.fixture
def people(forum):
    space = forum.space("Éthique et déontologie")
    alice, bob, carol = forum.member("Alice"), forum.member("Bob"), forum.member("Carol")
    return space, alice, bob, carol


def test_a_reply_notifies_the_parent_author_and_announces_the_absolute_count(app, forum, people,
                                                                              committed_events):
    space, alice, bob, carol = people
    changed = committed_events(events.NotificationsChanged)
    topic = forum.topic(alice, space, "Accueil inconditionnel en pratique")
    first = forum.reply(bob, topic, "Une première réponse")
    forum.reply(carol, topic, "Réponse à Bob", parent=first)
    forum.reply(carol, topic, "Une autre réponse au sujet")

    assert notifications_of(app, alice) == [(KIND_REPLY, bob.id, first.id), (KIND_REPLY, carol.id, first.id + 2)]
    assert notifications_of(app, bob) == [(KIND_REPLY, carol.id, first.id + 1)]
    assert notifications_of(app, carol) == []          # nobody answered Carol, and she is not notified of herself
    assert [(e.member_id, e.unread) for e in changed.seen] == [(alice.id, 1), (bob.id, 1), (alice.id, 2)]


def test_notifications_roll_back_with_the_post(app, forum, people, committed_events):
    space, alice, bob, _ = people
    topic = forum.topic(alice, space)
    changed = committed_events(events.NotificationsChanged)
    with app.app_context():
        row = db.session.get(Topic, topic.id)
        opening = db.session.scalars(select(Post).where(Post.topic_id == row.id, Post.number == 1)).one()
        post = posting._new_post(row, db.session.get(Member, bob.id), "Réponse jamais publiée", opening, "visible")
        posting.publish_post(post)
        assert db.session.scalar(select(func.count(Notification.id))) == 1   # written in the transaction
        db.session.rollback()
        assert db.session.scalar(select(func.count(Notification.id))) == 0
    assert changed.seen == []                                                 # nothing announced either


def test_mentions_and_quotes_one_notification_per_member(app, forum, people):
    space, alice, bob, carol = people
    topic = forum.topic(alice, space, "Secret professionnel partagé")
    alice_post = forum.opening(topic)
    dan = forum.member("Dan")
    # Bob answers Alice, names Carol, Alice and himself, and quotes Alice: each hears once, the
    # most personal reason first (a mention before the quote and the reply); Bob not at all.
    post = forum.reply(bob, topic, f'@Carol @Alice @Bob\n\n[quote="Alice, post:{alice_post.id}"]\nPremier '
                                   f'message\n[/quote]\n\nJe complète.', parent=alice_post)
    assert notifications_of(app, carol) == [(KIND_MENTION, bob.id, post.id)]
    assert notifications_of(app, alice) == [(KIND_MENTION, bob.id, post.id)]
    assert notifications_of(app, bob) == []
    assert notifications_of(app, dan) == []

    quoting = forum.reply(dan, topic, f'[quote="Bob, post:{post.id}"]\nJe complète.\n[/quote]\n\nJe cite Bob.')
    assert notifications_of(app, bob) == [(KIND_QUOTE, dan.id, quoting.id)]


def test_a_mention_written_in_a_post_notifies_through_the_markup(app, forum, people):
    space, alice, bob, carol = people
    topic = forum.topic(alice, space, "Participation des personnes accompagnées")
    post = forum.reply(bob, topic, "Bonne idée, qu'en pense @Carol ?")
    assert notifications_of(app, carol) == [(KIND_MENTION, bob.id, post.id)]
    assert notifications_of(app, alice) == [(KIND_REPLY, bob.id, post.id)]


def test_levels_decide_who_hears_what(app, forum, people):
    space, alice, bob, carol = people
    topic = forum.topic(alice, space)
    opening = forum.opening(topic)

    set_level(app, alice, NORMAL, topic=topic)          # Normal: mentions only
    forum.reply(bob, topic, "Réponse à Alice")
    assert notifications_of(app, alice) == []
    reply = forum.reply(bob, topic, "@Alice, qu'en pensez-vous ?")
    assert notifications_of(app, alice) == [(KIND_MENTION, bob.id, reply.id)]

    set_level(app, alice, MUTED, topic=topic)           # Silencieux: nothing, not even a mention
    forum.reply(bob, topic, "Encore une réponse, @Alice", parent=opening)
    assert len(notifications_of(app, alice)) == 1

    set_level(app, carol, WATCHING, topic=topic)        # Surveiller: every post
    watched = forum.reply(bob, topic, "Un message de plus")
    assert notifications_of(app, carol) == [(KIND_POST, bob.id, watched.id)]


def test_watching_a_space_or_a_tag_announces_new_topics_unless_muted(app, forum, people):
    space, alice, bob, carol = people
    tag = forum.tag("Logement")
    dan = forum.member("Dan")
    set_level(app, bob, WATCHING, space=space)
    set_level(app, carol, WATCHING, tag=tag)
    set_level(app, dan, WATCHING, tag=tag)
    set_level(app, dan, MUTED, space=space)             # a muted space wins over a watched tag

    topic = forum.topic(alice, space, "Logement d'abord : premiers bilans", tags=[tag])
    opening = forum.opening(topic)
    assert notifications_of(app, bob) == [(KIND_TOPIC, alice.id, opening.id)]
    assert notifications_of(app, carol) == [(KIND_TOPIC, alice.id, opening.id)]
    assert notifications_of(app, dan) == []

    other = forum.topic(alice, space, "Sans étiquette")
    assert len(notifications_of(app, bob)) == 2 and len(notifications_of(app, carol)) == 1
    reply = forum.reply(carol, other, "Une réponse")
    assert notifications_of(app, bob)[-1] == (KIND_POST, carol.id, reply.id)


def test_default_levels_follow_my_comites_and_my_topics(app, forum):
    committee = forum.committee("13", "Comité des Bouches-du-Rhône")
    theme = forum.space("Jeunesse")
    inside, outside = forum.member("Interne", committees=[committee]), forum.member("Externe")
    author = forum.member("Auteur", committees=[committee])
    topic = forum.topic(author, committee, "Sujet du comité")
    theme_topic = forum.topic(inside, theme, "Sujet du thème")
    with app.app_context():
        member = db.session.get(Member, inside.id)
        assert watching.space_choice(member, db.session.get(Space, committee.id)).level == TRACKING
        assert watching.space_choice(member, db.session.get(Space, theme.id)).level == NORMAL
        levels = watching.topic_levels(db.session.get(Topic, topic.id), [inside.id, outside.id, author.id])
        assert levels == {inside.id: TRACKING, outside.id: NORMAL, author.id: TRACKING}   # my comité
        levels = watching.topic_levels(db.session.get(Topic, theme_topic.id), [inside.id, outside.id])
        assert levels == {inside.id: TRACKING, outside.id: NORMAL}          # a topic I wrote in
        choice = watching.topic_choice(db.session.get(Member, outside.id), db.session.get(Topic, theme_topic.id))
        assert (choice.level, choice.chosen) == (NORMAL, False)


@pytest.mark.parametrize("topic_level, space_level, tags, in_committee, posted, expected", [
    (None, None, [], False, False, NORMAL),
    (None, None, [], True, False, TRACKING),
    (None, None, [], False, True, TRACKING),
    (None, None, [WATCHING], False, False, WATCHING),
    (None, MUTED, [WATCHING], True, True, MUTED),
    (None, None, [MUTED, WATCHING], False, False, MUTED),
    (NORMAL, WATCHING, [], True, True, NORMAL),          # a choice for the topic itself wins
    (WATCHING, MUTED, [MUTED], False, False, WATCHING),
    (None, NORMAL, [], True, True, TRACKING),
])
def test_resolving_a_level(topic_level, space_level, tags, in_committee, posted, expected):
    assert watching.resolve(topic_level, space_level, tags, in_committee, posted) == expected


def test_nobody_is_notified_of_what_they_may_not_read(app, forum):
    committee = forum.committee("06")
    board = forum.space("Bureau du comité 06", visibility="restricted", committees=[committee])
    insider = forum.member("Insider", committees=[committee])
    outsider = forum.member("Outsider")
    set_level(app, outsider, WATCHING, space=board)      # chosen while it was readable, say
    topic = forum.topic(insider, board, "Ordre du jour du bureau")
    forum.reply(insider, topic, "Réponse pour @Outsider")
    assert notifications_of(app, outsider) == []


def test_notices_and_confirmed_colleges(app, forum):
    college = forum.college("Professionnels du travail social")
    member = forum.member("Nadia", college=college, confirmed=False)
    coordinator = forum.member("Coord", role="coordinator")
    moderator = forum.member("Modo")
    with app.app_context():
        administration.confirm_college(db.session.get(Member, coordinator.id), db.session.get(Member, member.id))
        events.publish(events.MemberNotice(member_id=member.id, kind="warning",
                                           text="Avertissement : article 3 du règlement.", url="/reglement",
                                           actor_id=moderator.id))
        db.session.commit()
        rows = db.session.scalars(select(Notification).where(Notification.member_id == member.id)
                                  .order_by(Notification.id)).unique().all()
        assert [(n.kind, n.text, n.url) for n in rows] == [
            (KIND_COLLEGE, "Votre collège « Professionnels du travail social » est confirmé par la coordination.",
             "/preferences"),
            (KIND_NOTICE, "Avertissement : article 3 du règlement.", "/reglement")]
        assert rows[1].actor_id == moderator.id


def test_hiding_a_post_takes_its_notifications_away(app, forum, people, committed_events):
    space, alice, bob, _ = people
    topic = forum.topic(alice, space)
    reply = forum.reply(bob, topic, "Propos à masquer")
    changed = committed_events(events.NotificationsChanged)
    with app.app_context():
        posting.set_post_state(db.session.get(Post, reply.id), "hidden")
        db.session.commit()
    assert notifications_of(app, alice) == []
    assert [(e.member_id, e.unread) for e in changed.seen] == [(alice.id, 0)]


def test_leaving_a_comite_takes_away_notifications_about_its_restricted_space(app, forum):
    committee = forum.committee("83")
    board = forum.space("Bureau du 83", visibility="restricted", committees=[committee])
    alice = forum.member("Alice83", committees=[committee])
    bob = forum.member("Bob83", committees=[committee])
    topic = forum.topic(alice, board)
    forum.reply(bob, topic, "Réponse interne")
    other = forum.topic(alice, forum.space("Public"))
    forum.reply(bob, other, "Réponse publique")
    assert len(notifications_of(app, alice)) == 2
    with app.app_context():
        membership.leave(db.session.get(Member, alice.id), db.session.get(Space, committee.id))
    assert [kind for kind, *_ in notifications_of(app, alice)] == [KIND_REPLY]


def test_a_failing_decision_never_stops_the_post(app, app_factory, forum, people, caplog):
    """A failure of the notification code itself, provoked through what it reads: a server whose
    email delay no date can hold makes the reply to Alice fail while deciding her notification
    (``OverflowError`` on its due date). The reply is published all the same, without it."""
    space, alice, bob, _ = people
    topic = forum.topic(alice, space)
    misconfigured = Forum(app_factory(NOTIFICATION_EMAIL_DELAY=10 ** 12))   # about 31,700 years
    with caplog.at_level(logging.ERROR, logger="forum.notifications.notifying"):
        reply = misconfigured.reply(bob, topic, "Publié malgré tout")
    assert forum.get(Post, reply.id).state == "visible"
    assert forum.get(Topic, topic.id).reply_count == 1
    assert notifications_of(app, alice) == []
    [failure] = [r for r in caplog.records if r.exc_info]
    assert "on_post_published failed" in failure.getMessage()
    assert failure.exc_info[0] is OverflowError
    # The same reply on a rightly configured server notifies her: the failure was the cause.
    forum.reply(bob, topic, "Et celle-ci la prévient")
    assert [kind for kind, *_ in notifications_of(app, alice)] == [KIND_REPLY]


def test_reading_a_topic_marks_its_notifications_read(app, forum, people, browser, committed_events):
    space, alice, bob, _ = people
    topic = forum.topic(alice, space)
    first = forum.reply(bob, topic, "Une réponse à lire")
    other = forum.topic(alice, space)
    forum.reply(bob, other, "Dans un autre sujet")
    changed = committed_events(events.NotificationsChanged)
    browser.login(alice)
    browser.get(f"/sujet/{topic.id}")
    with app.app_context():
        rows = db.session.scalars(select(Notification).where(Notification.member_id == alice.id)
                                  .order_by(Notification.id)).all()
        assert [(n.post_id, n.read_at is not None) for n in rows] == [(first.id, True), (first.id + 2, False)]
    assert (alice.id, 1) in [(e.member_id, e.unread) for e in changed.seen]


def test_a_mention_added_by_an_edit_notifies_once(app, forum, people):
    space, alice, bob, carol = people
    topic = forum.topic(alice, space)
    post = forum.reply(bob, topic, "Sans mention")
    with app.app_context():
        row = db.session.get(Post, post.id)
        posting.edit_post(db.session.get(Member, bob.id), row, "Qu'en pense @Carol ?")
        posting.edit_post(db.session.get(Member, bob.id), db.session.get(Post, post.id), "Qu'en pense @Carol, vraiment ?")
    assert notifications_of(app, carol) == [(KIND_MENTION, bob.id, post.id)]
