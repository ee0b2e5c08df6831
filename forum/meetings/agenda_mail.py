"""« Envoyer l'ordre du jour »: the agenda by email to the registered participants and to the
members of the comité whose space holds the meeting, each in their language and with the links
they may read (``agenda.agenda_view`` per recipient).

Nothing is written: the messages are composed first, then sent in one connection; a message
the mail server refuses is logged and counted, and never undoes the others.
"""
import logging
import smtplib
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import or_, select

from forum import dates
from forum.accounts.models import Member, committee_membership
from forum.errors import Forbidden, Invalid
from forum.extensions import db
from forum.notifications import mail
from forum.topics.models import KIND_COMMITTEE

from . import agenda, rules
from .models import REGISTERED, Registration

log = logging.getLogger(__name__)


@dataclass
class Sent:
    sent: int = 0
    failed: int = 0


def recipients(meeting):
    """Active members who see ``meeting`` and are registered to it or members of its comité."""
    registered = select(Registration.member_id).where(Registration.meeting_id == meeting.id,
                                                      Registration.status == REGISTERED)
    wanted = Member.id.in_(registered)
    if meeting.space.kind == KIND_COMMITTEE:
        wanted = or_(wanted, Member.id.in_(select(committee_membership.c.member_id)
                                           .where(committee_membership.c.space_id == meeting.space_id)))
    members = db.session.scalars(select(Member).where(wanted, Member.deactivated_at.is_(None)).order_by(Member.id))
    return [member for member in members if member.is_active and rules.can_see(member, meeting)]


def compose(member, meeting):
    """The message of the agenda to ``member``, in their language, as they may read it."""
    locale = member.locale or "fr"
    gettext = mail.gettext_for(locale)
    subject = "[Agora] " + gettext("Ordre du jour : %(title)s", title=meeting.title)
    text, html = mail.render("meeting_agenda", locale=locale, member=member, subject=subject,
                             meeting={"title": meeting.title, "space": meeting.space.name,
                                      "when": dates.format_datetime(meeting.starts_at, locale),
                                      "place": meeting.place_name if meeting.has_place else "",
                                      "online": meeting.is_online},
                             agenda=agenda.agenda_view(member, meeting),
                             url=mail.absolute_url("meetings.agenda", meeting_id=meeting.id),
                             site=mail.site_url(""))
    return mail.build(member, subject, text, html, category="reunions")


def send_agenda(organiser, meeting):
    """Send the agenda of ``meeting``; how many messages left and failed (``Sent``)."""
    if not rules.can_organise(organiser, meeting):
        raise Forbidden(_("Seuls les organisateurs de la réunion envoient son ordre du jour."))
    if meeting.is_cancelled:
        raise Invalid(_("Cette réunion est annulée."), status=409)
    if meeting.has_ended:
        raise Invalid(_("Cette réunion est passée."), status=409)
    if not agenda.agenda_view(organiser, meeting).accepted:
        raise Invalid(_("L'ordre du jour est vide : acceptez au moins un point avant de l'envoyer."))
    messages = [compose(member, meeting) for member in recipients(meeting)]
    outcome = Sent()
    if not messages:
        return outcome
    try:
        with mail.transport() as transport:
            for message in messages:
                try:
                    transport.send(message)
                    outcome.sent += 1
                except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError):
                    log.warning("agenda of meeting %s refused for %s", meeting.id, message.recipient)
                    outcome.failed += 1
    except (OSError, smtplib.SMTPException):
        # The mail server is down: what did not leave is counted, the organiser is told.
        log.exception("agenda of meeting %s: mail server unavailable", meeting.id)
        outcome.failed = len(messages) - outcome.sent
    return outcome
