"""The demo shows moderation at work: watched words, a report waiting for Mod-13, a decision under appeal."""
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from forum.extensions import db
from moderation.models import Appeal, Report, WatchedWord

from ..helpers import Browser, text


@pytest.fixture
def app(demo_app):
    """Every test of this module starts from a copy of the demo (tests/conftest.py)."""
    return demo_app


def test_the_demo_has_a_report_waiting_and_an_appeal(app):
    with app.app_context():
        assert len(db.session.scalars(select(WatchedWord)).all()) == 4
        reports = db.session.scalars(select(Report).where(Report.status == "open")).all()
        assert {r.reason for r in reports} == {"article", "watched_word"}
        assert db.session.scalars(select(Appeal)).one().status == "open"
    browser = Browser(app.test_client())
    browser.login(SimpleNamespace(pseudonym="Mod-13"), password="agora-demo-2026")
    queue = text(browser.get("/moderation/"))
    assert "Ordre du jour de la prochaine plénière du comité 13" in queue
    assert "Article 2 — Confidentialité des situations évoquées" in queue
    assert "Recours à examiner (0)" in queue      # the appeal is about a theme: the coordination's
    coordination = Browser(app.test_client())
    coordination.login(SimpleNamespace(pseudonym="Admin-Agora"), password="agora-demo-2026")
    assert "Recours à examiner (1)" in text(coordination.get("/moderation/"))
    # A version withdrawn by Mod-13: nobody but the coordination reads it any more.
    with app.app_context():
        from moderation.models import RedactedOriginal
        original = db.session.scalars(select(RedactedOriginal)).one()
        post_id = original.post_id
    versions = text(Browser(app.test_client()).get(f"/message/{post_id}/versions"))
    assert "Version retirée le" in versions and "Ollivier" not in versions
    assert "Ollivier" in text(coordination.get(f"/message/{post_id}/versions/1/original"))
