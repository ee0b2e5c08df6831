"""Reply by email, end to end: notification → reply → post; and every refusal."""
import base64
import quopri
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from forum import events
from forum.accounts.models import Member
from forum.clock import now
from forum.extensions import db
from forum.inbound import addresses, tokens
from forum.inbound.models import InboundEmail
from forum.inbound.processing import process
from forum.notifications import mailing, weekly
from forum.topics.models import POST_VISIBLE, Post

from .conftest import DOMAIN, parts, send, write


@pytest.fixture
def thread(forum):
    space = forum.space("Éthique et déontologie")
    alice, bob = forum.member("Alice"), forum.member("Bob")
    topic = forum.topic(alice, space, "Le secret partagé en équipe")
    post = forum.reply(bob, topic, "Le secret partagé doit rester l'exception.")
    return space, alice, bob, topic, post


def notify(app):
    with app.app_context():
        return mailing.send_due(moment=now() + timedelta(minutes=11))


def address_for(app, post, member):
    with app.app_context():
        return addresses.reply_address(post.id, member.id)


def posts_by(app, member):
    with app.app_context():
        return db.session.scalars(select(Post).where(Post.author_id == member.id).order_by(Post.id)).all()


def records(app):
    with app.app_context():
        return db.session.scalars(select(InboundEmail).order_by(InboundEmail.id)).all()


def answers(smtp, member):
    return [m for m in smtp.to(member.email) if "n'a pas été publiée" in str(m["Subject"])]


QUOTE = "\n\nLe lun. 7 déc. 2026 à 10:00, Agora <ne-pas-repondre@agora.localhost> a écrit :\n> Bob vous a répondu\n"


def test_notification_reply_lands_in_the_thread(app, thread, smtp, receiver):
    space, alice, bob, topic, post = thread
    assert notify(app).emails == 1
    [notification] = smtp.to(alice.email)
    reply_to = notification["Reply-To"]
    assert re.fullmatch(rf"reponse\+[a-z2-7]{{34}}@{DOMAIN}", reply_to)
    assert notification["X-Auto-Response-Suppress"] == "OOF, AutoReply"
    plain, html = parts(notification)
    assert f"Répondre par courriel : {reply_to}" in plain
    assert f'href="mailto:{reply_to}"' in html

    message = write("Alice <ALICE@test.agora.localhost>", reply_to,
                    "Je suis d'accord, sauf urgence vitale." + QUOTE)
    assert send(receiver, message)[0] == 250
    [mine] = [p for p in posts_by(app, alice) if p.number > 1]
    assert mine.source == "Je suis d'accord, sauf urgence vitale."
    assert mine.parent_id == post.id and mine.topic_id == topic.id and mine.state == POST_VISIBLE
    assert [r.outcome for r in records(app)] == ["posted"]
    assert records(app)[0].post_id == mine.id and records(app)[0].raw is None

    # The same message delivered again (a retrying server, a replay) posts once.
    assert send(receiver, message)[0] == 250
    assert len([p for p in posts_by(app, alice) if p.number > 1]) == 1
    assert len(records(app)) == 1


def test_several_items_each_have_an_address_and_no_reply_to(app, forum, thread, smtp):
    space, alice, bob, topic, post = thread
    forum.reply(bob, topic, "Et une deuxième remarque.")
    notify(app)
    [notification] = smtp.to(alice.email)
    assert notification["Reply-To"] is None and notification["X-Auto-Response-Suppress"] is None
    plain, _ = parts(notification)
    assert len(set(re.findall(rf"reponse\+[a-z2-7]+@{DOMAIN}", plain))) == 2


def test_no_domain_no_address(app_factory, smtp, forum):
    app = app_factory(SMTP_URL=smtp.url, INBOUND_EMAIL_DOMAIN="", NOTIFICATION_EMAIL_THREAD=False)
    with app.app_context():
        assert addresses.reply_address(1, 1) is None
        assert addresses.token_text("reponse+abc@agora.test") is None


def test_the_receiver_refuses_other_recipients_at_rcpt(app, thread, receiver):
    message = write("alice@test.agora.localhost", "quelquun@agora.test", "Bonjour")
    code, _ = send(receiver, message)
    assert code == 550
    assert records(app) == []


