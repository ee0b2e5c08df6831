"""Broken messages never raise; the pipe's exit codes; the upkeep."""
import random
import smtplib
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from forum import create_app
from forum.accounts.models import Member
from forum.clock import now
from forum.extensions import db
from forum.inbound import addresses, upkeep
from forum.inbound.models import InboundEmail
from forum.inbound.processing import Outcome, process
from forum.inbound.server import controller
from forum.topics.models import Post

from ..conftest import free_port
from .conftest import DOMAIN, write


def _broken(address, sender):
    good = write(sender, address, "Une réponse tout à fait normale.\n" * 20).as_bytes()
    multipart = (f"From: {sender}\r\nTo: {address}\r\nMIME-Version: 1.0\r\n"
                 "Content-Type: multipart/mixed; boundary=XX\r\n\r\n--XX\r\n"
                 "Content-Type: text/plain; charset=x-inconnu\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                 "!!!pas du base64!!!\r\n--XX\r\nContent-Type: multipart/alternative; boundary=YY\r\n\r\n"
                 "--YY\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Bonjour<b>\r\n").encode()
    rng = random.Random(20)
    cases = [b"", b"\x00" * 100, bytes(rng.randrange(256) for _ in range(5000)), b"From:\r\n\r\n",
             b"From: <<<@@>>>\r\nTo: ;;;\r\nSubject: =?utf-8?b?!!!?=\r\n\r\nx",
             f"From: {sender}\r\nTo: {address}\r\nSubject: " .encode() + b"x" * 200_000 + b"\r\n\r\nCorps",
             f"From: {sender}\r\nTo: {address}\r\n".encode() + b"X-Long: a\r\n" * 20_000 + b"\r\nCorps",
             f"From: {sender}\r\nTo: {address}\r\nContent-Type: text/plain; charset=\"\xff\xfe\"\r\n\r\n\xff\xfe".encode(
                 "latin-1"),
             f"From: {sender}\r\nTo: {address}\r\nContent-Type: multipart/mixed\r\n\r\nno boundary".encode(),
             f"From: {sender}\r\nTo: {address}\r\nMIME-Version: 1.0\r\n".encode()
             + b"Content-Type: multipart/mixed; boundary=Z\r\n\r\n--Z\r\n" * 2000,
             multipart]
    cases += [multipart[:cut] for cut in range(0, len(multipart), 17)]
    cases += [good[:cut] for cut in range(0, len(good), 97)]
    for _ in range(60):       # the good message with random bytes replaced
        mutated = bytearray(good)
        for _ in range(rng.randrange(1, 40)):
            mutated[rng.randrange(len(mutated))] = rng.randrange(256)
        cases.append(bytes(mutated))
    return cases


def test_broken_messages_never_raise(app, forum):
    space = forum.space("Éthique")
    alice = forum.member("Alice")
    topic = forum.topic(alice, space, "Un sujet à casser")
    with app.app_context():
        post_id = db.session.scalar(select(Post.id).where(Post.topic_id == topic.id))
        address = addresses.reply_address(post_id, alice.id)
        outcomes = [process(raw, [address]) for raw in _broken(address, alice.email)]
        assert all(isinstance(outcome, Outcome) for outcome in outcomes)
        assert {o.outcome for o in outcomes} <= {"posted", "refused", "ignored", "duplicate", "failed"}
        assert "failed" not in {o.outcome for o in outcomes}, [o for o in outcomes if o.outcome == "failed"]
        # Whatever was refused is kept for the quarantine.
        refused = db.session.scalars(select(InboundEmail).where(InboundEmail.outcome == "refused")).all()
        assert refused and all(row.raw is not None for row in refused)


def test_flask_mail_receive_reads_stdin_and_exits_75_when_the_database_is_down(app, forum, tmp_path):
    space = forum.space("Éthique")
    alice = forum.member("Alice")
    topic = forum.topic(alice, space, "Un sujet par la ligne de commande")
    with app.app_context():
        post_id = db.session.scalar(select(Post.id).where(Post.topic_id == topic.id))
        address = addresses.reply_address(post_id, alice.id)
    raw = write(alice.email, "autre@example.org", "Par un tube Postfix.").as_bytes()
    result = app.test_cli_runner().invoke(args=["mail", "receive", "--recipient", address], input=raw)
    assert (result.exit_code, result.output.strip()) == (0, "posted")
    with app.app_context():
        assert db.session.scalar(select(func.count(Post.id)).where(Post.source == "Par un tube Postfix.")) == 1

    down = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path / "down"), "SECRET_KEY": "x",
                       "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/absent/dossier/agora.db",
                       "INBOUND_EMAIL_DOMAIN": DOMAIN})
    result = down.test_cli_runner().invoke(args=["mail", "receive", "--recipient", address], input=raw)
    assert result.exit_code == 75, result.output


def test_purge_forgets_after_the_retention(app):
    with app.app_context():
        db.session.add_all([InboundEmail(message_id="<vieux@x>", outcome="refused", size=1, raw=b"x",
                                         received_at=now() - timedelta(days=31)),
                            InboundEmail(message_id="<recent@x>", outcome="refused", size=1, raw=b"x",
                                         received_at=now() - timedelta(days=29))])
        db.session.commit()
        assert upkeep.purge() == 1
        assert db.session.scalars(select(InboundEmail.message_id)).all() == ["<recent@x>"]


def test_a_deactivated_member_is_refused_silently(app, forum, smtp):
    space = forum.space("Éthique")
    alice = forum.member("Alice")
    topic = forum.topic(alice, space, "Un sujet d'une ancienne")
    with app.app_context():
        post_id = db.session.scalar(select(Post.id).where(Post.topic_id == topic.id))
        address = addresses.reply_address(post_id, alice.id)
        db.session.execute(update(Member).where(Member.id == alice.id).values(deactivated_at=now()))
        db.session.commit()
        outcome = process(write(alice.email, address, "Encore moi.").as_bytes())
    assert (outcome.outcome, outcome.reason, outcome.answered) == ("refused", "inactive", False)
    assert smtp.messages == []


@pytest.mark.parametrize("lmtp", [False, True])
def test_the_receiver_speaks_smtp_and_lmtp(app, forum, lmtp):
    space = forum.space("Éthique")
    alice = forum.member("Alice")
    topic = forum.topic(alice, space, "Un sujet par LMTP")
    with app.app_context():
        post_id = db.session.scalar(select(Post.id).where(Post.topic_id == topic.id))
        address = addresses.reply_address(post_id, alice.id)
    port = free_port()
    control = controller(app, port=port, lmtp=lmtp)
    control.start()
    try:
        client = smtplib.LMTP("127.0.0.1", port) if lmtp else smtplib.SMTP("127.0.0.1", port)
        with client:
            assert client.sendmail(alice.email, [address], write(alice.email, address, "Par LMTP.").as_bytes()) == {}
    finally:
        control.stop()
    with app.app_context():
        assert db.session.scalar(select(func.count(Post.id)).where(Post.source == "Par LMTP.")) == 1
