"""A reported private message: the coordination reads it and its neighbours, nothing else, and
each reading is in the audit log."""
import re

from sqlalchemy import select

from forum.conversations.models import ConversationReport
from forum.extensions import db
from moderation.models import AuditEntry

from ..helpers import text


def test_the_coordination_reads_the_reported_message_and_its_neighbours_only(app, people, login):
    alice, bob = login(people.alice), login(people.bob)
    number = int(re.search(r"/messages/(\d+)", alice.post("/messages/nouveau", {
        "recipients": "Bob", "title": "Entre nous", "body": "Premier mot.", "submit": "1"}).headers["Location"]).group(1))
    for who, body in ((bob, "Deuxième mot."), (alice, "Troisième mot, blessant."), (bob, "Quatrième mot."),
                      (alice, "Cinquième mot.")):
        assert who.post(f"/messages/{number}/repondre", {"body": body, "submit": "1"}).status_code == 303
    assert bob.post(f"/messages/{number}/message/3/signaler", {"reason": "Il m'insulte."}).status_code == 303
    with app.app_context():
        report_id = db.session.scalar(select(ConversationReport.id))
    for refused in (people.mod13, people.bob, people.alice):
        assert login(refused).get(f"/moderation/messages-signales/{report_id}").status_code == 403
        assert login(refused).get("/moderation/messages-signales").status_code == 403
    coordinator = login(people.coordinator)
    assert "Signalement n° %d" % report_id in text(coordinator.get("/moderation/messages-signales"))
    page = text(coordinator.get(f"/moderation/messages-signales/{report_id}"))
    assert "Troisième mot" in page and "Deuxième mot" in page and "Quatrième mot" in page and "Il m'insulte." in page
    assert "Premier mot" not in page and "Cinquième mot" not in page
    # Still not a reader of the conversation itself.
    assert coordinator.get(f"/messages/{number}").status_code == 404
    with app.app_context():
        logged = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "read_reported_message")).all()
        assert [(e.actor_id, e.after["messages"]) for e in logged] == [(people.coordinator.id, [2, 3, 4])]
    assert coordinator.post(f"/moderation/messages-signales/{report_id}/clore", {"submit": "1"}).status_code == 303
    assert "Aucun message privé signalé" in text(coordinator.get("/moderation/messages-signales"))
    with app.app_context():
        assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.action == "close_message_report"))
