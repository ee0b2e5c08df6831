"""Notification emails through a real SMTP server: delay, batching, skipping, headers, unsubscribe."""
import glob
import os
import re
import smtplib
import threading
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from sqlalchemy import select, update

from forum.accounts.models import Member
from forum.clock import now
from forum.extensions import db
from forum.notifications import mail, mailing, preferences, watching
from forum.notifications.models import (EMAIL_ALL, EMAIL_NEVER, MAIL_PENDING, MAIL_SENT,
                                        MAIL_SKIPPED, WATCHING, MailPreference, Notification)
from forum.topics import posting
from forum.topics.models import Space, Topic

from ..conftest import free_port
from ..helpers import text
from .conftest import parts

LATER = timedelta(minutes=11)      # past the default 10-minute delay


def send(app, after=LATER, **kwargs):
    with app.app_context():
        return mailing.send_due(moment=now() + after, **kwargs)


def choose(app, member, mode):
    with app.app_context():
        db.session.add(MailPreference(member_id=member.id, email_mode=mode, digest=True))
        db.session.commit()


def states(app):
    with app.app_context():
        return [s for s in db.session.scalars(select(Notification.mail_state).order_by(Notification.id))]


@pytest.fixture
def thread(forum):
    space = forum.space("Éthique et déontologie")
    alice, bob = forum.member("Alice"), forum.member("Bob")
    topic = forum.topic(alice, space, "Le secret partagé en équipe")
    return space, alice, bob, topic


