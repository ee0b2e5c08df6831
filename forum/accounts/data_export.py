"""Asking for one's data archive: at once when small, in the background when large.

A member with at most ``FORUM_EXPORT_BACKGROUND_POSTS`` posts gets the zip in the answer to
their request. Past that, a thread of the web process writes it into the instance folder
(``exports/``) and emails a link valid ``LINK_DAYS`` days: the link leads to a page with a
button (mail scanners open links), works only for that member, logged in, and once; the file
is deleted when downloaded or when the link expires (``purge_expired``, run by every request
for an archive, by the "Mes données" page and by ``flask accounts purge``).

One request at a time, at most ``FORUM_EXPORT_PER_DAY`` a day (counted in the database, so
every process counts the same).
"""
import hashlib
import hmac
import io
import logging
import os
import secrets
import smtplib
import threading
import time
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import Column, DateTime, ForeignKey, Index, Integer, String, func, select
from sqlalchemy.orm import relationship

from forum.clock import now
from forum.errors import Conflict, Forbidden, Refused
from forum.extensions import db
from forum.notifications import mail
from forum.permissions import is_member

from . import portability
from .models import Member

log = logging.getLogger(__name__)

PREPARING = "preparing"
READY = "ready"
DELIVERED = "delivered"
EXPIRED = "expired"
FAILED = "failed"

LINK_DAYS = 7
# A preparation older than this died with its process: it no longer blocks a new request.
STALE_AFTER = timedelta(hours=1)
SALT = "agora-mes-donnees"


class DataExport(db.Model):
    """One request for an archive; the file itself, when prepared in the background, lies in
    ``<instance>/exports/<stored_name>`` until downloaded or expired."""
    __tablename__ = "data_export"
    __page_cache__ = "private"   # public pages never show it (forum/web/page_cache.py)

    id = Column(Integer, primary_key=True)
    member_id = Column(ForeignKey("member.id", ondelete="CASCADE"), nullable=False)
    state = Column(String(20), nullable=False, default=PREPARING)
    created_at = Column(DateTime, nullable=False, default=now)
    ready_at = Column(DateTime, nullable=True)
    expires_at = Column(DateTime, nullable=True)
    stored_name = Column(String(80), nullable=True)
    size = Column(Integer, nullable=True)
    # sha256 of the emailed link's token: a copy of this table downloads nothing.
    token_hash = Column(String(64), nullable=True)

    member = relationship(Member)

    __table_args__ = (Index("ix_data_export_member_created", "member_id", "created_at"),)

    def path(self):
        return os.path.join(folder(), self.stored_name) if self.stored_name else None


@dataclass
class Answer:
    """What became of a request: the archive itself (``data``), or a background preparation."""
    data: bytes | None = None
    filename: str = ""
    export: DataExport | None = None


def folder():
    return os.path.join(current_app.instance_path, "exports")


def archive_filename(moment=None):
    return f"agora-mes-donnees-{(moment or now()):%Y-%m-%d}.zip"


def _digest(token):
    return hashlib.sha256(token.encode()).hexdigest()


def _serializer():
    return URLSafeTimedSerializer(current_app.secret_key, salt=SALT)


# --- asking ------------------------------------------------------------------------------

def latest(member):
    return db.session.scalars(select(DataExport).where(DataExport.member_id == member.id)
                              .order_by(DataExport.created_at.desc(), DataExport.id.desc()).limit(1)).first()


def why_cannot_request(member):
    """None if ``member`` may ask for an archive now, else the refusal (409 or 429)."""
    moment = now()
    preparing = db.session.scalar(select(DataExport.id).where(
        DataExport.member_id == member.id, DataExport.state == PREPARING,
        DataExport.created_at > moment - STALE_AFTER))
    if preparing is not None:
        return Conflict(_("Votre archive est déjà en préparation : vous recevrez un courriel dès qu'elle sera prête."))
    today = db.session.scalar(select(func.count(DataExport.id)).where(
        DataExport.member_id == member.id, DataExport.state != FAILED,
        DataExport.created_at > moment - timedelta(days=1)))
    limit = current_app.config["EXPORT_PER_DAY"]
    if today >= limit:
        return Refused(_("Vous avez déjà demandé vos données %(n)s fois en 24 heures : réessayez demain.",
                         n=limit), 429)
    return None


def request_archive(member):
    """``member`` asks for their archive: an ``Answer`` with the zip, or with the background
    preparation started (an email follows). Commits."""
    if not is_member(member):
        raise Forbidden(_("Connectez-vous pour demander vos données."))
    purge_expired()
    refusal = why_cannot_request(member)
    if refusal is not None:
        raise refusal
    moment = now()
    if portability.post_count(member) > current_app.config["EXPORT_BACKGROUND_POSTS"]:
        export = DataExport(member_id=member.id, created_at=moment)
        db.session.add(export)
        db.session.commit()
        start_preparation(current_app._get_current_object(), export.id)
        return Answer(export=export)
    # Written before the row is added: the archive only reads, and holds no write lock (SQLite).
    buffer = io.BytesIO()
    portability.write_archive(member, buffer)
    db.session.add(DataExport(member_id=member.id, created_at=moment, state=DELIVERED, ready_at=now(),
                              size=buffer.tell()))
    db.session.commit()
    return Answer(data=buffer.getvalue(), filename=archive_filename(moment))


