"""The weekly digest: what it holds for whom, and sending it once, whatever happens."""
import re
import threading
from datetime import datetime, timedelta

import pytest
from sqlalchemy import event, func, select

from forum.accounts.models import Member
from forum.clock import now
from forum.extensions import db
from forum.notifications import mail, watching, weekly
from forum.notifications.digest import DigestSource, compose
from forum.notifications.models import (DIGEST_CLAIMED, DIGEST_EMPTY, DIGEST_FAILED, DIGEST_SENT,
                                        MUTED, DigestDelivery, MailPreference)
from forum.topics import posting
from forum.topics.models import Post, Space, Topic

from ..helpers import text
from .conftest import parts


@pytest.fixture
def network(app, forum):
    """Two comités, a restricted board, a theme, a space the reader mutes, and a week of debates."""
    c13 = forum.committee("13", "Comité des Bouches-du-Rhône")
    c06 = forum.committee("06", "Comité des Alpes-Maritimes")
    board = forum.space("Bureau du comité 13", visibility="restricted", committees=[c13])
    theme = forum.space("Éthique et déontologie")
    network_space = forum.space("Vie du réseau")
    reader = forum.member("Lectrice", committees=[c06])
    author = forum.member("Auteur", committees=[c13])
    voices = [forum.member(f"Voix{n}", committees=[c06]) for n in range(3)]
    insider = forum.member("Membre13", committees=[c13])

    debate = forum.topic(author, theme, "Le secret partagé en équipe pluridisciplinaire",
                         body="Comment partager **juste ce qu'il faut** d'information ?")
    popular = forum.reply(voices[0], debate, "Le consentement de la personne passe avant tout.")
    for voice in voices[1:]:
        forum.reply(voice, debate, "Tout à fait d'accord.", parent=popular)
    hidden_reply = forum.reply(voices[1], debate, "Propos masqué avec des réponses")
    forum.reply(voices[0], debate, "Réponse 1 au masqué", parent=hidden_reply)
    forum.reply(voices[2], debate, "Réponse 2 au masqué", parent=hidden_reply)
    forum.topic(author, board, "Ordre du jour confidentiel du bureau")
    forum.topic(author, network_space, "Annonce de la plénière")
    hidden_topic = forum.topic(author, theme, "Sujet dont l'ouverture est masquée")
    muted_topic = forum.topic(voices[0], forum.get(Space, c06.id), "Covoiturage pour la réunion")
    # A reply with two answers: remarked, were its topic not muted.
    first = forum.reply(voices[0], muted_topic, "Je viens !")
    for voice in voices[1:]:
        forum.reply(voice, muted_topic, "Je viens !", parent=first)
    local = forum.topic(voices[1], forum.get(Space, c06.id), "Diagnostic territorial du 06")
    mention = forum.reply(voices[2], local, "Qu'en pense @Lectrice ?")       # the markup finds the mention
    with app.app_context():
        posting.set_post_state(db.session.get(Post, hidden_reply.id), "hidden")
        posting.set_post_state(db.session.scalars(select(Post).where(Post.topic_id == hidden_topic.id)).one(),
                               "hidden")
        member = db.session.get(Member, reader.id)
        watching.set_level(member, MUTED, space=db.session.get(Space, network_space.id))
        watching.set_level(member, MUTED, topic=db.session.get(Topic, muted_topic.id))
        db.session.commit()
    return {"reader": reader, "author": author, "insider": insider, "voices": voices, "debate": debate, "popular": popular,
            "local": local, "mention": mention}


def week(app, member):
    with app.app_context():
        return compose(db.session.get(Member, member.id), now() - timedelta(days=7), now() + timedelta(seconds=1))


