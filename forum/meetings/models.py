"""Meetings of a comité (« réunions »): plenaries, working groups, the coordination's meetings.

A meeting lives in a space and is seen by who reads that space. Times are kept as naive UTC
(like every date of the forum) and typed and shown in Europe/Paris. What is private stays in
rows of its own or columns the page cache ignores: the online link (registered participants),
the needs a participant states (them and the organisers), the travel costs (the claimant and
the coordination).
"""
from sqlalchemy import (Boolean, Column, DateTime, ForeignKey, Integer, LargeBinary, Numeric, String, Text,
                        UniqueConstraint, select)
from sqlalchemy.orm import relationship

from forum.accounts.models import Member
from forum.clock import now
from forum.extensions import db
from forum.topics.models import Space

# Meeting.kind
PLENARY = "plenary"                 # plénière
WORKING_GROUP = "working_group"     # groupe de travail
COORDINATION = "coordination"       # réunion de coordination
KINDS = (PLENARY, WORKING_GROUP, COORDINATION)

# Meeting.mode
IN_PERSON = "in_person"             # sur place
ONLINE = "online"                   # en ligne
HYBRID = "hybrid"                   # sur place et en ligne
MODES = (IN_PERSON, ONLINE, HYBRID)

# Meeting.status
SCHEDULED = "scheduled"
CANCELLED = "cancelled"

# Meeting.travel_claims: who may declare travel costs for it.
CLAIMS_COVERED_COLLEGES = "covered"   # members of a collège whose travel is paid (College.travel_costs_covered)
CLAIMS_EVERYONE = "everyone"          # every participant
CLAIMS_NOBODY = "nobody"
CLAIM_POLICIES = (CLAIMS_COVERED_COLLEGES, CLAIMS_EVERYONE, CLAIMS_NOBODY)

# Registration.status
REGISTERED = "registered"
WAITING = "waiting"
REGISTRATION_CANCELLED = "cancelled"

# What a participant may ask for (Registration.needs, comma-separated keys) besides free text
# (their labels: forum/meetings/display.py).
NEEDS = ("interpreter", "accessibility", "childcare", "falc")

# AgendaItem.status
ITEM_PROPOSED = "proposed"
ITEM_ACCEPTED = "accepted"
ITEM_DECLINED = "declined"

# Attendance.status
PRESENT = "present"
EXCUSED = "excused"
ABSENT = "absent"
ATTENDANCE = (PRESENT, EXCUSED, ABSENT)

# TravelClaim.mode and status
BY_DISTANCE = "distance"            # kilometres driven (the structure that pays applies its rate)
BY_TICKET = "ticket"                # a ticket's amount
CLAIM_SUBMITTED = "submitted"
CLAIM_VALIDATED = "validated"
CLAIM_REFUSED = "refused"


def _scopes_of_meeting(meeting, connection):
    """A meeting shows on its space's pages and, as every space's, on the home page (whose
    versions are every space's: forum/topics/views.py)."""
    return {f"space-{meeting.space_id}"}


def _scopes_via_meeting(row, connection):
    space_id = connection.execute(select(Meeting.space_id).where(Meeting.id == row.meeting_id)).scalar()
    return {f"space-{space_id}"} if space_id is not None else set()


