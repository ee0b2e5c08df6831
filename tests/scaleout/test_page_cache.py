"""The page cache for anonymous visitors: hits, invalidation through the database (any process
sees a change as soon as it is committed), and never a page of one viewer served to another."""
import re

from forum.accounts.models import Member
from forum.extensions import db
from forum.topics.models import POST_HIDDEN, Post, Space, Topic

from ..conftest import extract_csrf
from ..helpers import Browser, text


def is_hit(response):
    return response.headers.get("X-Agora-Cache") == "hit"


def without_cursor(response):
    """The page without what is made for each request: its live cursor (the time of the request)
    and its CSRF tokens (signed with a timestamp, so two requests a second apart differ)."""
    page = re.sub(r'data-cursor="[^"]*"', "", text(response))
    page = re.sub(r'(name="csrf-token" content|name="csrf_token" value)="[^"]*"', r"\1", page)
    return page


def scene(forum):
    author = forum.member("Nadia")
    space = forum.space("Éthique et déontologie")
    topic = forum.topic(author, space, "Le secret partagé", body="Premier message public.")
    return author, space, topic


def test_anonymous_pages_are_served_from_the_cache_until_a_reply_changes_them(app, forum):
    author, space, topic = scene(forum)
    visitor = app.test_client()
    for path in ("/", f"/espace/{space.slug}", f"/sujet/{topic.id}", f"/sujet/{topic.id}?vue=chrono", "/etiquettes"):
        first, second = visitor.get(path), visitor.get(path)
        assert first.status_code == second.status_code == 200, path
        assert not is_hit(first) and is_hit(second), path
        assert without_cursor(first) == without_cursor(second)

    forum.reply(author, topic, "Une réponse toute neuve.")
    for path in ("/", f"/espace/{space.slug}", f"/sujet/{topic.id}"):
        fresh = visitor.get(path)
        assert not is_hit(fresh), path
    assert "Une réponse toute neuve." in text(visitor.get(f"/sujet/{topic.id}"))
    assert is_hit(visitor.get(f"/sujet/{topic.id}"))


def test_a_change_written_by_another_process_is_seen_at_once(app_factory, forum):
    """Two apps on one database stand for two workers: what one writes, the other's cache shows."""
    reader_app = app_factory()
    writer_app = app_factory()
    author, space, topic = scene(type(forum)(writer_app))
    visitor = reader_app.test_client()
    visitor.get(f"/sujet/{topic.id}")
    assert is_hit(visitor.get(f"/sujet/{topic.id}"))
    writer = Browser(writer_app.test_client())
    writer.login(author)
    response = writer.post(f"/sujet/{topic.id}/repondre", {"body": "Écrit par l'autre processus.", "submit": "1"})
    assert response.status_code == 303
    page = visitor.get(f"/sujet/{topic.id}")
    assert not is_hit(page) and "Écrit par l'autre processus." in text(page)


def test_hiding_a_post_renaming_a_member_and_closing_a_space_invalidate(app, forum):
    author, space, topic = scene(forum)
    reply = forum.reply(author, topic, "Un propos à masquer.")
    visitor = app.test_client()
    visitor.get(f"/sujet/{topic.id}")
    assert is_hit(visitor.get(f"/sujet/{topic.id}"))
    with app.app_context():
        db.session.get(Post, reply.id).state = POST_HIDDEN
        db.session.commit()
    assert "Un propos à masquer." not in text(visitor.get(f"/sujet/{topic.id}"))

    visitor.get("/")
    with app.app_context():
        member = db.session.get(Member, author.id)
        member.pseudonym = "Nadia-Renommée"
        db.session.commit()
    assert "Nadia-Renommée" in text(visitor.get("/"))
    assert "Nadia-Renommée" in text(visitor.get(f"/sujet/{topic.id}"))

    with app.app_context():
        db.session.get(Space, space.id).visibility = "members"
        db.session.commit()
    assert visitor.get(f"/sujet/{topic.id}").status_code == 404
    assert visitor.get(f"/espace/{space.slug}").status_code == 404
    assert space.name not in text(visitor.get("/"))


