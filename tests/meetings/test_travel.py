"""Travel costs: who declares, what is accepted, who sees the amounts, the coordination's
decision, the CSV for the accounting, the archive and the erasure."""
import io
import json
import zipfile
from datetime import timedelta

import pytest
from PIL import Image
from sqlalchemy.exc import IntegrityError

from forum.accounts import erasure, portability
from forum.accounts.models import College, Member
from forum.extensions import db
from forum.meetings.models import ABSENT, PRESENT, Attendance, Meeting, TravelClaim
from forum.notifications.models import Notification
from forum.topics.models import Space

from ..helpers import Browser, Forum, text
from .travel_world import PDF, claims, jpeg_with_gps, png, world


@pytest.fixture
def w(app, forum):
    return world(app, forum)


def _url(w):
    return f"/reunion/{w.meeting.id}/frais-de-deplacement"


def _declare(browser, w, receipt=None, **fields):
    data = {"mode": "distance", "km": "42,5", "amount": "", "note": "Aller-retour depuis Aubagne.", **fields}
    if receipt is not None:
        data["receipt"] = (io.BytesIO(receipt[1]), receipt[0])
    return browser.post(_url(w), data, content_type="multipart/form-data")


def _record(app, w, member, status):
    with app.app_context():
        db.session.add(Attendance(meeting_id=w.meeting.id, member_id=member.id, status=status))
        db.session.commit()


def test_a_covered_participant_declares_kilometres_and_corrects_them_until_decided(app, w, login):
    paula = login(w.paula)
    assert paula.get(_url(w)).status_code == 200
    response = _declare(paula, w)
    assert response.status_code == 303
    [claim] = claims(app, member_id=w.paula.id)
    assert (claim.mode, str(claim.distance_km), claim.amount_cents, claim.receipt) == ("distance", "42.5", None, None)
    # Sent again while it waits: the same claim, corrected.
    assert _declare(paula, w, mode="ticket", amount="23,50", receipt=("billet.pdf", PDF)).status_code == 303
    [claim] = claims(app, member_id=w.paula.id)
    assert (claim.mode, claim.distance_km, claim.amount_cents, claim.receipt_type) == ("ticket", None, 2350,
                                                                                     "application/pdf")
    page = text(paula.get(f"/reunion/{w.meeting.id}"))
    assert "23,50 €" in page and "en attente de la coordination" in page
    # Once decided, it stays.
    login(w.cora).post(f"/coordination/frais-de-deplacement/{claim.id}", {"validate": "1"})
    response = _declare(paula, w, km="10")
    assert response.status_code == 409 and "déjà été traitée" in text(response)
    assert claims(app, member_id=w.paula.id)[0].amount_cents == 2350


@pytest.mark.parametrize("fields, field_text, message", [
    ({"km": "-12"}, "-12", "Indiquez un nombre positif."),
    ({"km": "0"}, "0", "supérieur à zéro"),
    ({"km": "2000,5"}, "2000,5", "2\u202f000 km au plus"),
    ({"km": "douze"}, "douze", "Écrivez un nombre"),
    ({"mode": "ticket", "amount": "-5"}, "-5", "Indiquez un nombre positif."),
    ({"mode": "ticket", "amount": "1000,01", "receipt": ("b.pdf", PDF)}, "1000,01", "1\u202f000 € au plus"),
    ({"mode": "ticket", "amount": "12,345", "receipt": ("b.pdf", PDF)}, "12,345", "Écrivez un montant"),
    ({"mode": "ticket", "amount": "12"}, "12", "Un billet demande son justificatif"),
    ({"mode": "velo"}, "Aubagne", "Choisissez des kilomètres parcourus ou un billet."),
    ({"receipt": ("note.txt", b"pas un justificatif")}, "Aubagne", "n'est pas un PDF, un JPEG ou un PNG"),
    ({"receipt": ("faux.png", b"\x89PNG\r\n\x1a\nnot really")}, "Aubagne", "n'est pas un PDF, un JPEG ou un PNG"),
    ({"receipt": ("doc.odt", b"PK\x03\x04garbage")}, "Aubagne", "n'est pas un PDF, un JPEG ou un PNG"),
])
def test_bad_input_is_a_422_at_its_field_with_what_was_typed_kept(app, w, login, fields, field_text, message):
    fields = dict(fields)       # shared by both backends' runs: left as it was
    receipt = fields.pop("receipt", None)
    response = _declare(login(w.paula), w, receipt=receipt, **fields)
    page = text(response)
    assert response.status_code == 422
    assert message in page and field_text in page
    assert 'class="field-errors"' in page
    assert claims(app) == []