class Meeting(db.Model):
    __page_cache_scopes__ = staticmethod(_scopes_of_meeting)
    # Shown only to registered participants, or to nobody: no public page changes with them.
    __page_cache_private__ = frozenset({"online_url", "reminded_early_at", "reminded_late_at"})

    id = Column(Integer, primary_key=True)
    space_id = Column(ForeignKey("space.id"), nullable=False, index=True)
    organiser_id = Column(ForeignKey("member.id", ondelete="SET NULL"), nullable=True)
    title = Column(String(200), nullable=False)
    kind = Column(String(20), nullable=False, default=PLENARY)
    mode = Column(String(20), nullable=False, default=IN_PERSON)
    starts_at = Column(DateTime, nullable=False, index=True)
    ends_at = Column(DateTime, nullable=False)
    description = Column(Text, nullable=False, default="")       # Markdown source
    description_html = Column(Text, nullable=False, default="")
    place_name = Column(String(200), nullable=False, default="")
    address = Column(String(300), nullable=False, default="")
    step_free = Column(Boolean, nullable=False, default=False)   # accès de plain-pied / ascenseur
    hearing_loop = Column(Boolean, nullable=False, default=False)
    transport = Column(String(300), nullable=False, default="")  # transports en commun
    access_notes = Column(String(500), nullable=False, default="")
    online_url = Column(String(500), nullable=False, default="")
    capacity = Column(Integer, nullable=True)                    # None: no limit
    travel_claims = Column(String(20), nullable=False, default=CLAIMS_COVERED_COLLEGES)
    status = Column(String(20), nullable=False, default=SCHEDULED)
    # iCalendar SEQUENCE: raised by every change attendees' calendars must follow.
    sequence = Column(Integer, nullable=False, default=0)
    created_at = Column(DateTime, nullable=False, default=now)
    updated_at = Column(DateTime, nullable=False, default=now)
    cancelled_at = Column(DateTime, nullable=True)
    cancel_reason = Column(String(500), nullable=False, default="")
    # Reminders sent (two days and two hours before); emptied when the time changes.
    reminded_early_at = Column(DateTime, nullable=True)
    reminded_late_at = Column(DateTime, nullable=True)
    # The compte rendu, written after the meeting; it may become a synthesis.
    minutes = Column(Text, nullable=False, default="")
    minutes_html = Column(Text, nullable=False, default="")
    minutes_at = Column(DateTime, nullable=True)
    minutes_by_id = Column(ForeignKey("member.id", ondelete="SET NULL"), nullable=True)
    synthesis_id = Column(ForeignKey("synthesis.id", ondelete="SET NULL"), nullable=True)

    space = relationship(Space, lazy="joined", innerjoin=True)
    organiser = relationship(Member, foreign_keys=[organiser_id])
    minutes_by = relationship(Member, foreign_keys=[minutes_by_id])
    agenda = relationship("AgendaItem", cascade="all, delete-orphan", back_populates="meeting",
                          order_by="AgendaItem.position, AgendaItem.id")

    def __repr__(self):
        return f"<Meeting {self.id} {self.starts_at:%Y-%m-%d %H:%M}>"

    @property
    def is_cancelled(self):
        return self.status == CANCELLED

    @property
    def has_started(self):
        return self.starts_at <= now()

    @property
    def has_ended(self):
        return self.ends_at <= now()

    @property
    def has_place(self):
        return self.mode in (IN_PERSON, HYBRID)

    @property
    def is_online(self):
        return self.mode in (ONLINE, HYBRID)


class AgendaItem(db.Model):
    """A point of the ordre du jour: proposed by a member, accepted and ordered by an organiser.
    It may point to what the comité wrote (a topic, a decision, a synthesis); the minutes say
    what was said of it."""
    __page_cache_scopes__ = staticmethod(_scopes_via_meeting)

    id = Column(Integer, primary_key=True)
    meeting_id = Column(ForeignKey("meeting.id", ondelete="CASCADE"), nullable=False, index=True)
    proposer_id = Column(ForeignKey("member.id", ondelete="SET NULL"), nullable=True)
    title = Column(String(200), nullable=False)
    note = Column(Text, nullable=False, default="")
    topic_id = Column(ForeignKey("topic.id", ondelete="SET NULL"), nullable=True)
    poll_id = Column(ForeignKey("poll.id", ondelete="SET NULL"), nullable=True)
    synthesis_id = Column(ForeignKey("synthesis.id", ondelete="SET NULL"), nullable=True)
    status = Column(String(20), nullable=False, default=ITEM_PROPOSED)
    position = Column(Integer, nullable=False, default=0)
    duration_minutes = Column(Integer, nullable=True)
    minutes = Column(Text, nullable=False, default="")           # what the compte rendu says of it
    minutes_html = Column(Text, nullable=False, default="")
    created_at = Column(DateTime, nullable=False, default=now)

    meeting = relationship(Meeting, back_populates="agenda")
    proposer = relationship(Member)
    topic = relationship("Topic")
    poll = relationship("Poll")
    synthesis = relationship("Synthesis")


