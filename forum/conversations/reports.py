"""Reports of a private message, as the coordination reviews them: the reported message and its
neighbours only (one before, one after), never the rest of the conversation. The moderation
package's pages log each reading in the audit log."""
from sqlalchemy import select

from forum.extensions import db
from forum.permissions import is_coordinator

from .models import REPORT_CLOSED, REPORT_OPEN, ConversationMessage, ConversationReport

CONTEXT = 1     # messages shown on each side of the reported one


def can_review(viewer):
    return is_coordinator(viewer)


def open_reports():
    return db.session.scalars(select(ConversationReport).where(ConversationReport.state == REPORT_OPEN)
                              .order_by(ConversationReport.created_at)).all()


def context(report):
    """The reported message and its neighbours, in order."""
    message = report.message
    return db.session.scalars(select(ConversationMessage).where(
        ConversationMessage.conversation_id == message.conversation_id,
        ConversationMessage.number.between(message.number - CONTEXT, message.number + CONTEXT))
        .order_by(ConversationMessage.number)).all()


def shows(viewer, message):
    """Is ``message`` on the page of a report ``viewer`` reviews (the reported one or a neighbour)?
    Its files then open to them too: a reported image is what must be seen."""
    if not can_review(viewer):
        return False
    reported = db.session.scalar(select(ConversationReport.id).join(
        ConversationMessage, ConversationMessage.id == ConversationReport.message_id).where(
        ConversationMessage.conversation_id == message.conversation_id,
        ConversationMessage.number.between(message.number - CONTEXT, message.number + CONTEXT)).limit(1))
    return reported is not None


def close(report):
    report.state = REPORT_CLOSED