def test_moving_a_topic_invalidates_both_spaces(app, forum):
    author, space, topic = scene(forum)
    other = forum.space("Jeunesse")
    visitor = app.test_client()
    for path in (f"/espace/{space.slug}", f"/espace/{other.slug}"):
        visitor.get(path)
        assert is_hit(visitor.get(path))
    with app.app_context():
        db.session.get(Topic, topic.id).space_id = other.id
        db.session.commit()
    assert "Le secret partagé" not in text(visitor.get(f"/espace/{space.slug}"))
    assert "Le secret partagé" in text(visitor.get(f"/espace/{other.slug}"))


def test_a_member_is_served_only_their_own_kept_page_and_never_leaks_into_a_visitors(app, forum):
    author, space, topic = scene(forum)
    other = forum.member("Karim")
    member, second = Browser(app.test_client()), Browser(app.test_client())
    member.login(author)
    second.login(other)
    anonymous = app.test_client()
    # Karim's first visit of the topic marks it read, which changes his pages: the third round
    # is served kept to both.
    for round in range(3):
        for path in ("/", f"/sujet/{topic.id}", f"/espace/{space.slug}"):
            mine = member.get(path)
            assert is_hit(mine) == (round > 0), path
            assert "Se déconnecter" in text(mine) and '<li><a href="/membre/Nadia">Nadia</a></li>' in text(mine)
            theirs = second.get(path)
            assert not is_hit(theirs) if round == 0 else (round == 1 or is_hit(theirs)), path
            assert '<li><a href="/membre/Karim">Karim</a></li>' in text(theirs)
            assert '<li><a href="/membre/Nadia">Nadia</a></li>' not in text(theirs)
            visitor = anonymous.get(path)
            assert "Se déconnecter" not in text(visitor) and "/preferences" not in text(visitor)
            assert "Votre réponse" not in text(visitor)
    assert is_hit(anonymous.get(f"/sujet/{topic.id}"))


def test_each_visitor_gets_their_own_csrf_token_and_it_works(app, forum):
    author, space, topic = scene(forum)
    first, second = app.test_client(), app.test_client()
    first.get(f"/sujet/{topic.id}")
    cached = second.get(f"/sujet/{topic.id}")
    assert is_hit(cached)
    token = extract_csrf(cached.get_data(as_text=True))
    assert token != extract_csrf(first.get(f"/sujet/{topic.id}").get_data(as_text=True))
    assert "\x00" not in cached.get_data(as_text=True)
    assert re.search(r'data-cursor="\d{4}-\d\d-\d\dT', cached.get_data(as_text=True))
    login = second.post("/connexion", data={"login": author.pseudonym, "password": "mot-de-passe-test",
                                            "submit": "1", "csrf_token": token})
    assert login.status_code == 303


def test_the_language_and_flashed_messages_are_kept_apart(app, forum):
    author, space, topic = scene(forum)
    french, english = app.test_client(), app.test_client()
    english.set_cookie("lang", "en")
    french.get("/")
    assert is_hit(french.get("/"))
    page = english.get("/")
    assert not is_hit(page) and 'lang="en"' in page.get_data(as_text=True)
    # A flashed message makes the page the visitor's own: never served cached, never cached.
    with french.session_transaction() as session:
        session["_flashes"] = [("message", "Un message rien qu'à vous.")]
    flashed = french.get("/")
    assert not is_hit(flashed) and "Un message rien qu'à vous." in text(flashed)
    again = app.test_client().get("/")
    assert is_hit(again) and "Un message rien qu'à vous." not in text(again)


def test_the_cache_can_be_turned_off(app_factory, forum):
    app = app_factory(PAGE_CACHE_BYTES=0)
    visitor = app.test_client()
    visitor.get("/")
    assert not is_hit(visitor.get("/"))


# --- members: post fragments shared between members who see a post the same way -----------

