"""Adding, editing and deleting resources; who may do each (asked by every path out).

- Read: whoever reads its space (``forum.permissions.can_read_space``).
- Add: a member who may start topics in the space (``why_cannot_post`` is None).
- Edit, delete: its author (while they may still write in the space), the space's moderators
  and the coordination (``can_moderate``).

Every refusal is raised before anything is written: a refused form writes nothing.
"""
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy import select

from forum import events
from forum.accounts.erasure import MODE_REMOVE, FormerMember
from forum.accounts.models import College
from forum.clock import now
from forum.errors import Forbidden, Invalid
from forum.extensions import db
from forum.permissions import can_moderate, can_read_space, is_member, readable_spaces, why_cannot_post
from forum.text import markup
from forum.topics.models import KIND_COMMITTEE, Space, Tag

from .models import KIND_DOCUMENT, KIND_LINK, KINDS, Resource

TITLE_MAX = 200
URL_MAX = 2000
DESCRIPTION_MAX = 5000
MAX_TAGS = 5
FIRST_YEAR = 1950
LAST_YEAR = 2100


@dataclass
class ResourceInput:
    """What a form typed, as text: parsed and checked by ``check``."""
    kind: str = KIND_DOCUMENT
    title: str = ""
    url: str = ""
    description: str = ""
    tags: list = field(default_factory=list)        # tag slugs
    territory: str = ""                             # a comité's slug, or ""
    college: str = ""                               # a collège's slug, or ""
    year: str = ""


def can_read_resource(viewer, resource):
    return can_read_space(viewer, resource.space)


def can_add_resource(viewer, space):
    return why_cannot_post(viewer, space) is None


def may_add_somewhere(viewer):
    """Is there a space where ``viewer`` may add a resource (the page's button)?"""
    return is_member(viewer) and any(can_add_resource(viewer, space) for space in readable_spaces(viewer))


def can_change_resource(viewer, resource):
    if not is_member(viewer) or not can_read_resource(viewer, resource):
        return False
    if can_moderate(viewer, resource.space):
        return True
    return viewer.id == resource.author_id and why_cannot_post(viewer, resource.space) is None


def is_web_address(url):
    """An absolute http or https address with a host."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and not any(c.isspace() for c in url)


def _checked(typed):
    """{column: value} of a valid input, or ``Invalid`` naming every wrong field."""
    errors, values = {}, {}
    kind = typed.kind if typed.kind in KINDS else None
    if kind is None:
        errors["kind"] = _("Choisissez un document ou un lien.")
    title = " ".join((typed.title or "").split())
    if not title:
        errors["title"] = _("Donnez un titre à la fiche.")
    elif len(title) > TITLE_MAX:
        errors["title"] = _("Le titre compte %(n)s caractères au plus.", n=TITLE_MAX)
    url = (typed.url or "").strip()
    if kind == KIND_LINK and not url:
        errors["url"] = _("Un lien demande son adresse (https://…).")
    elif url and (len(url) > URL_MAX or not is_web_address(url)):
        errors["url"] = _("L'adresse doit commencer par http:// ou https:// et compter %(n)s caractères au plus.",
                          n=URL_MAX)
    description = (typed.description or "").strip()
    if len(description) > DESCRIPTION_MAX:
        errors["description"] = _("La description compte %(n)s caractères au plus.", n=DESCRIPTION_MAX)
    elif kind == KIND_DOCUMENT and not description:
        errors["description"] = _("Un document demande son texte.")
    values.update(kind=kind, title=title, url=url or None, source=description)
    values["tags"] = _tags(typed.tags, errors)
    values["territory"] = _territory(typed.territory, errors)
    values["college"] = _college(typed.college, errors)
    values["year"] = _year(typed.year, errors)
    if errors:
        raise Invalid(errors)
    return values


def _tags(slugs, errors):
    wanted = list(dict.fromkeys(slug.strip() for slug in slugs or () if slug and slug.strip()))
    if len(wanted) > MAX_TAGS:
        errors["tags"] = _("%(n)s thèmes au plus.", n=MAX_TAGS)
        return []
    tags = db.session.scalars(select(Tag).where(Tag.slug.in_(wanted))).all() if wanted else []
    if len(tags) != len(wanted):
        errors["tags"] = _("Choisissez les thèmes dans la liste.")
    return list(tags)


def _territory(slug, errors):
    if not slug:
        return None
    space = db.session.scalar(select(Space).where(Space.slug == slug, Space.kind == KIND_COMMITTEE))
    if space is None:
        errors["territory"] = _("Choisissez un comité de la liste.")
    return space


def _college(slug, errors):
    if not slug:
        return None
    college = db.session.scalar(select(College).where(College.slug == slug))
    if college is None:
        errors["college"] = _("Choisissez un collège de la liste.")
    return college


def _year(text, errors):
    text = (text or "").strip()
    if not text:
        return now().year
    if not text.isdigit() or not FIRST_YEAR <= int(text) <= LAST_YEAR:
        errors["year"] = _("L'année s'écrit en quatre chiffres, entre %(first)s et %(last)s.",
                           first=FIRST_YEAR, last=LAST_YEAR)
        return None
    return int(text)


def _apply(resource, values):
    resource.kind, resource.title, resource.url = values["kind"], values["title"], values["url"]
    resource.source, resource.html = values["source"], markup.render(values["source"])
    resource.tags, resource.territory, resource.college = values["tags"], values["territory"], values["college"]
    resource.year, resource.updated_at = values["year"], now()


def add_resource(author, space, typed):
    """A new resource in ``space``, or ``Forbidden`` / ``Invalid`` (nothing written)."""
    reason = why_cannot_post(author, space)
    if reason is not None:
        raise Forbidden(reason)
    values = _checked(typed)
    resource = Resource(space=space, author=author, created_at=now())
    _apply(resource, values)
    db.session.add(resource)
    db.session.flush()
    events.publish(events.ResourceChanged(resource.id))
    db.session.commit()
    return resource


def edit_resource(editor, resource, typed):
    if not can_change_resource(editor, resource):
        raise Forbidden(_("Seuls l'auteur de la fiche, les modérateurs de l'espace et la coordination la modifient."))
    values = _checked(typed)
    _apply(resource, values)
    events.publish(events.ResourceChanged(resource.id))
    db.session.commit()
    return resource


def delete_resource(editor, resource):
    if not can_change_resource(editor, resource):
        raise Forbidden(_("Seuls l'auteur de la fiche, les modérateurs de l'espace et la coordination la suppriment."))
    db.session.delete(resource)
    db.session.flush()
    events.publish(events.ResourceChanged(resource.id))
    db.session.commit()


def forget_member(event):
    """An erased member who chose to remove their contributions: their resources go too (their
    posts are emptied). Anonymised only: they stay, signed « Ancien membre N », as posts do."""
    former = db.session.get(FormerMember, event.member_id)
    if former is None or former.mode != MODE_REMOVE:
        return
    for resource in db.session.scalars(select(Resource).where(Resource.author_id == event.member_id)).all():
        db.session.delete(resource)
        db.session.flush()
        events.publish(events.ResourceChanged(resource.id))


def as_input(resource):
    """The form's text of an existing resource (to edit it)."""
    return ResourceInput(kind=resource.kind, title=resource.title, url=resource.url or "",
                         description=resource.source, tags=[tag.slug for tag in resource.tags],
                         territory=resource.territory.slug if resource.territory else "",
                         college=resource.college.slug if resource.college else "", year=str(resource.year))
