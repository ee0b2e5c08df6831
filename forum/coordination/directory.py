"""The coordination's list of members: search by pseudonym or address, filters, pages.

Every column is personal data (address, collège, comités, last visit): only coordinators and
administrators see it (``forum/coordination/member_views.py``), never moderators.
"""
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from forum.accounts.models import ROLES, Member, committee_membership
from forum.clock import now
from forum.extensions import db
from forum.numbers import parse_int
from forum.topics.models import space_moderator
from forum.topics.reading import Pagination, clamp_page

PER_PAGE = 50
QUERY_MAX_CHARS = 100

STATE_ACTIVE = "actif"
STATE_DEACTIVATED = "desactive"
STATE_SUSPENDED = "suspendu"
STATE_COLLEGE_PENDING = "college-a-confirmer"
STATES = (STATE_ACTIVE, STATE_DEACTIVATED, STATE_SUSPENDED, STATE_COLLEGE_PENDING)
ROLE_MODERATOR = "moderator"     # a filter only: moderators are members appointed to spaces
ROLE_FILTERS = (*ROLES, ROLE_MODERATOR)


@dataclass
class Filters:
    """What the list's query string asks for, each value checked (unknown values are ignored)."""
    query: str = ""
    committee_id: int | None = None
    college_id: int | None = None
    state: str = ""
    role: str = ""
    page: int = 1

    @classmethod
    def parse(cls, args):
        state, role = args.get("etat", ""), args.get("role", "")
        return cls(query=(args.get("q") or "").strip()[:QUERY_MAX_CHARS],
                   committee_id=parse_int(args.get("comite"), 1), college_id=parse_int(args.get("college"), 1),
                   state=state if state in STATES else "", role=role if role in ROLE_FILTERS else "",
                   page=clamp_page(args.get("page")))

    def as_args(self, **changes):
        """The query string of these filters (for the pages' links), ``changes`` applied."""
        values = {"q": self.query, "comite": self.committee_id, "college": self.college_id, "etat": self.state,
                  "role": self.role, "page": self.page, **changes}
        return {key: value for key, value in values.items()
                if value not in (None, "") and not (key == "page" and value == 1)}


@dataclass
class MemberList:
    members: list
    pagination: Pagination
    filters: Filters
    moderator_ids: set = field(default_factory=set)


def _like(text):
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _state_clause(state, moment):
    suspended = Member.suspended_until > moment
    if state == STATE_DEACTIVATED:
        return Member.deactivated_at.is_not(None)
    if state == STATE_SUSPENDED:
        return suspended
    if state == STATE_COLLEGE_PENDING:
        return Member.college_confirmed.is_(False) & Member.college_id.is_not(None)
    return Member.deactivated_at.is_(None) & or_(Member.suspended_until.is_(None), ~suspended)


def search(filters):
    """The page of members ``filters`` asks for, by pseudonym."""
    query = select(Member)
    if filters.query:
        pattern = _like(filters.query.casefold())
        query = query.where(or_(Member.pseudonym_key.like(pattern, escape="\\"),
                                func.lower(Member.email).like(_like(filters.query.lower()), escape="\\")))
    if filters.committee_id:
        query = query.where(Member.id.in_(select(committee_membership.c.member_id)
                                          .where(committee_membership.c.space_id == filters.committee_id)))
    if filters.college_id:
        query = query.where(Member.college_id == filters.college_id)
    if filters.state:
        query = query.where(_state_clause(filters.state, now()))
    if filters.role == ROLE_MODERATOR:
        query = query.where(Member.id.in_(select(space_moderator.c.member_id)))
    elif filters.role:
        query = query.where(Member.role == filters.role)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    pagination = Pagination(min(filters.page, -(-total // PER_PAGE) or 1), PER_PAGE, total)
    members = db.session.scalars(query.options(selectinload(Member.committees))
                                 .order_by(Member.pseudonym_key).offset(pagination.offset)
                                 .limit(PER_PAGE)).all()
    moderators = set(db.session.scalars(select(space_moderator.c.member_id).where(
        space_moderator.c.member_id.in_([m.id for m in members])))) if members else set()
    return MemberList(members, pagination, filters, moderators)