def test_members_share_post_fragments_but_never_what_is_theirs(app, forum):
    space = forum.space("Désinstitutionnalisation")
    author = forum.member("Nadia")
    other = forum.member("Karim")
    moderator = forum.moderator(space, pseudonym="Modératrice")
    topic = forum.topic(author, space, "Un sujet partagé", body="Le texte de Nadia.")
    forum.reply(other, topic, "La réponse de Karim.")
    store = app.extensions["agora_fragment_cache"]
    pages = {}
    for member in (author, other, moderator, other):
        browser = Browser(app.test_client())
        browser.login(member)
        pages.setdefault(member.pseudonym, []).append(text(browser.get(f"/sujet/{topic.id}")))
    assert store.hits > 0, "the second visit of a member reuses fragments"
    nadia, karim, moderation = pages["Nadia"][0], pages["Karim"][1], pages["Modératrice"][0]
    # Each sees their own actions only: edit links on their own posts, moderation for moderators.
    assert nadia.count(">Modifier<") == 1 and karim.count(">Modifier<") == 1
    assert "/modifier" in nadia and f"/message/" in nadia
    assert "Modérer" in moderation and "Modérer" not in nadia and "Modérer" not in karim
    assert "Signaler" in karim and "Signaler" in nadia

    # An edit reaches every member at once (the topic's version changed).
    with app.app_context():
        post = db.session.scalars(db.select(Post).where(Post.topic_id == topic.id, Post.number == 2)).one()
        post.html = "<p>La réponse de Karim, corrigée.</p>"
        db.session.commit()
    browser = Browser(app.test_client())
    browser.login(author)
    assert "La réponse de Karim, corrigée." in text(browser.get(f"/sujet/{topic.id}"))


def test_unread_marks_stay_with_their_member(app, forum):
    space = forum.space("Jeunesse")
    author, reader, late = forum.member("Nadia"), forum.member("Karim"), forum.member("Léa")
    topic = forum.topic(author, space, "Un sujet lu à moitié")
    first = Browser(app.test_client())
    first.login(reader)
    first.get(f"/sujet/{topic.id}")                 # Karim has read up to #1
    forum.reply(author, topic, "Une réponse que Karim n'a pas lue.")
    karim = text(first.get(f"/sujet/{topic.id}"))
    assert "post-unread" in karim
    second = Browser(app.test_client())
    second.login(late)
    second.get(f"/sujet/{topic.id}")
    lea = text(second.get(f"/sujet/{topic.id}"))     # Léa has now read everything
    assert "post-unread" not in lea


def test_a_reply_leaves_the_pages_of_other_spaces_cached(app, forum):
    """What a reply writes besides the post (read marks, notifications, search jobs) is private:
    it invalidates its topic and space, never the whole site."""
    author, space, topic = scene(forum)
    elsewhere = forum.space("Jeunesse")
    other = forum.topic(author, elsewhere, "Un sujet ailleurs")
    karim = forum.member("Karim")
    visitor = app.test_client()
    for path in (f"/sujet/{other.id}", f"/espace/{elsewhere.slug}"):
        visitor.get(path)
    forum.reply(karim, topic, "Une réponse @Nadia dans l'autre espace.")
    assert is_hit(visitor.get(f"/sujet/{other.id}"))
    assert is_hit(visitor.get(f"/espace/{elsewhere.slug}"))
    assert not is_hit(visitor.get(f"/sujet/{topic.id}"))


