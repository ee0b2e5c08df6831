"""A synthesis's life: brouillon → en relecture → validée → publiée (→ transmise au HCTS).

- **Review** is asked by an editor: the space's members may then read and comment on it.
- **Approval** is the comité's act: a moderator (or the coordination) approves it, or asks the
  comité's consent with a consent decision (forum/decisions/) opened in its debate; the decision
  closing with its quorum and without objection approves it, else it stays in review.
- Approval names a revision: **publishing** copies exactly that revision into a new published
  version, whatever was saved since (a concurrent edit sends the synthesis back to review, and
  the version published is still the one approved). A published version never changes; a
  correction is saved, approved and published as the next version, both kept.
- **Transmitting to the HCTS** records the date on the published version and keeps the exact
  files sent (PDF and ODT).
"""
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select, update

from forum import events
from forum.clock import now
from forum.decisions import voting
from forum.decisions.models import CONSENT, CONSENT_OPTIONS, Poll
from forum.errors import Forbidden, Invalid, Refused
from forum.extensions import db
from forum.topics import posting

from . import quoting, rules
from .models import APPROVED, DRAFT, PUBLISHED, REVIEW, Synthesis, SynthesisRevision, SynthesisVersion

OBJECTION = str(CONSENT_OPTIONS.index("object"))


def ask_review(member, synthesis):
    if not rules.is_editor(member, synthesis):
        raise Forbidden(_("Seuls ses rédacteurs mettent la synthèse en relecture."))
    if synthesis.status != DRAFT:
        raise Refused(_("Cette synthèse n'est pas un brouillon."), status=409)
    synthesis.status, synthesis.review_at = REVIEW, now()
    db.session.commit()


def approve(member, synthesis, how=""):
    """A moderator's act: the current revision is the one approved."""
    if not rules.can_approve(member, synthesis):
        raise Forbidden(_("La validation revient aux modérateurs de l'espace et à la coordination."))
    if synthesis.status != REVIEW:
        raise Refused(_("Seule une synthèse en relecture peut être validée."), status=409)
    _approved(synthesis, synthesis.revision_count, member)
    db.session.commit()


def _approved(synthesis, revision, member):
    synthesis.status, synthesis.approved_revision = APPROVED, revision
    synthesis.approved_at, synthesis.approved_by_id = now(), member.id if member else None


def ask_consent(member, synthesis, closes_at):
    """Open a consent decision on the synthesis in its debate (or in a new topic of its space)."""
    if not rules.can_approve(member, synthesis):
        raise Forbidden(_("La validation revient aux modérateurs de l'espace et à la coordination."))
    if synthesis.status != REVIEW:
        raise Refused(_("Seule une synthèse en relecture peut être soumise au consentement."), status=409)
    if synthesis.approval_poll_id is not None and not db.session.get(Poll, synthesis.approval_poll_id).is_closed:
        raise Refused(_("Une décision de validation est déjà ouverte pour cette synthèse."), status=409)
    revision = synthesis.revision_count
    body = _("La synthèse « %(title)s » est soumise au consentement du comité (version relue n° %(rev)s) : "
             "[la lire](/synthese/%(id)s). Une objection dit ce qui doit changer.",
             title=synthesis.title, rev=revision, id=synthesis.id)
    topic = synthesis.topic
    if topic is None or topic.space_id != synthesis.space_id:
        topic = posting.start_topic(member, synthesis.space, _("Validation : %(title)s", title=synthesis.title)[:200],
                                    body)
    settings = voting.PollSettings(kind=CONSENT, question=_("Validez-vous la synthèse « %(title)s » ?",
                                                            title=synthesis.title)[:300], closes_at=closes_at)
    poll = voting.open_poll(member, topic, settings, body)
    synthesis.approval_poll_id = poll.id
    # The revision asked about: publishing after consent copies this one.
    synthesis.approved_revision = revision
    db.session.commit()
    return poll


