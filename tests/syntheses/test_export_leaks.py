"""What leaves in files: a post hidden after being quoted is in no export (PDF and ODT read back);
exports are readable only by who may read the synthesis; the files sent to the HCTS are kept as
sent, and only for who may publish."""
from forum.extensions import db
from forum.syntheses import lifecycle
from forum.syntheses.models import Synthesis, SynthesisFile
from forum.topics import posting
from forum.topics.models import Member, Post

from . import readers

SECRET = "Les permanences en mairie marchent bien à Aubagne."


def _published(app, place, start):
    source = (f"## Positions\n\n> [Bruno](/message/{place.reply.id}) a écrit :\n> {SECRET}\n\n"
              "## Ce que nous retenons\n\nAller vers les personnes.")
    synthesis = start(place.alice, place.committee, source=source, topic=place.topic)
    with app.app_context():
        moderator = db.session.get(Member, place.moderator.id)
        row = db.session.get(Synthesis, synthesis.id)
        lifecycle.ask_review(db.session.get(Member, place.alice.id), row)
        lifecycle.approve(moderator, row)
        lifecycle.publish(moderator, row)
    return synthesis


def _odt_text(data):
    return " ".join(p.text_recursive for p in readers.odt(data).body.get_paragraphs())


def test_a_post_hidden_after_being_quoted_is_in_no_export(app, place, login, start):
    synthesis = _published(app, place, start)
    olga = login(place.olga)
    pdf = olga.get(f"/synthese/{synthesis.id}/export.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert "Aubagne" in readers.pdf_text(pdf.data)                    # the check can fail
    assert readers.pdfua_problems(pdf.data) == []
    with app.app_context():
        posting.set_post_state(db.session.get(Post, place.reply.id), "hidden")
        db.session.commit()
    pdf = olga.get(f"/synthese/{synthesis.id}/export.pdf").data
    odt = olga.get(f"/synthese/{synthesis.id}/export.odt").data
    assert "Aubagne" not in readers.pdf_text(pdf) and "Aller vers les personnes." in readers.pdf_text(pdf)
    assert "Aubagne" not in _odt_text(odt) and "Aller vers les personnes." in _odt_text(odt)
    for fmt in ("md", "html"):
        assert "Aubagne" not in olga.get(f"/synthese/{synthesis.id}/export.{fmt}").get_data(as_text=True)


def test_exports_follow_who_may_read(app, place, login, start):
    synthesis = start(place.alice, place.committee, source="## Brouillon\n\nPas encore relu.")
    for fmt in ("pdf", "odt", "md", "html"):
        assert login(place.bruno).get(f"/synthese/{synthesis.id}/export.{fmt}").status_code == 404
        assert login(place.alice).get(f"/synthese/{synthesis.id}/export.{fmt}").status_code == 200
    assert login(place.alice).get(f"/synthese/{synthesis.id}/export.docx").status_code == 404
    assert login(place.alice).get(f"/synthese/{synthesis.id}/export.md?version=7").status_code == 404


def test_the_files_sent_to_the_hcts_are_kept_as_sent_for_who_may_publish(app, place, login, start):
    synthesis = _published(app, place, start)
    moderator = login(place.moderator)
    assert login(place.alice).post(f"/synthese/{synthesis.id}/transmettre").status_code == 403
    assert moderator.post(f"/synthese/{synthesis.id}/transmettre").status_code == 303
    assert moderator.post(f"/synthese/{synthesis.id}/transmettre").status_code == 409      # once
    with app.app_context():
        kept = {f.format: f.content for f in db.session.scalars(db.select(SynthesisFile))}
    assert set(kept) == {"pdf", "odt"}
    sent = moderator.get(f"/synthese/{synthesis.id}/version/1/transmis.pdf")
    assert sent.status_code == 200 and sent.data == kept["pdf"]
    assert "Publiée et transmise au HCTS" in readers.pdf_text(sent.data)
    assert login(place.alice).get(f"/synthese/{synthesis.id}/version/1/transmis.pdf").status_code == 404
    assert login(place.olga).get(f"/synthese/{synthesis.id}/version/1/transmis.odt").status_code == 404
    assert "transmise au HCTS le" in login(place.olga).get(f"/synthese/{synthesis.id}").get_data(as_text=True)

