"""A synthesis's life: review, comments, approval (moderator or consent), publication of
exactly what was approved, versions kept; and who may not do each."""
from datetime import timedelta

import pytest

from forum.clock import now
from forum.decisions import closing, voting
from forum.decisions.models import Poll
from forum.errors import Forbidden, Refused
from forum.extensions import db
from forum.syntheses import lifecycle, writing
from forum.syntheses.models import Synthesis, SynthesisVersion
from forum.topics.models import Member

from ..helpers import text
from .conftest import reload


def in_review(app, place, start, **kwargs):
    synthesis = start(place.alice, place.committee, topic=place.topic, **kwargs)
    with app.app_context():
        lifecycle.ask_review(db.session.get(Member, place.alice.id), db.session.get(Synthesis, synthesis.id))
    return synthesis


def test_review_opens_it_to_the_space_members_who_comment_per_section(app, place, login, start):
    synthesis = start(place.alice, place.committee, source="## Constats\n\nUn.\n\n## Propositions\n\nDeux.")
    bruno = login(place.bruno)
    assert bruno.get(f"/synthese/{synthesis.id}").status_code == 404
    refused = bruno.post(f"/synthese/{synthesis.id}/relecture")
    assert refused.status_code == 404                       # he cannot even know the draft exists
    assert login(place.alice).post(f"/synthese/{synthesis.id}/relecture").status_code == 303
    page = bruno.get(f"/synthese/{synthesis.id}")
    assert page.status_code == 200 and "En relecture" in text(page)
    commented = bruno.post(f"/synthese/{synthesis.id}/commentaires", {"section": "Propositions",
                                                                      "text": "Ajouter les horaires."})
    assert commented.status_code == 303
    page = text(bruno.get(f"/synthese/{synthesis.id}?texte=en-cours"))
    assert "Ajouter les horaires." in page and "<h3>Sur « Propositions »</h3>" in page
    unknown = bruno.post(f"/synthese/{synthesis.id}/commentaires", {"section": "N'existe pas", "text": "Hop"})
    assert unknown.status_code == 422
    empty = bruno.post(f"/synthese/{synthesis.id}/commentaires", {"section": "", "text": "  "})
    assert empty.status_code == 422
    # The synthesis page again, the error next to the comment box.
    assert 'id="text-erreurs"' in empty.get_data(as_text=True) and "Le commentaire est vide" in text(empty)
    assert "Constats" in text(empty)
    assert login(place.olga).post(f"/synthese/{synthesis.id}/commentaires",
                                  {"section": "", "text": "Olga"}).status_code == 404   # not of the comité


def test_only_moderators_approve_and_publish_and_what_is_published_is_what_was_approved(app, place, login, start):
    synthesis = in_review(app, place, start, source="## Retenu\n\nTexte validé.")
    alice, moderator = login(place.alice), login(place.moderator)
    assert alice.post(f"/synthese/{synthesis.id}/valider").status_code == 403
    assert moderator.post(f"/synthese/{synthesis.id}/publier").status_code == 409      # not approved yet
    assert moderator.post(f"/synthese/{synthesis.id}/valider").status_code == 303
    assert alice.post(f"/synthese/{synthesis.id}/publier").status_code == 403
    assert moderator.post(f"/synthese/{synthesis.id}/publier").status_code == 303
    with app.app_context():
        version = db.session.scalar(db.select(SynthesisVersion).where(SynthesisVersion.synthesis_id == synthesis.id))
        assert version.number == 1 and "Texte validé." in version.html
    page = text(login(place.olga).get(f"/synthese/{synthesis.id}"))
    assert "Texte validé." in page and "Version 1, publiée le" in page


def test_an_edit_after_approval_sends_it_back_and_publishing_then_is_refused(app, place, login, start):
    synthesis = in_review(app, place, start, source="## Retenu\n\nTexte validé.")
    moderator, alice = login(place.moderator), login(place.alice)
    moderator.post(f"/synthese/{synthesis.id}/valider")
    edited = alice.post(f"/synthese/{synthesis.id}/modifier", {"title": "Synthèse du débat", "base": "1",
                                                               "source": "## Retenu\n\nTexte changé après."})
    assert edited.status_code == 303
    assert reload(app, synthesis).status == "review"
    assert moderator.post(f"/synthese/{synthesis.id}/publier").status_code == 409
    with app.app_context():
        assert db.session.query(SynthesisVersion).count() == 0


