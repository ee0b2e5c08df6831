"""Publishing is horizontal: every member of a comité who may read a newly published synthesis
is told (a notification; the weekly digest lists it too). A notification names the synthesis
only while its reader may still read it (``may_read_synthesis_notice``, asked by the inbox)."""
import re

from sqlalchemy import select

from forum.accounts.models import Member, committee_membership
from forum.clock import now
from forum.extensions import db
from forum.notifications.models import KIND_SYNTHESIS, Notification

from . import rules
from .models import Synthesis, SynthesisVersion

_PATH = re.compile(r"^/synthese/(\d{1,12})$")


def on_published(event):
    """In the publishing transaction: one notification per comité member who may read it."""
    synthesis = db.session.get(Synthesis, event.synthesis_id)
    publisher = db.session.get(SynthesisVersion, event.version_id).published_by_id
    in_committees = select(committee_membership.c.member_id).distinct()
    moment = now()
    for member in db.session.scalars(select(Member).where(Member.id.in_(in_committees))):
        if member.is_active and member.id != publisher and rules.can_read(member, synthesis):
            db.session.add(Notification(member_id=member.id, kind=KIND_SYNTHESIS, text=synthesis.title[:2000],
                                        url=f"/synthese/{synthesis.id}", created_at=moment))


def may_read_notice(member, notification):
    found = _PATH.match((notification.url or "").split("?")[0])
    synthesis = db.session.get(Synthesis, int(found.group(1))) if found else None
    return synthesis is not None and rules.can_read(member, synthesis)
