"""Who may read and write what: the one entry point for these rules.

Every path out of the server (pages, JSON, search, Socket.IO rooms, emails, feeds) asks here.
A *viewer* is a ``Member`` or Flask-Login's anonymous user (``None`` is accepted as anonymous).

The core's rules are the functions below. A package built on the core keeps the rules over its
own tables in its own module (``moderation/permissions.py``) and registers them at start-up,
``register_rules(app, module)``; anyone, the core included, then asks
``ask("can_report_post", viewer, post)``. Why this design, the simplest that keeps the
dependencies pointing one way:

- the core never imports ``moderation`` or ``search``, so it cannot name their functions; it
  looks them up by name in a registry kept on the app (``app.extensions``, like every registry:
  two apps in one process never share it), filled by the package's ``init_app``;
- a rule nobody registered answers ``False``: without the package, nobody may do what only the
  package offers (report a post, sanction a member…);
- no thin dispatcher per rule in the core: the core would again hold one name per moderation
  rule, and a new rule would need an edit here;
- a package asks its own rules directly (``from .permissions import can_sanction``): ``ask`` is
  for those who cannot import it.
"""
from collections.abc import Mapping

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from forum import dates
from forum.topics.models import (KIND_COMMITTEE, POST_DELETED, POST_HIDDEN, POST_PENDING,
                                 POST_VISIBLE, VISIBILITY_MEMBERS, VISIBILITY_PUBLIC,
                                 VISIBILITY_RESTRICTED, Space, space_moderator)
from forum.web.memo import request_memo

from .charter import versions as charter
from .extensions import db


def is_member(viewer):
    """An authenticated member whose account is not suspended."""
    return bool(viewer is not None and getattr(viewer, "is_authenticated", False) and viewer.is_active)


def is_coordinator(viewer):
    return is_member(viewer) and viewer.is_coordinator


def is_space_moderator(viewer, space):
    return is_member(viewer) and any(m.id == viewer.id for m in space.moderators)


def holds_a_role(viewer):
    """Administrators, coordinators and the moderators of any space: who sees more than a member,
    and must log in with two steps where the forum requires it (forum/accounts/twostep.py)."""
    if not is_member(viewer):
        return False
    return viewer.is_coordinator or request_memo(("moderates-a-space", viewer.id), lambda: db.session.scalar(
        select(space_moderator.c.member_id).where(space_moderator.c.member_id == viewer.id).limit(1)) is not None)


def keeps_staff_out(space):
    """A collège-restricted space whose setting ``staff_reads`` is off: coordinators and
    administrators enter it only as members of the collège, never by their role."""
    return (space.visibility == VISIBILITY_RESTRICTED and not space.staff_reads
            and bool(space.allowed_colleges))


def can_moderate(viewer, space):
    """Coordinators moderate everywhere (but in a space that keeps staff out, unless the
    access lists let them in); space moderators in their spaces only."""
    if is_space_moderator(viewer, space):
        return True
    return is_coordinator(viewer) and (not keeps_staff_out(space) or _admitted(viewer, space))


def _admitted(viewer, space):
    """Do a restricted space's lists let ``viewer`` in? Every list that is set must.
    Only *granted* comité memberships count: a pending request opens nothing."""
    committees = {c.id for c in space.allowed_committees}
    colleges = {c.id for c in space.allowed_colleges}
    if not committees and not colleges:
        return False
    if committees and not committees & viewer.committee_ids:
        return False
    if colleges and not (viewer.college_confirmed and viewer.college_id in colleges):
        return False
    return True


def can_read_space(viewer, space):
    if space.visibility == VISIBILITY_PUBLIC:
        return True
    if not is_member(viewer):
        return False
    if space.visibility == VISIBILITY_MEMBERS or can_moderate(viewer, space):
        return True
    return _admitted(viewer, space)


def can_manage_committee(viewer, space):
    """Who decides for a comité (accepts or refuses requests, adds and removes members, sees
    its members' list): its space moderators and the coordination."""
    return space.kind == KIND_COMMITTEE and (is_coordinator(viewer) or is_space_moderator(viewer, space))


