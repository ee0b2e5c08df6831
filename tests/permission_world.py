"""A small forum in which every "who cannot" of the permission rules has someone to refuse.

Built once per test module and database backend (``tests/test_permission_rules.py`` only reads
it), so that a table of a hundred rows stays fast enough to run under mutation testing. Every
row is named: ``load("bob")`` gives the row of that name in the current session.
"""
import shutil
from datetime import datetime, timedelta

from flask_login import AnonymousUserMixin
from sqlalchemy import update

from forum import create_app
from forum.accounts import membership
from forum.accounts.invitation_models import Invitation
from forum.accounts.models import Member
from forum.clock import now
from forum.conversations.models import Conversation, ConversationMessage, ConversationParticipant
from forum.extensions import db
from forum.topics.attachments import Attachment
from forum.topics.models import Post, Space, Topic
from moderation.models import Decision

from .conftest import _truncate_all, base_config, close_app
from .helpers import Forum

# A fixed date, so that the read-only message is compared word for word.
SILENCED_UNTIL = datetime(2099, 1, 2, 3, 4)


class World:
    def __init__(self, app):
        self.app = app
        self.forum = Forum(app)
        self.rows = {}   # name: (model, id)

    def keep(self, name, row):
        self.rows[name] = (type(row), row.id)
        return row

    def load(self, name):
        """The row called ``name`` in the current session; ``anonymous`` is ``None`` (what
        background jobs pass), ``anonymous_user`` what Flask-Login gives a visitor."""
        if name == "anonymous":
            return None
        if name == "anonymous_user":
            return AnonymousUserMixin()
        if name == "not_a_user":
            return object()   # no is_authenticated at all: still nobody
        if name == "archived_post":
            # A state no rule knows (none is stored so): no one reads what it might be.
            reply = self.load("bob_reply")
            return Post(topic=reply.topic, author_id=reply.author_id, state="archived", number=99)
        if name == "archived":
            # An archived public space (kept out of the session: the world's lists stay as they are).
            return Space(name="Archivé", slug="archive", kind="theme", visibility="public", archived_at=now())
        if name == "r_two":
            # Two comités and two collèges on its lists (kept out of the session, as above).
            return Space(name="Deux listes", slug="deux-listes", kind="theme", visibility="restricted",
                         staff_reads=True, allowed_committees=[self.load("c13"), self.load("c83")],
                         allowed_colleges=[self.load("col_a"), self.load("col_b")])
        if name == "t_archived":
            return Topic(space=self.load("archived"), author_id=self.rows["alice"][1], title="Un sujet archivé")
        model, id_ = self.rows[name]
        return db.session.get(model, id_)

    def set(self, model, name, **values):
        with self.app.app_context():
            db.session.execute(update(model).where(model.id == self.rows[name][1]).values(**values))
            db.session.commit()


def open_app(backend, migrated, folder):
    """An app on a fresh, migrated database of its own, for a world that lives as long as a module."""
    template = migrated(backend)
    if backend == "sqlite":
        shutil.copyfile(template, folder / "agora.db")
        url = f"sqlite:///{folder / 'agora.db'}"
    else:
        url = template
    app = create_app(base_config(folder / "instance", url))
    if backend == "postgresql":
        with app.app_context():
            _truncate_all(app)
    return app


def open_world(backend, migrated, folder):
    world = World(open_app(backend, migrated, folder))
    build(world)
    return world


def close_world(world):
    close_app(world.app)


