"""Opening a decision in a topic, and casting (or changing) one's ballot."""
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select, update

from forum import events
from forum.accounts.models import College
from forum.clock import now
from forum.errors import Forbidden, Invalid, Refused
from forum.extensions import db
from forum.topics import posting
from forum.topics.models import KIND_COMMITTEE, POST_VISIBLE, Space

from . import kinds, rules
from .models import (CONSENT, KINDS, MULTIPLE, REASON_MODES, REASON_NONE, REASON_REQUIRED,
                     RESULTS_AFTER_CLOSING, RESULTS_MODES, RESULTS_SHOWN, SCORE, Ballot, BallotRevision, Poll,
                     PollOption, PollVoter)

QUESTION_MAX = 300
OPTION_MAX = 200
LONGEST = timedelta(days=366)
SHORTEST = timedelta(minutes=5)


@dataclass
class PollSettings:
    """What the author chose (the form's fields, parsed)."""
    kind: str
    question: str
    closes_at: datetime | None          # naive UTC
    options: list = field(default_factory=list)
    min_choices: int | None = None
    max_choices: int | None = None
    max_score: int | None = None
    results_mode: str = RESULTS_SHOWN
    anonymous: bool = False
    reason_mode: str = "optional"
    quorum_voters: int = 0
    quorum_colleges: int = 0
    committee_ids: tuple = ()
    college_ids: tuple = ()


def open_poll(author, topic, settings, body, parent=None):
    """Open a decision with a reply of ``author`` in ``topic`` (``body`` says what is decided
    and why); returns the poll. Every field's error is reported at once, nothing typed lost."""
    reason = rules.why_cannot_open(author, topic)
    if reason:
        raise Forbidden(reason)
    errors = _check_settings(settings)
    try:
        posting.clean_body(body)
    except Invalid as refusal:
        errors.update(refusal.fields)
    if errors:
        raise Invalid(errors)
    committees = db.session.scalars(select(Space).where(Space.id.in_(settings.committee_ids),
                                                        Space.kind == KIND_COMMITTEE)).all()
    colleges = db.session.scalars(select(College).where(College.id.in_(settings.college_ids))).all()
    created = {}

    def attach(post):
        labels = kinds.FIXED_OPTIONS.get(settings.kind) or settings.options
        poll = Poll(topic_id=topic.id, topic=topic, post_id=post.id, author_id=author.id, kind=settings.kind,
                    question=settings.question.strip(), closes_at=settings.closes_at,
                    min_choices=settings.min_choices, max_choices=settings.max_choices,
                    max_score=settings.max_score, results_mode=settings.results_mode,
                    anonymous=settings.anonymous, reason_mode=settings.reason_mode,
                    quorum_voters=settings.quorum_voters, quorum_colleges=settings.quorum_colleges,
                    committees=list(committees), colleges=list(colleges),
                    electorate_limited=bool(committees or colleges), created_at=now(),
                    options=[PollOption(position=i, label=label.strip()) for i, label in enumerate(labels)])
        db.session.add(poll)
        db.session.flush()
        created["poll"] = poll
        events.publish(events.PollOpened(poll_id=poll.id, topic_id=topic.id, space_id=topic.space_id,
                                         author_id=author.id))

    posting.reply(author, topic, body, parent, attach=attach)
    return created["poll"]


def _check_settings(s):
    """{field: message} of what is wrong; the anonymous rules are applied to ``s`` itself."""
    errors = {}
    if s.kind not in KINDS:
        errors["kind"] = _("Choisissez le genre de décision.")
        return errors
    question = (s.question or "").strip()
    if not question:
        errors["question"] = _("Écrivez la question posée.")
    elif len(question) > QUESTION_MAX:
        errors["question"] = _("La question est trop longue (%(limit)d caractères au plus).", limit=QUESTION_MAX)
    if s.kind not in kinds.FIXED_OPTIONS:
        message = _check_options(s.options)
        if message:
            errors["options"] = message
    if s.closes_at is None:
        errors["closes_at"] = _("Indiquez quand le vote se clôt.")
    elif s.closes_at < now() + SHORTEST:
        errors["closes_at"] = _("La clôture doit être dans l'avenir (dans cinq minutes au moins).")
    elif s.closes_at > now() + LONGEST:
        errors["closes_at"] = _("La clôture doit venir dans l'année.")
    count = len(s.options)
    if s.kind == MULTIPLE and "options" not in errors:
        low, high = s.min_choices or 1, s.max_choices or count
        if not 1 <= low <= high <= count:
            errors["max_choices"] = _("Entre 1 et %(count)d choix, le minimum ne dépassant pas le maximum.",
                                      count=count)
        s.min_choices, s.max_choices = low, high
    if s.kind == SCORE:
        s.max_score = kinds.MAX_SCORE // 2 if s.max_score is None else s.max_score
        if not 1 <= s.max_score <= kinds.MAX_SCORE:
            errors["max_score"] = _("La note la plus haute va de 1 à %(top)d.", top=kinds.MAX_SCORE)
    if s.results_mode not in RESULTS_MODES or s.reason_mode not in REASON_MODES:
        errors["results_mode"] = _("Choisissez parmi les réglages proposés.")
    if s.anonymous:
        if s.kind == CONSENT:
            errors["anonymous"] = _("Une proposition par consentement ne peut pas être anonyme : une objection "
                                    "s'explique et se discute.")
        # A tally moving while people vote tells how each newcomer voted; a reason is signed.
        s.results_mode, s.reason_mode = RESULTS_AFTER_CLOSING, REASON_NONE
    if not 0 <= s.quorum_voters <= 100_000:
        errors["quorum_voters"] = _("Un nombre de votants entre 0 et 100 000.")
    if not 0 <= s.quorum_colleges <= 9:
        errors["quorum_colleges"] = _("Un nombre de collèges entre 0 et 9.")
    return errors


