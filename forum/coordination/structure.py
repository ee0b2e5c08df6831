"""The forum's structure, kept by coordinators: spaces, tags and collèges."""
from flask_babel import gettext as _
from sqlalchemy import func, select

from forum import events
from forum.accounts.models import College
from forum.clock import now
from forum.decisions.models import OPENED_BY_MODERATORS, OPENED_BY_WRITERS
from forum.errors import Conflict, Forbidden, Invalid
from forum.extensions import db
from forum.numbers import parse_ids
from forum.permissions import is_coordinator
from forum.text.slugs import slugify
from forum.topics.models import (KIND_COMMITTEE, SPACE_KINDS, VISIBILITIES, Space, Tag, Topic,
                                 committee_membership, space_committee_access)


def _require_coordinator(actor):
    if not is_coordinator(actor):
        raise Forbidden(_("Réservé à la coordination."))


def _clean_name(name, field="name", high=120):
    name = " ".join((name or "").split())
    if len(name) < 2:
        raise Invalid({field: _("Le nom est trop court.")})
    if len(name) > high:
        raise Invalid({field: _("Le nom est trop long (%(n)s caractères au plus).", n=high)})
    return name


def _unique_slug(model, slug, current=None):
    query = select(model.id).where(model.slug == slug)
    if current is not None:
        query = query.where(model.id != current.id)
    if not slug:
        raise Invalid({"name": _("Le nom doit contenir des lettres ou des chiffres.")})
    if db.session.scalar(query):
        raise Conflict({"name": _("Ce nom est déjà utilisé.")})
    return slug


def save_space(actor, space, *, name, kind, description="", visibility="public", department=None,
               committee_ids=(), college_ids=(), staff_reads=True, decisions_opened_by=None):
    """Create (``space`` None) or update a space and its access lists. ``staff_reads`` off:
    coordinators and administrators outside the collèges admitted neither read nor moderate it."""
    _require_coordinator(actor)
    name = _clean_name(name)
    if kind not in SPACE_KINDS:
        raise Invalid({"kind": _("Type d'espace inconnu.")})
    if visibility not in VISIBILITIES:
        raise Invalid({"visibility": _("Visibilité inconnue.")})
    if decisions_opened_by is not None and decisions_opened_by not in (OPENED_BY_WRITERS, OPENED_BY_MODERATORS):
        raise Invalid({"decisions_opened_by": _("Choisissez qui ouvre une décision.")})
    slug = _unique_slug(Space, slugify(name, 60) if space is None else space.slug, space)
    committees = db.session.scalars(select(Space).where(
        Space.id.in_(parse_ids(committee_ids)), Space.kind == KIND_COMMITTEE)).all() \
        if committee_ids else []
    college_list = db.session.scalars(select(College).where(
        College.id.in_(parse_ids(college_ids)))).all() if college_ids else []
    if space is None:
        position = (db.session.scalar(select(func.max(Space.position))) or 0) + 1
        space = Space(slug=slug, position=position)
        db.session.add(space)
    space.name, space.kind, space.description = name, kind, (description or "").strip()
    space.visibility, space.department = visibility, (department or None)
    space.allowed_committees, space.allowed_colleges = list(committees), list(college_list)
    space.staff_reads = bool(staff_reads)
    if decisions_opened_by is not None:       # None: unchanged (a new space: whoever may reply)
        space.decisions_opened_by = decisions_opened_by
    db.session.flush()
    events.publish(events.SpaceChanged(space_id=space.id))
    db.session.commit()
    return space


def spaces_in_order():
    """Every space, archived ones included, in the order members see them."""
    return db.session.scalars(select(Space).order_by(Space.position, Space.name)).all()


def move_space(actor, space, step):
    """Move ``space`` one place up (``step`` -1) or down (+1) in the lists; positions become 1…n."""
    _require_coordinator(actor)
    if step not in (-1, 1):
        raise Invalid({None: _("Choisissez de monter ou de descendre l'espace.")})
    ordered = spaces_in_order()
    index = next(i for i, s in enumerate(ordered) if s.id == space.id)
    other = index + step
    if not 0 <= other < len(ordered):
        raise Conflict({None: _("« %(space)s » est déjà en tête de liste.", space=space.name) if step < 0
                        else _("« %(space)s » est déjà en fin de liste.", space=space.name)})
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, row in enumerate(ordered, start=1):
        row.position = position
    db.session.commit()


def archive_space(actor, space, archived=True):
    """Archive (read-only, out of the lists, still readable by its readers) or bring back ``space``."""
    _require_coordinator(actor)
    if space.is_archived == archived:
        raise Conflict({None: _("Cet espace est déjà archivé.") if archived else _("Cet espace n'est pas archivé.")})
    space.archived_at = now() if archived else None
    db.session.flush()
    events.publish(events.SpaceChanged(space_id=space.id))
    db.session.commit()


def why_cannot_remove(space):
    """None if ``space`` may be removed, else why: only an empty space goes, and nothing else may
    lose its meaning with it (a comité's members, another space's access list)."""
    if db.session.scalar(select(Topic.id).where(Topic.space_id == space.id).limit(1)) is not None:
        return _("Cet espace contient des sujets : archivez-le plutôt (il restera lisible).")
    if db.session.scalar(select(committee_membership.c.member_id)
                         .where(committee_membership.c.space_id == space.id).limit(1)) is not None:
        return _("Ce comité a des membres : archivez-le plutôt.")
    if db.session.scalar(select(space_committee_access.c.space_id)
                         .where(space_committee_access.c.committee_id == space.id).limit(1)) is not None:
        return _("D'autres espaces sont réservés aux membres de ce comité : changez d'abord leur accès.")
    return None


def remove_space(actor, space):
    _require_coordinator(actor)
    reason = why_cannot_remove(space)
    if reason:
        raise Conflict({None: reason})
    db.session.delete(space)
    db.session.commit()


def save_tag(actor, tag, *, name, description=""):
    _require_coordinator(actor)
    name = _clean_name(name, high=80)
    slug = _unique_slug(Tag, slugify(name, 60) if tag is None else tag.slug, tag)
    if tag is None:
        tag = Tag(slug=slug)
        db.session.add(tag)
    tag.name, tag.description = name, (description or "").strip()
    db.session.commit()
    return tag


def save_college(actor, college, *, name, description="", sensitive=False, travel_costs_covered=None):
    """Create or change a collège; ``travel_costs_covered`` None keeps what it was."""
    _require_coordinator(actor)
    name = _clean_name(name)
    slug = _unique_slug(College, slugify(name, 40) if college is None else college.slug, college)
    if college is None:
        position = (db.session.scalar(select(func.max(College.position))) or 0) + 1
        college = College(slug=slug, position=position)
        db.session.add(college)
    college.name, college.description, college.sensitive = name, (description or "").strip(), bool(sensitive)
    if travel_costs_covered is not None:
        college.travel_costs_covered = bool(travel_costs_covered)
    db.session.commit()
    return college


def all_tags():
    return db.session.scalars(select(Tag).order_by(Tag.name)).all()


def committees():
    return db.session.scalars(select(Space).where(Space.kind == KIND_COMMITTEE)
                              .order_by(Space.position)).all()
