"""The two logs: the public moderation log of a space, and the full audit log for coordinators."""
import base64
import csv
import hashlib
import hmac
import io
import json
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, or_, select

from forum.clock import now
from forum.extensions import db
from forum.topics.models import Post
from forum.topics.reading import Pagination, clamp_page

from .models import AuditEntry, Decision

LOG_PER_PAGE = 50
AUDIT_PER_PAGE = 100
# Actions whose target is a post: when it is a topic's opening post, its title is part of what was
# hidden, so the public log does not repeat it.
_POST_HIDING = {"hide", "hold", "reject", "edit"}


def audit(actor, action, target_type, target_id, *, space_id=None, decision=None, before=None, after=None):
    """Add one line to the audit log (the caller commits, with the change it describes)."""
    db.session.add(AuditEntry(created_at=now(), actor_id=actor.id if actor else None, action=action,
                              target_type=target_type, target_id=target_id, space_id=space_id,
                              decision_id=decision.id if decision else None,
                              before=before, after=after))


def alias(space_id, member_id):
    """A stable pseudonym of a member in one space's public log ("membre K3F9QA").

    Keyed by the secret and the space: the same member has another alias in another space, so
    logs cannot be matched to follow one person across the forum.
    """
    if member_id is None:
        return "—"
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, f"moderation-alias:{space_id}:{member_id}".encode(), hashlib.sha256).digest()
    return "membre " + base64.b32encode(digest)[:6].decode()


@dataclass
class LogLine:
    decision: Decision
    member_alias: str
    topic_title: str | None       # None: not shown (the hidden opening post of a topic)
    topic_id: int | None


def public_log(space, page=1):
    """The decisions taken in ``space``, without hidden text or names (permission checked by the view)."""
    query = select(Decision).where(Decision.space_id == space.id)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    pagination = Pagination(clamp_page(page), LOG_PER_PAGE, total)
    decisions = db.session.scalars(query.order_by(Decision.created_at.desc(), Decision.id.desc())
                                   .limit(LOG_PER_PAGE).offset(pagination.offset)).all()
    opening_ids = set()
    post_ids = {d.post_id for d in decisions if d.post_id and d.action in _POST_HIDING}
    if post_ids:
        opening_ids = set(db.session.scalars(select(Post.id).where(Post.id.in_(post_ids), Post.number == 1)))
    lines = []
    for decision in decisions:
        shown = decision.post_id not in opening_ids
        lines.append(LogLine(decision, alias(space.id, decision.member_id),
                             decision.topic_title if shown else None,
                             decision.topic_id if shown else None))
    return {"lines": lines, "pagination": pagination}


def audit_query(space_id=None, action=None, hidden_space_ids=()):
    """Entries of the audit log, but those of ``hidden_space_ids`` (spaces that keep the
    coordination out: what happens there is not the coordination's to read)."""
    query = select(AuditEntry)
    if hidden_space_ids:
        query = query.where(or_(AuditEntry.space_id.is_(None), AuditEntry.space_id.not_in(list(hidden_space_ids))))
    if space_id:
        query = query.where(AuditEntry.space_id == space_id)
    if action:
        query = query.where(AuditEntry.action == action)
    return query


def audit_page(space_id=None, action=None, page=1, hidden_space_ids=()):
    query = audit_query(space_id, action, hidden_space_ids)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    pagination = Pagination(clamp_page(page), AUDIT_PER_PAGE, total)
    entries = db.session.scalars(query.order_by(AuditEntry.id.desc()).limit(AUDIT_PER_PAGE)
                                 .offset(pagination.offset)).all()
    actions = db.session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action)).all()
    return {"entries": entries, "pagination": pagination, "actions": actions}


CSV_HEADER = ["id", "date (UTC)", "auteur", "action", "cible", "id cible", "espace", "décision",
              "avant", "après"]


def audit_csv(space_id=None, action=None, batch=500, hidden_space_ids=()):
    """The audit log as CSV lines, oldest first, streamed in batches (semicolons, for French spreadsheets)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")

    def line(values):
        writer.writerow(values)
        value = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate(0)
        return value

    yield "\ufeff" + line(CSV_HEADER)
    last_id = 0
    while True:
        entries = db.session.scalars(audit_query(space_id, action, hidden_space_ids).where(AuditEntry.id > last_id)
                                     .order_by(AuditEntry.id).limit(batch)).all()
        if not entries:
            return
        for entry in entries:
            yield line([entry.id, entry.created_at.isoformat(timespec="seconds"),
                        _cell(entry.actor.pseudonym if entry.actor else "(automatique)"), entry.action,
                        entry.target_type, entry.target_id or "", _cell(entry.space.name if entry.space else ""),
                        entry.decision_id or "", _cell(_json(entry.before)), _cell(_json(entry.after))])
            db.session.expunge(entry)   # keep memory flat on a long log
        last_id = entries[-1].id


def _json(value):
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def _cell(value):
    """Text a spreadsheet will not run as a formula (a pseudonym may start with "=")."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