def _check_options(options):
    labels = [(o or "").strip() for o in options]
    labels = [o for o in labels if o]
    if len(labels) < 2:
        return _("Proposez au moins deux options.")
    if len(labels) > kinds.MAX_OPTIONS:
        return _("Vingt options au plus.")
    if any(len(o) > OPTION_MAX for o in labels):
        return _("Une option tient en %(limit)d caractères au plus.", limit=OPTION_MAX)
    seen = set()
    for label in labels:
        key = " ".join(label.casefold().split())
        if key in seen:
            return _("L'option « %(label)s » est proposée deux fois.", label=label)
        seen.add(key)
    options[:] = labels
    return None


def cast_ballot(member, poll, choice, reason=""):
    """Cast or change ``member``'s one ballot. Refused with 403 outside the electorate and 409
    once closed; a ballot and the closing never cross (both write the poll's row first)."""
    refusal = rules.why_cannot_vote(member, poll)
    if refusal:
        status, message = refusal
        raise Refused(message, status=status)
    choice = kinds.check_choice(poll, choice)
    reason = _check_reason(poll, choice, reason)
    moment = now()
    # The poll's row is written first: its lock orders this ballot against the closing and
    # against the member's other tab (one ballot per member), until the commit.
    taken = db.session.execute(update(Poll).where(Poll.id == poll.id, Poll.closed_at.is_(None),
                                                  Poll.closes_at > moment)
                               .values(voted_at=moment).execution_options(synchronize_session=False))
    if taken.rowcount != 1:
        db.session.rollback()
        raise Refused(_("Ce vote est clos : il ne reçoit plus de bulletin."), status=409)
    ballot = db.session.scalar(select(Ballot).where(Ballot.poll_id == poll.id, Ballot.member_id == member.id))
    college_id = member.college_id if member.college_confirmed else None
    if ballot is None:
        ballot = Ballot(poll_id=poll.id, member_id=member.id, college_id=college_id, choice=kinds.stored(choice),
                        reason=reason, updated_at=moment, revision_count=1)
        db.session.add(ballot)
        db.session.add(PollVoter(poll_id=poll.id, member_id=member.id, voted_at=moment))
        db.session.execute(update(Poll).where(Poll.id == poll.id).values(voter_count=Poll.voter_count + 1)
                           .execution_options(synchronize_session=False))
    else:
        ballot.college_id, ballot.choice, ballot.reason = college_id, kinds.stored(choice), reason
        ballot.updated_at, ballot.revision_count = moment, ballot.revision_count + 1
    db.session.flush()
    if not poll.anonymous:
        db.session.add(BallotRevision(ballot_id=ballot.id, number=ballot.revision_count,
                                      choice=kinds.stored(choice), reason=reason, created_at=moment))
    count = db.session.scalar(select(Poll.voter_count).where(Poll.id == poll.id))
    events.publish(events.BallotCast(poll_id=poll.id, topic_id=poll.topic_id, space_id=poll.topic.space_id,
                              voter_count=count))
    if reasons_published_while_open(poll):
        publish_reason(member, poll, ballot)      # commits (posting)
    else:
        db.session.commit()
    return ballot


def _check_reason(poll, choice, reason):
    reason = (reason or "").strip()
    if poll.reason_mode == REASON_NONE:
        return ""
    needed = poll.reason_mode == REASON_REQUIRED or kinds.is_objection(poll, choice)
    if not reason:
        if needed:
            message = (_("Une objection dit pourquoi : écrivez votre raison.") if kinds.is_objection(poll, choice)
                       else _("Ce vote demande une raison : écrivez-la."))
            raise Invalid({"reason": message})
        return ""
    return posting.clean_body(reason, field="reason")


def reasons_published_while_open(poll):
    """Reasons go into the thread at once only where everyone may already see how each voted."""
    return not poll.anonymous and poll.results_mode == RESULTS_SHOWN


def publish_reason(member, poll, ballot):
    """The ballot's reason as the voter's reply under the decision's post (a contribution:
    guards, reporting, hiding, history). A changed reason is an edit; an emptied one, a deletion."""
    post = ballot.reason_post
    if post is not None and post.state not in (POST_VISIBLE, "pending"):
        post = ballot.reason_post = None
    if not ballot.reason:
        if post is not None:
            ballot.reason_post_id = None
            posting.delete_post(member, post)      # commits
        else:
            db.session.commit()
        return
    if post is not None:
        if post.source != ballot.reason:
            posting.edit_post(member, post, ballot.reason)    # commits
        else:
            db.session.commit()
        return

    def attach(new_post):
        ballot.reason_post_id = new_post.id

    posting.reply(member, poll.topic, ballot.reason, poll.post, attach=attach)


def history(member, poll):
    """``member``'s own ballots on ``poll``, latest first (none kept for anonymous decisions)."""
    ballot = db.session.scalar(select(Ballot).where(Ballot.poll_id == poll.id, Ballot.member_id == member.id))
    if ballot is None:
        return []
    return db.session.scalars(select(BallotRevision).where(BallotRevision.ballot_id == ballot.id)
                              .order_by(BallotRevision.number.desc())).all()