# What public pages never show, as page_cache listed it by name before each model declared its own.
PRIVATE_BEFORE = {"MemberSession", "TopicRead", "Draft", "Notification", "Watch", "MailPreference",
                  "DigestDelivery", "CharterAcceptance", "Report", "AuditEntry", "Appeal",
                  "Attachment", "PostRevision", "ContentVersion", "SearchJob", "SearchDocument",
                  "SpentToken",   # declared private from the start, as every table of issue 15:
                  "MembershipRequest", "Invitation", "TwoStepLogin", "RecoveryCode", "FormerMember",
                  "DeletionRequest", "RedactedOriginal", "DataExport",
                  "BallotRevision",   # a voter's own history (issue 17); decisions say their scopes
                  # issue 18: a synthesis's revisions, review comments and the files sent to the HCTS
                  "SynthesisRevision", "SynthesisComment", "SynthesisFile",
                  "CapitalDocument",   # issue 18: search's documents of syntheses and resources
                  # issue 23: who came, travel costs, calendar subscriptions
                  "Attendance", "TravelClaim", "CalendarFeed",
                  # issue 22: a member's private feed address, API keys, webhooks and their deliveries
                  "FeedToken", "ApiKey", "Webhook", "WebhookDelivery",
                  "MemberBlock",   # issue 21: whom a member blocked
                  # issue 21: private conversations, read by their participants and groups only
                  "Conversation", "ConversationParticipant", "ConversationMessage", "GroupRead", "ConversationReport",
                  "AnnouncementDismissal",   # issue 21: a member hid an announcement from their home page
                  "InboundEmail"}   # issue 20: emails received at reply addresses, refused ones quarantined
PRIVATE_MEMBER_COLUMNS_BEFORE = {"last_seen_at", "locale", "password_hash", "email_confirmed_at",
                                 "email", "bio", "convention_signed_at", "silenced_until",
                                 "suspended_until", "created_at",
                                 "email_confirmation_required", "deactivated_at",
                                 "awaiting_approval",
                                 "refuses_messages"}   # private from the start


def test_models_declare_the_same_privacy_page_cache_named_before(app):
    import moderation.models  # noqa: F401  (loaded by the app; named for clarity)
    import search.models  # noqa: F401
    from forum.web import page_cache
    mappers = list(db.Model.registry.mappers)
    names = [m.class_.__name__ for m in mappers]
    assert len(names) == len(set(names))   # one model per name: privacy by name and by class agree
    assert {m.class_.__name__ for m in mappers if page_cache.is_private(m.class_)} == PRIVATE_BEFORE
    declaring = {m.class_.__name__: page_cache.private_attributes(m.class_) for m in mappers
                 if page_cache.private_attributes(m.class_)}
    assert declaring == {"Member": frozenset(PRIVATE_MEMBER_COLUMNS_BEFORE | {"committees"}),
                         # issue 23: the online link (registered only), reminders sent; needs (organisers)
                         "Meeting": frozenset({"online_url", "reminded_early_at", "reminded_late_at"}),
                         "Registration": frozenset({"needs", "needs_note"})}
    member = db.inspect(Member)
    assert PRIVATE_MEMBER_COLUMNS_BEFORE <= set(member.column_attrs.keys())
    assert "committees" in member.relationships.keys()


def test_an_announcement_leaves_kept_home_pages_when_dismissed_or_ended(app, forum):
    """A member's dismissal bumps their own version; the end date changes the key by the clock
    (nothing is written when an announcement ends)."""
    from datetime import timedelta   # why: only this test counts days
    from sqlalchemy import update
    from forum.clock import now
    from moderation import topic_decisions
    author, space, topic = scene(forum)
    coordinator = forum.member("Coordination", role="coordinator")
    with app.app_context():
        topic_decisions.announce_topic(db.session.get(Member, coordinator.id), db.session.get(Topic, topic.id),
                                       until=f"{now() + timedelta(days=3):%d/%m/%Y}")
    visitor, member = app.test_client(), Browser(app.test_client())
    member.login(forum.member("Karim"))
    for browser in (visitor, member):
        browser.get("/")
        kept = browser.get("/")
        assert is_hit(kept) and 'class="announcements"' in text(kept)
    assert member.post(f"/annonces/{topic.id}/masquer", {"submit": "1"}).status_code == 303
    member.get("/")                                     # the notice: a page not kept
    again = member.get("/")
    assert 'class="announcements"' not in text(again)
    assert 'class="announcements"' in text(visitor.get("/"))
    with app.app_context():
        db.session.execute(update(Topic).where(Topic.id == topic.id).values(announced_until=now() - timedelta(minutes=1)))
        db.session.commit()
    ended = visitor.get("/")
    assert not is_hit(ended) and 'class="announcements"' not in text(ended)
