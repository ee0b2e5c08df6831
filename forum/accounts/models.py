"""Members, collèges, comité memberships and the sessions members are logged in with."""
from flask_login import UserMixin
from sqlalchemy import Boolean, Column, DateTime, ForeignKey, Integer, String, Table, Text, false
from sqlalchemy.orm import relationship

from forum.clock import now
from forum.extensions import db
from forum.text.pseudonyms import pseudonym_skeleton

ROLE_MEMBER = "member"
ROLE_COORDINATOR = "coordinator"
ROLE_ADMIN = "admin"
ROLES = (ROLE_MEMBER, ROLE_COORDINATOR, ROLE_ADMIN)

# A member of a comité is a member of the space of kind "comite" that stands for it.
committee_membership = Table(
    "committee_membership",
    db.metadata,
    Column("member_id", ForeignKey("member.id", ondelete="CASCADE"), primary_key=True),
    Column("space_id", ForeignKey("space.id", ondelete="CASCADE"), primary_key=True),
)


class College(db.Model):
    """One of the stakeholder groups (nine by default) a member belongs to."""

    id = Column(Integer, primary_key=True)
    slug = Column(String(40), nullable=False, unique=True)
    name = Column(String(120), nullable=False)
    description = Column(Text, nullable=False, default="")
    # Belonging to a sensitive collège (receiving support, union) is hidden unless shown by choice.
    sensitive = Column(Boolean, nullable=False, default=False)
    # Its members' travel to meetings is paid (the convention's « défraiement des déplacements »
    # of personnes accompagnées): they may declare travel costs (forum/meetings/travel.py).
    travel_costs_covered = Column(Boolean, nullable=False, default=False, server_default=false())
    position = Column(Integer, nullable=False, default=0)

    def __repr__(self):
        return f"<College {self.slug}>"


class Member(UserMixin, db.Model):
    # Columns and relationships public pages never show: a change to these alone bumps no
    # content version (forum/web/page_cache.py).
    __page_cache_private__ = frozenset({
        "last_seen_at", "locale", "password_hash", "email", "bio", "convention_signed_at",
        "email_confirmed_at", "email_confirmation_required", "silenced_until", "suspended_until",
        "created_at", "committees", "deactivated_at", "awaiting_approval", "refuses_messages"})
    # What no page shows, not even to the member: changing it alone keeps their kept pages.
    __page_cache_unseen__ = frozenset({"last_seen_at"})

    id = Column(Integer, primary_key=True)
    pseudonym = Column(String(40), nullable=False)
    # Case-folded pseudonym: "Marie" and "marie" are the same name.
    pseudonym_key = Column(String(40), nullable=False, unique=True)
    # What the pseudonym looks like (forum/text/pseudonyms.py): registration refuses look-alikes
    # by it, nothing finds a member by it. Filled from the pseudonym on every insert, whoever
    # inserts; empty only for the later of two look-alikes that existed before the rule
    # (migration 1100), the earlier one keeping the name's skeleton taken.
    pseudonym_skeleton = Column(Text, nullable=True, unique=True, index=True, default=lambda context: (
        pseudonym_skeleton(context.get_current_parameters()["pseudonym"])))
    email = Column(String(254), nullable=False, unique=True)
    password_hash = Column(String(255), nullable=False)
    college_id = Column(ForeignKey("college.id", ondelete="SET NULL"), nullable=True)
    college_confirmed = Column(Boolean, nullable=False, default=False)
    show_college = Column(Boolean, nullable=False, default=False)
    role = Column(String(20), nullable=False, default=ROLE_MEMBER)
    locale = Column(String(5), nullable=True)
    bio = Column(Text, nullable=False, default="")
    created_at = Column(DateTime, nullable=False, default=now)
    last_seen_at = Column(DateTime, nullable=True)
    convention_signed_at = Column(DateTime, nullable=True)
    # Set when the registration link is used (the link works once). Members from before it: None.
    email_confirmed_at = Column(DateTime, nullable=True)
    # Set by registration only: such an account logs in with its password once its address is
    # confirmed. Members created otherwise (before confirmation existed, by a command) never wait.
    email_confirmation_required = Column(Boolean, nullable=False, default=False, server_default=false())
    silenced_until = Column(DateTime, nullable=True)
    suspended_until = Column(DateTime, nullable=True)
    # Set by the coordination (forum/accounts/deactivation.py): no login, no session, no email.
    deactivated_at = Column(DateTime, nullable=True)
    # Registered while FORUM_REGISTRATION_MODE is "approval": cannot log in until the
    # coordination approves (forum/accounts/approval.py).
    awaiting_approval = Column(Boolean, nullable=False, default=False, server_default=false())
    # Refuses private messages, but from the moderation and the coordination (forum/accounts/blocking.py).
    refuses_messages = Column(Boolean, nullable=False, default=False, server_default=false())

    college = relationship(College, lazy="joined")
    committees = relationship("Space", secondary=committee_membership, order_by="Space.position")

    def __repr__(self):
        return f"<Member {self.pseudonym}>"

    # Flask-Login identifies the *session* (forum/accounts/sessions.py), never the member alone:
    # logging out ends one session, and a copied cookie dies with it.
    def get_id(self):
        return self.__dict__.get("session_key")

    def attach_session(self, session, key):
        """The session this request runs in (``MemberSession``) and the key its cookie holds."""
        self.__dict__["current_session"], self.__dict__["session_key"] = session, key

    @property
    def current_session(self):
        return self.__dict__.get("current_session")

    @property
    def is_active(self):
        return not self.is_suspended and not self.is_deactivated and not self.awaiting_approval

    @property
    def is_deactivated(self):
        return self.deactivated_at is not None

    @property
    def is_suspended(self):
        return self.suspended_until is not None and self.suspended_until > now()

    @property
    def is_silenced(self):
        return self.silenced_until is not None and self.silenced_until > now()

    @property
    def is_coordinator(self):
        return self.role in (ROLE_COORDINATOR, ROLE_ADMIN)

    @property
    def is_admin(self):
        return self.role == ROLE_ADMIN

    @property
    def public_college(self):
        """The collège others may see next to the pseudonym, or None."""
        if self.show_college and self.college_confirmed and self.college is not None:
            return self.college
        return None

    @property
    def committee_ids(self):
        # Cached on the instance: permission checks ask for it many times per request.
        if "_committee_ids" not in self.__dict__:
            self.__dict__["_committee_ids"] = {space.id for space in self.committees}
        return self.__dict__["_committee_ids"]


