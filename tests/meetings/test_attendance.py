"""Attendance: the organisers record who came, add who came without registering, print the
sign-in sheet; nobody else does or sees any of it."""
import io
from datetime import timedelta

import pytest
from pypdf import PdfReader

from forum.accounts import erasure
from forum.accounts.models import Member
from forum.extensions import db
from forum.meetings import attendance
from forum.meetings.models import Attendance, Meeting

from ..helpers import Browser, text
from .travel_world import world


@pytest.fixture
def w(app, forum):
    return world(app, forum)


def _rows(app, w):
    with app.app_context():
        return {a.member_id: a.status for a in db.session.query(Attendance).filter_by(meeting_id=w.meeting.id)}


def _url(w, tail="presences"):
    return f"/reunion/{w.meeting.id}/{tail}"


def test_an_organiser_records_each_registered_member(app, w, login):
    olga = login(w.olga)
    page = text(olga.get(_url(w)))
    assert "Paula" in page and "Bruno" in page and 'name="status-%d"' % w.paula.id in page
    response = olga.post(_url(w), {f"status-{w.paula.id}": "present", f"status-{w.bruno.id}": "excused"})
    assert response.status_code == 303
    assert _rows(app, w) == {w.paula.id: "present", w.bruno.id: "excused"}
    # Recorded again: the same rows, changed.
    assert olga.post(_url(w), {f"status-{w.paula.id}": "absent", f"status-{w.bruno.id}": "excused"}
                     ).status_code == 303
    assert _rows(app, w) == {w.paula.id: "absent", w.bruno.id: "excused"}
    # The meeting page gives the organisers the counts, and nobody else.
    page = text(olga.get(f"/reunion/{w.meeting.id}"))
    assert "Absent·e : 1" in page and "Excusé·e : 1" in page
    for who in (w.paula, w.bruno, w.xavier):
        page = text(login(who).get(f"/reunion/{w.meeting.id}"))
        assert "Absent·e" not in page and "emargement" not in page


def test_every_person_needs_a_status_and_an_unknown_one_is_refused(app, w, login):
    olga = login(w.olga)
    response = olga.post(_url(w), {f"status-{w.paula.id}": "present"})
    assert response.status_code == 422 and "pour Bruno" in text(response)
    # What was typed is kept.
    assert f'id="statut-{w.paula.id}-present" name="status-{w.paula.id}" value="present" checked' in text(response)
    response = olga.post(_url(w), {f"status-{w.paula.id}": "present", f"status-{w.bruno.id}": "endormi"})
    assert response.status_code == 422
    response = olga.post(_url(w), {f"status-{w.paula.id}": "present", f"status-{w.bruno.id}": "present",
                                   f"status-{w.xavier.id}": "present"})
    assert response.status_code == 422 and "n'est pas inscrite" in text(response)
    assert _rows(app, w) == {}


@pytest.mark.parametrize("who", ["paula", "bruno", "xavier", "another"])
def test_who_does_not_organise_records_nothing(app, forum, w, login, who):
    member = forum.member("Autre", committees=[w.committee]) if who == "another" else getattr(w, who)
    browser = login(member)
    assert browser.get(_url(w)).status_code == 403
    response = browser.post(_url(w), {f"status-{w.paula.id}": "present", f"status-{w.bruno.id}": "present"})
    assert response.status_code == 403
    assert browser.post(_url(w, "presences/ajouter"), {"pseudonym": "Xavier"}).status_code == 403
    assert browser.get(_url(w, "emargement.pdf")).status_code == 403
    assert _rows(app, w) == {}


def test_the_coordination_organises_too(app, w, login):
    cora = login(w.cora)
    assert cora.post(_url(w), {f"status-{w.paula.id}": "present", f"status-{w.bruno.id}": "absent"}
                     ).status_code == 303
    assert _rows(app, w)[w.paula.id] == "present"


def test_nothing_is_recorded_before_the_meeting_starts(app, forum):
    w = world(app, forum, starts_in=timedelta(days=1))
    olga = Browser(app.test_client())
    olga.login(w.olga)
    response = olga.post(_url(w), {f"status-{w.paula.id}": "present", f"status-{w.bruno.id}": "present"})
    assert response.status_code == 403 and "une fois la réunion commencée" in text(response)
    assert olga.post(_url(w, "presences/ajouter"), {"pseudonym": "Paula"}).status_code == 403
    assert _rows(app, w) == {}
    # The sign-in sheet is printed beforehand.
    assert olga.get(_url(w, "emargement.pdf")).status_code == 200


def test_a_member_of_the_space_who_came_without_registering_is_added(app, forum, w, login):
    lola = forum.member("Lola", college=w.covered, committees=[w.committee])
    olga = login(w.olga)
    assert olga.post(_url(w, "presences/ajouter"), {"pseudonym": "lola"}).status_code == 303
    assert _rows(app, w) == {lola.id: "present"}
    assert "venu·e sans inscription" in text(olga.get(_url(w)))
    # Twice: already there. Of another comité, or nobody: refused at the field.
    assert olga.post(_url(w, "presences/ajouter"), {"pseudonym": "Lola"}).status_code == 409
    for typed in ("Xavier", "Personne", ""):
        response = olga.post(_url(w, "presences/ajouter"), {"pseudonym": typed})
        assert response.status_code == 422 and "Aucun membre de cet espace" in text(response)
        assert f'value="{typed}"' in text(response) if typed else True
    assert _rows(app, w) == {lola.id: "present"}
    with app.app_context():
        assert attendance.counts(db.session.get(Meeting, w.meeting.id))["present"] == 1


def test_the_sign_in_sheet_is_a_pdf_with_names_shown_collèges_and_a_signature_column(app, w, login):
    response = login(w.olga).get(_url(w, "emargement.pdf"))
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="emargement-')
    reader = PdfReader(io.BytesIO(response.data))
    content = "\n".join(page.extract_text() for page in reader.pages)
    assert "Feuille d'émargement" in content and "Plénière de décembre" in content
    assert "Paula" in content and "Bruno" in content and "Signature" in content
    assert "Personnes accompagnées" in content          # Paula shows her collège
    assert "Professionnels" not in content               # Bruno does not
    assert "Maison des associations" in content


def test_erasing_a_member_takes_their_attendance(app, w, login):
    login(w.olga).post(_url(w), {f"status-{w.paula.id}": "present", f"status-{w.bruno.id}": "present"})
    with app.app_context():
        erasure.anonymise(db.session.get(Member, w.bruno.id))
    assert _rows(app, w) == {w.paula.id: "present"}
