"""The compte rendu of a meeting: its page (the text, and the form for who writes it) and
« En faire une synthèse »."""
import re

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import SubmitField, TextAreaField

from forum.errors import Invalid, Refused
from forum.extensions import db
from forum.web.forms import ConfirmForm, fill_errors, require_confirmation

from . import agenda, minutes
from .blueprint import bp

ITEM_FIELD = re.compile(r"^point-(\d{1,12})$")


class MinutesForm(FlaskForm):
    """The general text; each point's text is a field ``point-<id>`` read by ``_typed_items``."""
    general = TextAreaField(_l("Compte rendu général"))
    submit = SubmitField(_l("Enregistrer le compte rendu"))


def _typed_items():
    return {int(found.group(1)): value for name, value in request.form.items()
            if (found := ITEM_FIELD.match(name))}


def _page(meeting, form, typed, status=200, item_errors=None):
    return render_template("meetings/minutes.html", meeting=meeting, view=minutes.minutes_view(current_user, meeting),
                           form=form, typed=typed, item_errors=item_errors or {}, confirm=ConfirmForm()), status


def _save(meeting, form, typed):
    """(saved, status, messages beside the points); other messages go to the form."""
    if not form.validate_on_submit():
        return False, 400, {}
    try:
        minutes.write_minutes(current_user, meeting, form.general.data, typed)
        return True, 303, {}
    except Refused as refusal:
        db.session.rollback()
        fields = getattr(refusal, "fields", {None: refusal.message})
        beside = {name: message for name, message in fields.items() if name and ITEM_FIELD.match(name)}
        rest = {name: message for name, message in fields.items() if name not in beside}
        if rest:
            fill_errors(form, Invalid(rest))
        return False, refusal.status, beside


@bp.get("/reunion/<int:meeting_id>/compte-rendu", endpoint="minutes")
def minutes_page(meeting_id):
    meeting = agenda.visible_meeting(current_user, meeting_id)
    form = MinutesForm(formdata=None, general=meeting.minutes)
    return _page(meeting, form, {item.id: item.minutes for item in minutes.accepted_items(meeting)})


@bp.post("/reunion/<int:meeting_id>/compte-rendu", endpoint="write_minutes")
@login_required
def write_minutes(meeting_id):
    meeting = agenda.visible_meeting(current_user, meeting_id)
    refusal = minutes.why_cannot_write(current_user, meeting)
    if refusal is not None:
        raise refusal       # the error page says why (before the meeting, not an organiser)
    form, typed = MinutesForm(), _typed_items()
    saved, status, beside = _save(meeting, form, typed)
    if saved:
        flash(_("Le compte rendu est enregistré."))
        return redirect(url_for("meetings.show", meeting_id=meeting.id, _anchor="compte-rendu"), 303)
    return _page(meeting, form, typed, status, beside)


@bp.post("/reunion/<int:meeting_id>/compte-rendu/synthese", endpoint="minutes_synthesis")
@login_required
def minutes_synthesis(meeting_id):
    """« En faire une synthèse »: a draft the organiser goes on writing."""
    require_confirmation()
    synthesis = minutes.start_synthesis(current_user, agenda.visible_meeting(current_user, meeting_id))
    flash(_("Le brouillon de synthèse est créé à partir du compte rendu. Seuls ses rédacteurs et les "
            "modérateurs de l'espace le lisent ; relisez-le puis demandez une relecture."))
    return redirect(url_for("syntheses.edit", synthesis_id=synthesis.id), 303)