def test_right_token_other_sender_is_refused(app, forum, thread, smtp, receiver):
    space, alice, bob, topic, post = thread
    address = address_for(app, post, alice)
    send(receiver, write("mallory@evil.example", address, "Je me fais passer pour Alice."))
    # Bob's account writing with Alice's address: refused, and Bob (not Alice) is told.
    send(receiver, write(bob.email, address, "Je réponds avec l'adresse d'Alice."))
    assert [p.number for p in posts_by(app, alice)] == [1]
    assert [(r.outcome, r.reason) for r in records(app)] == [("refused", "wrong_sender")] * 2
    assert all(r.raw for r in records(app))          # quarantined
    assert answers(smtp, alice) == [] and len(answers(smtp, bob)) == 1
    assert smtp.to("mallory@evil.example") == []     # no mail to a stranger


def test_a_forged_or_unknown_token_is_refused(app, thread, smtp):
    """Through the pipe (a mail server checks only the address's shape); the SMTP receiver
    refuses them at RCPT already (below)."""
    space, alice, bob, topic, post = thread
    good = address_for(app, post, alice)
    token = good.split("+")[1].split("@")[0]
    forged = good.replace(token, token[:-3] + ("aaa" if token[-3:] != "aaa" else "bbb"))
    with app.app_context():
        key, app.config["SECRET_KEY"] = app.config["SECRET_KEY"], "une autre clé"
        signed_elsewhere = tokens.make(post.id, alice.id)
        app.config["SECRET_KEY"] = key
        assert signed_elsewhere != tokens.make(post.id, alice.id)
        for address in (forged, f"reponse+{signed_elsewhere}@{DOMAIN}"):
            process(write(alice.email, address, "Réponse").as_bytes())
    assert [p.number for p in posts_by(app, alice)] == [1]
    assert [r.reason for r in records(app)] == ["unknown_address"] * 2
    assert len(answers(smtp, alice)) == 1          # one answer a day per reason


def test_an_expired_token_is_refused_and_answered(app, thread, smtp, receiver):
    space, alice, bob, topic, post = thread
    with app.app_context():
        old = tokens.make(post.id, alice.id, day=tokens.today() - app.config["INBOUND_EMAIL_TOKEN_DAYS"] - 1)
        fresh = tokens.make(post.id, alice.id, day=tokens.today() - app.config["INBOUND_EMAIL_TOKEN_DAYS"])
    send(receiver, write(alice.email, f"reponse+{old}@{DOMAIN}", "Trop tard ?"))
    assert [r.reason for r in records(app)] == ["expired"]
    [answer] = answers(smtp, alice)
    assert answer["Auto-Submitted"] == "auto-replied"
    assert "expiré" in parts(answer)[0] and "Trop tard ?" not in str(answer["Subject"])
    send(receiver, write(alice.email, f"reponse+{fresh}@{DOMAIN}", "Juste à temps."))
    assert [p.source for p in posts_by(app, alice)][-1] == "Juste à temps."


@pytest.mark.parametrize("headers, subject", [
    ({"Auto-Submitted": "auto-replied"}, "Re: [Agora]"),
    ({"Precedence": "bulk"}, "Re: [Agora]"),
    ({"X-Autoreply": "yes"}, "Re: [Agora]"),
    ({}, "Réponse automatique : absent jusqu'au 4 janvier"),
    ({}, "Out of Office: Re: [Agora]"),
])
def test_an_auto_reply_never_posts_and_is_never_answered(app, thread, smtp, receiver, headers, subject):
    space, alice, bob, topic, post = thread
    message = write(alice.email, address_for(app, post, alice), "Je suis absente jusqu'au 4 janvier.",
                    subject=subject, **headers)
    send(receiver, message)
    assert [p.number for p in posts_by(app, alice)] == [1]
    assert [r.outcome for r in records(app)] == ["ignored"]
    assert smtp.messages == []


def test_auto_submitted_no_is_a_person(app, thread, receiver):
    space, alice, bob, topic, post = thread
    send(receiver, write(alice.email, address_for(app, post, alice), "Écrit à la main.", Auto_Submitted="no"))
    assert posts_by(app, alice)[-1].source == "Écrit à la main."


