"""Attachments: images and documents added to posts.

- The type is read from the content (magic bytes; the zip's contents for ODT and DOCX), never
  from the name or the browser's claim.
- Images are decoded and re-encoded by Pillow: EXIF (GPS positions, camera serials), XMP and
  comments are dropped; the orientation is applied first so that photos stay upright.
- Files live under ``UPLOAD_DIR`` with random names; the original name is only shown.
- An attachment belongs to its uploader until a post that names it is published; then it
  follows that post: whoever may not read the post's text may not download it
  (``permissions.can_download_attachment``). A private message (forum/conversations/) claims
  files the same way; then only the readers of its conversation download them. A file is
  claimed once, by a post or a message, never by both.
"""
import io
import os
import re
import secrets
import unicodedata
import zipfile

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, select
from sqlalchemy.orm import relationship

from forum.clock import now
from forum.errors import Invalid
from forum.extensions import db

# Decoding more pixels than this is refused (a small file can decode to gigabytes).
MAX_PIXELS = 40_000_000

IMAGE_TYPES = {"PNG": ("image/png", "png"), "JPEG": ("image/jpeg", "jpg"),
               "WEBP": ("image/webp", "webp"), "GIF": ("image/gif", "gif")}
ODT = "application/vnd.oasis.opendocument.text"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOCUMENT_EXTENSIONS = {"application/pdf": "pdf", ODT: "odt", DOCX: "docx"}
ACCEPTED = "PNG, JPEG, WebP, GIF, PDF, ODT, DOCX"

URL_PREFIX = "/piece-jointe/"
REFERENCE = re.compile(r"/piece-jointe/([A-Za-z0-9_-]{16,40})/")


class Attachment(db.Model):
    __page_cache__ = "private"   # public pages never show it (forum/web/page_cache.py)
    # Erasing the uploader keeps the files of the posts and private messages that stay
    # (forum/accounts/erasure.py).
    __erasure__ = "keep"

    id = Column(Integer, primary_key=True)
    # Random, unguessable, in the URL: /piece-jointe/<key>/<name>
    key = Column(String(40), nullable=False, unique=True)
    stored_name = Column(String(80), nullable=False)
    filename = Column(String(200), nullable=False)
    content_type = Column(String(100), nullable=False)
    size = Column(Integer, nullable=False)
    width = Column(Integer, nullable=True)
    height = Column(Integer, nullable=True)
    uploader_id = Column(ForeignKey("member.id", ondelete="CASCADE"), nullable=False, index=True)
    # Set when the first post naming it is written: from then on it follows that post.
    post_id = Column(ForeignKey("post.id", ondelete="SET NULL"), nullable=True, index=True)
    # Or set when a private message naming it is sent: then it follows that conversation.
    conversation_message_id = Column(ForeignKey("conversation_message.id", ondelete="SET NULL"), nullable=True,
                                     index=True)
    created_at = Column(DateTime, nullable=False, default=now)

    post = relationship("Post", lazy="joined")

    @property
    def is_image(self):
        return self.content_type.startswith("image/")

    @property
    def url_name(self):
        return _url_name(self.filename, self.extension)

    @property
    def extension(self):
        for mime, ext in IMAGE_TYPES.values():
            if mime == self.content_type:
                return ext
        return DOCUMENT_EXTENSIONS.get(self.content_type, "bin")

    @property
    def url(self):
        return f"{URL_PREFIX}{self.key}/{self.url_name}"

    def markdown(self):
        """What is added to the post's text to show (an image) or link (a document) the file."""
        label = re.sub(r"([\\\[\]])", r"\\\1", self.filename)
        if self.is_image:
            return f"![{label}]({self.url})"
        return f"[{label} ({self.extension.upper()}, {human_size(self.size)})]({self.url})"

    def path(self):
        return os.path.join(current_app.config["UPLOAD_DIR"], self.stored_name[:2], self.stored_name)


def human_size(size):
    if size < 1024:
        return f"{size} o"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} Ko"
    return f"{size / (1024 * 1024):.1f} Mo".replace(".", ",")


def _url_name(filename, extension):
    """An ASCII, Markdown-safe name for the URL (the real name is only shown)."""
    base = os.path.splitext(filename)[0]
    ascii_name = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode()
    ascii_name = re.sub(r"[^A-Za-z0-9_-]+", "-", ascii_name).strip("-")[:60] or "fichier"
    return f"{ascii_name}.{extension}"


def clean_filename(name):
    name = os.path.basename((name or "").replace("\\", "/"))
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name[:200] or "fichier"


# --- recognising the content ------------------------------------------------------------------

