"""Withdrawn versions (personal data): gone from every public path at once, read by the
coordination only during the appeal period, then purged from the database for good."""
from datetime import timedelta

from sqlalchemy import select, update

from forum.accounts.models import Member
from forum.clock import now
from forum.extensions import db
from forum.realtime import catchup
from forum.topics.models import Post, PostRevision, Topic
from moderation import appeals, deciding, post_decisions, redaction
from moderation.models import AuditEntry, Decision, RedactedOriginal

from ..helpers import Browser, email_text, sent_emails, text

WORDS = ("Lilas", "rue des Lilas")
SECOND = ("Lenoir", "1961", "Bellevue")
ANONYMISED = "Une personne attend son RSA depuis quatre mois."


def _redact(browser, post, number, **data):
    return browser.post(f"/message/{post.id}/versions/{number}/retirer", dict(data, submit="1"))


def _edit_then_redact(world, login, act):
    """The moderator anonymises the reply, then withdraws the version that named Mme D."""
    act(post_decisions.edit, world.mod13, world.reply13, ANONYMISED, None, [world.articles[2]], "Anonymisé.")
    response = _redact(login(world.mod13), world.reply13, 1, reason="third_party", articles=[world.articles[2]])
    assert response.status_code == 303, text(response)[:3000]
    return response


def _public_paths(world):
    post, topic = world.reply13, world.topic13
    return [f"/message/{post.id}/versions", f"/message/{post.id}/versions?de=1&a=2",
            f"/message/{post.id}/versions?de=2&a=1", f"/sujet/{topic.id}", f"/message/{post.id}",
            f"/message/{post.id}/fragment", "/recherche?q=Lilas", "/recherche?q=Lila",
            "/recherche?q=rue+des+Lilas"]


def _assert_nowhere(app, browser, world):
    for path in _public_paths(world):
        response = browser.get(path, follow_redirects=True)
        assert response.status_code == 200, path
        page = text(response)
        if path.startswith("/recherche"):   # the query is echoed in the search field: look at results
            assert "Aucun message trouvé." in page and "Vouliez-vous dire" not in page, path
            continue
        assert not any(word in page for word in WORDS), path


def _all_rows(app):
    """Every row of every table, as text: what the database still holds."""
    with app.app_context():
        found = []
        for table in db.metadata.sorted_tables:
            found.extend(f"{table.name}: {row}" for row in db.session.execute(table.select()).all())
        return "\n".join(found)


def test_a_withdrawn_version_is_gone_from_every_public_path(world, login, act, app, notices):
    anonymous, member = Browser(app.test_client()), login(world.carol)
    # Before: the original is on the versions page (the test can fail).
    assert "rue des Lilas" in text(anonymous.get(f"/message/{world.reply13.id}/versions"))
    act(post_decisions.edit, world.mod13, world.reply13, ANONYMISED, None, [world.articles[2]], "Anonymisé.")
    assert "rue des Lilas" in text(member.get(f"/message/{world.reply13.id}/versions?de=1&a=2"))
    page = text(login(world.mod13).get(f"/message/{world.reply13.id}/versions"))
    assert "Retirer cette version" in page
    response = _redact(login(world.mod13), world.reply13, 1, reason="third_party", articles=[world.articles[2]])
    assert response.status_code == 303
    for browser in (anonymous, member, login(world.mod13), login(world.bob)):
        _assert_nowhere(app, browser, world)
    page = text(anonymous.get(f"/message/{world.reply13.id}/versions"))
    assert f"Version retirée le {now():%d/%m/%Y}" in page or "Version retirée le" in page
    assert "(données personnelles)" in page and ANONYMISED in page
    with app.app_context():
        revision = db.session.scalar(select(PostRevision).where(PostRevision.post_id == world.reply13.id,
                                                                PostRevision.number == 1))
        assert revision.source == "" and revision.redacted_at is not None
        decision = db.session.scalars(select(Decision).where(Decision.action == "redact")).one()
        assert decision.member_id == world.bob.id and [a.number for a in decision.articles] == [2]
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "redact")).one()
        assert entry.after == {"revision": 1, "current": False, "redacted": True}
        # The journal records the act, never its content.
        logged = repr((decision.justification, decision.details, entry.before, entry.after))
        assert not any(word in logged for word in WORDS)
    journal_pages = [login(world.coordinator).get("/moderation/journal"),
                     login(world.coordinator).get("/moderation/journal.csv")]
    assert all(r.status_code == 200 and "Lilas" not in text(r) for r in journal_pages)
    told = [t for member_id, t, _url in notices if member_id == world.bob.id]
    assert any("Version d'un message retirée" in t for t in told)
    assert not any(word in t for t in told for word in WORDS)


