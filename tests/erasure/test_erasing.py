"""Erasing a member: after it, the pseudonym and the email are nowhere — no row of any table, no
file of the search index, no cached page, no page of a thread they took part in, no queued
email — while every thread still reads. Both databases, both search engines."""
import os
from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.accounts import erasure
from forum.accounts.models import Member, MemberSession
from forum.charter.models import CharterAcceptance
from forum.notifications.models import MailPreference, Watch
from forum.topics.drafts import Draft
from forum.topics.models import space_moderator
from forum.clock import now
from forum.errors import Conflict, Forbidden
from forum.extensions import db
from forum.notifications import mailing
from forum.notifications.models import Notification
from forum.topics import drafts
from forum.topics.models import Post, PostRevision, Topic
from moderation.models import AuditEntry, Decision, Report

from ..helpers import Browser, sent_emails, text

NAME = "Quiproquo42"
EMAIL = "quiproquo42@exemple.org"
SECRET_WORDS = "zigouigoui"   # in the member's own posts only: gone when removed


def dump(app):
    """Every row of every table of the models, as text (what a database dump would show)."""
    with app.app_context():
        parts = []
        for table in db.metadata.sorted_tables:
            for row in db.session.execute(select(table)).all():
                parts.append(" ".join(str(value) for value in row))
        return "\n".join(parts)


def index_files(app):
    folder = app.config["SEARCH_INDEX_DIR"]
    found = b""
    for root, _dirs, files in os.walk(folder):
        for name in files:
            with open(os.path.join(root, name), "rb") as handle:
                found += handle.read()
    return found


def build(forum, app):
    """A thread the member took part in, with every kind of trace of them around it."""
    forum.charter()
    space = forum.space("Non-recours aux droits")
    committee = forum.committee("13")
    victim = forum.moderator(space, pseudonym=NAME, email=EMAIL, bio=f"Je signe {NAME}.", committees=[committee])
    bertille = forum.member("Bertille")
    coordinator = forum.member("Coordination", role="coordinator")
    topic = forum.topic(victim, space, "Le non-recours au RSA", body=f"Bonjour, je suis {NAME}, {SECRET_WORDS}.")
    opening = forum.opening(topic)
    answer = forum.reply(bertille, topic, f"@{NAME} merci !\n\n[quote=\"{NAME}, post:{opening.id}\"]\nBonjour\n"
                                          "[/quote]\n\nD'accord avec toi.", opening)
    mine = forum.reply(victim, topic, f"Réponse à Bertille, {SECRET_WORDS} encore.", answer)
    forum.reply(bertille, topic, "Merci pour ta réponse.", mine)
    other = forum.topic(bertille, space, f"Question pour {NAME}", body=f"Comme disait @{NAME.lower()} hier.")
    with app.app_context():
        from forum.topics import posting
        member = db.session.get(Member, bertille.id)
        posting.edit_post(member, db.session.get(Post, answer.id), f"@{NAME} merci beaucoup !\n\nD'accord.")
        victim_row = db.session.get(Member, victim.id)
        drafts.save(victim_row, drafts.topic_key(db.session.get(Topic, topic.id)), f"brouillon de {NAME}")
        db.session.add(Watch(member_id=victim.id, space_id=space.id, level=3))
        db.session.add(MailPreference(member_id=victim.id, email_mode="all"))
        db.session.add(Decision(action="warn", moderator_id=coordinator.id, member_id=victim.id,
                                justification=f"{NAME} ({EMAIL}) a été averti.", details={"note": NAME}))
        db.session.add(Report(post_id=answer.id, reporter_id=victim.id, reason="other",
                              detail=f"signalé par {NAME}", message=f"Écrivez-moi : {EMAIL}"))
        db.session.add(AuditEntry(actor_id=coordinator.id, action="member", target_type="member",
                                  target_id=victim.id, before={"pseudonym": NAME, "email": EMAIL},
                                  after={"bio": f"Je signe {NAME}."}))
        db.session.commit()
    return victim, bertille, coordinator, topic, other, opening, answer, mine