def build(w):
    f, keep = w.forum, w.keep
    f.charter()
    col_a, col_b = keep("col_a", f.college("Collège A")), keep("col_b", f.college("Collège B"))
    public = keep("public", f.space("Public"))
    keep("members", f.space("Membres", visibility="members"))
    # Same position as "Public": the name decides ("Membres" first), whatever the creation order.
    w.set(Space, "members", position=public.position)
    c13, c83 = keep("c13", f.committee("13")), keep("c83", f.committee("83"))
    r_c13 = keep("r_c13", f.space("Réservé au 13", visibility="restricted", committees=[c13]))
    r_college = keep("r_college", f.space("Réservé au collège A", visibility="restricted", colleges=[col_a]))
    keep("r_both", f.space("Réservé au 13 et au collège A", visibility="restricted", committees=[c13],
                           colleges=[col_a]))
    r_none = keep("r_none", f.space("Réservé sans liste", visibility="restricted"))
    # Keeps the coordination out: only the collège A (and its moderator) read it.
    r_sealed = keep("r_sealed", f.space("Réservé au collège A, sans la coordination", visibility="restricted",
                                        colleges=[col_a], staff_reads=False))

    member = lambda name, **kw: keep(name, f.member(name, **kw))   # noqa: E731
    alice, bob = member("alice", committees=[c13]), member("bob", committees=[c13])
    outsider = member("outsider")
    member("confirmed", college=col_a)
    member("unconfirmed", college=col_a, confirmed=False)
    member("other_college", college=col_b)
    member("both", college=col_a, committees=[c13])
    member("unsigned")
    member("stale", accept_charter=False)
    silenced, suspended = member("silenced", committees=[c13]), member("suspended", committees=[c13])
    member("was_suspended", suspended_until=now() - timedelta(days=1))
    eve, zoe = member("eve", committees=[c83]), member("zoe", college=col_a)
    member("decided_only", committees=[c13])
    coordinator = member("coordinator", role="coordinator")
    member("coord2", role="coordinator")
    member("sus_coord", role="coordinator")
    member("admin", role="admin")
    member("admin2", role="admin")
    mod13 = keep("mod13", f.moderator(c13, pseudonym="mod13", committees=[c13]))
    keep("mod13b", f.moderator(c13, pseudonym="mod13b", committees=[c13]))
    keep("mod83", f.moderator(c83, pseudonym="mod83"))   # not a member of the comité he moderates
    keep("mod_r", f.moderator(r_none, pseudonym="mod_r"))
    keep("sus_mod", f.moderator(c13, pseudonym="sus_mod", committees=[c13]))
    keep("mod_sealed", f.moderator(r_sealed, pseudonym="mod_sealed"))
    member("coord_a", role="coordinator", college=col_a)   # a coordinator who belongs to the collège A

    t_public = keep("t_public", f.topic(outsider, public))
    keep("public_post", f.opening(t_public))
    t13 = keep("t13", f.topic(alice, c13))
    keep("alice_opening", f.opening(t13))
    keep("bob_reply", f.reply(bob, t13))
    for name in ("bob_hidden", "bob_pending", "bob_deleted"):
        keep(name, f.reply(bob, t13))
    keep("suspended_post", f.reply(suspended, t13))
    keep("suspended_hidden", f.reply(suspended, t13))
    keep("silenced_post", f.reply(silenced, t13))
    keep("mod13_post", f.reply(mod13, t13))
    keep("coordinator_post", f.reply(coordinator, t13))
    keep("t13_closed", f.topic(alice, c13))
    keep("public_closed", f.topic(outsider, public))
    keep("eve_post", f.opening(keep("t83", f.topic(eve, c83))))
    keep("rc13_post", f.opening(keep("t_rc13", f.topic(alice, r_c13))))
    keep("rcollege_post", f.opening(f.topic(zoe, r_college)))

    for name, state in (("bob_hidden", "hidden"), ("bob_pending", "pending"), ("bob_deleted", "deleted"),
                        ("suspended_hidden", "hidden")):
        w.set(Post, name, state=state)
    for name in ("t13_closed", "public_closed"):
        w.set(Topic, name, status="closed")

    with w.app.app_context():
        # Requests: the outsider asked to join the comité 13; the unconfirmed member's collège waits.
        req13 = membership.request_committee(db.session.get(Member, outsider.id), db.session.get(Space, c13.id), "?")
        w.rows["req13"] = (type(req13), req13.id)
        unconfirmed = w.load("unconfirmed")
        membership.request_college(unconfirmed, unconfirmed.college)
        db.session.commit()
        w.rows["req_college"] = (type(req13), membership.pending_of(unconfirmed)[0].id)

        def attachment(name, uploader, post=None, message=None):
            row = Attachment(key=name, stored_name=name, filename=f"{name}.pdf", content_type="application/pdf",
                             size=1, uploader_id=uploader.id, post_id=w.rows[post][1] if post else None,
                             conversation_message_id=message.id if message else None)
            db.session.add(row)
            db.session.flush()
            w.rows[name] = (Attachment, row.id)
        attachment("att_unposted", alice)
        attachment("att_unposted_suspended", suspended)
        attachment("att_visible", bob, "bob_reply")
        attachment("att_rc13", alice, "rc13_post")
        attachment("att_hidden", bob, "bob_hidden")
        # A file joined to a private message between Alice and Bob (forum/conversations/).
        conversation = Conversation(title="Entre Alice et Bob", author_id=alice.id, message_count=1)
        conversation.participants += [ConversationParticipant(member_id=alice.id),
                                      ConversationParticipant(member_id=bob.id)]
        message = ConversationMessage(conversation=conversation, number=1, author_id=alice.id, source="Pièce",
                                      html="<p>Pièce</p>")
        db.session.add_all([conversation, message])
        db.session.flush()
        attachment("att_message", alice, message=message)

        def decision(name, moderator, concerned, space, action="hide"):
            row = Decision(action=action, moderator_id=w.rows[moderator][1], member_id=w.rows[concerned][1],
                           space_id=w.rows[space][1] if space else None, topic_title="Sujet")
            db.session.add(row)
            db.session.flush()
            w.rows[name] = (Decision, row.id)
        decision("dec13", "mod13", "bob", "c13")
        decision("dec_about_mod", "mod13", "mod13b", "c13")
        decision("dec_site", "coordinator", "bob", None)
        decision("dec_rcollege", "coordinator", "zoe", "r_college")
        decision("dec_decided_only", "mod13", "decided_only", "c13")
        # About a member in a space they cannot read (they have left the comité since).
        decision("dec_lost", "coordinator", "outsider", "r_c13")
        # A withdrawn version: only the coordination, who alone reads the text, reviews its appeal.
        decision("dec_redact", "mod13", "bob", "c13", action="redact")

        def invitation(name, inviter, committees):
            row = Invitation(email=f"{name}@exemple.fr", inviter_id=w.rows[inviter][1],
                             expires_at=now() + timedelta(days=14),
                             committees=[db.session.get(Space, w.rows[c][1]) for c in committees])
            db.session.add(row)
            db.session.flush()
            w.rows[name] = (Invitation, row.id)
        invitation("inv13", "coordinator", ["c13"])
        invitation("inv83", "mod83", ["c83"])
        invitation("inv_none", "coord2", [])
        invitation("inv_by_alice", "alice", [])            # an inviter who may no longer invite
        invitation("inv13_by_mod83", "mod83", ["c13"])     # sent when mod83 still moderated the 13
        db.session.commit()

    # Last, once they wrote: suspension and read-only only limit what comes after.
    later = now() + timedelta(days=30)
    for name in ("suspended", "sus_coord", "sus_mod"):
        w.set(Member, name, suspended_until=later)
    w.set(Member, "silenced", silenced_until=SILENCED_UNTIL)
    w.set(Member, "unsigned", convention_signed_at=None)