def test_a_digest_holds_what_the_member_may_read_and_did_not_mute(app, network):
    digest = week(app, network["reader"])
    new_titles = {topic.title for section in digest.spaces for topic in section.topics}
    assert new_titles == {"Le secret partagé en équipe pluridisciplinaire", "Diagnostic territorial du 06"}
    assert [(section.name, section.url) for section in digest.spaces] == [
        ("Comité des Alpes-Maritimes", "http://127.0.0.1:5000/espace/comite-des-alpes-maritimes"),
        ("Éthique et déontologie", "http://127.0.0.1:5000/espace/ethique-et-deontologie")]
    assert [(t.title, t.new_posts) for t in digest.active] == [
        ("Le secret partagé en équipe pluridisciplinaire", 5), ("Diagnostic territorial du 06", 1)]
    assert [(r.author, r.answers, r.excerpt) for r in digest.popular] == [
        ("Voix0", 2, "Le consentement de la personne passe avant tout.")]
    assert [(p.kind, p.text, p.url, p.excerpt) for p in digest.personal] == [
        ("mention", "Voix2 vous a mentionné dans « Diagnostic territorial du 06 »",
         f"http://127.0.0.1:5000/message/{network['mention'].id}", "Qu'en pense @Lectrice ?")]
    assert digest.charter is None and not digest.is_empty
    everything = repr(digest)
    for secret in ("confidentiel", "plénière", "masquée", "Covoiturage", "masqué avec"):
        assert secret not in everything

    # A member of the 13 reads the board's new topic; its author is not told of their own topics.
    insider_titles = {t.title for s in week(app, network["insider"]).spaces for t in s.topics}
    assert "Ordre du jour confidentiel du bureau" in insider_titles and "Annonce de la plénière" in insider_titles
    assert all(t.author != "Auteur" for s in week(app, network["author"]).spaces for t in s.topics)


def test_a_new_reglement_version_is_announced(app, forum, network):
    forum.charter()
    digest = week(app, network["reader"])
    assert digest.charter == {"title": "Règlement", "number": 1,
                              "url": "http://127.0.0.1:5000/reglement"}


def test_nothing_new_means_no_digest(app, forum):
    quiet = forum.member("Silencieuse")
    with app.app_context():
        assert compose(db.session.get(Member, quiet.id), now() - timedelta(days=7), now()).is_empty
        report = weekly.send_weekly(moment=now(), immediate=True)
        assert (report.sent, report.empty) == (0, 1)
        assert db.session.scalar(select(DigestDelivery.status)) == DIGEST_EMPTY


def test_sent_digest_is_multipart_french_with_working_links_and_one_click_unsubscribe(app, network, smtp, client):
    reader = network["reader"]
    with app.app_context():
        report = weekly.send_weekly(moment=now() + timedelta(seconds=1), immediate=True)
    assert report.sent == 6 and report.failed == 0              # reader, author, insider, three voices
    [message] = smtp.to("lectrice@test.agora.localhost")
    assert re.fullmatch(r"Les nouvelles de vos comités, du \d+ \w+ au \d+ \w+ \d{4}", message["Subject"])
    assert message["From"] == "Agora <ne-pas-repondre@agora.localhost>"
    assert message["Date"] and message["Message-ID"].endswith(".resume@agora.localhost>")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    plain, html = parts(message)
    for part in (plain, html):
        assert "Diagnostic territorial du 06" in part and "Le consentement de la personne passe avant tout." in part
        assert "confidentiel" not in part and "Covoiturage" not in part and "masqué" not in part
        assert "http://127.0.0.1:5000/preferences/courriels#resume" in part
    assert "Comment partager juste ce qu'il faut d'information ?" in plain       # readable without logging in
    assert '<meta name="color-scheme" content="light dark">' in html and "<img" not in html
    assert not re.search(r'src=|url\(|<script|style="', html)                     # no remote content, no tracker

    links = set(re.findall(r"http://127\.0\.0\.1:5000/sujet/\d+/[\w-]+", plain))
    assert len(links) == 2
    for link in links:
        assert client.get(link).status_code == 200
    post_link = re.search(r"http://127\.0\.0\.1:5000/message/\d+", plain).group(0)
    assert client.get(post_link).status_code == 302

    unsubscribe = re.fullmatch(r"<(.+)>", message["List-Unsubscribe"]).group(1)
    assert unsubscribe in plain
    confirmation = client.get(unsubscribe)
    assert confirmation.status_code == 200 and "Confirmer le désabonnement" in text(confirmation)
    response = client.post(unsubscribe, data={"List-Unsubscribe": "One-Click"})   # no session, no CSRF token
    assert response.status_code == 200 and "Vous ne recevrez plus le résumé hebdomadaire." in text(response)
    with app.app_context():
        assert db.session.get(MailPreference, reader.id).digest is False
        weekly.send_weekly(moment=now() + timedelta(days=8))
    assert len(smtp.to("lectrice@test.agora.localhost")) == 1


