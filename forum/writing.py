"""Around the editor: attachment upload and download, draft autosave, quotes.

The reply, new-topic and edit pages (``views``) call ``take_uploads`` and ``quote_of``; this
blueprint serves attachments (permission-checked) and the editor's autosave.
"""
import os

from flask import Blueprint, abort, current_app, jsonify, request, send_file
from flask_login import current_user, login_required
from sqlalchemy import select

from . import attachments, drafts
from .errors import Refused
from .extensions import db, limiter
from .models import Post, Space, Topic
from .permissions import can_download_attachment, can_read_post_text

bp = Blueprint("writing", __name__)


def take_uploads(form, member, fill_errors):
    """Store the files sent with ``form`` and add them to its text; None, or an error status.

    Each file is committed as it is stored: a refused file never loses the ones before it,
    and whatever was typed stays in the form.
    """
    files = [f for f in request.files.getlist("fichiers") if f and f.filename]
    added = []
    limit = current_app.config["MAX_ATTACHMENT_BYTES"]
    status = None
    for upload in files:
        try:
            added.append(attachments.store(member, upload.filename, upload.read(limit + 1)))
            db.session.commit()
        except Refused as refusal:
            db.session.rollback()
            fill_errors(form, refusal)
            status = refusal.status
    if added:
        text = "\n\n".join(attachment.markdown() for attachment in added)
        body = (form.body.data or "").rstrip()
        form.body.data = (body + "\n\n" if body else "") + text
    return status


def quote_of(viewer, post_id):
    """A quote block of the post's source, or None when ``viewer`` may not read its text."""
    post = db.session.get(Post, post_id) if str(post_id or "").isdigit() else None
    if post is None or not can_read_post_text(viewer, post):
        return None
    return f'[quote="{post.author.pseudonym}, post:{post.id}, topic:{post.topic_id}"]\n' \
           f'{post.source.strip()}\n[/quote]\n\n'


@bp.route("/piece-jointe/<key>/<name>")
def attachment(key, name):
    found = attachments.find(key)
    if found is None or not can_download_attachment(current_user, found) or not os.path.exists(found.path()):
        abort(404)
    response = send_file(found.path(), mimetype=found.content_type, as_attachment=not found.is_image,
                         download_name=found.filename, conditional=True, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    # Even opened on its own, a file never runs anything in this site's origin.
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


def _draft_key(place):
    """The draft key named by the editor's ``lieu`` field, checked against permissions."""
    place = place or ""
    if place.startswith("sujet-") and place[6:].isdigit():
        return drafts.key_for(current_user, "topic", db.session.get(Topic, int(place[6:])))
    if place.startswith("espace-"):
        space = db.session.scalar(select(Space).where(Space.slug == place[7:]))
        return drafts.key_for(current_user, "space", space)
    if place == "nouveau-sujet":
        return drafts.key_for(current_user, drafts.NEW_TOPIC, None)
    return drafts.key_for(current_user, None, None)


@bp.route("/brouillon", methods=["POST"])
@login_required
@limiter.limit("60 per minute")
def autosave():
    """The editor's autosave (JavaScript): answers JSON."""
    try:
        key = _draft_key(request.form.get("lieu"))
        parent = request.form.get("parent")
        draft = drafts.save(current_user, key, request.form.get("body"), request.form.get("title"),
                            int(parent) if parent and parent.isdigit() else None)
    except Refused as refusal:
        db.session.rollback()
        return jsonify({"error": refusal.message}), refusal.status
    return jsonify({"saved": draft is not None,
                    "saved_at": draft.updated_at.isoformat() + "Z" if draft else None})