def test_anonymised_member_is_nowhere_and_threads_still_read(app, forum, client, engine):
    victim, bertille, coordinator, topic, other, opening, answer, mine = build(forum, app)
    browser = Browser(client)
    browser.login(victim)
    assert NAME in text(client.get(f"/sujet/{topic.id}"))
    browser.logout()
    visitor = app.test_client()
    assert NAME in text(visitor.get(f"/sujet/{topic.id}"))          # now in the page cache
    assert NAME in text(visitor.get(f"/sujet/{other.id}"))
    with app.app_context():   # emails queued to the member and about them (a reply of theirs)
        assert db.session.scalar(select(Notification.id).where(Notification.member_id == victim.id))
        about = select(Notification.mail_state).where(Notification.member_id == bertille.id,
                                                      Notification.actor_id == victim.id)
        assert db.session.scalars(about).all() == ["pending"]     # the reply to Bertille, to be emailed
    assert NAME in dump(app) and EMAIL in dump(app)

    with app.app_context():
        erasure.anonymise(db.session.get(Member, victim.id), db.session.get(Member, coordinator.id))

    everything = dump(app)
    assert NAME.lower() not in everything.lower()
    assert EMAIL.lower() not in everything.lower()
    assert "Ancien membre 1" in everything
    assert NAME.lower().encode() not in index_files(app).lower()
    with app.app_context():
        from search import searching
        reader = db.session.get(Member, bertille.id)
        with app.test_request_context():
            assert searching.search(reader, NAME).items == []
            assert searching.search(reader, f"@{NAME}").items == []
            assert [item.post.id for item in searching.search(reader, SECRET_WORDS).items]   # contributions stay
    for page in (visitor.get(f"/sujet/{topic.id}"), visitor.get(f"/sujet/{other.id}")):
        assert page.status_code == 200 and NAME.lower() not in text(page).lower()
    thread = text(visitor.get(f"/sujet/{topic.id}"))
    assert "Ancien membre 1" in thread and "D'accord." in thread and "Merci pour ta réponse." in thread
    assert SECRET_WORDS in thread                                                  # kept, anonymised
    assert "Comme disait Ancien membre 1 hier." in text(visitor.get(f"/sujet/{other.id}"))
    assert "Question pour Ancien membre 1" in text(visitor.get(f"/sujet/{other.id}"))
    assert visitor.get(f"/membre/{NAME}").status_code == 404
    profile = visitor.get("/membre/Ancien membre 1")
    assert profile.status_code == 200 and "Je signe" not in text(profile)
    with app.app_context():
        quoting = db.session.get(Post, answer.id)
        assert "Ancien membre 1" in quoting.html and 'class="mention"' not in quoting.html
        assert db.session.scalar(select(Notification.id).where(Notification.member_id == victim.id)) is None
        assert db.session.scalars(about).all() == ["skipped"]     # kept in her inbox, never emailed
        row = db.session.get(Member, victim.id)
        assert (row.committees, row.college_id, row.bio, row.role, row.locale) == ([], None, "", "member", None)
        assert row.email == "ancien-membre-1@efface.invalid"
        assert db.session.execute(select(space_moderator).where(space_moderator.c.member_id == victim.id)).first() is None
        for model in (MemberSession, Draft, Watch, MailPreference, CharterAcceptance):
            assert db.session.scalar(select(model.member_id).where(model.member_id == victim.id)) is None, model
        sent = mailing.send_due(now() + timedelta(days=1), force=True)
        assert sent is not None
    for message in sent_emails(app):
        assert EMAIL not in str(message["To"])
        body = message.get_body(preferencelist=("plain",)).get_content()
        assert NAME.lower() not in body.lower()
    refused = Browser(app.test_client()).post("/connexion", {"login": EMAIL, "password": "mot-de-passe-test",
                                                             "submit": "1"})
    assert refused.status_code == 401


def test_removed_contributions_leave_placeholders_in_order(app, forum, engine):
    victim, bertille, coordinator, topic, other, opening, answer, mine = build(forum, app)
    with app.app_context():
        erasure.remove_contributions(db.session.get(Member, victim.id))
    everything = dump(app)
    assert NAME.lower() not in everything.lower() and EMAIL not in everything
    assert SECRET_WORDS not in everything
    assert SECRET_WORDS.encode() not in index_files(app)
    page = text(app.test_client().get(f"/sujet/{topic.id}"))
    assert page.count("Message retiré à la demande de son auteur.") == 2
    assert page.index("Message retiré") < page.index("D'accord.") < page.index("Merci pour ta réponse.")
    assert "Le non-recours au RSA" in page           # the topic they opened keeps its replies
    with app.app_context():
        numbers = db.session.scalars(select(Post.number).where(Post.topic_id == topic.id)
                                     .order_by(Post.path)).all()
        assert numbers == [1, 2, 3, 4]
        assert db.session.scalar(select(PostRevision.id).where(PostRevision.post_id == mine.id)) is None
        assert db.session.get(Topic, topic.id).reply_count == 2


@pytest.mark.parametrize("engine", ["whoosh"])
def test_who_may_erase_whom(app, forum):
    member, other = forum.member("Membre1"), forum.member("Membre2")
    coordinator, admin = forum.member("Coord1", role="coordinator"), forum.member("Admin1", role="admin")
    admin2 = forum.member("Admin2", role="admin")
    with app.app_context():
        get = lambda m: db.session.get(Member, m.id)   # noqa: E731
        with pytest.raises(Forbidden, match="d'un autre membre"):
            erasure.anonymise(get(other), get(member))
        with pytest.raises(Forbidden, match="Seul un administrateur"):
            erasure.anonymise(get(admin2), get(coordinator))
        erasure.anonymise(get(admin2), get(admin))
        erasure.anonymise(get(other), get(coordinator))
        assert [get(m).pseudonym for m in (admin2, other)] == ["Ancien membre 1", "Ancien membre 2"]
        assert get(admin2).role == "member"
        with pytest.raises(Conflict):
            erasure.anonymise(get(other), get(admin))


def test_the_rewriter_replaces_whole_names_only():
    rewrite = erasure.rewriter({"Nadia.M", "nadia.m"}, "nadia@exemple.fr", "Ancien membre 1")
    assert rewrite("@Nadia.M merci, @nadia.m ; NADIA.M. Fin") == \
        "Ancien membre 1 merci, Ancien membre 1 ; Ancien membre 1. Fin"
    assert rewrite("Nadia.Martin, x-Nadia.M, @Nadia.Ma, Nadia.M_2") == "Nadia.Martin, x-Nadia.M, @Nadia.Ma, Nadia.M_2"
    assert rewrite('[quote="Nadia.M, post:3"]') == '[quote="Ancien membre 1, post:3"]'
    assert rewrite("> [Nadia.M](/message/3) a écrit :") == "> [Ancien membre 1](/message/3) a écrit :"
    assert rewrite("écrire à NADIA@exemple.fr") == "écrire à Ancien membre 1"