def consent_given(poll):
    """Closed with its quorum, at least one voter, and no objection."""
    overall = (poll.results or {}).get("overall", {})
    objections = overall.get("options", {}).get(OBJECTION, {}).get("votes", 0)
    return bool(poll.quorum_reached) and overall.get("voters", 0) > 0 and objections == 0


def on_poll_closed(event):
    """A consent decision on a synthesis closed: approved if consent was given, on the revision
    the comité was asked about, unless it changed since (it then stays in review)."""
    synthesis = db.session.scalar(select(Synthesis).where(Synthesis.approval_poll_id == event.poll_id))
    if synthesis is None or synthesis.status != REVIEW:
        return
    poll = db.session.get(Poll, event.poll_id)
    if consent_given(poll) and synthesis.approved_revision == synthesis.revision_count:
        _approved(synthesis, synthesis.approved_revision, None)
    else:
        synthesis.approved_revision = None


def approval_label(synthesis):
    if synthesis.approval_poll_id and synthesis.approved_by_id is None:
        return _("par consentement du comité (décision n° %(id)s)", id=synthesis.approval_poll_id)
    who = synthesis.approved_by.pseudonym if synthesis.approved_by else ""
    return _("par %(who)s, modération de l'espace", who=who) if who else ""


def publish(member, synthesis):
    """Publish exactly the approved revision as the next version (409 if it is not approved
    now: a concurrent edit sent it back to review)."""
    if not rules.can_approve(member, synthesis):
        raise Forbidden(_("La publication revient aux modérateurs de l'espace et à la coordination."))
    revision_number = synthesis.approved_revision
    taken = db.session.execute(update(Synthesis).where(Synthesis.id == synthesis.id, Synthesis.status == APPROVED)
                               .values(status=PUBLISHED, published_version=Synthesis.published_version + 1,
                                       published_at=now())
                               .execution_options(synchronize_session=False))
    if taken.rowcount != 1 or revision_number is None:
        db.session.rollback()
        raise Refused(_("Cette synthèse n'est pas validée dans son état actuel : elle a peut-être été modifiée "
                        "entre-temps. Relisez-la et validez-la à nouveau."), status=409)
    db.session.refresh(synthesis)
    revision = db.session.scalar(select(SynthesisRevision).where(
        SynthesisRevision.synthesis_id == synthesis.id, SynthesisRevision.number == revision_number))
    html, _quoted = quoting.render(synthesis.author, revision.source, synthesis.space)
    version = SynthesisVersion(synthesis_id=synthesis.id, number=synthesis.published_version,
                               revision=revision.number, title=revision.title, source=revision.source, html=html,
                               approved_at=synthesis.approved_at or now(), approved_how=approval_label(synthesis),
                               published_at=synthesis.published_at, published_by_id=member.id)
    db.session.add(version)
    db.session.flush()
    events.publish(events.SynthesisPublished(synthesis_id=synthesis.id, version_id=version.id,
                                             space_id=synthesis.space_id))
    db.session.commit()
    return version


def latest_version(synthesis):
    if not synthesis.is_published:
        return None
    return db.session.scalar(select(SynthesisVersion).where(SynthesisVersion.synthesis_id == synthesis.id,
                                                            SynthesisVersion.number == synthesis.published_version))


def versions(synthesis):
    return list(db.session.scalars(select(SynthesisVersion).where(SynthesisVersion.synthesis_id == synthesis.id)
                                   .order_by(SynthesisVersion.number.desc())))


def check_closing(text_value, earliest):
    """The consent decision's closing date (at least a day: the comité must have time to read)."""
    if text_value is None:
        raise Invalid({"closes_at": _("Indiquez la date de clôture de la décision.")})
    if text_value < earliest + timedelta(hours=23):
        raise Invalid({"closes_at": _("Laissez au comité au moins un jour pour lire et se prononcer.")})
    return text_value
