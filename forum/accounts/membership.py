"""Comité membership is granted, not ticked: requests to join a comité (and to have a collège
confirmed), their decision, and the comité lists kept by its moderators and the coordination.

``committee_membership`` holds only granted memberships, so ``forum.permissions`` stays the one
place that decides reading: a pending, refused or withdrawn request opens nothing. Every change
of membership publishes ``MemberAccessChanged`` (live connections re-check what they may read)
and tells the member (``MemberNotice``: a notification, and an email per their preferences).
"""
from flask_babel import force_locale, gettext as _
from sqlalchemy import Column, DateTime, ForeignKey, Index, Integer, String, Text, select, text
from sqlalchemy.orm import relationship

from forum import events
from forum.clock import now
from forum.errors import Conflict, Forbidden, Invalid, NotFound
from forum.extensions import db
from forum.numbers import parse_int
from forum.permissions import can_decide_membership, can_manage_committee, is_coordinator, is_member
from forum.text.pseudonyms import pseudonym_key
from forum.topics.models import KIND_COMMITTEE, Space, space_moderator

from .models import College, Member

PENDING, ACCEPTED, REFUSED, WITHDRAWN = "pending", "accepted", "refused", "withdrawn"
STATES = (PENDING, ACCEPTED, REFUSED, WITHDRAWN)
MESSAGE_MAX_CHARS = 500
NOTE_MAX_CHARS = 500


class MembershipRequest(db.Model):
    """A member asks to join a comité (``space``) or to have their collège confirmed (``college``)."""
    __tablename__ = "membership_request"
    __page_cache__ = "private"   # no public page shows it (forum/web/page_cache.py)
    __table_args__ = (
        # One pending request per member and comité (collège requests: one per member, in code).
        Index("uq_membership_request_pending", "member_id", "space_id", unique=True,
              sqlite_where=text("state = 'pending' AND space_id IS NOT NULL"),
              postgresql_where=text("state = 'pending' AND space_id IS NOT NULL")),
    )

    id = Column(Integer, primary_key=True)
    member_id = Column(ForeignKey("member.id", ondelete="CASCADE"), nullable=False, index=True)
    space_id = Column(ForeignKey("space.id", ondelete="CASCADE"), nullable=True)
    college_id = Column(ForeignKey("college.id", ondelete="CASCADE"), nullable=True)
    message = Column(Text, nullable=False, default="")
    state = Column(String(20), nullable=False, default=PENDING, index=True)
    created_at = Column(DateTime, nullable=False, default=now)
    decided_by_id = Column(ForeignKey("member.id", ondelete="SET NULL"), nullable=True)
    decided_at = Column(DateTime, nullable=True)
    note = Column(Text, nullable=False, default="")

    member = relationship(Member, foreign_keys=[member_id], lazy="joined", innerjoin=True)
    decided_by = relationship(Member, foreign_keys=[decided_by_id])
    space = relationship(Space, lazy="joined")
    college = relationship(College, lazy="joined")

    @property
    def target_name(self):
        return self.space.name if self.space is not None else (self.college.name if self.college else "")


def _clean(value, field, high):
    value = (value or "").replace("\r\n", "\n").strip()
    if len(value) > high:
        raise Invalid({field: _("Le message est trop long (%(n)s caractères au plus).", n=high)})
    return value


def _committee(space_id):
    space_id = parse_int(space_id, 1)
    space = db.session.get(Space, space_id) if space_id else None
    if space is None or space.kind != KIND_COMMITTEE:
        raise Invalid({"committee": _("Choisissez un comité dans la liste.")})
    return space


def _pending(member, space=None, college=None):
    query = select(MembershipRequest).where(MembershipRequest.member_id == member.id,
                                            MembershipRequest.state == PENDING)
    query = query.where(MembershipRequest.space_id == space.id) if space is not None else \
        query.where(MembershipRequest.space_id.is_(None), MembershipRequest.college_id.is_not(None))
    return db.session.scalar(query)


def _tell(member, compose, url, note=""):
    """A notice (notification and email) in the member's language; as in moderation, the
    decider's name stays out of it: the answer is the comité's, not a person's."""
    with force_locale(member.locale or "fr"):
        text = str(compose())
    events.publish(events.MemberNotice(member_id=member.id, kind="membership",
                                       text=f"{text} — {note}" if note else text, url=url))


