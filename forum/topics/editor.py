"""The editor's one flow, shared by new topic, reply and edit: files, preview, draft, publish.

A member's text is never lost on the way: a refused file keeps the files before it and what was
typed, a preview or a draft stays on the page, a refusal shows next to its field.
"""
from dataclasses import dataclass

from flask import current_app, flash, request
from flask_babel import gettext as _
from flask_login import current_user

from forum.errors import Refused
from forum.extensions import db
from forum.numbers import parse_int
from forum.permissions import can_read_post_text
from forum.text.references import group_refusals, render_post
from forum.web.forms import Submission, attempt, fill_errors

from . import attachments, drafts
from .models import Post


@dataclass
class Editing(Submission):
    """A submission of the editor, with what the page shows when it is not done."""
    preview: str = None
    draft: object = None
    draft_saved: bool = False
    # What the preview tells of the groups mentioned that would not be notified.
    notices: tuple = ()


def run(form, publish, draft_key=None, draft_fields=None, author=None, tells_groups=True):
    """Handle the editor's buttons for ``form``, sent by the current member.

    ``publish()`` is the domain action of the main button. With ``draft_key`` the member may
    save a draft (``draft_fields``: the extra fields kept with it, such as the title or the
    parent post); without it, preview is the only other button (an edit has no draft). The
    preview renders as ``author`` would see it published (the post's author, for an edit).
    ``tells_groups=False`` where a mention notifies nobody (a private message, in
    forum/conversations/): no word then of the groups mentioned that would not be notified."""
    editing = Editing(draft=drafts.load(current_user, draft_key) if draft_key else None)
    if not form.validate_on_submit():
        editing.status = 400 if request.method == "POST" else 200
        return editing
    status = take_uploads(form, current_user)
    if status:
        editing.status = status
    elif form.preview.data or getattr(form, "save_draft", None) is not None and form.save_draft.data:
        if draft_key:
            editing.draft = drafts.save(current_user, draft_key, form.body.data, **(draft_fields or {}))
            editing.draft_saved = editing.draft is not None
        if form.preview.data:
            rendered = render_post(author or current_user, form.body.data or "")
            editing.preview = rendered.html
            editing.notices = tuple(refusal.message for refusal in rendered.refusals) if tells_groups else ()
    else:
        submission = attempt(form, publish)
        editing.done, editing.value, editing.status = submission.done, submission.value, submission.status
        if submission.done and tells_groups:
            tell_refusals(author or current_user, form.body.data or "")
    return editing


def tell_refusals(author, body):
    """After publishing: the groups the text mentions that were not notified, and why (the
    text is published all the same)."""
    for refusal in group_refusals(author, body):
        flash(refusal.message)


def take_uploads(form, member):
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
    post_id = parse_int(post_id, 1)
    post = db.session.get(Post, post_id) if post_id else None
    if post is None or not can_read_post_text(viewer, post):
        return None
    return quote_block(post.author.pseudonym, post.id, post.source)


def quote_block(pseudonym, post_id, text):
    """A readable Markdown quote: "> [Pseudo](/message/5) a écrit :", then the quoted lines
    (forum/text/markup.py turns it into a linked attribution; static/js/editor.js writes the same)."""
    name = "".join("\\" + c if c in "[]\\" else c for c in pseudonym)
    head = "> " + _("{nom} a écrit :").replace("{nom}", f"[{name}](/message/{post_id})")
    lines = [f"> {line}" if line.strip() else ">" for line in text.strip().splitlines()]
    return "\n".join([head, ">", *lines]) + "\n\n"