def test_withdrawing_the_current_text_replaces_it_everywhere(world, forum, login, app):
    """Queued emails, the page cache, members' fragments and the catch-up all get the placeholder."""
    anonymous, member = Browser(app.test_client()), login(world.carol)
    mention = forum.reply(world.bob, world.topic13, "@Dave M. Lenoir, né le 3 mars 1961, impasse Bellevue.")
    since = now()
    # Kept before: the visitor's cached page and the member's fragment of the post.
    assert "impasse Bellevue" in text(anonymous.get(f"/sujet/{world.topic13.id}"))
    assert "impasse Bellevue" in text(member.get(f"/message/{mention.id}/fragment"))
    response = _redact(login(world.bob), mention, 1)   # the author: no reason asked
    assert response.status_code == 303
    with app.app_context():
        post = db.session.get(Post, mention.id)
        assert post.source.startswith("*Texte retiré le") and post.revision_count == 2
        assert db.session.scalar(select(Decision.id).where(Decision.action == "redact")) is None
        assert db.session.scalars(select(AuditEntry).where(AuditEntry.action == "redact_own")).one()
        gap = catchup.topic_gap(db.session.get(Member, world.carol.id), db.session.get(Topic, world.topic13.id),
                                after=mention.id, since=since)
        assert mention.id in gap["changed"]
    for browser in (anonymous, member):
        for path in (f"/sujet/{world.topic13.id}", f"/message/{mention.id}/fragment",
                     f"/message/{mention.id}/versions"):
            page = text(browser.get(path, follow_redirects=True))
            assert not any(w in page for w in SECOND), path
        assert "Aucun message trouvé." in text(browser.get("/recherche?q=Lenoir"))
    assert "Texte retiré le" in text(anonymous.get(f"/sujet/{world.topic13.id}"))
    # The mention's email, queued before the withdrawal, goes out without the text.
    from forum.notifications import mailing
    with app.app_context():
        mailing.send_due(moment=now() + timedelta(hours=1), force=True)
    mails = sent_emails(app, "dave@")
    assert mails, "the mention's email was sent"
    assert not any(word in email_text(m) + str(m) for m in mails for word in SECOND)
    from forum.notifications import weekly
    with app.app_context():
        weekly.send_weekly(moment=now() + timedelta(days=8), immediate=True)
    assert not any(word in email_text(m) for m in sent_emails(app) for word in SECOND)