def test_a_receipt_too_big_is_a_413_and_nothing_is_kept(app_factory):
    app = app_factory(MEETING_RECEIPT_MAX_BYTES=1000)
    w = world(app, Forum(app))
    browser = Browser(app.test_client())
    browser.login(w.paula)
    response = _declare(browser, w, mode="ticket", amount="12", receipt=("gros.pdf", PDF + b"x" * 2000))
    assert response.status_code == 413 and "trop volumineux" in text(response) and "12" in text(response)
    assert claims(app) == []


def test_an_image_receipt_is_re_encoded_without_its_metadata(app, w, login):
    assert _declare(login(w.paula), w, mode="ticket", amount="8", receipt=("photo.jpg", jpeg_with_gps())
                    ).status_code == 303
    [claim] = claims(app)
    assert claim.receipt_type == "image/jpeg" and b"Fabricant-Secret" not in claim.receipt
    assert Image.open(io.BytesIO(claim.receipt)).format == "JPEG"


@pytest.mark.parametrize("who, why", [
    ("bruno", "ne sont pas pris en charge"),        # his collège is not covered
    ("xavier", "Seuls les participants présents"),  # covered, of another comité: never registered
])
def test_who_is_not_covered_or_did_not_come_declares_nothing(app, w, login, who, why):
    browser = login(getattr(w, who))
    response = _declare(browser, w)
    assert response.status_code == 422 and why in text(response)
    assert browser.get(_url(w)).status_code == 403
    assert claims(app) == []


def test_who_cannot_see_the_meeting_finds_nothing(app, forum, w, login):
    with app.app_context():
        space = db.session.get(Space, w.committee.id)     # the comité's space, for its members only
        space.visibility, space.allowed_committees = "restricted", [space]
        db.session.commit()
    xavier = login(w.xavier)
    assert xavier.get(_url(w)).status_code == 404 and _declare(xavier, w).status_code == 404
    assert app.test_client().get(_url(w)).status_code == 302
    assert claims(app) == []
    assert login(w.paula).get(_url(w)).status_code == 200


def test_the_covered_collège_counts_only_once_confirmed_and_the_everyone_policy_covers_all(app, w, login):
    with app.app_context():
        db.session.get(Member, w.paula.id).college_confirmed = False
        db.session.commit()
    assert _declare(login(w.paula), w).status_code == 422
    with app.app_context():
        db.session.get(Meeting, w.meeting.id).travel_claims = "everyone"
        db.session.commit()
    assert _declare(login(w.bruno), w).status_code == 303
    assert [c.member_id for c in claims(app)] == [w.bruno.id]


def test_a_member_recorded_absent_or_not_registered_did_not_attend(app, forum, w, login):
    _record(app, w, w.paula, ABSENT)
    response = _declare(login(w.paula), w)
    assert response.status_code == 422 and "Seuls les participants présents" in text(response)
    # Another covered member of the comité who never registered: not there either.
    late = forum.member("Lola", college=w.covered, committees=[w.committee])
    assert _declare(login(late), w).status_code == 422
    assert claims(app) == []
    # Recorded present without registering: they attended.
    _record(app, w, late, PRESENT)
    assert _declare(login(late), w).status_code == 303


def test_nothing_is_declared_before_the_meeting_starts(app, forum):
    w = world(app, forum, starts_in=timedelta(hours=3))
    browser = Browser(app.test_client())
    browser.login(w.paula)
    response = _declare(browser, w)
    assert response.status_code == 422 and "une fois la réunion commencée" in text(response)
    assert claims(app) == []


def _claim(app, w, login, **fields):
    assert _declare(login(w.paula), w, mode="ticket", amount="31,20", receipt=("billet.png", png()),
                    **fields).status_code == 303
    return claims(app, member_id=w.paula.id)[0]