class MemberBlock(db.Model):
    """``blocker`` blocked ``blocked``: no private message, mention or notification from them
    reaches ``blocker`` (forum/accounts/blocking.py). Both go with either account."""
    __tablename__ = "member_block"
    __page_cache__ = "private"   # public pages never show it (forum/web/page_cache.py)

    blocker_id = Column(ForeignKey("member.id", ondelete="CASCADE"), primary_key=True)
    blocked_id = Column(ForeignKey("member.id", ondelete="CASCADE"), primary_key=True, index=True)
    created_at = Column(DateTime, nullable=False, default=now)


class MemberSession(db.Model):
    """One browser a member logged in with. The cookie holds ``<id>.<secret>``; only a hash of
    the secret is kept, so a copy of this table opens no session. No IP address is kept."""
    __tablename__ = "member_session"
    __page_cache__ = "private"   # public pages never show it (forum/web/page_cache.py)
    __page_cache_member__ = False   # nor the member's kept pages (touched every few minutes)

    id = Column(Integer, primary_key=True)
    member_id = Column(ForeignKey("member.id", ondelete="CASCADE"), nullable=False, index=True)
    secret_hash = Column(String(64), nullable=False)
    device = Column(String(80), nullable=False, default="")   # "Firefox, Linux": from the User-Agent
    created_at = Column(DateTime, nullable=False, default=now)
    last_seen_at = Column(DateTime, nullable=False, default=now)

    member = relationship(Member, lazy="joined")


class SpentToken(db.Model):
    """A single-use link that has served (forum/accounts/tokens.py): the SHA-256 of the token,
    never the token, kept until the link would have expired anyway."""
    __tablename__ = "spent_token"
    __page_cache__ = "private"   # public pages never show it (forum/web/page_cache.py)
    __page_cache_member__ = False   # nor the member's kept pages

    digest = Column(String(64), primary_key=True)
    expires_at = Column(DateTime, nullable=False, index=True)