def _grant(member, space):
    if space.id not in member.committee_ids:
        member.committees = sorted([*member.committees, space], key=lambda s: s.position)
        member.__dict__.pop("_committee_ids", None)


def _revoke(member, space):
    member.committees = [s for s in member.committees if s.id != space.id]
    member.__dict__.pop("_committee_ids", None)


# --- what a member does -------------------------------------------------------------------

def request_committee(member, space, message="", commit=True):
    """``member`` asks to join the comité ``space`` (a message of 500 characters at most)."""
    # A member, not an "active" one: registration asks for an account still awaiting approval
    # (Flask-Login's is_authenticated is is_active for a member).
    if not isinstance(member, Member):
        raise Forbidden(_("Connectez-vous pour demander à rejoindre un comité."))
    message = _clean(message, "message", MESSAGE_MAX_CHARS)
    if space.id in member.committee_ids:
        raise Conflict({"committee": _("Vous êtes déjà membre de ce comité.")})
    if _pending(member, space) is not None:
        raise Conflict({"committee": _("Votre demande pour ce comité attend déjà une décision.")})
    request = MembershipRequest(member_id=member.id, space_id=space.id, message=message, state=PENDING,
                                created_at=now())
    db.session.add(request)
    db.session.flush()
    if commit:
        db.session.commit()
    return request


def ask_to_join(member, space_id, message=""):
    """The form of the settings page: a comité (by id) and a message."""
    return request_committee(member, _committee(space_id), message)


def request_college(member, college):
    """Registration's collège waits for the coordination, on the same list as comité requests."""
    if _pending(member) is None:
        db.session.add(MembershipRequest(member_id=member.id, college_id=college.id, state=PENDING,
                                         created_at=now()))
        db.session.flush()


def withdraw(member, request_id):
    request = db.session.get(MembershipRequest, parse_int(request_id, 1) or 0)
    if request is None or not is_member(member) or request.member_id != member.id:
        raise NotFound(_("Cette demande n'existe pas."))
    if request.state != PENDING:
        raise Conflict(_("Cette demande a déjà reçu une réponse."))
    request.state, request.decided_at = WITHDRAWN, now()
    db.session.commit()
    return request


def leave(member, space):
    """``member`` leaves the comité ``space``: what it opened closes at once (live sockets too)."""
    if space.id not in member.committee_ids:
        raise Conflict(_("Vous n'êtes pas membre de ce comité."))
    _revoke(member, space)
    events.publish(events.MemberAccessChanged(member_id=member.id))
    db.session.commit()


# --- what who decides does ----------------------------------------------------------------

def decide(actor, request, accepted, note=""):
    """Accept or refuse a pending request; the member is told either way."""
    if not can_decide_membership(actor, request):
        raise Forbidden(_("Vous ne pouvez pas décider de cette demande."))
    note = _clean(note, "note", NOTE_MAX_CHARS)
    # Two deciders at once: the second waits for the first's commit, then finds it decided.
    state = db.session.scalar(select(MembershipRequest.state).where(MembershipRequest.id == request.id)
                              .with_for_update())
    if state != PENDING or request.state != PENDING:
        raise Conflict(_("Cette demande a déjà reçu une réponse."))
    request.state = ACCEPTED if accepted else REFUSED
    request.decided_by_id, request.decided_at, request.note = actor.id, now(), note
    member, name = request.member, request.target_name
    if request.space is not None:
        if accepted:
            _grant(member, request.space)
            events.publish(events.MemberAccessChanged(member_id=member.id))
            _tell(member, lambda: _("Votre demande pour rejoindre « %(name)s » est acceptée.", name=name),
                  f"/espace/{request.space.slug}", note)
        else:
            _tell(member, lambda: _("Votre demande pour rejoindre « %(name)s » n'est pas acceptée.", name=name),
                  "/preferences", note)
    elif accepted:   # told by the CollegeConfirmed notification
        member.college, member.college_confirmed = request.college, True
        events.publish(events.CollegeConfirmed(member_id=member.id, college_id=request.college_id))
        events.publish(events.MemberAccessChanged(member_id=member.id))
    else:
        _tell(member, lambda: _("Votre collège « %(name)s » n'est pas confirmé par la coordination.", name=name),
              "/preferences", note)
    db.session.commit()
    return request


def close_college_request(actor, member):
    """The coordination confirmed ``member``'s collège another way (the member's page)."""
    request = _pending(member)
    if request is not None:
        request.state, request.decided_by_id, request.decided_at = ACCEPTED, actor.id, now()