def test_bounces_and_our_own_mail_are_ignored(app, thread, smtp):
    space, alice, bob, topic, post = thread
    address = address_for(app, post, alice)
    report = (f"From: MAILER-DAEMON@mx.example\r\nTo: {address}\r\nSubject: Undelivered\r\n"
              "Message-ID: <dsn1@mx.example>\r\nMIME-Version: 1.0\r\n"
              "Content-Type: multipart/report; report-type=delivery-status; boundary=b\r\n\r\n"
              "--b\r\nContent-Type: text/plain\r\n\r\nfailed\r\n--b--\r\n").encode()
    own = write("Agora <ne-pas-repondre@agora.localhost>", address, "Une notification revenue.").as_bytes()
    loop = write(f"reponse+{'a' * 34}@{DOMAIN}", address, "Un autre de nos robots").as_bytes()
    with app.app_context():
        assert [process(raw).outcome for raw in (report, own, loop)] == ["ignored"] * 3
    assert [p.number for p in posts_by(app, alice)] == [1]
    assert smtp.messages == []


def test_a_suspended_member_is_refused_and_told(app, thread, smtp, receiver):
    space, alice, bob, topic, post = thread
    with app.app_context():
        db.session.get(Member, alice.id).suspended_until = now() + timedelta(days=7)
        db.session.commit()
    send(receiver, write(alice.email, address_for(app, post, alice), "Je conteste."))
    assert [p.number for p in posts_by(app, alice)] == [1]
    assert [r.reason for r in records(app)] == ["suspended"]
    [answer] = answers(smtp, alice)
    assert "suspendu" in parts(answer)[0] and "Je conteste." in parts(answer)[0]


def test_a_silenced_member_is_refused_with_the_sites_reason(app, thread, smtp, receiver):
    space, alice, bob, topic, post = thread
    with app.app_context():
        db.session.get(Member, alice.id).silenced_until = now() + timedelta(days=7)
        db.session.commit()
    send(receiver, write(alice.email, address_for(app, post, alice), "Je conteste."))
    assert [p.number for p in posts_by(app, alice)] == [1]
    assert [r.reason for r in records(app)] == ["refused"]
    assert "lecture seule" in records(app)[0].detail
    assert "lecture seule" in parts(answers(smtp, alice)[0])[0]


def test_a_member_who_lost_access_to_the_space_is_refused(app, forum, smtp, receiver):
    committee = forum.committee("13")
    alice = forum.member("Alice", committees=[committee])
    topic = forum.topic(alice, committee, "Réunion du comité")
    with app.app_context():
        post_id = db.session.scalar(select(Post.id).where(Post.topic_id == topic.id))
        address = addresses.reply_address(post_id, alice.id)
        db.session.get(Member, alice.id).committees = []
        db.session.commit()
    send(receiver, write(alice.email, address, "Je suis encore là ?"))
    assert [r.reason for r in records(app)] == ["refused"]
    assert [p.number for p in posts_by(app, alice)] == [1]


def test_a_member_who_must_accept_the_new_reglement_is_refused(app, forum, thread, smtp, receiver):
    space, alice, bob, topic, post = thread
    forum.charter()          # a new version nobody accepted yet
    send(receiver, write(alice.email, address_for(app, post, alice), "Réponse."))
    assert [r.reason for r in records(app)] == ["refused"]
    assert "règlement" in records(app)[0].detail


def test_an_empty_reply_is_refused_and_answered(app, thread, smtp, receiver):
    space, alice, bob, topic, post = thread
    send(receiver, write(alice.email, address_for(app, post, alice), "\n\n" + QUOTE + "\n-- \nAlice"))
    assert [r.reason for r in records(app)] == ["empty"]
    assert len(answers(smtp, alice)) == 1


def test_a_huge_email_is_refused_and_answered(app, thread, smtp):
    space, alice, bob, topic, post = thread
    app.config["INBOUND_EMAIL_MAX_BYTES"] = 50_000
    raw = write(alice.email, address_for(app, post, alice), "x" * 60_000).as_bytes()
    with app.app_context():
        assert process(raw).reason == "too_large"
    assert len(answers(smtp, alice)) == 1


@pytest.mark.parametrize("charset, encoding, text", [
    ("iso-8859-1", "quoted-printable", "Réponse déjà envoyée, à bientôt"),
    ("windows-1252", "base64", "L’été « chaud » coûte 5 €"),
    ("utf-8", "quoted-printable", "Ça marche très bien — merci"),
    ("utf-8", "base64", "Œuvre collective, ½ journée"),
])
def test_charsets_and_transfer_encodings(app, thread, charset, encoding, text):
    space, alice, bob, topic, post = thread
    payload = text.encode(charset)
    body = base64.b64encode(payload) if encoding == "base64" else quopri.encodestring(payload)
    raw = (f"From: {alice.email}\r\nTo: {address_for(app, post, alice)}\r\nSubject: Re\r\n"
           f"Message-ID: <{charset}.{encoding}@client.example>\r\nMIME-Version: 1.0\r\n"
           f"Content-Type: text/plain; charset={charset}\r\nContent-Transfer-Encoding: {encoding}\r\n\r\n"
           ).encode() + body
    with app.app_context():
        assert process(raw).outcome == "posted"
    assert posts_by(app, alice)[-1].source == text


