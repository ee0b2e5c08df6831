"""Moderation's part of what concerns one member outside its own pages.

- A member's data archive (``forum/accounts/portability.py``): the reports they made and the
  decisions about them, as they see them on the site (the moderator's name left out; a topic's
  title only when its space is open to them).
- The audit log: the coordination's acts on accounts (``MemberAdministered``), and the
  administrators' acts on webhooks (``WebhookAdministered``).
"""
from flask_babel import lazy_gettext
from sqlalchemy import select

from forum import events
from forum.accounts import portability
from forum.accounts.models import Member
from forum.clock import now
from forum.extensions import db
from forum.permissions import can_read_post_text, can_read_space

from .deciding import ACTION_LABELS
from .journal import audit
from .models import Decision, Report
from .reporting import reason_label

iso = portability.iso

LABELS = {
    "created_at": lazy_gettext("Date"), "post_id": lazy_gettext("Message"), "post_author": lazy_gettext("Auteur du message"),
    "topic": lazy_gettext("Sujet"), "reason": lazy_gettext("Motif"), "message": lazy_gettext("Votre message"),
    "status": lazy_gettext("État"), "closed_at": lazy_gettext("Clos le"), "action": lazy_gettext("Décision"),
    "articles": lazy_gettext("Articles cités"), "until": lazy_gettext("Jusqu'au"),
    "justification": lazy_gettext("Motif"), "reversed": lazy_gettext("Annulée"), "appeal": lazy_gettext("Recours"),
    "response": lazy_gettext("Réponse"), "resolved_at": lazy_gettext("Examiné le"),
}


def reports_made(member):
    rows = []
    for report in db.session.scalars(select(Report).where(Report.reporter_id == member.id)
                                     .order_by(Report.created_at, Report.id)):
        readable = can_read_post_text(member, report.post)
        rows.append({"created_at": iso(report.created_at), "post_id": report.post_id if readable else None,
                     "post_author": report.post.author.pseudonym if readable else None,
                     "topic": report.post.topic.title if can_read_space(member, report.post.topic.space) else None,
                     "reason": reason_label(report), "message": report.message, "status": report.status,
                     "closed_at": iso(report.closed_at)})
    return rows


def decisions_about(member):
    rows = []
    for decision in db.session.scalars(select(Decision).where(Decision.member_id == member.id)
                                       .order_by(Decision.created_at, Decision.id)):
        readable = decision.space is None or can_read_space(member, decision.space)
        appeal = decision.appeal
        rows.append({"created_at": iso(decision.created_at), "action": str(ACTION_LABELS.get(decision.action,
                                                                                             decision.action)),
                     "articles": [f"{a.number} ({a.title})" for a in decision.articles],
                     "until": iso(decision.until), "topic": decision.topic_title if readable else None,
                     "justification": decision.justification, "reversed": decision.reversed_by_id is not None,
                     "appeal": {"created_at": iso(appeal.created_at), "message": appeal.message,
                                "status": appeal.status, "response": appeal.response,
                                "resolved_at": iso(appeal.resolved_at)} if appeal else None})
    return rows


def record_administration(event):
    """One line of the audit log per act on an account (written in the act's transaction)."""
    audit(db.session.get(Member, event.actor_id), f"member_{event.action}", "member", event.member_id,
          after={"at": iso(now())})


def record_webhook(event):
    """One line of the audit log per administrator's act on a webhook (in the act's transaction)."""
    audit(db.session.get(Member, event.actor_id), f"webhook_{event.action}", "webhook", event.webhook_id,
          before=event.before, after=event.after)


def init_app(app):
    portability.register_section(app, "signalements", lazy_gettext("Signalements que vous avez faits"),
                                 reports_made, LABELS)
    portability.register_section(app, "decisions", lazy_gettext("Décisions de modération vous concernant"),
                                 decisions_about, LABELS)
    events.subscribe(app, events.MemberAdministered, record_administration, phase="transaction")
    events.subscribe(app, events.WebhookAdministered, record_webhook, phase="transaction")