def test_the_weekly_schedule_and_running_twice(app, network, smtp):
    with app.app_context():
        # An hour after next week's slot, so that three hours later is still the same week
        # whatever the time the suite runs.
        slot = weekly.latest_slot(now() + timedelta(days=7))
        moment = slot + timedelta(hours=1)
        first = weekly.send_weekly(moment=moment)
        again = weekly.send_weekly(moment=moment + timedelta(hours=3))
        rows = db.session.scalars(select(DigestDelivery).order_by(DigestDelivery.member_id)).all()
        assert first.sent == 6 and again.sent == again.empty == 0 and again.skipped == 6
        assert {(r.sequence, r.period_end, r.status) for r in rows} == {(1, slot, DIGEST_SENT)}
        assert all(r.period_start == slot - timedelta(days=7) for r in rows)
        # The next week starts where this one ended; nothing happened since: recorded, not sent.
        later = weekly.send_weekly(moment=moment + timedelta(days=7))
        assert later.empty == 6 and later.sent == 0
        assert db.session.scalar(select(func.max(DigestDelivery.sequence))) == 2
    assert len(smtp.messages) == 6


@pytest.mark.parametrize("moment, expected", [
    (datetime(2026, 11, 30, 7, 0), datetime(2026, 11, 30, 7, 0)),      # Monday 8:00 in Paris (winter, UTC+1)
    (datetime(2026, 11, 30, 6, 59), datetime(2026, 11, 23, 7, 0)),
    (datetime(2026, 12, 3, 12, 0), datetime(2026, 11, 30, 7, 0)),
    (datetime(2026, 6, 29, 6, 0), datetime(2026, 6, 29, 6, 0)),        # summer time, UTC+2
    (datetime(2026, 3, 30, 5, 0), datetime(2026, 3, 23, 7, 0)),        # the week the clocks changed
])
def test_latest_slot_is_monday_eight_in_paris(app, moment, expected):
    with app.app_context():
        assert weekly.latest_slot(moment) == expected
        assert weekly.latest_slot(moment, weekday=4, hour=18).weekday() == 4


def test_two_senders_at_once_send_each_digest_once(app, network, smtp):
    moment = now() + timedelta(seconds=1)
    barrier, errors = threading.Barrier(2), []

    def run():
        try:
            with app.app_context():
                barrier.wait()
                weekly.send_weekly(moment=moment, immediate=True)
        except Exception as error:   # pragma: no cover - reported below
            errors.append(error)
    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    recipients = [str(m["To"]) for m in smtp.messages]
    assert len(recipients) == 6 and len(set(recipients)) == 6
    with app.app_context():
        assert db.session.scalar(select(func.count(DigestDelivery.id))) == 6


class Crashing:
    """A transport whose process 'dies' (an exception nobody catches) before its nth message."""

    def __init__(self, url, crash_at):
        self.inner = mail.SMTPTransport(url)
        self.crash_at, self.count = crash_at, 0

    def send(self, message):
        self.count += 1
        if self.count == self.crash_at:
            raise KeyboardInterrupt("the sender died")
        return self.inner.send(message)


def test_a_crash_halfway_resumes_without_sending_twice(app, network, smtp):
    moment = now() + timedelta(seconds=1)
    with app.app_context():
        with pytest.raises(KeyboardInterrupt):
            weekly.send_weekly(moment=moment, immediate=True, transport=Crashing(smtp.url, crash_at=3))
        db.session.rollback()
        statuses = list(db.session.scalars(select(DigestDelivery.status).order_by(DigestDelivery.member_id)))
        # Two sent and recorded; claimed: the one being sent, and those claimed with it.
        claimed = len(statuses) - 2
        assert statuses[:2] == [DIGEST_SENT, DIGEST_SENT] and set(statuses[2:]) == {DIGEST_CLAIMED}
        assert 1 <= claimed <= weekly.CLAIM_BATCH and len(smtp.messages) == 2
        # Rerun at once: the others are sent; the claimed ones wait (their sender might still be at work)...
        rerun = weekly.send_weekly(moment=moment, immediate=True)
        assert (rerun.sent, rerun.skipped) == (6 - 2 - claimed, 2 + claimed)
        # ...until the lease has passed: then the same period is sent, once.
        resumed = weekly.send_weekly(moment=moment + weekly.CLAIM_LEASE + timedelta(minutes=1), immediate=True)
        assert (resumed.resumed, resumed.sent) == (claimed, claimed)
        sent = db.session.scalars(select(DigestDelivery).where(DigestDelivery.status == DIGEST_SENT)).all()
        assert len(sent) == 6 and {r.period_end for r in sent} == {moment}
        # (the others' next period, since the first run, had nothing new: recorded empty, not sent)
        assert set(db.session.scalars(select(DigestDelivery.status).where(DigestDelivery.sequence == 2))) \
            == {DIGEST_EMPTY}
    recipients = [str(m["To"]) for m in smtp.messages]
    assert len(recipients) == 6 and len(set(recipients)) == 6