class Registration(db.Model):
    """A member's registration: registered, on the waiting list (in order of ``position``), or
    cancelled. Their needs are seen by them and the organisers only."""
    __page_cache_scopes__ = staticmethod(_scopes_via_meeting)
    __page_cache_private__ = frozenset({"needs", "needs_note"})
    __table_args__ = (UniqueConstraint("meeting_id", "member_id", name="uq_registration_member"),)

    id = Column(Integer, primary_key=True)
    meeting_id = Column(ForeignKey("meeting.id", ondelete="CASCADE"), nullable=False, index=True)
    member_id = Column(ForeignKey("member.id", ondelete="CASCADE"), nullable=False, index=True)
    status = Column(String(20), nullable=False, default=REGISTERED)
    # The order of arrival, registered and waiting alike (the waiting list moves up by it).
    position = Column(Integer, nullable=False, default=0)
    needs = Column(String(200), nullable=False, default="")      # keys of NEEDS, comma-separated
    needs_note = Column(String(1000), nullable=False, default="")
    created_at = Column(DateTime, nullable=False, default=now)
    updated_at = Column(DateTime, nullable=False, default=now)

    meeting = relationship(Meeting)
    member = relationship(Member, lazy="joined")


class Attendance(db.Model):
    """Who was there: recorded by an organiser after (or during) the meeting."""
    __page_cache__ = "private"
    __table_args__ = (UniqueConstraint("meeting_id", "member_id", name="uq_attendance_member"),)

    id = Column(Integer, primary_key=True)
    meeting_id = Column(ForeignKey("meeting.id", ondelete="CASCADE"), nullable=False, index=True)
    member_id = Column(ForeignKey("member.id", ondelete="CASCADE"), nullable=False, index=True)
    status = Column(String(20), nullable=False)
    recorded_by_id = Column(ForeignKey("member.id", ondelete="SET NULL"), nullable=True)
    recorded_at = Column(DateTime, nullable=False, default=now)

    meeting = relationship(Meeting)
    member = relationship(Member, foreign_keys=[member_id], lazy="joined")


class TravelClaim(db.Model):
    """Travel costs declared by a participant; validated or refused (with a reason) by the
    coordination. Amounts are seen by the claimant and the coordination only."""
    __page_cache__ = "private"
    # Erasure keeps the validated ones for the accounts (forum/meetings/travel_review.py).
    __erasure__ = "keep"
    # One per member and meeting, corrected until decided (two quick sends make no second one).
    __table_args__ = (UniqueConstraint("meeting_id", "member_id", name="uq_travel_claim_member"),)

    id = Column(Integer, primary_key=True)
    meeting_id = Column(ForeignKey("meeting.id", ondelete="CASCADE"), nullable=False, index=True)
    member_id = Column(ForeignKey("member.id", ondelete="CASCADE"), nullable=False, index=True)
    mode = Column(String(20), nullable=False)
    distance_km = Column(Numeric(8, 1), nullable=True)
    amount_cents = Column(Integer, nullable=True)
    note = Column(String(1000), nullable=False, default="")
    receipt = Column(LargeBinary, nullable=True)
    receipt_name = Column(String(200), nullable=False, default="")
    receipt_type = Column(String(100), nullable=False, default="")
    status = Column(String(20), nullable=False, default=CLAIM_SUBMITTED)
    reason = Column(String(1000), nullable=False, default="")   # why it was refused
    decided_by_id = Column(ForeignKey("member.id", ondelete="SET NULL"), nullable=True)
    decided_at = Column(DateTime, nullable=True)
    created_at = Column(DateTime, nullable=False, default=now)

    meeting = relationship(Meeting)
    member = relationship(Member, foreign_keys=[member_id], lazy="joined")
    decided_by = relationship(Member, foreign_keys=[decided_by_id])


class CalendarFeed(db.Model):
    """A member's private calendar subscription: the token is shown once, kept hashed, and
    revoked by making a new one (or none)."""
    __page_cache__ = "private"

    member_id = Column(ForeignKey("member.id", ondelete="CASCADE"), primary_key=True)
    token_hash = Column(String(64), nullable=False, unique=True)
    created_at = Column(DateTime, nullable=False, default=now)
    last_used_at = Column(DateTime, nullable=True)