def test_the_coordination_alone_reads_the_original_until_the_purge(world, login, act, app):
    _edit_then_redact(world, login, act)
    path = f"/message/{world.reply13.id}/versions/1/original"
    coordination = login(world.coordinator)
    page = text(coordination.get(path))
    assert "rue des Lilas" in page
    assert "Lire le texte retiré (coordination)" in text(coordination.get(f"/message/{world.reply13.id}/versions"))
    for member in (world.mod13, world.mod13b, world.bob, world.carol, world.mod83):
        response = login(member).get(path)
        assert response.status_code == 403 and "Lilas" not in text(response), member.pseudonym
        assert "Seule la coordination" in text(response)
        assert "Lire le texte retiré" not in text(login(member).get(f"/message/{world.reply13.id}/versions"))
    assert Browser(app.test_client()).get(path).status_code in (302, 303)
    assert coordination.get(f"/message/{world.reply13.id}/versions/2/original").status_code == 404
    # The appeal period ends: nobody reads it any more, and the purge deletes it for good.
    with app.app_context():
        db.session.execute(update(RedactedOriginal).values(created_at=now() - timedelta(days=31)))
        db.session.commit()
    assert coordination.get(path).status_code == 410
    assert "Lire le texte retiré" not in text(coordination.get(f"/message/{world.reply13.id}/versions"))
    assert "rue des Lilas" in _all_rows(app)     # still in the database, until the purge
    result = app.test_cli_runner().invoke(args=["moderation", "purge-redactions"])
    assert result.exit_code == 0 and "1 texte(s) retiré(s) effacé(s)" in result.output
    assert "Lilas" not in _all_rows(app)
    assert coordination.get(path).status_code == 404
    assert "Version retirée le" in text(coordination.get(f"/message/{world.reply13.id}/versions"))


def test_the_purge_keeps_what_is_still_in_its_appeal_period(world, login, act, app):
    _edit_then_redact(world, login, act)
    days = app.config["REDACTION_APPEAL_DAYS"]
    assert days == 30
    with app.app_context():
        assert redaction.purge(moment=now() + timedelta(days=days - 1)) == 0
        assert db.session.scalar(select(RedactedOriginal.id)) is not None
        assert redaction.purge(moment=now() + timedelta(days=days, minutes=1)) == 1
        assert db.session.scalar(select(RedactedOriginal.id)) is None


def test_refusals(world, login, act, app):
    act(post_decisions.edit, world.mod13, world.reply13, ANONYMISED, None, [world.articles[2]], "Anonymisé.")
    post = world.reply13
    # A moderator of another space, a member on someone else's post: 403, nothing withdrawn.
    for member in (world.mod83, world.carol):
        assert login(member).get(f"/message/{post.id}/versions/1/retirer").status_code == 403
        response = _redact(login(member), post, 1, reason="third_party", articles=[world.articles[2]])
        assert response.status_code == 403
        assert "Retirer cette version" not in text(login(member).get(f"/message/{post.id}/versions"))
    moderator = login(world.mod13)
    # A reason and an article are required of a moderator; the choices are kept.
    response = _redact(moderator, post, 1, articles=[world.articles[2]])
    assert response.status_code == 422 and "Choisissez pourquoi" in text(response)
    response = _redact(moderator, post, 1, reason="third_party")
    assert response.status_code == 422 and "Citez au moins un article" in text(response)
    # Forged ids.
    assert _redact(moderator, post, 99, reason="third_party", articles=[world.articles[2]]).status_code == 404
    assert _redact(moderator, post, 0, reason="third_party", articles=[world.articles[2]]).status_code == 404
    assert moderator.get(f"/message/999999/versions/1/retirer").status_code == 404
    with app.app_context():
        assert db.session.scalar(select(RedactedOriginal.id)) is None
    # Twice: 409.
    assert _redact(moderator, post, 1, reason="third_party", articles=[world.articles[2]]).status_code == 303
    response = _redact(login(world.mod13b), post, 1, reason="third_party", articles=[world.articles[2]])
    assert response.status_code == 409 and "déjà été retirée" in text(response)
    assert "déjà été retirée" in text(moderator.get(f"/message/{post.id}/versions/1/retirer"))
    # Without a CSRF token: refused, nothing done.
    response = login(world.bob).post(f"/message/{post.id}/versions/2/retirer", {"submit": "1"}, csrf=False)
    assert response.status_code == 400


