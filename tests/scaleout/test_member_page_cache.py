"""A member's own kept pages (forum/web/page_cache.py): served again only while nothing they show
changed, whoever changed it; never to someone else; never to those who hold a role. The whole
suite runs with ``PAGE_CACHE_VERIFY`` (tests/conftest.py): every hit is checked against the
page rendered anew, so a write that forgets a version fails the test that makes it."""
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from forum.accounts.models import Member, MemberSession
from forum.clock import now
from forum.extensions import db
from forum.notifications.models import Notification, Watch
from forum.topics import drafts
from forum.topics.models import Space, Topic, TopicRead

from ..conftest import extract_csrf
from ..helpers import Browser, text
from .test_page_cache import is_hit


def settled(browser, path):
    """The page once kept: the first visits may change the member's own pages (reading a
    topic marks it read), so ask until the page is served kept, at most three times."""
    for _ in range(3):
        page = browser.get(path)
        if is_hit(page):
            return page
    raise AssertionError(f"{path} is never served kept")


@pytest.fixture
def nadia(app, forum):
    space = forum.space("Éthique et déontologie")
    author = forum.member("Nadia")
    topic = forum.topic(forum.member("Karim"), space, "Le secret partagé", body="Le premier message.")
    browser = Browser(app.test_client())
    browser.login(author)
    return browser, author, space, topic


def test_watching_a_draft_and_reading_change_the_members_kept_pages(app, forum, nadia):
    browser, author, space, topic = nadia
    path = f"/sujet/{topic.id}"
    settled(browser, path)
    browser.post(f"/suivi/sujet/{topic.id}", {"level": "3", "submit": "1"})
    page = browser.get(path)
    assert not is_hit(page) and 'value="3" checked' in text(page)

    settled(browser, path)
    with app.app_context():
        drafts.save(db.session.get(Member, author.id), drafts.topic_key(db.session.get(Topic, topic.id)),
                    "Un brouillon gardé pour plus tard.", None, None)
        db.session.commit()
    page = browser.get(path)
    assert not is_hit(page) and "Un brouillon gardé pour plus tard." in text(page)

    # A new reply makes the topic unread on the home page; reading it makes it read again.
    settled(browser, "/")
    forum.reply(forum.member("Élodie"), topic, "Une réponse à lire.")
    assert not is_hit(browser.get("/"))
    settled(browser, "/")
    browser.get(path)
    assert not is_hit(browser.get("/"))


def test_a_membership_granted_or_a_sanction_changes_the_members_kept_pages(app, forum, nadia):
    browser, author, space, topic = nadia
    committee = forum.committee("13", "Comité 13")
    closed = forum.space("Travail du comité 13", visibility="restricted", committees=[committee])
    settled(browser, "/")
    assert closed.name not in text(browser.get("/"))
    with app.app_context():
        member = db.session.get(Member, author.id)     # held: a collection only weakly refers to it
        member.committees.append(db.session.get(Space, committee.id))
        db.session.commit()
    page = browser.get("/")
    assert not is_hit(page) and closed.name in text(page)
    inside = forum.topic(forum.member("Karima", committees=[committee]), closed, "Entre nous")
    for path in (f"/espace/{closed.slug}", f"/sujet/{inside.id}"):
        assert "Entre nous" in text(settled(browser, path))

    settled(browser, "/")
    assert ">Nouveau sujet</a>" in text(browser.get("/"))
    with app.app_context():
        db.session.get(Member, author.id).silenced_until = now() + timedelta(days=2)
        db.session.commit()
    page = browser.get("/")
    assert not is_hit(page) and ">Nouveau sujet</a>" not in text(page)

    with app.app_context():
        member = db.session.get(Member, author.id)
        member.committees.clear()
        db.session.commit()
    # Kept while she could read them, refused as soon as she no longer may.
    assert closed.name not in text(browser.get("/"))
    for path in (f"/espace/{closed.slug}", f"/sujet/{inside.id}"):
        assert browser.get(path).status_code == 404, path


def test_the_notification_counter_is_rendered_anew_on_a_kept_page(app, forum, nadia):
    browser, author, space, topic = nadia
    elsewhere = forum.space("Jeunesse")
    mine = forum.topic(author, space, "Mon sujet", body="J'attends vos avis.")
    elodie = forum.member("Élodie")
    settled(browser, f"/espace/{elsewhere.slug}")
    forum.reply(elodie, mine, "Voici mon avis.")     # Nadia is notified
    page = browser.get(f"/espace/{elsewhere.slug}")
    assert is_hit(page)     # nothing of that space changed, only the counter
    assert 'data-count="1">1</span>' in text(page) and "\x00" not in text(page)


