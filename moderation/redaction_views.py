"""Pages of withdrawn versions: the withdrawal form (moderators, and authors on their own posts),
the coordination's reading of a withdrawn text, and the links the versions page shows."""
from flask import abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from forum.clock import now
from forum.errors import NotFound
from forum.topics.finding import get_post_for, get_visible_post
from forum.web.forms import submit

from . import redaction
from .blueprint import bp
from .forms import RedactionForm
from .permissions import can_read_redacted_original, can_redact_revision


@bp.route("/message/<int:post_id>/versions/<int:number>/retirer", methods=["GET", "POST"])
@login_required
def redact_revision(post_id, number):
    post = get_post_for(post_id, can_redact_revision)
    revision = _revision(post, number)
    by_author = current_user.id == post.author_id
    form = RedactionForm(redaction.REASONS)
    submission = submit(form, lambda: redaction.redact(current_user, post, number, form.reason.data,
                                                       form.articles.data))
    if submission.done:
        flash(_("La version %(n)s est retirée : son texte n'est plus affiché nulle part.", n=number))
        return redirect(url_for("topics.revisions", post_id=post.id), 303)
    return render_template("moderation/redact.html", post=post, revision=revision, form=form, by_author=by_author,
                           current=revision.number == post.revision_count,
                           days=redaction.appeal_days()), submission.status


@bp.route("/message/<int:post_id>/versions/<int:number>/original")
@login_required
def redacted_original(post_id, number):
    post = get_visible_post(post_id)
    original = redaction.read_original(current_user, post, number)
    return render_template("moderation/redacted_original.html", post=post, original=original,
                           revision=original.revision, until=redaction.kept_until(original))


def _revision(post, number):
    try:
        return redaction.find_revision(post, number)
    except NotFound:
        abort(404)


def revision_redaction_links(post, revision):
    """On the versions page: "Retirer cette version" for who may, "Lire le texte retiré" for the
    coordination while it is kept (the template of the core calls it when moderation is there)."""
    if not current_user.is_authenticated:
        return ""
    links = []
    if revision.redacted_at is None and can_redact_revision(current_user, post):
        links.append((url_for("moderation.redact_revision", post_id=post.id, number=revision.number),
                      _("Retirer cette version")))
    if revision.redacted_at is not None and can_read_redacted_original(current_user, post) \
            and _still_readable(post, revision):
        links.append((url_for("moderation.redacted_original", post_id=post.id, number=revision.number),
                      _("Lire le texte retiré (coordination)")))
    if not links:
        return ""
    return Markup(render_template("moderation/_redaction_links.html", links=links, revision=revision))


def _still_readable(post, revision):
    """Whether the original is still kept and within its appeal period (read once per page)."""
    originals = g.setdefault("redacted_originals", {})
    if post.id not in originals:
        originals[post.id] = redaction.originals_of(post)
    original = originals[post.id].get(revision.id)
    return original is not None and now() <= redaction.kept_until(original)


def init_app(app):
    app.jinja_env.globals["revision_redaction_links"] = revision_redaction_links
