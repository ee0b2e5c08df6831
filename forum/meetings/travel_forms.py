"""The forms of attendance and travel costs (text fields parsed by the domain: bad input is a
422 at its field, what was typed kept)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FileField, RadioField, StringField, SubmitField, TextAreaField

from .models import BY_DISTANCE, BY_TICKET


class ClaimForm(FlaskForm):
    mode = RadioField(_l("Ce que vous déclarez"), validate_choice=False,
                      choices=[(BY_DISTANCE, _l("Des kilomètres parcourus (voiture, deux-roues)")),
                               (BY_TICKET, _l("Un billet (train, car, bus…)"))])
    km = StringField(_l("Distance aller-retour, en kilomètres"))
    amount = StringField(_l("Montant du billet, en euros"))
    note = TextAreaField(_l("Note pour la coordination (facultatif)"))
    receipt = FileField(_l("Justificatif (PDF, JPEG ou PNG)"))
    submit = SubmitField(_l("Envoyer la demande"))


class DecisionForm(FlaskForm):
    reason = TextAreaField(_l("Motif du refus (lu par le membre)"))
    validate = SubmitField(_l("Valider"))
    refuse = SubmitField(_l("Refuser"))


class AttendanceForm(FlaskForm):
    """The radio groups are one per person, named ``status-<member id>``: read from the request."""
    submit = SubmitField(_l("Enregistrer les présences"))


class WalkInForm(FlaskForm):
    pseudonym = StringField(_l("Pseudonyme du membre venu sans inscription"))
    submit = SubmitField(_l("Ajouter comme présent·e"))