def test_those_who_hold_a_role_never_get_a_kept_page(app, forum, nadia):
    browser, author, space, topic = nadia
    for member in (forum.moderator(space, pseudonym="Modératrice"), forum.member("Coord", role="coordinator")):
        staff = Browser(app.test_client())
        staff.login(member)
        for path in ("/", f"/espace/{space.slug}", f"/sujet/{topic.id}"):
            assert not any(is_hit(staff.get(path)) for _ in range(3)), (member.pseudonym, path)


def test_a_fetch_of_a_topic_never_stands_for_reading_it(app, forum, nadia):
    """Only a navigation marks a topic read (forum/web/navigation.py): a page kept from a fetch
    is never served to a navigation, which must still mark it read."""
    browser, author, space, topic = nadia
    fetch = {"Sec-Fetch-Dest": "empty", "Sec-Fetch-Mode": "cors"}
    for _ in range(2):
        browser.get(f"/sujet/{topic.id}", headers=fetch)
    assert is_hit(browser.get(f"/sujet/{topic.id}", headers=fetch))
    with app.app_context():
        assert db.session.get(TopicRead, (author.id, topic.id)) is None
    assert not is_hit(browser.get(f"/sujet/{topic.id}"))
    with app.app_context():
        assert db.session.get(TopicRead, (author.id, topic.id)).last_read_number == 1


def test_a_write_that_forgets_a_version_is_caught_by_the_check(app, forum, nadia):
    """The check the whole suite runs with: a change written behind the ORM's back (no version
    bumped) makes the next hit fail loudly instead of serving a stale page."""
    browser, author, space, topic = nadia
    settled(browser, "/")
    with app.app_context():
        db.session.execute(update(Member.__table__).where(Member.__table__.c.id == author.id)
                           .values(pseudonym="Nadia-Renommée"))
        db.session.commit()
    with pytest.raises(AssertionError, match="stale kept page /"):
        browser.get("/")


def scopes_written(app, change):
    """The scopes a change bumps: ``change()`` runs in an app context, before the flush."""
    with app.app_context():
        change()
        db.session.flush()
        scopes = set(db.session.info.get("agora.scopes", ()))
        db.session.rollback()
        return scopes


def test_private_rows_bump_the_members_they_name_unless_they_say_otherwise(app, forum, nadia):
    browser, author, space, topic = nadia
    other = forum.member("Élodie")
    mine = f"member-{author.id}"

    def read():
        db.session.add(TopicRead(member_id=author.id, topic_id=topic.id, last_read_number=1))
    assert scopes_written(app, read) == {mine}

    def watch():
        db.session.add(Watch(member_id=author.id, topic_id=topic.id, level=3))
    assert scopes_written(app, watch) == {mine}

    def forget_watches():
        for row in db.session.scalars(select(Watch).where(Watch.member_id == author.id)):
            db.session.delete(row)
    forum.run(lambda: (db.session.add(Watch(member_id=author.id, topic_id=topic.id, level=3)), db.session.commit()))
    assert scopes_written(app, forget_watches) == {mine}

    def notify():
        db.session.add(Notification(member_id=author.id, actor_id=other.id, kind="reply", topic_id=topic.id))
    assert not any(scope.startswith("member-") for scope in scopes_written(app, notify))

    def touch_session():
        for session in db.session.scalars(select(MemberSession).where(MemberSession.member_id == author.id)):
            session.last_seen_at = now()
    assert scopes_written(app, touch_session) == set()

    def seen():
        db.session.get(Member, author.id).last_seen_at = now()
    assert scopes_written(app, seen) == set()

    def renamed_college():
        db.session.get(Member, author.id).show_college = False
    assert mine in scopes_written(app, renamed_college)

    def joined():
        member = db.session.get(Member, author.id)
        member.committees.append(db.session.get(Space, space.id))
        db.session.info["held"] = member
    assert scopes_written(app, joined) == {mine}


def test_the_forms_of_a_kept_page_carry_a_token_that_works(app, forum, nadia):
    browser, author, space, topic = nadia
    page = settled(browser, f"/sujet/{topic.id}")
    token = extract_csrf(page.get_data(as_text=True))
    assert "\x00" not in page.get_data(as_text=True)
    answer = browser.client.post(f"/suivi/sujet/{topic.id}", data={"level": "0", "submit": "1", "csrf_token": token})
    assert answer.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(Watch.level).where(Watch.member_id == author.id,
                                                           Watch.topic_id == topic.id)) == 0
