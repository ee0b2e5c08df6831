"""A member blocks another, or refuses private messages (issue 21, « Sécurité »).

**Blocking** (``block``, ``unblock``): whoever a member blocked no longer reaches them. Their
mentions, quotes, replies and every notification of which they are the actor are not made for
the blocker (forum/notifications/notifying.py asks ``blockers_of``), and private conversations
ask ``why_cannot_message`` before a message goes. A member may block anyone but themselves,
moderators and coordinators included: what they write as themselves is blocked like anyone's;
what the moderation and the coordination send as such still reaches the member (moderation
notices, ``KIND_NOTICE``; announcements to all members; group inboxes « Écrire à la
coordination »): a block is no way out of moderation.

Unlike Discourse's "ignore", a block hides nothing from the blocker's pages: the blocked
member's posts stay in the topics, the home page and the search (a thread with holes would
read wrong, and the blocker may still want to know what was said). Only what *reaches* the
blocker stops. The blocked member is not told.

**Refusing private messages** (``set_refuses_messages``): nobody may start or write in a private
conversation with the member, but the moderators (of any space) and the coordination.

Both go with the account: erasure deletes the blocks both ways (cascading keys,
forum/accounts/erasure.py) and resets the refusal; the data archive lists whom the member
blocked and the refusal (forum/accounts/portability.py).
"""
from flask_babel import gettext as _
from sqlalchemy import delete, select

from forum.clock import now
from forum.errors import Invalid, NotFound
from forum.extensions import db
from forum.permissions import holds_a_role

from .models import Member, MemberBlock


def _id(member_or_id):
    return member_or_id if isinstance(member_or_id, int) or member_or_id is None else member_or_id.id


def has_blocked(blocker, blocked):
    """Has ``blocker`` blocked ``blocked``? Each a ``Member`` or an id; None: never."""
    blocker_id, blocked_id = _id(blocker), _id(blocked)
    if blocker_id is None or blocked_id is None:
        return False
    return db.session.get(MemberBlock, (blocker_id, blocked_id)) is not None


def blocked_ids(member):
    """The ids of the members ``member`` (a ``Member`` or an id) blocked."""
    return set(db.session.scalars(select(MemberBlock.blocked_id).where(MemberBlock.blocker_id == _id(member))))


def blockers_of(member_ids, actor_id):
    """Those of ``member_ids`` who blocked ``actor_id``: the members a notification whose actor
    is ``actor_id`` must not reach. One query, whatever the number of ids."""
    member_ids = {i for i in member_ids if i is not None}
    if actor_id is None or not member_ids:
        return set()
    return set(db.session.scalars(select(MemberBlock.blocker_id).where(
        MemberBlock.blocked_id == _id(actor_id), MemberBlock.blocker_id.in_(member_ids))))


def blocked_members(member):
    """The members ``member`` blocked, by pseudonym, for their preferences page."""
    return db.session.scalars(select(Member).join(MemberBlock, MemberBlock.blocked_id == Member.id)
                              .where(MemberBlock.blocker_id == _id(member)).order_by(Member.pseudonym_key)).all()


def _other(member, other):
    found = db.session.get(Member, _id(other)) if other is not None else None
    if found is None:
        raise NotFound(_("Ce membre n'existe pas."))
    if found.id == member.id:
        raise Invalid(_("Vous ne pouvez pas vous bloquer vous-même."))
    return found


def block(member, other):
    """``member`` blocks ``other`` (a ``Member`` or an id); blocking twice changes nothing.
    Commits; returns ``other``. Raises ``Invalid`` for oneself, ``NotFound`` for no one."""
    other = _other(member, other)
    if not has_blocked(member, other):
        db.session.add(MemberBlock(blocker_id=member.id, blocked_id=other.id, created_at=now()))
    db.session.commit()
    return other


def unblock(member, other):
    """``member`` no longer blocks ``other``: their notifications reach ``member`` again (not the
    ones missed meanwhile). Unblocking someone not blocked changes nothing. Commits; returns ``other``."""
    other = _other(member, other)
    db.session.execute(delete(MemberBlock).where(MemberBlock.blocker_id == member.id,
                                                 MemberBlock.blocked_id == other.id))
    db.session.commit()
    return other


def set_refuses_messages(member, refuses):
    """``member`` refuses (True) or accepts (False) private messages. Commits."""
    member.refuses_messages = bool(refuses)
    db.session.commit()


def why_cannot_message(sender, recipient):
    """None if ``sender`` may write privately to ``recipient``, else why, for the sender.

    A block stops everyone, staff included (what they write as themselves); a refusal lets the
    moderators and the coordination through. Group inboxes (writing as « la coordination ») are
    not personal messages: they do not ask here."""
    if has_blocked(recipient, sender):
        return _("%(pseudonym)s ne reçoit pas vos messages privés.", pseudonym=recipient.pseudonym)
    if recipient.refuses_messages and not holds_a_role(sender):
        return _("%(pseudonym)s refuse les messages privés. Pour une question de modération, "
                 "écrivez à la coordination.", pseudonym=recipient.pseudonym)
    return None


def archived(member):
    """The data archive's section: whom ``member`` blocked, and since when."""
    rows = db.session.execute(select(Member.pseudonym, MemberBlock.created_at)
                              .join(MemberBlock, MemberBlock.blocked_id == Member.id)
                              .where(MemberBlock.blocker_id == member.id).order_by(MemberBlock.created_at)).all()
    return [{"pseudonym": pseudonym, "at": at.isoformat(timespec="seconds") + "Z"} for pseudonym, at in rows]
