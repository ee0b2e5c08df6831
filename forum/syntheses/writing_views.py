"""Writing syntheses: a new one (blank, or prepared from a debate), editing with both texts
side by side when two editors saved at once, editors, review comments."""
from flask import abort, flash, redirect, render_template, request
from flask_babel import gettext as _, lazy_gettext
from flask_login import current_user, login_required

from forum.errors import Conflict
from forum.extensions import db, limiter
from forum.topics.finding import get_readable_space, get_readable_topic
from forum.web.forms import submit
from forum.web.ratelimits import member_key, posting_limit, succeeded

from . import comments, quoting, rules, skeleton, writing
from .blueprint import bp
from .forms import CommentForm, InviteForm, NamedForm, WriteForm
from .models import SynthesisComment
from .responses import act, find, show_page, show_url


DRAFT_CREATED = lazy_gettext("Le brouillon est créé. Seuls ses rédacteurs et les modérateurs de l'espace le lisent ; "
                             "« Mettre en relecture » l'ouvre aux membres de l'espace.")


@bp.route("/espace/<slug>/syntheses/nouvelle", methods=["GET", "POST"], endpoint="new")
@login_required
@limiter.limit(posting_limit, key_func=member_key, methods=["POST"], deduct_when=succeeded)
def new(slug):
    space = get_readable_space(slug)
    form = WriteForm()
    submission = submit(form, lambda: writing.start(current_user, space, form.title.data, form.source.data))
    if submission.done:
        flash(DRAFT_CREATED)
        return redirect(show_url(submission.value, texte="en-cours"), 303)
    cannot = rules.why_cannot_start(current_user, space)
    return render_template("syntheses/write.html", space=space, form=form, cannot=cannot, topic=None), \
        403 if cannot and submission.status == 200 else submission.status


@bp.route("/sujet/<int:topic_id>/synthese", methods=["GET", "POST"], endpoint="prepare")
@login_required
@limiter.limit(posting_limit, key_func=member_key, methods=["POST"], deduct_when=succeeded)
def prepare(topic_id):
    topic = get_readable_topic(topic_id)
    form = WriteForm()
    prepared = skeleton.build(current_user, topic)
    if request.method == "GET":
        form.title.data, form.source.data = prepared.title, prepared.source
    submission = submit(form, lambda: writing.start(current_user, topic.space, form.title.data, form.source.data,
                                                    topic=topic, poll_ids=prepared.poll_ids))
    if submission.done:
        flash(DRAFT_CREATED)
        return redirect(show_url(submission.value, texte="en-cours"), 303)
    cannot = rules.why_cannot_start(current_user, topic.space)
    return render_template("syntheses/write.html", space=topic.space, form=form, cannot=cannot, topic=topic), \
        403 if cannot and submission.status == 200 else submission.status


@bp.route("/synthese/<int:synthesis_id>/modifier", methods=["GET", "POST"], endpoint="edit")
@login_required
def edit(synthesis_id):
    synthesis = find(synthesis_id)
    cannot = rules.why_cannot_edit(current_user, synthesis)
    form, withdrawn, theirs = WriteForm(), 0, None
    if request.method == "GET":
        form.source.data, withdrawn = quoting.strip_withdrawn(synthesis.source, synthesis.space)
        form.title.data, form.base.data = synthesis.title, synthesis.revision_count
    submission = submit(form, lambda: writing.save(current_user, synthesis, form.title.data, form.source.data,
                                                   form.base_revision()))
    if submission.done:
        return redirect(show_url(synthesis, texte="en-cours"), 303)
    if submission.status == Conflict.status:
        theirs = writing.theirs_since(synthesis, form.base_revision())
        form.base.data = synthesis.revision_count      # saving again merges onto their revision
    return render_template("syntheses/edit.html", synthesis=synthesis, form=form, cannot=cannot, theirs=theirs,
                           withdrawn=withdrawn), 403 if cannot and submission.status == 200 else submission.status


@bp.post("/synthese/<int:synthesis_id>/redacteurs", endpoint="invite")
@login_required
def invite(synthesis_id):
    synthesis = find(synthesis_id)
    form = InviteForm()
    submission = submit(form, lambda: writing.invite(current_user, synthesis, form.pseudonym.data))
    if submission.done:
        flash(_("%(name)s peut maintenant rédiger cette synthèse.", name=submission.value.pseudonym))
        return redirect(show_url(synthesis, _anchor="redacteurs"), 303)
    return render_template("syntheses/refused.html", synthesis=synthesis, form=form), submission.status


@bp.post("/synthese/<int:synthesis_id>/nommer", endpoint="named")
@login_required
def named(synthesis_id):
    synthesis = find(synthesis_id)
    form = NamedForm()
    submission = submit(form, lambda: writing.set_named(current_user, synthesis, form.named.data))
    if submission.done:
        return redirect(show_url(synthesis, _anchor="contributions"), 303)
    return render_template("syntheses/refused.html", synthesis=synthesis, form=form), submission.status


@bp.post("/synthese/<int:synthesis_id>/commentaires", endpoint="comment")
@login_required
@limiter.limit(posting_limit, key_func=member_key, deduct_when=succeeded)
def comment(synthesis_id):
    synthesis = find(synthesis_id)
    form = CommentForm().with_sections(comments.sections(synthesis.source))
    submission = submit(form, lambda: comments.add(current_user, synthesis, form.section.data, form.text.data))
    if submission.done:
        flash(_("Votre commentaire est enregistré : les rédacteurs le liront."))
        return redirect(show_url(synthesis, texte="en-cours", _anchor=f"commentaire-{submission.value.id}"), 303)
    if submission.status == 422:      # the page again, the comment kept, the error at its field
        return show_page(synthesis, working=True, comment_form=form, status=422)
    return render_template("syntheses/refused.html", synthesis=synthesis, form=form), submission.status


@bp.post("/synthese/<int:synthesis_id>/commentaires/<int:comment_id>/traite", endpoint="resolve_comment")
@login_required
def resolve_comment(synthesis_id, comment_id):
    synthesis = find(synthesis_id)
    found = db.session.get(SynthesisComment, comment_id)
    if found is None or found.synthesis_id != synthesis.id or not rules.can_read_working_text(current_user, synthesis):
        abort(404)
    return act(synthesis, lambda: comments.resolve(current_user, found, synthesis),
               show_url(synthesis, texte="en-cours", _anchor=f"commentaire-{found.id}"))