def test_publishing_copies_the_approved_revision_even_if_the_row_moved_since(app, place, start):
    """The concurrent case without HTTP: the approved revision is the one published."""
    synthesis = in_review(app, place, start, source="## Retenu\n\nLa version approuvée.")
    with app.app_context():
        moderator = db.session.get(Member, place.moderator.id)
        row = db.session.get(Synthesis, synthesis.id)
        lifecycle.approve(moderator, row)
        # Another process saved after approval but its status write lost the race: the text
        # moved, the status did not (the worst interleaving publishing can meet).
        db.session.execute(db.update(Synthesis).where(Synthesis.id == row.id).values(
            source="## Retenu\n\nUn texte jamais approuvé.", revision_count=2))
        db.session.commit()
        db.session.refresh(row)
        version = lifecycle.publish(moderator, row)
        assert "La version approuvée." in version.html and "jamais approuvé" not in version.html


def test_a_published_version_never_changes_and_a_correction_is_the_next_version(app, place, login, start):
    synthesis = in_review(app, place, start, source="## Retenu\n\nPremière version.")
    moderator, alice = login(place.moderator), login(place.alice)
    moderator.post(f"/synthese/{synthesis.id}/valider")
    moderator.post(f"/synthese/{synthesis.id}/publier")
    alice.post(f"/synthese/{synthesis.id}/modifier", {"title": "Synthèse du débat", "base": "1",
                                                      "source": "## Retenu\n\nDeuxième version."})
    assert reload(app, synthesis).status == "draft"
    public = text(login(place.olga).get(f"/synthese/{synthesis.id}"))
    assert "Première version." in public and "Deuxième version." not in public
    alice.post(f"/synthese/{synthesis.id}/relecture")
    moderator.post(f"/synthese/{synthesis.id}/valider")
    moderator.post(f"/synthese/{synthesis.id}/publier")
    with app.app_context():
        versions = db.session.scalars(db.select(SynthesisVersion).order_by(SynthesisVersion.number)).all()
        assert [(v.number, "Première" in v.source) for v in versions] == [(1, True), (2, False)]
    assert "Première version." in text(login(place.olga).get(f"/synthese/{synthesis.id}?version=1"))
    assert "Deuxième version." in text(login(place.olga).get(f"/synthese/{synthesis.id}"))


def test_consent_without_objection_approves_and_an_objection_does_not(app, place, start, vote_on):
    for objection, expected in ((False, "approved"), (True, "review")):
        synthesis = in_review(app, place, start, source="## Retenu\n\nÀ valider ensemble.")
        with app.app_context():
            poll = lifecycle.ask_consent(db.session.get(Member, place.moderator.id),
                                         db.session.get(Synthesis, synthesis.id), now() + timedelta(days=2))
            poll_id = poll.id
        vote_on(place.alice, poll_id, {0: 1})
        vote_on(place.bruno, poll_id, {3: 1} if objection else {0: 1}, "Il manque les horaires." if objection else "")
        with app.app_context():
            closing.close_poll(db.session.get(Poll, poll_id), db.session.get(Member, place.moderator.id))
        assert reload(app, synthesis).status == expected


@pytest.fixture
def vote_on(app):
    def cast(member, poll_id, choice, reason=""):
        with app.app_context():
            voting.cast_ballot(db.session.get(Member, member.id), db.session.get(Poll, poll_id), choice, reason)
    return cast


