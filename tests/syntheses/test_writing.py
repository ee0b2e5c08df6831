"""Writing a synthesis: prepared from a debate, saved by several editors without losing text,
its quotations checked when written and withdrawn when their post is hidden."""
import re

from forum.extensions import db
from forum.syntheses import quoting, skeleton
from forum.syntheses.models import Synthesis, SynthesisRevision
from forum.topics import posting
from forum.topics.models import Member, Post, Topic

from ..helpers import text
from .conftest import reload


def test_preparing_from_a_debate_prefills_a_skeleton_with_quotations(app, place, login):
    alice = login(place.alice)
    page = alice.get(f"/sujet/{place.topic.id}/synthese")
    assert page.status_code == 200
    body = text(page)
    assert 'value="Le non-recours aux droits dans le 13"' in page.get_data(as_text=True)
    assert f"[Bruno](/message/{place.reply.id}) a écrit :" in body
    assert "Les permanences en mairie marchent bien à Aubagne." in body
    assert "## Participation" in body and "2 participants" in body
    # Two contributors: no collège is shown alone under 5.
    assert "| Autres collèges" in body or "| Collège |" not in body


def test_a_hidden_post_never_enters_a_skeleton_even_for_a_moderator(app, place, forum, act):
    hidden = forum.reply(place.alice, place.topic, "Texte masqué par la modération, à ne jamais citer.")
    with app.app_context():
        posting.set_post_state(db.session.get(Post, hidden.id), "hidden")
        db.session.commit()
        built = skeleton.build(db.session.get(Member, place.moderator.id), db.session.get(Topic, place.topic.id))
    assert "à ne jamais citer" not in built.source
    assert "Aubagne" in built.source


def test_the_draft_is_created_and_read_only_by_its_editors_and_moderators(app, place, login):
    alice = login(place.alice)
    created = alice.post(f"/sujet/{place.topic.id}/synthese", {"title": "Synthèse du 13",
                                                               "source": "## Ce que nous retenons\n\nAller vers."})
    assert created.status_code == 303, text(created)[:3000]
    url = created.headers["Location"].split("?")[0]
    assert alice.get(url + "?texte=en-cours").status_code == 200
    assert login(place.moderator).get(url).status_code == 200
    assert login(place.bruno).get(url).status_code == 404          # a draft: its editors only
    assert login(place.olga).get(url).status_code == 404


def test_two_editors_saving_at_once_lose_nothing(app, place, login, start):
    synthesis = start(place.alice, place.committee, source="## Partie\n\nTexte de départ.")
    alice, moderator = login(place.alice), login(place.moderator)
    first = alice.post(f"/synthese/{synthesis.id}/modifier", {"title": "Synthèse", "base": "1",
                                                              "source": "## Partie\n\nLa phrase d'Alice."})
    assert first.status_code == 303
    second = moderator.post(f"/synthese/{synthesis.id}/modifier", {"title": "Synthèse", "base": "1",
                                                                   "source": "## Partie\n\nLa phrase du modérateur."})
    assert second.status_code == 409
    page = text(second)
    assert "La phrase d'Alice." in page and "La phrase du modérateur." in page
    # What Alice changed since the moderator opened the text, word by word.
    assert "<del>Texte de départ.</del>" in second.get_data(as_text=True).replace("\n", "")
    assert "<ins>La phrase d&#39;Alice.</ins>" in second.get_data(as_text=True) or \
        "<ins>La phrase d'Alice.</ins>" in second.get_data(as_text=True)
    assert 'name="base" type="hidden" value="2"' in second.get_data(as_text=True) or 'value="2"' in page
    merged = moderator.post(f"/synthese/{synthesis.id}/modifier", {
        "title": "Synthèse", "base": "2", "source": "## Partie\n\nLa phrase d'Alice. La phrase du modérateur."})
    assert merged.status_code == 303
    with app.app_context():
        kept = db.session.get(Synthesis, synthesis.id)
        assert kept.revision_count == 3
        assert kept.source.endswith("La phrase d'Alice. La phrase du modérateur.")
        assert db.session.query(SynthesisRevision).filter_by(synthesis_id=synthesis.id).count() == 3


def test_quoting_a_post_of_a_more_restricted_space_is_refused_with_the_reason(app, place, forum, login, start):
    closed = forum.space("Espace du collège", visibility="members")
    secret = forum.topic(place.alice, closed, "Entre membres", body="Ce qui se dit entre membres connectés.")
    with app.app_context():
        opening = db.session.scalar(db.select(Post).where(Post.topic_id == secret.id))
        opening_id = opening.id
    synthesis = start(place.alice, place.committee)          # a public comité
    alice = login(place.alice)
    source = f"> [Alice](/message/{opening_id}) a écrit :\n> Ce qui se dit entre membres connectés.\n\nSuite."
    refused = alice.post(f"/synthese/{synthesis.id}/modifier", {"title": "Synthèse", "base": "1", "source": source})
    assert refused.status_code == 422
    assert "plus restreint que celui de la synthèse" in text(refused)
    assert "Suite." in text(refused)                        # nothing typed is lost
    assert reload(app, synthesis).revision_count == 1