def test_a_refused_digest_is_retried_by_the_next_run(app, network, smtp):
    smtp.refuse.add("lectrice@test.agora.localhost")
    moment = now() + timedelta(seconds=1)
    with app.app_context():
        report = weekly.send_weekly(moment=moment, immediate=True)
        assert (report.sent, report.failed) == (5, 1)
        row = db.session.scalar(select(DigestDelivery).where(DigestDelivery.member_id == network["reader"].id))
        assert (row.status, row.attempts) == (DIGEST_FAILED, 1) and "550" in row.error
        smtp.refuse.clear()
        retry = weekly.send_weekly(moment=moment + timedelta(minutes=1), immediate=True)
        assert retry.sent == 1 and retry.resumed == 1
        row = db.session.get(DigestDelivery, row.id)
        assert (row.status, row.attempts, row.period_end) == (DIGEST_SENT, 2, moment)
    assert len(smtp.to("lectrice@test.agora.localhost")) == 1


def test_the_command_line(app, network, smtp):
    runner = app.test_cli_runner()
    reader = network["reader"]
    dry = runner.invoke(args=["digest", "send", "--dry-run", "--now"])
    assert dry.exit_code == 0, dry.output
    assert re.search(rf"{reader.id}\tLectrice\t.*2 nouveau\(x\) sujet\(s\), 2 sujet\(s\) actif\(s\), 1 pour vous",
                     dry.output)
    assert "6 résumé(s) seraient envoyés" in dry.output
    assert smtp.messages == []
    with app.app_context():
        assert db.session.scalar(select(func.count(DigestDelivery.id))) == 0

    one = runner.invoke(args=["digest", "send", "--now", "--member", str(reader.id)])
    assert one.exit_code == 0 and "1 résumé(s) envoyé(s)" in one.output
    assert [str(m["To"]) for m in smtp.messages] == ["Lectrice <lectrice@test.agora.localhost>"]
    rest = runner.invoke(args=["digest", "send", "--now"])
    assert rest.exit_code == 0 and "5 résumé(s) envoyé(s)" in rest.output
    assert len(smtp.messages) == 6

    preview = runner.invoke(args=["digest", "preview", "Lectrice"])
    assert preview.exit_code == 0 and "rien de nouveau" in preview.output     # all was in the last one
    preview = runner.invoke(args=["digest", "preview", str(network["author"].id)])
    assert preview.exit_code == 0 and "LES NOUVELLES DE VOS COMITÉS" in preview.output
    assert runner.invoke(args=["digest", "preview", "Personne"]).exit_code != 0

    emails = runner.invoke(args=["notifications", "send-emails", "--now"])
    assert emails.exit_code == 0 and "courriel(s) envoyé(s)" in emails.output


def test_a_digest_refused_too_often_is_folded_into_the_next_one(app, network, smtp):
    smtp.refuse.add("lectrice@test.agora.localhost")
    reader = network["reader"]
    moment = now() + timedelta(seconds=1)
    with app.app_context():
        for attempt in range(weekly.MAX_ATTEMPTS):
            weekly.send_weekly(moment=moment + timedelta(minutes=attempt), immediate=True, member_id=reader.id)
        first = db.session.scalar(select(DigestDelivery).where(DigestDelivery.member_id == reader.id))
        assert (first.status, first.attempts) == (DIGEST_FAILED, weekly.MAX_ATTEMPTS)
        smtp.refuse.clear()
        later = moment + timedelta(days=1)
        report = weekly.send_weekly(moment=later, immediate=True, member_id=reader.id)
        assert report.sent == 1
        second = db.session.scalar(select(DigestDelivery).where(DigestDelivery.member_id == reader.id,
                                                                DigestDelivery.sequence == 2))
        assert (second.status, second.period_start, second.period_end) == (DIGEST_SENT, first.period_start, later)
    [message] = smtp.to("lectrice@test.agora.localhost")
    assert "Diagnostic territorial du 06" in parts(message)[0]


