"""Who may read, write, review, approve, publish and export a synthesis: the syntheses' part of
``forum/permissions.py``. Every path out (page, export, search, digest, capitalisation, the
« cité dans » notes of topics) asks these.

- A **published** synthesis is read by who reads its space (its last published version).
- Before that, a **draft** is read by its editors and the space's moderators (the coordination
  included); **in review** and **approved**, by the members who may write in the space.
- Its **editors**: its author, the members invited, the space's moderators and the coordination.
"""
from flask_babel import gettext as _

from forum import permissions
from forum.topics.models import VISIBILITY_MEMBERS, VISIBILITY_PUBLIC

from .models import DRAFT, PUBLISHED


def is_editor(viewer, synthesis):
    if not permissions.is_member(viewer):
        return False
    if permissions.can_moderate(viewer, synthesis.space):
        return permissions.can_read_space(viewer, synthesis.space)
    if not permissions.can_read_space(viewer, synthesis.space):
        return False
    return any(editor.member_id == viewer.id for editor in synthesis.editors)


def can_read_working_text(viewer, synthesis):
    """The text being written (every status but the published versions)."""
    if is_editor(viewer, synthesis):
        return True
    if synthesis.status == DRAFT:
        return False
    return permissions.why_cannot_post(viewer, synthesis.space) is None


def can_read(viewer, synthesis):
    """May ``viewer`` know this synthesis exists and read one of its texts?"""
    if synthesis.is_published and permissions.can_read_space(viewer, synthesis.space):
        return True
    return can_read_working_text(viewer, synthesis)


def why_cannot_start(viewer, space):
    """None if ``viewer`` may start a synthesis in ``space`` (who may start a topic there)."""
    return permissions.why_cannot_post(viewer, space)


def why_cannot_edit(viewer, synthesis):
    if not is_editor(viewer, synthesis):
        return _("Seuls ses rédacteurs, les modérateurs de l'espace et la coordination modifient cette synthèse.")
    if synthesis.space.is_archived:
        return _("Cet espace est archivé : on peut le lire, plus y écrire.")
    if viewer.is_silenced:
        return _("Votre compte est en lecture seule pour le moment.")
    return None


def can_comment(viewer, synthesis):
    """Members of the space comment while it is in review."""
    return (synthesis.status not in (DRAFT, PUBLISHED) and permissions.why_cannot_post(viewer, synthesis.space) is None)


def can_invite(viewer, synthesis):
    return permissions.is_member(viewer) and (viewer.id == synthesis.author_id
                                              or permissions.can_moderate(viewer, synthesis.space))


def can_approve(viewer, synthesis):
    """Approving (by their own act, or by asking the comité's consent), publishing and
    transmitting to the HCTS are the comité's acts: its moderators and the coordination."""
    return permissions.is_member(viewer) and permissions.can_moderate(viewer, synthesis.space) \
        and permissions.can_read_space(viewer, synthesis.space)


def audience_within(post_space, synthesis_space):
    """Is every reader of ``synthesis_space`` also a reader of ``post_space``? Then a post of
    ``post_space`` may be quoted in a synthesis of ``synthesis_space`` without showing it wider.
    Same space, a public one, or a members-only one quoted in a space that is not public."""
    if post_space.id == synthesis_space.id or post_space.visibility == VISIBILITY_PUBLIC:
        return True
    return post_space.visibility == VISIBILITY_MEMBERS and synthesis_space.visibility != VISIBILITY_PUBLIC
