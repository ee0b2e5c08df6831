"""The demo's share of member administration: a former member whose account the administrator
deactivated (the coordination's list shows them with the "désactivé" filter), and a past
request of Karim's for his data (the "Mes données" page counts it). Karim refuses private
messages and blocked that former member (his preferences list him, with « Débloquer »)."""
from datetime import timedelta

from forum.accounts import data_export, deactivation
from forum.accounts.models import College, Member, MemberBlock
from forum.clock import now
from forum.extensions import db
from forum.text.pseudonyms import pseudonym_key


def seed(members, password_hash):
    """``members``: the demo's members by pseudonym (committed)."""
    college = db.session.query(College).order_by(College.position).first()
    former = Member(pseudonym="Marc.Ancien", pseudonym_key=pseudonym_key("Marc.Ancien"),
                    email="marc.ancien@demo.agora.localhost", password_hash=password_hash, college=college,
                    college_confirmed=True, role="member", created_at=now() - timedelta(days=200),
                    last_seen_at=now() - timedelta(days=120), convention_signed_at=now() - timedelta(days=200),
                    committees=list(members["Lucas"].committees))
    db.session.add(former)
    db.session.flush()
    members["Karim"].refuses_messages = True
    db.session.add(MemberBlock(blocker_id=members["Karim"].id, blocked_id=former.id,
                               created_at=now() - timedelta(days=130)))
    db.session.commit()
    deactivation.deactivate(members["Admin-Agora"], former)
    db.session.add(data_export.DataExport(member_id=members["Karim"].id, state=data_export.DELIVERED,
                                          created_at=now() - timedelta(days=3), ready_at=now() - timedelta(days=3)))
    db.session.commit()
