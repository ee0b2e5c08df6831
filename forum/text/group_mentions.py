"""Group mentions: ``@comite-13``, ``@moderation-13``, ``@coordination``, ``@college-<slug>``.

As Discourse's mentionable groups: a handle names a group of members, and mentioning it
notifies each of them (``forum/notifications/notifying.py`` treats them as mentioned members:
one notification per member and post, only if they may read it, never the author). Who may
mention which group, and the size past which a group is not notified
(``GROUP_MENTION_MAX_MEMBERS``), are decided here at write time with the *author's* rights;
the text is published whatever happens, and the author is told which groups were not notified
(``refusals``: after posting and in the preview).

Handles are built from identifiers that do not change with a name: a comité's department
(``Space.department``, lower case) and a collège's slug. Registration refuses pseudonyms that
could be taken for a handle (``is_reserved``).
"""
import re
import unicodedata
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from forum.accounts.models import ROLE_COORDINATOR, College, Member, committee_membership
from forum.extensions import db
from forum.notifications.models import MailPreference
from forum.permissions import can_read_space
from forum.topics.models import KIND_COMMITTEE, Space, space_moderator

COMMITTEE, MODERATION, COORDINATION, COLLEGE = "comite", "moderation", "coordination", "college"
PREFIXES = (COMMITTEE, MODERATION, COLLEGE)
# Where a group's link leads when it has no page of its own (the help page explains them).
HELP_URL = "/aide#mentions-de-groupe"

# A quick look before parsing: can this text name a group at all?
MAY_NAME_A_GROUP = re.compile(r"@(?:comite|moderation|college|coordination)", re.IGNORECASE)

# Why a group was not notified.
NOT_ALLOWED, TOO_BIG, EMPTY = "not_allowed", "too_big", "empty"


@dataclass(frozen=True)
class Group:
    handle: str            # as it is written after @, lower case: "comite-13"
    kind: str
    url: str
    member_ids: tuple      # who it notifies (before each one's right to read the post)
    allowed: bool          # may the author mention it?


@dataclass(frozen=True)
class Refusal:
    handle: str
    reason: str
    kind: str
    limit: int = 0

    @property
    def message(self):
        name = "@" + self.handle
        if self.reason == TOO_BIG:
            return _("%(group)s n'a pas été prévenu : ce groupe compte plus de %(max)d membres.",
                     group=name, max=self.limit)
        if self.reason == EMPTY and self.kind == MODERATION:
            return _("%(group)s n'a prévenu personne : ce comité n'a pas de modérateur pour l'instant. "
                     "Mentionnez @coordination pour demander de l'aide.", group=name)
        if self.reason == EMPTY:
            return _("%(group)s n'a prévenu personne : ce groupe n'a aucun membre pour l'instant.", group=name)
        if self.kind == COLLEGE:
            return _("%(group)s n'a pas été prévenu : seuls les membres confirmés de ce collège et la "
                     "coordination peuvent mentionner ce groupe.", group=name)
        return _("%(group)s n'a pas été prévenu : seuls ses membres, ses modérateurs et la coordination "
                 "peuvent mentionner ce groupe.", group=name)


def _folded(name):
    """Lower case, accents and separators folded: "Comité_13" reads as "comite-13"."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return text.casefold().replace("_", "-").replace(".", "-")


def is_reserved(pseudonym):
    """Could ``pseudonym`` be read as a group's handle (now or once a comité or collège is added)?"""
    folded = _folded(pseudonym or "")
    return folded == COORDINATION or any(folded.startswith(prefix + "-") for prefix in PREFIXES)


def _split(key):
    """(kind, rest) of a handle's key, or None when it is no group's form."""
    if key == COORDINATION:
        return COORDINATION, ""
    prefix, _dash, rest = key.partition("-")
    return (prefix, rest) if prefix in PREFIXES and rest else None


def _committee(department):
    spaces = db.session.scalars(select(Space).where(Space.kind == KIND_COMMITTEE,
                                                    func.lower(Space.department) == department)).all()
    # Two comités of one department (an archived one kept): the one still open, first in order.
    return min(spaces, key=lambda s: (s.archived_at is not None, s.position, s.id), default=None)


def _active(query):
    return query.where(Member.deactivated_at.is_(None), Member.awaiting_approval.is_(False))


def _space_url(author, space):
    return f"/espace/{space.slug}" if can_read_space(author, space) else HELP_URL


def _is_coordinator(author):
    return bool(getattr(author, "is_coordinator", False))


def _group(kind, rest, author):
    if kind == COORDINATION:
        ids = db.session.scalars(_active(select(Member.id).where(Member.role == ROLE_COORDINATOR)))
        return Group(COORDINATION, kind, HELP_URL, tuple(ids), True)
    if kind == COLLEGE:
        college = db.session.scalar(select(College).where(College.slug == rest))
        if college is None:
            return None
        ids = db.session.scalars(_active(
            select(Member.id).join(MailPreference, MailPreference.member_id == Member.id)
            .where(Member.college_id == college.id, Member.college_confirmed.is_(True),
                   MailPreference.college_mentions.is_(True))))
        allowed = _is_coordinator(author) or (getattr(author, "college_id", None) == college.id
                                              and author.college_confirmed)
        return Group(f"{COLLEGE}-{rest}", kind, HELP_URL, tuple(ids), allowed)
    space = _committee(rest)
    if space is None:
        return None
    moderators = set(db.session.scalars(select(space_moderator.c.member_id)
                                        .where(space_moderator.c.space_id == space.id)))
    if kind == MODERATION:
        ids = db.session.scalars(_active(select(Member.id).where(Member.id.in_(moderators))))
        return Group(f"{MODERATION}-{rest}", kind, _space_url(author, space), tuple(ids), True)
    ids = db.session.scalars(_active(
        select(Member.id).join(committee_membership, committee_membership.c.member_id == Member.id)
        .where(committee_membership.c.space_id == space.id)))
    author_id = getattr(author, "id", None)
    allowed = _is_coordinator(author) or author_id in moderators or \
        space.id in getattr(author, "committee_ids", ())
    return Group(f"{COMMITTEE}-{rest}", kind, _space_url(author, space), tuple(ids), allowed)


def resolve(keys, author):
    """{key: Group} of the handles among ``keys`` (case-folded names) that name a group."""
    groups = {}
    for key in keys:
        form = _split(key)
        group = _group(*form, author) if form else None
        if group is not None:
            groups[key] = group
    return groups


def notified(group, author):
    """(member ids the group notifies, Refusal or None) for ``author``'s post."""
    author_id = getattr(author, "id", None)
    ids = tuple(i for i in group.member_ids if i != author_id)
    limit = current_app.config["GROUP_MENTION_MAX_MEMBERS"]
    if not group.allowed:
        return (), Refusal(group.handle, NOT_ALLOWED, group.kind)
    if len(ids) > limit:
        return (), Refusal(group.handle, TOO_BIG, group.kind, limit)
    if not ids:
        return (), Refusal(group.handle, EMPTY, group.kind)
    return ids, None