def test_who_may_not_write_invite_or_name(app, place, start):
    synthesis = start(place.alice, place.committee)
    with app.app_context():
        row = db.session.get(Synthesis, synthesis.id)
        bruno, olga = db.session.get(Member, place.bruno.id), db.session.get(Member, place.olga.id)
        with pytest.raises(Forbidden):
            writing.save(bruno, row, "T", "x", 1)
        with pytest.raises(Forbidden):
            writing.invite(bruno, row, "Olga")
        with pytest.raises(Forbidden):
            writing.set_named(bruno, row, True)
        with pytest.raises(Refused):
            writing.invite(db.session.get(Member, place.alice.id), row, "Personne")
        writing.invite(db.session.get(Member, place.alice.id), row, "Bruno")
        writing.save(db.session.get(Member, place.bruno.id), db.session.get(Synthesis, synthesis.id), "T", "x", 1)
        assert olga is not None


def test_publishing_tells_the_comites_members_who_may_read_it_and_no_one_else(app, place, forum, login, start):
    other = forum.committee("84")
    reader = forum.member("Rachid", committees=[other])
    restricted = forum.space("Espace réservé au 13", visibility="restricted", committees=[place.committee])
    outsider_of_13 = forum.member("Sophie", committees=[other])
    synthesis = start(place.alice, restricted, source="## Retenu\n\nRéservé.")
    with app.app_context():
        moderator = db.session.get(Member, place.moderator.id)
        row = db.session.get(Synthesis, synthesis.id)
        restricted_row = row.space
        restricted_row.moderators.append(moderator)
        db.session.commit()
        lifecycle.ask_review(db.session.get(Member, place.alice.id), row)
        lifecycle.approve(moderator, row)
        lifecycle.publish(moderator, row)
    assert "Nouvelle synthèse publiée" in text(login(place.bruno).get("/notifications"))
    for member in (reader, outsider_of_13, place.olga):
        assert "Nouvelle synthèse publiée" not in text(login(member).get("/notifications"))
    # The space closes further: the notice is no longer shown to who cannot read it.
    with app.app_context():
        db.session.execute(db.delete(db.metadata.tables["space_committee_access"]))
        db.session.commit()
    assert "Nouvelle synthèse publiée" not in text(login(place.bruno).get("/notifications"))


def test_the_command_line_exports_what_the_chosen_reader_may_read(app, place, start, tmp_path):
    synthesis = in_review(app, place, start, source="## Retenu\n\nTexte exporté en ligne de commande.")
    runner = app.test_cli_runner()
    out = tmp_path / "s.md"
    refused = runner.invoke(args=["syntheses", "export", str(synthesis.id), "--format", "md", "-o", str(out)])
    assert refused.exit_code == 1 and "introuvable" in refused.output and not out.exists()   # a visitor: not published
    done = runner.invoke(args=["syntheses", "export", str(synthesis.id), "--format", "md", "-o", str(out),
                               "--as", "Bruno"])
    assert done.exit_code == 0, done.output
    assert "Texte exporté en ligne de commande." in out.read_text()
    missing = runner.invoke(args=["syntheses", "export", "99999", "--format", "md", "-o", str(out)])
    assert missing.exit_code == 1 and "n'existe pas" in missing.output


def test_a_published_version_lists_its_own_sources_not_the_next_versions(app, place, forum, login, start):
    later = forum.reply(place.alice, place.topic, "Une autre idée, citée seulement dans la version suivante.")
    synthesis = in_review(app, place, start, source=f"> [Bruno](/message/{place.reply.id}) a écrit :\n> Aubagne.\n\nFin.")
    moderator = login(place.moderator)
    moderator.post(f"/synthese/{synthesis.id}/valider")
    moderator.post(f"/synthese/{synthesis.id}/publier")
    login(place.alice).post(f"/synthese/{synthesis.id}/modifier", {
        "title": "Synthèse du débat", "base": "1", "source": f"> [Alice](/message/{later.id}) a écrit :\n> Une autre idée.\n"})
    published = text(login(place.olga).get(f"/synthese/{synthesis.id}"))
    assert f"/message/{place.reply.id}" in published and f"/message/{later.id}" not in published
    working = text(login(place.alice).get(f"/synthese/{synthesis.id}?texte=en-cours"))
    assert f"/message/{later.id}" in working and f"/message/{place.reply.id}\"" not in working