def test_a_preview_says_first_that_the_member_opted_out(app, forum, browser):
    from forum.notifications import preferences
    space = forum.space("Vie du réseau")
    karim, author = forum.member("Karim"), forum.member("Auteur")
    coordinator = forum.member("Coordination", role="coordinator")
    forum.topic(author, space, "Assemblée plénière de décembre")
    runner = app.test_cli_runner()
    sent = runner.invoke(args=["digest", "preview", "Karim"])
    assert sent.exit_code == 0 and sent.output.startswith("Sujet : ")   # he gets it: nothing to warn of
    with app.app_context():
        preferences.unsubscribe(karim.id, preferences.SCOPE_DIGEST)

    preview = runner.invoke(args=["digest", "preview", "Karim"])
    assert preview.exit_code == 0, preview.output
    first, rest = preview.output.split("\n", 1)
    assert first == "Karim a désactivé le résumé hebdomadaire dans ses préférences : aucun résumé ne lui est envoyé."
    assert "Ce qu'il contiendrait sinon" in rest and "Assemblée plénière de décembre" in rest
    with app.app_context():   # and indeed nothing is sent
        assert weekly.send_weekly(moment=now(), immediate=True, member_id=karim.id).sent == 0

    browser.login(coordinator)   # the coordination's preview says so too, above the digest
    html = text(browser.get(f"/coordination/resume/{karim.id}"))
    assert html.index("Karim a désactivé le résumé hebdomadaire") < html.index("<h1>")


def test_excerpts_leave_quotations_out(app, forum):
    space = forum.space("Éthique et déontologie")
    jean, lectrice = forum.member("Jean-Pierre"), forum.member("Lectrice")
    topic = forum.topic(lectrice, space, "Les permanences du samedi", body="Faut-il les garder ?")
    first = forum.reply(jean, topic, "Même constat dans nos permanences du 13.")
    quoting = forum.reply(lectrice, topic, f'[quote="Jean-Pierre, post:{first.id}"]\nMême constat dans nos '
                          'permanences du 13.\n[/quote]\n\nBonne idée, faisons un point en janvier.', parent=first)
    only_quote = forum.reply(lectrice, topic, f'[quote="Jean-Pierre, post:{first.id}"]\nMême constat.\n[/quote]')
    digest = week(app, jean)
    excerpts = {entry.url.rsplit("/", 1)[1]: entry.excerpt for entry in digest.personal}
    assert excerpts[str(quoting.id)] == "Bonne idée, faisons un point en janvier."
    assert excerpts[str(only_quote.id)] == "« Même constat. »"   # only a quotation: shown as one
    with app.app_context():
        mail_text, _html = weekly.render(digest, db.session.get(Member, jean.id))
    assert "Jean-Pierre Même constat" not in mail_text
    assert "Bonne idée, faisons un point en janvier." in mail_text


def test_a_source_read_for_another_period_is_not_reused(app, network):
    with app.app_context():
        member = db.session.get(Member, network["reader"].id)
        until = now() + timedelta(seconds=1)
        since = until - timedelta(days=7)
        last_week = DigestSource(since - timedelta(days=7), since)
        digest = compose(member, since, until, source=last_week)
        assert not digest.is_empty and digest == compose(member, since, until)


def test_the_members_of_one_run_share_what_the_period_holds(app, network):
    """The weekly run composes thousands of digests from one source: the period's lists (new
    and active topics, remarked replies, the parts' rows) are read for the first member only."""
    with app.app_context():
        until = now() + timedelta(seconds=1)
        since = until - timedelta(days=7)
        first, second = (db.session.get(Member, network[name].id) for name in ("insider", "reader"))
        source = DigestSource(since, until)
        source.prefetch([first.id, second.id])
        compose(first, since, until, source=source)
        statements = []

        def record(connection, cursor, statement, *args):
            statements.append(statement)
        event.listen(db.engine, "before_cursor_execute", record)
        try:
            digest = compose(second, since, until, source=source)
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
        assert digest == compose(second, since, until) and not digest.is_empty
    # What is left is the member's own: which comités they belong to (their readable spaces).
    assert [statement for statement in statements if "committee_membership" not in statement] == []