def test_a_reply_is_emailed_after_the_delay_with_every_header_and_both_parts(app, forum, thread, smtp, client):
    space, alice, bob, topic = thread
    reply = forum.reply(bob, topic, "Je pense que le **secret partagé** doit rester l'exception.")
    assert states(app) == [MAIL_PENDING]
    assert send(app, after=timedelta(minutes=5)).emails == 0          # not yet due
    assert smtp.messages == []

    report = send(app)
    assert (report.emails, report.notifications) == (1, 1)
    [message] = smtp.messages
    assert smtp.envelopes[0].rcpt_tos == ["alice@test.agora.localhost"]
    assert message["From"] == "Agora <ne-pas-repondre@agora.localhost>"
    assert message["To"] == "Alice <alice@test.agora.localhost>"
    assert message["Subject"] == "[Agora] Bob vous a répondu dans « Le secret partagé en équipe »"
    assert message["Date"] and re.fullmatch(r"<.+@agora\.localhost>", message["Message-ID"])
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = re.fullmatch(r"<(http://127\.0\.0\.1:5000/desabonnement/[^>]+)>", message["List-Unsubscribe"])
    assert unsubscribe
    assert message.get_content_type() == "multipart/alternative"
    plain, html = parts(message)
    assert "Bob vous a répondu" in plain and "le secret partagé doit rester l'exception" in plain
    assert "<strong>" not in plain
    assert 'lang="fr"' in html and '<meta name="color-scheme" content="light dark">' in html
    assert "<img" not in html and "<script" not in html and "prefers-color-scheme: dark" in html
    assert states(app) == [MAIL_SENT]

    # The links work: the post, and the page to choose how often.
    post_link = f"http://127.0.0.1:5000/message/{reply.id}"
    assert post_link in plain and f'href="{post_link}"' in html
    response = client.get(post_link)
    assert response.status_code == 302 and f"/sujet/{topic.id}" in response.headers["Location"]
    assert "http://127.0.0.1:5000/preferences/courriels" in plain

    # One POST, without a session or CSRF token, as a mail client does (RFC 8058).
    response = client.post(unsubscribe.group(1), data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and "Désabonnement enregistré" in text(response)
    with app.app_context():
        assert db.session.get(MailPreference, alice.id).email_mode == EMAIL_NEVER
    forum.reply(bob, topic, "Une autre réponse")
    assert states(app)[-1] is None                                   # no email wanted any more


def test_a_busy_topic_gives_one_email(app, forum, thread, smtp):
    space, alice, bob, topic = thread
    carol = forum.member("Carol")
    for author in (bob, carol, bob, carol):
        forum.reply(author, topic, f"Réponse de {author.pseudonym}")
    assert send(app).emails == 1
    [message] = smtp.messages
    assert message["Subject"] == "[Agora] 4 nouvelles notifications"
    plain, _ = parts(message)
    assert plain.count("vous a répondu") == 4
    assert send(app, after=timedelta(hours=1)).emails == 0           # nothing is sent twice


def test_not_sent_when_read_or_when_the_member_came_to_the_site(app, forum, thread, smtp):
    space, alice, bob, topic = thread
    first = forum.reply(bob, topic, "Lue avant l'envoi")
    with app.app_context():
        posting.mark_read(db.session.get(Member, alice.id), db.session.get(Topic, topic.id), first.number)
        db.session.commit()
    assert send(app).emails == 0 and states(app) == [MAIL_SKIPPED]

    forum.reply(bob, topic, "Pendant qu'Alice est sur le site")
    with app.app_context():
        db.session.execute(update(Member).where(Member.id == alice.id).values(last_seen_at=now() + timedelta(seconds=1)))
        db.session.commit()
    assert send(app).emails == 0 and states(app) == [MAIL_SKIPPED, MAIL_SKIPPED]
    assert smtp.messages == []


def test_email_choices_decide_what_is_sent(app, forum, thread, smtp):
    space, alice, bob, topic = thread
    carol, dan = forum.member("Carol"), forum.member("Dan")
    choose(app, carol, EMAIL_ALL)
    with app.app_context():
        for member in (carol, dan):
            watching.set_level(db.session.get(Member, member.id), WATCHING, topic=db.session.get(Topic, topic.id))
        db.session.commit()
    forum.reply(bob, topic, "Un message que Carol et Dan surveillent")
    assert send(app).emails == 2                                      # Alice (a reply) and Carol (all)
    assert sorted(str(m["To"]) for m in smtp.messages) == ["Alice <alice@test.agora.localhost>",
                                                          "Carol <carol@test.agora.localhost>"]
    with app.app_context():   # Dan (only what concerns him directly) has the notification, not the email
        assert db.session.scalar(select(Notification.mail_state).where(Notification.member_id == dan.id)) is None


def test_permissions_are_checked_again_when_sending(app, forum, smtp):
    committee = forum.committee("84")
    space = forum.space("Groupe de travail du 84")
    alice = forum.member("Alice", committees=[committee])
    bob = forum.member("Bob", committees=[committee])
    forum.reply(bob, forum.topic(alice, space), "Réponse")
    with app.app_context():   # the space became restricted to another comité after the reply
        other = forum.committee("04")
        db.session.get(Space, space.id).visibility = "restricted"
        db.session.get(Space, space.id).allowed_committees = [db.session.get(Space, other.id)]
        db.session.commit()
    assert send(app).emails == 0 and states(app) == [MAIL_SKIPPED]


def test_two_senders_never_claim_the_same_notification(app, forum, thread):
    space, alice, bob, topic = thread
    forum.reply(bob, topic, "Une réponse")
    with app.app_context():
        moment = now() + LATER
        first, second = mailing.claim(alice.id, moment), mailing.claim(alice.id, moment)
        assert len(first) == 1 and second == []
        # A claim left by a crashed sender is taken over after the lease.
        assert mailing.claim(alice.id, moment + mailing.CLAIM_LEASE + timedelta(seconds=1)) == first


def test_an_unreachable_server_keeps_the_email_for_later(app_factory, forum, thread, smtp):
    space, alice, bob, topic = thread
    forum.reply(bob, topic, "Une réponse")
    broken = app_factory(SMTP_URL=f"smtp://127.0.0.1:{free_port()}")
    report = send(broken)
    assert report.emails == 0 and report.failed == 1 and states(broken) == [MAIL_PENDING]
    assert send(broken).emails == 0                                  # retried a few minutes later, not at once
    working = app_factory(SMTP_URL=smtp.url)
    assert send(working, after=LATER + mailing.RETRY_DELAY).emails == 1 and len(smtp.messages) == 1


def test_without_smtp_emails_are_written_to_files(app_factory, forum, thread, tmp_path, caplog):
    space, alice, bob, topic = thread
    forum.reply(bob, topic, "Une réponse écrite dans un fichier")
    embedded = app_factory(SMTP_URL=None)
    with caplog.at_level("INFO", logger="forum.notifications.mail"):
        assert send(embedded).emails == 1
    [path] = glob.glob(os.path.join(embedded.instance_path, "mail", "*.eml"))
    assert "written to" in caplog.text and path in caplog.text
    with open(path, "rb") as handle:
        message = message_from_bytes(handle.read(), policy=policy.default)
    assert message["To"] == "Alice <alice@test.agora.localhost>"
    assert "Une réponse écrite dans un fichier" in parts(message)[0]


def test_the_web_process_thread_sends_after_the_commit(app_factory, forum, thread, smtp, client):
    space, alice, bob, topic = thread
    live = app_factory(SMTP_URL=smtp.url, NOTIFICATION_EMAIL_THREAD=True, NOTIFICATION_EMAIL_DELAY=0)
    try:
        assert live.test_client().get("/aide").status_code == 200    # the first request starts the sender
        sender = mailing.worker(live, start=False)
        assert sender is not None and sender.is_alive()
        with live.app_context():
            posting.reply(db.session.get(Member, bob.id), db.session.get(Topic, topic.id), "Réponse envoyée seule")
        assert len(smtp.wait_for(1)) == 1
        assert "Réponse envoyée seule" in parts(smtp.messages[0])[0]
    finally:
        mailing.worker(live, start=False).stop()


def test_a_password_is_never_sent_in_clear(smtp):
    transport = mail.SMTPTransport(f"smtp://agora:secret@127.0.0.1:{smtp.port}")
    with pytest.raises(smtplib.SMTPException, match="STARTTLS"):
        transport.send(None)
    with pytest.raises(ValueError):
        mail.SMTPTransport("http://example.org")


def test_links_follow_the_configured_server_name(app_factory, forum, thread, smtp):
    space, alice, bob, topic = thread
    configured = app_factory(SMTP_URL=smtp.url, PREFERRED_URL_SCHEME="https", SERVER_NAME="agora.example.org")
    reply = forum.reply(bob, topic, "Réponse")
    assert send(configured).emails == 1
    plain, _ = parts(smtp.messages[0])
    assert f"https://agora.example.org/message/{reply.id}" in plain
    assert smtp.messages[0]["List-Unsubscribe"].startswith("<https://agora.example.org/desabonnement/")


def test_unsubscribe_tokens_name_one_member_and_one_list(app, forum, client):
    alice = forum.member("Alice")
    with app.app_context():
        digest_token = preferences.unsubscribe_token(alice.id, preferences.SCOPE_DIGEST)
    assert client.post(f"/desabonnement/{digest_token}").status_code == 200
    with app.app_context():
        row = db.session.get(MailPreference, alice.id)
        assert (row.digest, row.email_mode) == (False, "direct")
    assert client.post(f"/desabonnement/{digest_token}").status_code == 200   # twice is harmless


def test_concurrent_senders_send_each_email_once(app, forum, thread, smtp):
    space, alice, bob, topic = thread
    members = [forum.member(f"Lecteur{n}") for n in range(6)]
    for member in members:
        choose(app, member, EMAIL_ALL)
        with app.app_context():
            watching.set_level(db.session.get(Member, member.id), WATCHING, topic=db.session.get(Topic, topic.id))
            db.session.commit()
    forum.reply(bob, topic, "Message pour tous les lecteurs")
    barrier = threading.Barrier(2)
    errors = []

    def run():
        try:
            barrier.wait()
            send(app)
        except Exception as error:   # pragma: no cover - reported below
            errors.append(error)
    threads = [threading.Thread(target=run) for _ in range(2)]
    for worker in threads:
        worker.start()
    for worker in threads:
        worker.join()
    assert errors == []
    recipients = sorted(str(m["To"]) for m in smtp.messages)
    assert len(recipients) == 7 and len(set(recipients)) == 7


def test_links_in_emails_follow_the_port_make_run_serves_on(app_factory, monkeypatch):
    """`make run PORT=5077`: the confirmation and notification links lead to that server."""
    monkeypatch.setenv("PORT", "5077")
    app = app_factory()
    with app.app_context():
        assert mail.absolute_url("topics.home") == "http://127.0.0.1:5077/"
    configured = app_factory(SERVER_NAME="forum.example.org")
    with configured.app_context():
        assert mail.absolute_url("topics.home") == "http://forum.example.org/"


@pytest.mark.parametrize("text,subject", [
    ("Votre demande pour « Comité 13 » est acceptée. — Bienvenue, Karim, voici mon numéro : 06 12 34 56 78",
     "Votre demande pour « Comité 13 » est acceptée."),
    ("Avertissement de la modération\nJustification : propos blessants envers une personne nommée.",
     "Avertissement de la modération"),
    ("Bob a répondu à votre message dans « Logement d'abord : premiers bilans et suite à donner au comité »",
     "Bob a répondu à votre message dans « Logement d'abord : premiers bilans et…"),
])
def test_a_subject_is_the_first_statement_of_the_notification_short(text, subject):
    """A note or a justification stays in the body: a subject shows on a locked phone."""
    assert mailing.subject_line(text) == subject and len(subject) <= mailing.SUBJECT_CHARS