def test_quoting_a_post_the_editor_cannot_read_says_it_is_not_found(app, place, forum, login, start):
    c84 = forum.committee("84")
    restricted = forum.space("Espace restreint", visibility="restricted", committees=[c84])
    secret = forum.topic(forum.member("Rachid", committees=[c84]), restricted, "Interne", body="Confidentiel.")
    with app.app_context():
        secret_post = db.session.scalar(db.select(Post.id).where(Post.topic_id == secret.id))
    synthesis = start(place.alice, place.committee)
    alice = login(place.alice)
    for post_id in (secret_post, 999999):      # unreadable and missing: the same answer
        refused = alice.post(f"/synthese/{synthesis.id}/modifier", {
            "title": "Synthèse", "base": "1", "source": f"> [X](/message/{post_id}) a écrit :\n> Rien.\n\nSuite."})
        assert refused.status_code == 422
        assert f"Le message n° {post_id} cité est introuvable." in text(refused) and "Suite." in text(refused)
    assert reload(app, synthesis).revision_count == 1


def test_a_post_hidden_after_being_quoted_leaves_the_synthesis(app, place, login, start):
    source = (f"## Positions\n\n> [Bruno](/message/{place.reply.id}) a écrit :\n"
              f"> Les permanences en mairie marchent bien à Aubagne.\n\nFin.")
    synthesis = start(place.alice, place.committee, source=source)
    alice = login(place.alice)
    assert "Aubagne" in text(alice.get(f"/synthese/{synthesis.id}?texte=en-cours"))
    with app.app_context():
        posting.set_post_state(db.session.get(Post, place.reply.id), "hidden")
        db.session.commit()
    page = text(alice.get(f"/synthese/{synthesis.id}?texte=en-cours"))
    assert "Aubagne" not in page and "Citation retirée" in page and "Fin." in page
    edit = text(alice.get(f"/synthese/{synthesis.id}/modifier"))
    assert "Aubagne" not in edit and "1 citation a été retirée" in edit
    for fmt in ("md", "html"):
        exported = alice.get(f"/synthese/{synthesis.id}/export.{fmt}")
        assert exported.status_code == 200 and "Aubagne" not in exported.get_data(as_text=True)
    with app.app_context():
        assert quoting.withdrawn({place.reply.id}, db.session.get(Synthesis, synthesis.id).space) == {place.reply.id}


def _named_box(page):
    return re.search(r'<input[^>]*id="named"[^>]*>', page).group(0)


def test_an_editor_chooses_to_be_named_and_the_page_remembers(app, place, login, start):
    synthesis = start(place.alice, place.committee)
    alice = login(place.alice)
    page = alice.get(f"/synthese/{synthesis.id}?texte=en-cours").get_data(as_text=True)
    assert "checked" not in _named_box(page) and "Ont accepté d" not in page
    assert alice.post(f"/synthese/{synthesis.id}/nommer", {"named": "y"}).status_code == 303
    page = alice.get(f"/synthese/{synthesis.id}?texte=en-cours").get_data(as_text=True)
    assert "checked" in _named_box(page) and "nommés : Alice</p>" in text(alice.get(f"/synthese/{synthesis.id}"))
    assert alice.post(f"/synthese/{synthesis.id}/nommer", {}).status_code == 303
    page = alice.get(f"/synthese/{synthesis.id}?texte=en-cours").get_data(as_text=True)
    assert "checked" not in _named_box(page) and "Ont accepté d" not in page


def test_an_invited_editor_is_told_and_may_write(app, place, login, start):
    synthesis = start(place.alice, place.committee, source="## Partie\n\nTexte.")
    bruno = login(place.bruno)
    assert "vous invite à rédiger" not in text(bruno.get("/notifications"))
    assert login(place.alice).post(f"/synthese/{synthesis.id}/redacteurs", {"pseudonym": "Bruno"}).status_code == 303
    assert "Alice vous invite à rédiger la synthèse « Synthèse du débat »" in text(bruno.get("/notifications"))
    assert bruno.get(f"/synthese/{synthesis.id}/modifier").status_code == 200
    refused = login(place.alice).post(f"/synthese/{synthesis.id}/redacteurs", {"pseudonym": "Olga"})
    assert refused.status_code == 422 and "Aucun membre de ce nom ne peut écrire dans cet espace." in text(refused)


def test_the_history_shows_only_the_lines_that_changed(app, place, login, start):
    paragraphs = [f"Paragraphe {n} qui ne change pas." for n in range(30)]
    synthesis = start(place.alice, place.committee, source="\n\n".join(paragraphs))
    alice = login(place.alice)
    paragraphs[15] = "Paragraphe quinze réécrit."
    assert alice.post(f"/synthese/{synthesis.id}/modifier", {"title": "Synthèse", "base": "1",
                                                              "source": "\n\n".join(paragraphs)}).status_code == 303
    page = alice.get(f"/synthese/{synthesis.id}/historique").get_data(as_text=True)
    assert re.search(r"<ins>[^<]*réécrit", page)
    assert "<del>" in page and "Paragraphe 3 qui" not in page and "Paragraphe 27 qui" not in page
    assert page.count("[…]") == 2