def test_html_only_mail_becomes_text(app, thread):
    space, alice, bob, topic, post = thread
    raw = (f"From: {alice.email}\r\nTo: {address_for(app, post, alice)}\r\nSubject: Re\r\n"
           "Message-ID: <html@client.example>\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
           "<div>Tout &agrave; fait <script>alert(1)</script><b>d'accord</b>.</div>"
           "<blockquote>Le message cit&eacute;</blockquote>").encode()
    with app.app_context():
        assert process(raw).outcome == "posted"
    assert posts_by(app, alice)[-1].source == "Tout à fait d'accord."


def test_the_reply_is_published_live_after_commit(app, thread, receiver, committed_events):
    space, alice, bob, topic, post = thread
    log = committed_events(events.PostPublished)
    send(receiver, write(alice.email, address_for(app, post, alice), "En direct."))
    [published] = log.seen
    assert (published.topic_id, published.author_id, published.parent_id) == (topic.id, alice.id, post.id)


def test_a_reply_to_a_post_gone_from_the_database_is_refused(app, thread, smtp):
    space, alice, bob, topic, post = thread
    with app.app_context():
        address = addresses.reply_address(post.id + 1000, alice.id)
        outcome = process(write(alice.email, address, "Réponse à rien.").as_bytes())
    assert outcome.reason == "gone" and len(answers(smtp, alice)) == 1


def test_a_message_without_sender_is_kept_and_answered_to_nobody(app, thread, smtp):
    space, alice, bob, topic, post = thread
    raw = f"To: {address_for(app, post, alice)}\r\nSubject: Re\r\n\r\nSans expéditeur".encode()
    with app.app_context():
        assert process(raw).reason == "unreadable"
    assert records(app)[0].raw == raw and smtp.messages == []


def test_a_lists_copy_is_ignored(app, thread, smtp):
    space, alice, bob, topic, post = thread
    message = write(alice.email, address_for(app, post, alice), "Copie de liste.", List_Id="<liste.example.org>")
    with app.app_context():
        assert process(message.as_bytes()).outcome == "ignored"
    assert [p.number for p in posts_by(app, alice)] == [1]


def test_the_receiver_refuses_a_forged_token_at_rcpt(app, thread, receiver):
    space, alice, bob, topic, post = thread
    good = address_for(app, post, alice)
    token = good.split("+")[1].split("@")[0]
    forged = good.replace(token, ("b" if token[0] == "a" else "a") + token[1:])
    assert send(receiver, write(alice.email, forged, "Réponse"))[0] == 550
    assert records(app) == []


def test_a_strangers_message_is_kept_short(app, thread):
    space, alice, bob, topic, post = thread
    raw = write("inconnu@example.org", "reponse+" + "a" * 34 + f"@{DOMAIN}", "x" * 200_000).as_bytes()
    with app.app_context():
        assert process(raw).reason == "unknown_address"
    [row] = records(app)
    assert len(row.raw) == 64 * 1024 and row.size == len(raw)


def test_the_digests_items_for_the_member_carry_their_reply_address(app, forum, smtp, receiver):
    space = forum.space("Éthique et déontologie")
    alice, bob = forum.member("Alice"), forum.member("Bob")
    topic = forum.topic(bob, space, "Le secret partagé en équipe")
    mention = forum.reply(bob, topic, "Qu'en pense @Alice ?")
    with app.app_context():
        weekly.send_weekly(moment=now() + timedelta(seconds=1), immediate=True)
    [digest] = [m for m in smtp.to(alice.email) if "Reply-To" not in m]
    plain, html = parts(digest)
    [address] = re.findall(rf"Répondre par courriel : (reponse\+[a-z2-7]{{34}}@{DOMAIN})", plain)
    assert f'href="mailto:{address}"' in html
    send(receiver, write(alice.email, address, "Je pense que oui."))
    mine = posts_by(app, alice)[-1]
    assert (mine.source, mine.parent_id) == ("Je pense que oui.", mention.id)