def test_the_receipt_goes_to_the_claimant_and_the_coordination_only(app, forum, w, login):
    claim = _claim(app, w, login)
    url = f"/frais-de-deplacement/{claim.id}/justificatif"
    for who in (w.paula, w.cora):
        response = login(who).get(url)
        assert response.status_code == 200 and response.mimetype == "image/png"
        assert response.headers["Content-Disposition"].startswith("attachment;")
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.data == claim.receipt
    for who in (w.bruno, w.olga, w.xavier):
        assert login(who).get(url).status_code == 404
    assert app.test_client().get(url).status_code == 302      # to the login page
    assert login(w.paula).get(f"/frais-de-deplacement/{claim.id + 1}/justificatif").status_code == 404


def test_amounts_never_reach_other_members_nor_the_organisers(app, w, login):
    _claim(app, w, login, note="Note privée de Paula")
    meeting_url = f"/reunion/{w.meeting.id}"
    assert "31,20" in text(login(w.paula).get(meeting_url))
    for who in (w.bruno, w.olga):
        browser = login(who)
        for url in (meeting_url, _url(w), f"/reunion/{w.meeting.id}/participants",
                    f"/reunion/{w.meeting.id}/presences", "/coordination/frais-de-deplacement",
                    "/coordination/frais-de-deplacement/valides.csv"):
            page = text(browser.get(url))
            assert "31,20" not in page and "31.20" not in page and "Note privée" not in page, (who.pseudonym, url)
    assert login(w.olga).get("/coordination/frais-de-deplacement").status_code == 403
    assert login(w.olga).get("/coordination/frais-de-deplacement/valides.csv").status_code == 403


def test_the_coordination_refuses_with_a_reason_and_the_claimant_is_told(app, w, login):
    claim = _claim(app, w, login)
    cora = login(w.cora)
    page = text(cora.get("/coordination/frais-de-deplacement"))
    assert "Paula" in page and "31,20 €" in page and "Personnes accompagnées" in page
    assert "frais-de-deplacement" in text(cora.get("/coordination/"))
    response = cora.post(f"/coordination/frais-de-deplacement/{claim.id}", {"refuse": "1", "reason": "  "})
    assert response.status_code == 422 and "Dites pourquoi la demande est refusée" in text(response)
    assert claims(app)[0].status == "submitted"
    response = cora.post(f"/coordination/frais-de-deplacement/{claim.id}",
                         {"refuse": "1", "reason": "Billet d'un autre jour."})
    assert response.status_code == 303
    claim = claims(app)[0]
    assert (claim.status, claim.reason, claim.decided_by_id) == ("refused", "Billet d'un autre jour.", w.cora.id)
    with app.app_context():
        [notice] = db.session.query(Notification).filter_by(member_id=w.paula.id).all()
        assert "refusés" in notice.text and "Billet d'un autre jour." in notice.text and "31" not in notice.text
    assert "Billet d'un autre jour." in text(login(w.paula).get(f"/reunion/{w.meeting.id}"))
    # Decided: deciding again is a conflict, nothing changes.
    assert cora.post(f"/coordination/frais-de-deplacement/{claim.id}", {"validate": "1"}).status_code == 409
    assert claims(app)[0].status == "refused"


@pytest.mark.parametrize("who", ["paula", "olga", "bruno"])
def test_only_the_coordination_decides(app, w, login, who):
    claim = _claim(app, w, login)
    response = login(getattr(w, who)).post(f"/coordination/frais-de-deplacement/{claim.id}", {"validate": "1"})
    assert response.status_code == 403
    assert claims(app)[0].status == "submitted" and claims(app)[0].decided_at is None