# --- the background preparation ----------------------------------------------------------

def start_preparation(app, export_id):
    """Prepare the archive in a thread of this process (kept on the app, so tests can join it)."""
    thread = threading.Thread(target=_run, args=(app, export_id), name="agora-data-export", daemon=True)
    threads = app.extensions.setdefault("agora_export_threads", [])
    threads[:] = [t for t in threads if t.is_alive()] + [thread]
    thread.start()
    return thread


def _run(app, export_id):
    with app.app_context():
        try:
            prepare(export_id)
        except Exception:
            log.exception("data export %s failed", export_id)
            db.session.rollback()
            export = db.session.get(DataExport, export_id)
            if export is not None:
                export.state = FAILED
                db.session.commit()
        finally:
            db.session.remove()


def prepare(export_id):
    """Write the archive to the instance folder, then email its link. Commits."""
    export = db.session.get(DataExport, export_id)
    member = export.member
    os.makedirs(folder(), exist_ok=True)
    # Nothing is changed in the session until the file is written: the archive only reads,
    # and holds no write lock meanwhile (SQLite).
    stored_name = secrets.token_hex(16) + ".zip"
    path = os.path.join(folder(), stored_name)
    with open(path + ".part", "wb") as handle:
        portability.write_archive(member, handle)
        size = handle.tell()
    os.replace(path + ".part", path)
    export.stored_name, export.size = stored_name, size
    token = _serializer().dumps({"x": export.id, "m": member.id, "n": secrets.token_hex(8)})
    moment = now()
    export.token_hash, export.state = _digest(token), READY
    export.ready_at, export.expires_at = moment, moment + timedelta(days=LINK_DAYS)
    db.session.commit()
    _send_link(member, token, export.expires_at)


def _send_link(member, token, expires_at):
    _ = mail.gettext_for(member.locale)
    subject = "[Agora] " + _("Votre archive de données est prête")
    text, html = mail.render("data_export_ready", locale=member.locale, member=member, subject=subject,
                             url=mail.absolute_url("data_export.download", token=token), days=LINK_DAYS,
                             expires_at=expires_at)
    try:
        with mail.transport() as transport:
            transport.send(mail.build(member, subject, text, html, category="donnees"))
    except (OSError, smtplib.SMTPException):
        # The archive stays ready: the member also finds it on "Mes données".
        log.exception("data export email to member %s not sent", member.id)


# --- downloading -------------------------------------------------------------------------

def find_ready(member, token):
    """The ready export the emailed ``token`` names, if it is ``member``'s and still there."""
    try:
        data = _serializer().loads(token or "", max_age=LINK_DAYS * 24 * 3600)
    except SignatureExpired:
        raise Refused(_("Ce lien a expiré : demandez une nouvelle archive depuis « Mes données »."), 410) from None
    except BadSignature:
        raise Refused(_("Ce lien de téléchargement n'est pas valable."), 404) from None
    export = db.session.get(DataExport, data.get("x")) if isinstance(data, dict) and \
        isinstance(data.get("x"), int) else None
    if export is None or export.token_hash is None or not hmac.compare_digest(export.token_hash, _digest(token)):
        raise Refused(_("Ce lien de téléchargement n'est plus valable."), 410)
    if not is_member(member) or export.member_id != member.id:
        raise Forbidden(_("Ce lien est celui d'un autre compte : seule la personne qui a demandé ses "
                          "données peut les télécharger."))
    if export.state != READY or export.expires_at <= now() or not os.path.exists(export.path()):
        raise Refused(_("Cette archive a déjà été téléchargée ou a expiré : demandez-en une nouvelle "
                        "depuis « Mes données »."), 410)
    return export


def take(member, token):
    """(open file, download name) of the archive; the file is deleted (the link is spent). Commits."""
    export = find_ready(member, token)
    handle = open(export.path(), "rb")
    os.remove(export.path())          # the open handle still reads it (POSIX)
    # The hash stays: a second use is told the archive was downloaded, not that the link is unknown.
    export.state, export.stored_name = DELIVERED, None
    db.session.commit()
    return handle, archive_filename(export.ready_at)


def purge_expired(moment=None):
    """Delete the archives whose link expired; give up preparations that died. Commits; returns
    how many files were deleted."""
    moment = moment or now()
    deleted = 0
    for export in db.session.scalars(select(DataExport).where(DataExport.state == READY,
                                                              DataExport.expires_at <= moment)):
        path = export.path()
        if path and os.path.exists(path):
            os.remove(path)
            deleted += 1
        export.state, export.stored_name = EXPIRED, None
    for export in db.session.scalars(select(DataExport).where(DataExport.state == PREPARING,
                                                              DataExport.created_at <= moment - STALE_AFTER)):
        export.state = FAILED
    db.session.commit()
    _remove_abandoned_parts()
    return deleted


def _remove_abandoned_parts():
    """Half-written archives of a process that died while writing them."""
    if not os.path.isdir(folder()):
        return
    limit = time.time() - STALE_AFTER.total_seconds()
    for name in os.listdir(folder()):
        path = os.path.join(folder(), name)
        if name.endswith(".part") and os.path.getmtime(path) < limit:
            os.remove(path)