def detect_document(data):
    """The MIME type of a PDF, ODT or DOCX recognised by its content, or None."""
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
                # ODF: an uncompressed "mimetype" entry comes first and names the type.
                if "mimetype" in names and archive.read("mimetype").strip() == ODT.encode():
                    return ODT
                if "[Content_Types].xml" in names and "word/document.xml" in names:
                    return DOCX
        except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, NotImplementedError):
            return None
    return None


def reencode(data):
    """(bytes, mime, width, height) of the image in ``data`` re-encoded without metadata."""
    # Imported on the first upload: Pillow stays out of the memory of processes that only read.
    from PIL import Image, ImageOps, UnidentifiedImageError
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        image = Image.open(io.BytesIO(data))
        fmt = image.format
        if fmt not in IMAGE_TYPES:
            return None
        image.load()
    except Image.DecompressionBombError:
        raise Invalid({"fichiers": _("Cette image est trop grande (trop de pixels).")}, status=413)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return None
    out = io.BytesIO()
    animated = getattr(image, "is_animated", False) and fmt in ("GIF", "WEBP")
    if animated:
        frames, durations = [], []
        for index in range(image.n_frames):
            image.seek(index)
            frames.append(image.convert("RGBA"))
            durations.append(image.info.get("duration", 100))
        frames[0].save(out, format=fmt, save_all=True, append_images=frames[1:], duration=durations,
                       loop=image.info.get("loop", 0), disposal=2 if fmt == "GIF" else 0)
        width, height = frames[0].size
    else:
        image = ImageOps.exif_transpose(image)   # upright first: the orientation tag goes away
        image.info = {}                          # no comment, XMP or EXIF is carried over
        if fmt == "JPEG":
            image = image.convert("RGB")
            image.save(out, format="JPEG", quality=88, optimize=True)
        elif fmt == "GIF":
            image.save(out, format="GIF")
        elif fmt == "WEBP":
            image.save(out, format="WEBP", quality=85)
        else:
            image.save(out, format="PNG", optimize=False)
        width, height = image.size
    return out.getvalue(), IMAGE_TYPES[fmt][0], width, height


def store(uploader, filename, data):
    """Check, clean and keep an uploaded file for ``uploader``; the caller commits."""
    limit = current_app.config["MAX_ATTACHMENT_BYTES"]
    name = clean_filename(filename)
    if len(data) > limit:
        raise Invalid({"fichiers": _("« %(name)s » est trop volumineux (%(size)s ; %(limit)s au plus).",
                                     name=name, size=human_size(len(data)), limit=human_size(limit))},
                      status=413)
    if not data:
        raise Invalid({"fichiers": _("« %(name)s » est vide.", name=name)})
    width = height = None
    content_type = detect_document(data)
    if content_type is None:
        image = reencode(data)
        if image is None:
            raise Invalid({"fichiers": _("« %(name)s » n'est pas d'un type accepté (%(accepted)s) : "
                                         "le type est reconnu d'après le contenu du fichier.",
                                         name=name, accepted=ACCEPTED)})
        data, content_type, width, height = image
    stored_name = secrets.token_hex(16)
    attachment = Attachment(key=secrets.token_urlsafe(18), stored_name=stored_name, filename=name,
                            content_type=content_type, size=len(data), width=width, height=height,
                            uploader_id=uploader.id, created_at=now())
    path = attachment.path()
    os.makedirs(os.path.dirname(path), exist_ok=True)
    temporary = path + ".part"
    with open(temporary, "wb") as handle:
        handle.write(data)
    os.replace(temporary, path)
    db.session.add(attachment)
    db.session.flush()
    return attachment


def unclaimed():
    """The condition of a file that neither a post nor a private message holds yet."""
    return Attachment.post_id.is_(None) & Attachment.conversation_message_id.is_(None)


def _claimable(author_id, body):
    """``author_id``'s own files named in ``body`` that nothing holds yet: another's file, or
    one a post or a message already holds, is never taken (it would change who reads it)."""
    keys = set(REFERENCE.findall(body or ""))
    if not keys:
        return []
    return db.session.scalars(select(Attachment).where(
        Attachment.key.in_(keys), Attachment.uploader_id == author_id, unclaimed())).all()


def claim(post, body):
    """Attach to ``post`` its author's files named in ``body`` that nothing holds yet."""
    attachments = _claimable(post.author_id, body)
    for attachment in attachments:
        attachment.post_id = post.id
    return attachments


def claim_for_message(message, body):
    """Attach to a private message (forum/conversations/) its author's files named in ``body``
    that nothing holds yet."""
    attachments = _claimable(message.author_id, body)
    for attachment in attachments:
        attachment.conversation_message_id = message.id
    return attachments


def find(key):
    return db.session.scalar(select(Attachment).where(Attachment.key == key))
