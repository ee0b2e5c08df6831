"""A topic's tags: chosen when it starts, changed later by its author or a moderator, and new
ones created by whoever writes the topic.

Who may create a tag: any member who may write in the space (starting a topic there, or the
topic's author or a moderator changing its tags). A new name is normalised (spaces collapsed,
a leading ``#`` dropped, the first letter upper-cased) and matched to an existing tag by its
slug, so « non recours », « Non-recours » and « #non-recours » are one tag. Limits: 2 to
``TAG_NAME_MAX`` characters of letters, digits, spaces, hyphens and apostrophes;
``MAX_NEW_TAGS`` new tags at a time; ``MAX_TAGS`` tags on a topic.
"""
import re

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from forum import events
from forum.errors import Forbidden, Invalid
from forum.extensions import db
from forum.permissions import can_edit_tags
from forum.text.slugs import slugify

from .models import Tag

MAX_TAGS = 5
MAX_NEW_TAGS = 2
TAG_NAME_MAX = 40
_TAG_NAME = re.compile(r"^[\w' \-’]+$")


def clean_tag_name(name):
    """The normalised name of a new tag, or ``Invalid``."""
    name = " ".join((name or "").replace("\u00a0", " ").split()).lstrip("#").strip()
    if len(name) < 2:
        raise Invalid({"new_tags": _("Le nom d'une étiquette compte 2 caractères au moins.")})
    if len(name) > TAG_NAME_MAX:
        raise Invalid({"new_tags": _("Le nom d'une étiquette compte %(n)s caractères au plus.", n=TAG_NAME_MAX)})
    if not _TAG_NAME.match(name) or "_" in name or not slugify(name, 60):
        raise Invalid({"new_tags": _("« %(name)s » : une étiquette s'écrit avec des lettres, des chiffres, "
                                     "des espaces et des tirets.", name=name)})
    return name[0].upper() + name[1:]


def _split_names(text):
    return [part for part in re.split(r"[,;\n]", text or "") if part.strip()]


def choose_tags(slugs, new_names="", create=True):
    """The tags named by ``slugs`` (existing ones) and by ``new_names`` (a comma-separated text:
    existing tags when their slug matches, else new tags, created once every limit is checked;
    ``create=False`` only checks, for a form whose other fields may still be refused)."""
    wanted = []
    for slug in slugs or ():
        slug = (slug or "").strip()
        if slug and slug not in wanted:
            wanted.append(slug)
    names = [clean_tag_name(name) for name in _split_names(new_names)]
    if len(wanted) > MAX_TAGS:
        raise Invalid({"tags": _("%(n)s étiquettes au plus.", n=MAX_TAGS)})
    tags = list(db.session.scalars(select(Tag).where(Tag.slug.in_(wanted)))) if wanted else []
    unknown = set(wanted) - {tag.slug for tag in tags}
    if unknown:
        raise Invalid({"tags": _("Étiquette inconnue : %(tags)s.", tags=", ".join(sorted(unknown)))})
    tags.sort(key=lambda tag: wanted.index(tag.slug))
    new = {}                            # slug: name, the tags to create
    for name in names:
        slug = slugify(name, 60)
        if any(tag.slug == slug for tag in tags) or slug in new:
            continue
        existing = db.session.scalar(select(Tag).where(Tag.slug == slug))
        if existing is None:
            new[slug] = name
        else:
            tags.append(existing)
    if len(new) > MAX_NEW_TAGS:
        raise Invalid({"new_tags": _("%(n)s nouvelles étiquettes au plus à la fois : choisissez d'abord "
                                     "dans la liste.", n=MAX_NEW_TAGS)})
    if len(tags) + len(new) > MAX_TAGS:
        raise Invalid({"tags": _("%(n)s étiquettes au plus.", n=MAX_TAGS)})
    if create:
        tags.extend(_create(slug, name) for slug, name in new.items())
    return tags


def _create(slug, name):
    """A new tag, or the one another writer created since we looked (slugs are unique): two
    members naming the same new tag at the same moment both get it, neither an error."""
    try:
        with db.session.begin_nested():
            tag = Tag(slug=slug, name=name)
            db.session.add(tag)
        return tag
    except IntegrityError:
        return db.session.scalar(select(Tag).where(Tag.slug == slug))


def count(tags, delta):
    """Keep ``Tag.topic_count`` right (atomic increments); new tags are flushed first."""
    if tags:
        db.session.flush()
        db.session.execute(update(Tag).where(Tag.id.in_([t.id for t in tags]))
                           .values(topic_count=Tag.topic_count + delta))


def set_tags(editor, topic, slugs, new_names=""):
    """Change the tags of ``topic``: its author (while they may write in its space) or a moderator."""
    if not can_edit_tags(editor, topic):
        raise Forbidden(_("Seuls l'auteur du sujet et la modération changent ses étiquettes."))
    tags = choose_tags(slugs, new_names)
    before = list(topic.tags)
    topic.tags = tags
    db.session.flush()
    count([t for t in before if t not in tags], -1)
    count([t for t in tags if t not in before], +1)
    events.publish(events.TopicChanged(topic_id=topic.id, space_id=topic.space_id))
    db.session.commit()
    return topic
