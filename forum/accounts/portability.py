"""What a member's data archive holds ("Mes données", RGPD rights of access and portability).

``write_archive(member, fileobj)`` writes a zip: one JSON file per section, the files the member
uploaded (when small), and ``index.html``, the same in French, readable without any program.

The archive joins the permission checks: it holds what the member may read today and nothing
of other members beyond that (a pseudonym they could see, never an address). A post of theirs
in a space no longer open to them, or deleted (whose text only moderators read), is listed
without its text.

Sections: the core's below; packages add theirs (moderation: reports made, decisions about
the member) with ``register_section(app, …)``, kept on the app's registry.
"""
import json
import os
import zipfile
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import force_locale, gettext as _, lazy_gettext
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from forum import registry
from forum.charter.models import CharterAcceptance, CharterVersion
from forum.clock import now
from forum.extensions import db
from forum.notifications import preferences
from forum.permissions import can_download_attachment, can_read_post_text, can_read_topic
from forum.topics.attachments import Attachment, clean_filename
from forum.topics.drafts import Draft
from forum.topics.models import Post, PostRevision, Topic

from . import blocking
from .sessions import sessions_of

ATTACHMENT_FOLDER = "pieces-jointes"


@dataclass(frozen=True)
class Section:
    """One file of the archive: ``<name>.json``, titled ``title`` in ``index.html``.

    ``collect(member)`` returns a dict or a list of dicts (JSON-ready: dates as ISO strings);
    ``labels`` names their keys in French for the readable page."""
    name: str
    title: object
    collect: object
    labels: dict


def register_section(app, name, title, collect, labels):
    """A package adds a section to every member's archive (after the core's)."""
    registry.of(app).export_sections.append(Section(name, title, collect, labels))


def iso(moment):
    return moment.isoformat(timespec="seconds") + "Z" if moment is not None else None


# --- the core's sections ------------------------------------------------------------------------

def _profile(member):
    mail = preferences.get(member.id)
    return {
        "pseudonym": member.pseudonym, "email": member.email, "bio": member.bio,
        "college": member.college.name if member.college else None, "college_confirmed": member.college_confirmed,
        "show_college": member.show_college, "committees": [space.name for space in member.committees],
        "role": member.role, "locale": member.locale, "created_at": iso(member.created_at),
        "email_confirmed_at": iso(member.email_confirmed_at), "last_seen_at": iso(member.last_seen_at),
        "silenced_until": iso(member.silenced_until), "suspended_until": iso(member.suspended_until),
        "email_mode": mail.email_mode, "weekly_digest": mail.digest,
        "refuses_messages": member.refuses_messages,
        "college_mentions": bool(mail.college_mentions),
    }


def _consents(member):
    accepted = db.session.execute(
        select(CharterVersion.number, CharterVersion.title, CharterAcceptance.accepted_at)
        .join(CharterAcceptance, CharterAcceptance.version_id == CharterVersion.id)
        .where(CharterAcceptance.member_id == member.id).order_by(CharterAcceptance.accepted_at)).all()
    rows = [{"what": _("Adhésion à la convention"), "version": None, "at": iso(member.convention_signed_at)}]
    return rows + [{"what": _("Acceptation du règlement : %(title)s", title=title), "version": number,
                    "at": iso(at)} for number, title, at in accepted]


def _revision(member, revision):
    own = revision.editor_id == member.id
    return {"number": revision.number, "at": iso(revision.created_at), "title": revision.title,
            "text": revision.source, "note": revision.note,
            "edited_by": member.pseudonym if own else _("la modération")}


def _posts(member):
    posts = db.session.scalars(select(Post).join(Topic, Topic.id == Post.topic_id).options(contains_eager(Post.topic))
                               .where(Post.author_id == member.id).order_by(Post.created_at, Post.id)).all()
    revisions = {}
    for revision in db.session.scalars(select(PostRevision).join(Post, Post.id == PostRevision.post_id)
                                       .where(Post.author_id == member.id).order_by(PostRevision.number)):
        revisions.setdefault(revision.post_id, []).append(revision)
    rows = []
    for post in posts:
        row = {"id": post.id, "created_at": iso(post.created_at), "state": post.state}
        if can_read_post_text(member, post):
            row.update(topic=post.topic.title, space=post.topic.space.name, number=post.number,
                       url=f"/message/{post.id}", edited_at=iso(post.edited_at), text=post.source,
                       revisions=[_revision(member, r) for r in revisions.get(post.id, [])])
        else:
            row["text"] = None
            row["note"] = _("Texte non inclus : ce message est supprimé, ou son espace ne vous est plus ouvert.")
        rows.append(row)
    return rows


def _drafts(member):
    rows = []
    for draft in db.session.scalars(select(Draft).where(Draft.member_id == member.id).order_by(Draft.updated_at)):
        kind, _dash, ident = draft.key.partition("-")
        topic = db.session.get(Topic, int(ident)) if kind == "topic" and ident.isdigit() else None
        where = topic.title if topic is not None and can_read_topic(member, topic) else None
        rows.append({"topic": where, "title": draft.title, "text": draft.body, "updated_at": iso(draft.updated_at)})
    return rows


def _attachments(member):
    rows = []
    for attachment in db.session.scalars(select(Attachment).where(Attachment.uploader_id == member.id)
                                         .order_by(Attachment.created_at, Attachment.id)):
        readable = can_download_attachment(member, attachment)
        rows.append({"id": attachment.id, "filename": attachment.filename, "type": attachment.content_type,
                     "size": attachment.size, "created_at": iso(attachment.created_at),
                     "post_id": attachment.post_id if readable else None,
                     "file": archived_name(attachment) if _includes_file(member, attachment) else None})
    return rows