def test_an_appeal_upheld_by_the_coordination_brings_the_text_back(world, login, act, app):
    act(post_decisions.edit, world.mod13, world.reply13, ANONYMISED, None, [world.articles[2]], "Anonymisé.")
    act(redaction.redact, world.mod13, world.reply13, 2, "third_party", [world.articles[2]])   # the current text
    with app.app_context():
        decision = db.session.scalars(select(Decision).where(Decision.action == "redact")).one()
        appeal = appeals.file_appeal(db.session.get(Member, world.bob.id), decision,
                                     "Ce texte ne nommait personne, je le maintiens.")
        appeal_id, decision_id = appeal.id, decision.id
    with app.app_context():
        from moderation.permissions import can_review_appeal
        decision = db.session.get(Decision, decision_id)
        assert not can_review_appeal(db.session.get(Member, world.mod13b.id), decision)
        assert can_review_appeal(db.session.get(Member, world.coordinator.id), decision)
        appeals.resolve(db.session.get(Member, world.coordinator.id), db.session.get(type(appeal), appeal_id),
                        "reverse", "Le texte anonymisé ne nomme personne.")
        post = db.session.get(Post, world.reply13.id)
        assert post.source == ANONYMISED and post.revision_count == 4
        assert db.session.scalar(select(RedactedOriginal.id)) is None
        assert db.session.scalars(select(Decision).where(Decision.action == "unredact")).one()


def test_a_moderators_edit_cannot_be_reverted_to_a_withdrawn_version(world, login, act, app):
    _edit_then_redact(world, login, act)
    with app.app_context():
        edit = db.session.scalars(select(Decision).where(Decision.action == "edit")).one()
        try:
            deciding.reverse(db.session.get(Member, world.mod13b.id), edit, "Annulation.")
            raise AssertionError("reverted to a withdrawn version")
        except Exception as error:   # Conflict: the withdrawn text must not come back this way
            db.session.rollback()
            assert getattr(error, "status", None) == 409
        assert db.session.get(Post, world.reply13.id).source == ANONYMISED


def test_two_withdrawals_of_one_version_at_once_end_with_one(world, forum, act, app):
    from .test_concurrency import _race
    for round_ in range(3):
        post = forum.reply(world.bob, world.topic13, f"M. Ollivier, avenue des Chartreux, tour {round_}.")
        act(post_decisions.edit, world.mod13, post, f"Une famille, tour {round_}.", None, [world.articles[2]], "Anonymisé.")

        def by(member):
            return lambda: redaction.redact(db.session.get(Member, member.id), db.session.get(Post, post.id), 1,
                                            "third_party", [world.articles[2]]).id
        outcomes = _race(app, [by(world.mod13), by(world.bob)] if round_ % 2 else [by(world.bob), by(world.mod13)])
        assert sorted(kind for kind, _ in outcomes) == ["conflict", "done"], outcomes
        with app.app_context():
            kept = db.session.scalars(select(RedactedOriginal).where(RedactedOriginal.post_id == post.id)).all()
            assert len(kept) == 1 and "Ollivier" in kept[0].source
            assert db.session.get(Post, post.id).revision_count == 2


def test_an_opening_posts_former_title_goes_with_its_version(world, forum, login, act, app):
    topic = forum.topic(world.alice, world.c13, "Situation de M. Ollivier", body="M. Ollivier attend depuis juin.")
    opening = forum.opening(topic)
    act(post_decisions.edit, world.mod13, opening, "Une personne attend depuis juin.", "Une situation bloquée",
        [world.articles[2]], "Nom retiré.")
    assert "Ollivier" in text(Browser(app.test_client()).get(f"/message/{opening.id}/versions"))
    assert _redact(login(world.mod13), opening, 1, reason="third_party",
                   articles=[world.articles[2]]).status_code == 303
    for path in (f"/message/{opening.id}/versions", f"/message/{opening.id}/versions?de=1&a=2",
                 f"/sujet/{topic.id}"):
        assert "Ollivier" not in text(Browser(app.test_client()).get(path, follow_redirects=True)), path
    original = text(login(world.coordinator).get(f"/message/{opening.id}/versions/1/original"))
    assert "Titre : Situation de M. Ollivier" in original and "M. Ollivier attend" in original
    with app.app_context():   # the appeal period over, nothing in the database names him any more
        redaction.purge(moment=now() + timedelta(days=31))
    assert "Ollivier" not in _all_rows(app)