def test_validated_claims_export_as_plain_numbers(app, forum, w, login):
    claim = _claim(app, w, login)
    _record(app, w, w.bruno, PRESENT)
    with app.app_context():
        db.session.get(Meeting, w.meeting.id).travel_claims = "everyone"
        db.session.commit()
    _record(app, w, w.paula, PRESENT)
    assert _declare(login(w.bruno), w, km="120,5").status_code == 303
    bruno_claim = claims(app, member_id=w.bruno.id)[0]
    cora = login(w.cora)
    for ident in (claim.id, bruno_claim.id):
        assert cora.post(f"/coordination/frais-de-deplacement/{ident}", {"validate": "1"}).status_code == 303
    response = cora.get("/coordination/frais-de-deplacement/valides.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    rows = [line.split(";") for line in response.data.decode("utf-8-sig").strip().split("\r\n")]
    assert rows[0] == ["membre", "college", "reunion", "date", "mode", "km", "montant_euros", "decidee_le"]
    by_member = {row[0]: row for row in rows[1:]}
    assert by_member["Paula"][1:3] == ["Personnes accompagnées", "Plénière de décembre"]
    assert by_member["Paula"][4:7] == ["ticket", "", "31.20"]
    assert by_member["Bruno"][4:7] == ["distance", "120.5", ""]
    assert len(by_member["Paula"][3]) == 10 and len(by_member["Paula"][7]) == 10


def test_the_claims_are_in_the_archive_and_validated_ones_outlive_the_erasure(app, w, login):
    claim = _claim(app, w, login, note="Depuis Aubagne")
    with app.app_context():
        out = io.BytesIO()
        portability.write_archive(db.session.get(Member, w.paula.id), out)
    with zipfile.ZipFile(out) as archive:
        [mine] = json.loads(archive.read("frais-de-deplacement.json"))
    assert (mine["amount"], mine["note"], mine["status"]) == ("31.20", "Depuis Aubagne", "submitted")
    login(w.cora).post(f"/coordination/frais-de-deplacement/{claim.id}", {"validate": "1"})
    # Bruno's claim still waiting: it goes with his account.
    with app.app_context():
        db.session.add(TravelClaim(meeting_id=w.meeting.id, member_id=w.bruno.id, mode="distance", distance_km=3))
        db.session.commit()
        erasure.anonymise(db.session.get(Member, w.paula.id))
        erasure.anonymise(db.session.get(Member, w.bruno.id))
    [kept] = claims(app)
    assert (kept.id, kept.status, kept.amount_cents, kept.note) == (claim.id, "validated", 3120, "")
    rows = login(w.cora).get("/coordination/frais-de-deplacement/valides.csv").data.decode("utf-8-sig")
    assert "Paula" not in rows and "Ancien membre" in rows and "31.20" in rows


def test_the_database_keeps_one_claim_per_member_and_meeting(app, w):
    with app.app_context():
        db.session.add(TravelClaim(meeting_id=w.meeting.id, member_id=w.paula.id, mode="distance", distance_km=3))
        db.session.commit()
        db.session.add(TravelClaim(meeting_id=w.meeting.id, member_id=w.paula.id, mode="distance", distance_km=4))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
    assert len(claims(app)) == 1


def test_the_coordination_says_which_collèges_have_their_travel_paid(app, w, login):
    url = f"/coordination/colleges/{w.other_college.id}"
    cora = login(w.cora)
    page = text(cora.get(url))
    assert "Frais de déplacement pris en charge pour ce collège" in page
    response = cora.post(url, {"name": "Professionnels", "description": "", "travel_costs_covered": "y"})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(College, w.other_college.id).travel_costs_covered is True
    # Bruno's collège now covered: he declares.
    assert _declare(login(w.bruno), w).status_code == 303
    # Unticked by a form that leaves it out; a member who is not of the coordination changes nothing.
    assert cora.post(url, {"name": "Professionnels"}).status_code == 303
    assert login(w.olga).post(url, {"name": "Professionnels", "travel_costs_covered": "y"}).status_code in (403, 404)
    with app.app_context():
        assert db.session.get(College, w.other_college.id).travel_costs_covered is False


def test_a_coordinator_never_decides_their_own_claim(app, forum, w, login):
    with app.app_context():
        db.session.get(Meeting, w.meeting.id).travel_claims = "everyone"
        db.session.commit()
    _record(app, w, w.cora, PRESENT)
    cora = login(w.cora)
    assert _declare(cora, w).status_code == 303
    [claim] = claims(app, member_id=w.cora.id)
    response = cora.post(f"/coordination/frais-de-deplacement/{claim.id}", {"validate": "1"})
    assert response.status_code == 403
    assert claims(app)[0].status == "submitted"
    other = forum.member("Colin", role="coordinator")
    assert login(other).post(f"/coordination/frais-de-deplacement/{claim.id}", {"validate": "1"}).status_code == 303