def can_decide_membership(viewer, request):
    """A request to join a comité is decided by who manages that comité; a collège
    confirmation by the coordination only. Nobody decides their own request."""
    if not is_member(viewer) or viewer.id == request.member_id:
        return False
    if request.space is not None:
        return can_manage_committee(viewer, request.space)
    return is_coordinator(viewer)


def readers_statement(space):
    """Who can read ``space``, staff included, in plain French (shown on its page and above its
    writing forms): the rule of ``can_read_space`` said in words."""
    if space.visibility == VISIBILITY_PUBLIC:
        return _("Lisible par : tout le monde, même sans compte.")
    if space.visibility == VISIBILITY_MEMBERS:
        return _("Lisible par : tous les membres connectés.")
    committees = ", ".join(f"« {c.name} »" for c in space.allowed_committees)
    colleges = ", ".join(f"« {c.name} »" for c in space.allowed_colleges)
    if committees and colleges:
        who = _("les membres de %(committees)s qui sont aussi membres confirmés du collège "
                "%(colleges)s", committees=committees, colleges=colleges)
    elif committees:
        who = _("les membres de %(committees)s", committees=committees)
    elif colleges:
        who = _("les membres confirmés du collège %(colleges)s", colleges=colleges)
    else:
        who = ""
    readers = _("Lisible par : %(who)s et les modérateurs de cet espace.", who=who) if who else \
        _("Lisible par : les modérateurs de cet espace.")
    staff = _("La coordination et les administrateurs n'y ont pas accès.") if keeps_staff_out(space) else \
        _("La coordination et les administrateurs y ont accès.")
    return f"{readers} {staff}"


def readable_spaces(viewer):
    """Every space ``viewer`` may read, in display order (computed once per request)."""
    def compute():
        spaces = db.session.scalars(select(Space).order_by(Space.position, Space.name).options(
            selectinload(Space.allowed_committees), selectinload(Space.allowed_colleges),
            selectinload(Space.moderators))).all()
        return [space for space in spaces if can_read_space(viewer, space)]
    return request_memo(("readable-spaces", viewer.id if is_member(viewer) else None), compute)


def readable_space_ids(viewer):
    return {space.id for space in readable_spaces(viewer)}


def can_read_topic(viewer, topic):
    return can_read_space(viewer, topic.space)


def can_read_post_text(viewer, post):
    """May ``viewer`` read the text of ``post`` (not just its placeholder)?"""
    if not can_read_topic(viewer, post.topic):
        return False
    if post.state == POST_VISIBLE:
        return True
    is_author = is_member(viewer) and viewer.id == post.author_id
    if post.state in (POST_HIDDEN, POST_PENDING):
        return is_author or can_moderate(viewer, post.topic.space)
    if post.state == POST_DELETED:
        return can_moderate(viewer, post.topic.space)
    return False


def can_see_post_author(viewer, post):
    """May ``viewer`` see who wrote ``post``? On a post hidden by moderation, only those who may
    read its text (its author, its moderators): the public moderation log names the member by
    an alias and links to the topic, where a name under the placeholder would undo the alias."""
    if post.state == POST_HIDDEN:
        return can_read_post_text(viewer, post)
    return can_see_post(viewer, post)


def can_see_post(viewer, post):
    """May ``viewer`` see that ``post`` exists (a placeholder at least)?"""
    if not can_read_topic(viewer, post.topic):
        return False
    if post.state == POST_PENDING:
        return can_read_post_text(viewer, post)
    return True


def why_cannot_post(viewer, space):
    """None if ``viewer`` may start topics in ``space``, else the reason, in French."""
    if not is_member(viewer):
        return _("Connectez-vous pour participer.")
    if not can_read_space(viewer, space):
        return _("Cet espace ne vous est pas ouvert.")
    if space.archived_at is not None:
        return _("Cet espace est archivé : on peut le lire, plus y écrire.")
    if viewer.is_silenced:
        return _("Votre compte est en lecture seule jusqu'au %(when)s.",
                 when=dates.format_datetime(viewer.silenced_until))
    if viewer.convention_signed_at is None:
        return _("Adhérez à la convention pour participer.")
    if not charter.has_accepted_current(viewer):
        return _("Une nouvelle version du règlement doit être acceptée avant de publier.")
    if space.kind == KIND_COMMITTEE and space.id not in viewer.committee_ids \
            and not can_moderate(viewer, space):
        return _("Demandez à rejoindre ce comité (dans vos préférences) pour y écrire.")
    return None