def grant_invited(member, spaces, college=None, inviter_id=None):
    """An accepted invitation grants its comités and vouches for its collège (one the
    coordination already confirmed stays): the requests it answers are closed as accepted, on
    behalf of the inviter. The caller commits."""
    for space in spaces:
        _grant(member, space)
        request = _pending(member, space)
        if request is not None:
            request.state, request.decided_by_id, request.decided_at = ACCEPTED, inviter_id, now()
    if college is not None and not member.college_confirmed:
        member.college, member.college_confirmed = college, True
        request = _pending(member)
        if request is not None:
            request.state, request.decided_by_id, request.decided_at = ACCEPTED, inviter_id, now()
    events.publish(events.MemberAccessChanged(member_id=member.id))


def add_member(actor, space, pseudonym):
    """Who manages the comité adds a member to it directly (by pseudonym)."""
    if not can_manage_committee(actor, space):
        raise Forbidden(_("Vous ne pouvez pas gérer les membres de ce comité."))
    member = db.session.scalar(select(Member).where(Member.pseudonym_key == pseudonym_key((pseudonym or "").strip())))
    if member is None:
        raise Invalid({"pseudonym": _("Aucun membre ne porte ce pseudonyme.")})
    if member.id == actor.id:
        raise Forbidden(_("Vous ne pouvez pas vous ajouter vous-même à un comité."))
    if space.id in member.committee_ids:
        raise Conflict({"pseudonym": _("Ce membre fait déjà partie du comité.")})
    _grant(member, space)
    request = _pending(member, space)
    if request is not None:
        request.state, request.decided_by_id, request.decided_at = ACCEPTED, actor.id, now()
    events.publish(events.MemberAccessChanged(member_id=member.id))
    _tell(member, lambda: _("Vous faites désormais partie de « %(name)s ».", name=space.name), f"/espace/{space.slug}")
    db.session.commit()
    return member


def remove_member(actor, space, member):
    if not can_manage_committee(actor, space):
        raise Forbidden(_("Vous ne pouvez pas gérer les membres de ce comité."))
    if space.id not in member.committee_ids:
        raise Conflict(_("Ce membre ne fait pas partie du comité."))
    _revoke(member, space)
    events.publish(events.MemberAccessChanged(member_id=member.id))
    _tell(member, lambda: _("Vous ne faites plus partie de « %(name)s ».", name=space.name), "/preferences")
    db.session.commit()


# --- what pages list ----------------------------------------------------------------------

def is_pending(member, space):
    return _pending(member, space) is not None


def pending_of(member):
    """``member``'s own pending requests."""
    return db.session.scalars(select(MembershipRequest).where(
        MembershipRequest.member_id == member.id, MembershipRequest.state == PENDING)
        .order_by(MembershipRequest.created_at)).all()


def decidable(viewer):
    """The pending requests ``viewer`` may decide, oldest first: a comité moderator sees only his
    comités' (filtered in the query, so no other comité's request is ever loaded for him); the
    coordination sees all, collège confirmations included."""
    if not is_member(viewer):
        return []
    query = select(MembershipRequest).where(MembershipRequest.state == PENDING,
                                            MembershipRequest.member_id != viewer.id)
    if not is_coordinator(viewer):
        moderated = select(space_moderator.c.space_id).where(space_moderator.c.member_id == viewer.id)
        query = query.where(MembershipRequest.space_id.in_(moderated))
    rows = db.session.scalars(query.order_by(MembershipRequest.created_at, MembershipRequest.id)).all()
    return [row for row in rows if can_decide_membership(viewer, row)]


def managed_committees(viewer):
    """The comités whose members ``viewer`` manages (for the navigation)."""
    if not is_member(viewer):
        return []
    query = select(Space).where(Space.kind == KIND_COMMITTEE).order_by(Space.position)
    return [space for space in db.session.scalars(query) if can_manage_committee(viewer, space)]


def members_of(viewer, space):
    if not can_manage_committee(viewer, space):
        raise Forbidden(_("Réservé aux modérateurs du comité et à la coordination."))
    return db.session.scalars(select(Member).join(Member.committees).where(Space.id == space.id)
                              .order_by(Member.pseudonym_key)).all()


def find_request(request_id):
    return db.session.get(MembershipRequest, parse_int(request_id, 1) or 0)