def _sessions(member):
    return [{"device": s.device, "created_at": iso(s.created_at), "last_seen_at": iso(s.last_seen_at)}
            for s in sessions_of(member)]


LABELS = {
    "pseudonym": lazy_gettext("Pseudonyme"), "email": lazy_gettext("Adresse électronique"),
    "bio": lazy_gettext("Présentation"), "college": lazy_gettext("Collège"),
    "college_confirmed": lazy_gettext("Collège confirmé"), "show_college": lazy_gettext("Collège affiché"),
    "committees": lazy_gettext("Comités"), "role": lazy_gettext("Rôle"), "locale": lazy_gettext("Langue"),
    "created_at": lazy_gettext("Créé le"), "email_confirmed_at": lazy_gettext("Adresse confirmée le"),
    "last_seen_at": lazy_gettext("Dernière activité"), "silenced_until": lazy_gettext("Lecture seule jusqu'au"),
    "suspended_until": lazy_gettext("Suspendu jusqu'au"), "email_mode": lazy_gettext("Courriels de notification"),
    "weekly_digest": lazy_gettext("Résumé hebdomadaire"),
    "college_mentions": lazy_gettext("Mentionnable avec @college-…"), "what": lazy_gettext("Consentement"),
    "version": lazy_gettext("Version"), "at": lazy_gettext("Date"), "id": lazy_gettext("Identifiant"),
    "state": lazy_gettext("État"), "topic": lazy_gettext("Sujet"), "space": lazy_gettext("Espace"),
    "number": lazy_gettext("Numéro dans le sujet"), "url": lazy_gettext("Adresse"), "edited_at": lazy_gettext("Modifié le"),
    "text": lazy_gettext("Texte"), "note": lazy_gettext("Remarque"), "revisions": lazy_gettext("Versions"),
    "title": lazy_gettext("Titre"), "edited_by": lazy_gettext("Modifié par"),
    "updated_at": lazy_gettext("Enregistré le"), "filename": lazy_gettext("Nom du fichier"),
    "type": lazy_gettext("Type"), "size": lazy_gettext("Taille (octets)"), "post_id": lazy_gettext("Message"),
    "file": lazy_gettext("Fichier dans l'archive"), "device": lazy_gettext("Appareil"),
    "refuses_messages": lazy_gettext("Messages privés refusés"),
}

CORE_SECTIONS = (
    Section("profil", lazy_gettext("Profil, comités, collège et réglages"), _profile, LABELS),
    Section("consentements", lazy_gettext("Consentements"), _consents, LABELS),
    Section("messages", lazy_gettext("Messages et leurs versions"), _posts, LABELS),
    Section("brouillons", lazy_gettext("Brouillons"), _drafts, LABELS),
    Section("pieces-jointes", lazy_gettext("Pièces jointes envoyées"), _attachments, LABELS),
    Section("sessions", lazy_gettext("Sessions (appareils connectés)"), _sessions, LABELS),
    Section("membres-bloques", lazy_gettext("Membres que vous avez bloqués"), blocking.archived, LABELS),
)


def sections():
    return CORE_SECTIONS + tuple(registry.of().export_sections)


# --- the files ------------------------------------------------------------------------------

def archived_name(attachment):
    return f"{ATTACHMENT_FOLDER}/{attachment.id}-{clean_filename(attachment.filename) or 'fichier'}"


def _includes_file(member, attachment):
    return (can_download_attachment(member, attachment)
            and attachment.size <= current_app.config["EXPORT_ATTACHMENT_BYTES"]
            and os.path.exists(attachment.path()))


def post_count(member):
    return db.session.scalar(select(db.func.count(Post.id)).where(Post.author_id == member.id)) or 0


def collect(member):
    """{section name: its content}, in the archive's order."""
    with force_locale("fr"):
        return {section.name: section.collect(member) for section in sections()}


def write_archive(member, fileobj):
    """Write ``member``'s archive, a zip, to ``fileobj`` (a file or a BytesIO)."""
    content = collect(member)
    with zipfile.ZipFile(fileobj, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in content.items():
            archive.writestr(f"{name}.json", json.dumps(data, ensure_ascii=False, indent=2))
        for attachment in db.session.scalars(select(Attachment).where(Attachment.uploader_id == member.id)):
            if _includes_file(member, attachment):
                archive.write(attachment.path(), archived_name(attachment))
        archive.writestr("index.html", _readable_page(member, content))


# The readable page says coded values in words (the JSON files keep the codes, for programs).
WORDS = {
    ("profil", "role"): {"member": lazy_gettext("membre"), "coordinator": lazy_gettext("coordination"),
                         "admin": lazy_gettext("administration")},
    ("profil", "email_mode"): preferences.MODE_LABELS,
    ("messages", "state"): {"visible": lazy_gettext("publié"), "deleted": lazy_gettext("supprimé"),
                            "hidden": lazy_gettext("masqué par la modération"),
                            "pending": lazy_gettext("en attente de validation"),
                            "removed": lazy_gettext("retiré")},
}


def _readable_time(value):
    """"2026-11-16T09:39:10Z" as the pages say it ("16 nov. 2026 à 10:39"), else None."""
    if not (isinstance(value, str) and len(value) == 20 and value[10] == "T" and value.endswith("Z")):
        return None
    try:
        moment = datetime.fromisoformat(value[:-1])
    except ValueError:
        return None
    return current_app.jinja_env.filters["datetime"](moment)


def _readable_page(member, content):
    """index.html: every section in French, plain HTML (no script, no outside resource)."""
    with force_locale("fr"):
        template = current_app.jinja_env.get_template("data_export/archive_index.html")
        return template.render(member=member, made_at=_readable_time(iso(now())), content=content,
                               sections=[s for s in sections() if s.name in content], _=_,
                               when=_readable_time, words=WORDS)