def why_cannot_reply(viewer, topic):
    reason = why_cannot_post(viewer, topic.space)
    if reason is None and not topic.is_open and not can_moderate(viewer, topic.space):
        reason = _("Ce sujet est fermé : il n'accepte plus de réponses.")
    return reason


def can_edit_post(viewer, post):
    """The author, on a post still shown. A read-only member too, but their edit may only take
    words out (``forum.topics.posting.removes_only``): their personal data must stay removable."""
    if not is_member(viewer):
        return False
    if viewer.id == post.author_id:
        return post.state in (POST_VISIBLE, POST_PENDING) and post.topic.space.archived_at is None
    return False


def can_edit_tags(viewer, topic):
    """A topic's tags: its moderators, and its author while they may write in its space. Nobody
    in an archived space (read-only)."""
    if not is_member(viewer) or not can_read_topic(viewer, topic) or topic.space.archived_at is not None:
        return False
    if can_moderate(viewer, topic.space):
        return True
    return viewer.id == topic.author_id and why_cannot_post(viewer, topic.space) is None


def can_delete_post(viewer, post):
    return is_member(viewer) and viewer.id == post.author_id and post.state in (POST_VISIBLE, POST_PENDING)


def can_download_attachment(viewer, attachment):
    """An attachment follows its post, or its private message; before either holds it, only its
    uploader sees it."""
    if attachment.conversation_message_id is not None:
        # The conversations' rule, registered by forum/conversations (it imports this module).
        return ask("may_read_conversation_message", viewer, attachment.conversation_message_id)
    if attachment.post_id is None:
        return is_member(viewer) and viewer.id == attachment.uploader_id
    return can_read_post_text(viewer, attachment.post)


# --- invitations ------------------------------------------------------------------------

def can_invite_to(viewer, committee):
    """Coordinators invite to every comité; a comité's moderators to their own comités only."""
    return committee.kind == KIND_COMMITTEE and (is_coordinator(viewer) or is_space_moderator(viewer, committee))


def moderates_a_committee(viewer):
    """Is ``viewer`` the moderator of at least one comité? Asked on every page by the menu
    (invitations, membership requests): one indexed query, once per request, rather than every
    space and its moderators."""
    if not is_member(viewer):
        return False
    return request_memo(("moderates-a-committee", viewer.id), lambda: db.session.scalar(
        select(space_moderator.c.space_id).join(Space)
        .where(space_moderator.c.member_id == viewer.id, Space.kind == KIND_COMMITTEE).limit(1)) is not None)


def can_invite(viewer):
    """May ``viewer`` invite at all (open the invitations page)? The coordination, and the
    moderators of a comité (who always read it: ``can_invite_to``)."""
    return is_coordinator(viewer) or moderates_a_committee(viewer)


def can_manage_invitation(viewer, invitation):
    """See, resend and revoke an invitation: the coordination, a moderator of one of its
    comités, its inviter while they may still invite."""
    if is_coordinator(viewer):
        return True
    if any(can_invite_to(viewer, committee) for committee in invitation.committees):
        return True
    return is_member(viewer) and invitation.inviter_id == viewer.id and can_invite(viewer)


# --- the rules packages add -------------------------------------------------------------

RULES = "agora_permission_rules"   # app.extensions[RULES]: {rule name: function(viewer, ...)}


def register_rules(app, rules):
    """Make a package's rules askable through ``ask``: a module (the names in its ``__all__``)
    or a mapping {name: function}. A name is registered once: no package overrides another's
    rule, nor the core's."""
    items = rules.items() if isinstance(rules, Mapping) else ((name, getattr(rules, name)) for name in rules.__all__)
    registry = app.extensions.setdefault(RULES, {})
    for name, rule in items:
        if registry.get(name, rule) is not rule or name in globals():
            raise RuntimeError(f"permission rule {name!r} is already defined")
        registry[name] = rule


def ask(rule, viewer, *args, **kwargs):
    """What the rule a package registered under ``rule`` answers; ``False`` when no package did."""
    registered = current_app.extensions.get(RULES, {}).get(rule)
    return bool(registered(viewer, *args, **kwargs)) if registered is not None else False
