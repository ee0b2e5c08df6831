"""The ordre du jour of a meeting: its page, proposing a point, accepting, declining and
ordering them (buttons, no script needed), the time given to each, « Envoyer l'ordre du jour »."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l, ngettext
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, SubmitField, TextAreaField

from forum.errors import Refused
from forum.extensions import db, limiter
from forum.web.forms import ConfirmForm, require_confirmation, submit
from forum.web.ratelimits import member_key, posting_limit, succeeded

from . import agenda, agenda_mail
from .blueprint import bp

LINK_KIND_CHOICES = [(agenda.TOPIC, _l("Un sujet")), (agenda.POLL, _l("Une décision")),
                     (agenda.SYNTHESIS, _l("Une synthèse"))]
ITEM_ACTIONS = {"accepter": lambda member, item: agenda.decide(member, item, True),
                "refuser": lambda member, item: agenda.decide(member, item, False),
                "monter": lambda member, item: agenda.move(member, item, -1),
                "descendre": lambda member, item: agenda.move(member, item, +1)}


class ProposeForm(FlaskForm):
    title = StringField(_l("Intitulé du point"))
    note = TextAreaField(_l("Note pour les organisateurs et les participants (facultative)"))
    link = StringField(_l("Lien vers un sujet, une décision ou une synthèse de cet espace (facultatif)"))
    link_kind = RadioField(_l("Si vous avez tapé un numéro, c'est celui de"), choices=LINK_KIND_CHOICES,
                           validate_choice=False)
    submit = SubmitField(_l("Proposer ce point"))


class DurationForm(FlaskForm):
    duration = StringField(_l("Durée prévue (minutes)"))
    submit = SubmitField(_l("Enregistrer la durée"))


def agenda_url(meeting_id, anchor=None):
    return url_for("meetings.agenda", meeting_id=meeting_id, _anchor=anchor)


def _page(meeting, form=None, status=200, item_error=None):
    """The agenda page; ``item_error``: (point id, message, what was typed) of a refused duration."""
    return render_template("meetings/agenda.html", meeting=meeting, agenda=agenda.agenda_view(current_user, meeting),
                           form=form or ProposeForm(formdata=None), confirm=ConfirmForm(),
                           item_error=item_error or (None, "", "")), status


@bp.get("/reunion/<int:meeting_id>/ordre-du-jour", endpoint="agenda")
def agenda_page(meeting_id):
    return _page(agenda.visible_meeting(current_user, meeting_id))


@bp.post("/reunion/<int:meeting_id>/ordre-du-jour", endpoint="propose_item")
@login_required
@limiter.limit(posting_limit, key_func=member_key, deduct_when=succeeded)
def propose_item(meeting_id):
    meeting = agenda.visible_meeting(current_user, meeting_id)
    refusal = agenda.why_cannot_propose(current_user, meeting)
    if refusal is not None:
        raise refusal       # the error page says why: the form is not on the page for them
    form = ProposeForm()
    submission = submit(form, lambda: agenda.propose(current_user, meeting, form.title.data, form.note.data,
                                                     form.link.data, form.link_kind.data or ""))
    if not submission.done:
        return _page(meeting, form, submission.status)
    item = submission.value
    flash(_("Le point est ajouté à l'ordre du jour.") if item.status == "accepted"
          else _("Votre proposition est transmise aux organisateurs de la réunion."))
    return redirect(agenda_url(meeting.id, f"point-{item.id}"), 303)


@bp.post("/reunion/point/<int:item_id>", endpoint="item_action")
@login_required
def item_action(item_id):
    """Accept, decline, move up or down (the button's ``action``): no script is needed."""
    require_confirmation()
    action = ITEM_ACTIONS.get(request.form.get("action", ""))
    if action is None:
        abort(400)
    item = agenda.visible_item(current_user, item_id)
    action(current_user, item)
    return redirect(agenda_url(item.meeting_id, f"point-{item.id}"), 303)


@bp.post("/reunion/point/<int:item_id>/duree", endpoint="item_duration")
@login_required
def item_duration(item_id):
    item = agenda.visible_item(current_user, item_id)
    form = DurationForm()
    if not form.validate_on_submit():
        return _page(item.meeting, status=400, item_error=(item.id, _("Le formulaire a expiré : recommencez."), ""))
    try:
        agenda.set_duration(current_user, item, form.duration.data)
    except Refused as refusal:
        db.session.rollback()
        return _page(item.meeting, status=refusal.status, item_error=(item.id, refusal.message, form.duration.data))
    return redirect(agenda_url(item.meeting_id, f"point-{item.id}"), 303)


@bp.post("/reunion/<int:meeting_id>/ordre-du-jour/envoyer", endpoint="send_agenda")
@login_required
def send_agenda(meeting_id):
    require_confirmation()
    outcome = agenda_mail.send_agenda(current_user, agenda.visible_meeting(current_user, meeting_id))
    flash(ngettext("L'ordre du jour est envoyé à %(num)d personne.", "L'ordre du jour est envoyé à %(num)d personnes.",
                   outcome.sent))
    if outcome.failed:
        flash(ngettext("%(num)d courriel n'a pas pu partir : réessayez plus tard.",
                       "%(num)d courriels n'ont pas pu partir : réessayez plus tard.", outcome.failed))
    return redirect(agenda_url(meeting_id), 303)
