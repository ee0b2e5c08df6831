"""The meeting forms: scheduling (and changing) one, registering, cancelling.

Every field is read as text and checked by the domain (``scheduling``, ``registering``), so that
a bad value comes back as 422 next to its field with everything typed kept."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, StringField, SubmitField, TextAreaField

from forum import dates
from forum.web.forms import MultiCheckboxField

from .display import NEED_LABELS
from .models import (CLAIMS_COVERED_COLLEGES, CLAIMS_EVERYONE, CLAIMS_NOBODY, COORDINATION, HYBRID, IN_PERSON,
                     ONLINE, PLENARY, WORKING_GROUP)
from .scheduling import MeetingInput

KIND_CHOICES = [(PLENARY, _l("Plénière")), (WORKING_GROUP, _l("Groupe de travail")),
                (COORDINATION, _l("Réunion de coordination"))]
MODE_CHOICES = [(IN_PERSON, _l("Sur place")), (ONLINE, _l("En ligne")), (HYBRID, _l("Sur place et en ligne"))]
CLAIM_CHOICES = [(CLAIMS_COVERED_COLLEGES, _l("Les participants des collèges dont les frais sont pris en charge "
                                              "(personnes accompagnées)")),
                 (CLAIMS_EVERYONE, _l("Tous les participants")),
                 (CLAIMS_NOBODY, _l("Personne (pas de prise en charge)"))]
NEED_CHOICES = list(NEED_LABELS.items())

TEXT_FIELDS = ("title", "kind", "mode", "day", "start", "end", "end_day", "description", "place_name", "address",
               "transport", "access_notes", "online_url", "capacity", "travel_claims")


class MeetingForm(FlaskForm):
    title = StringField(_l("Titre"))
    kind = RadioField(_l("Type de réunion"), choices=KIND_CHOICES, default=PLENARY, validate_choice=False)
    mode = RadioField(_l("Où se tient-elle ?"), choices=MODE_CHOICES, default=IN_PERSON, validate_choice=False)
    day = StringField(_l("Date"))
    start = StringField(_l("Heure de début"))
    end = StringField(_l("Heure de fin"))
    end_day = StringField(_l("Date de fin, si elle finit un autre jour"))
    description = TextAreaField(_l("Présentation"))
    place_name = StringField(_l("Lieu (nom)"))
    address = StringField(_l("Adresse"))
    step_free = BooleanField(_l("Accès de plain-pied ou par ascenseur"))
    hearing_loop = BooleanField(_l("Boucle magnétique pour les personnes malentendantes"))
    transport = StringField(_l("Transports en commun"))
    access_notes = StringField(_l("Autres informations d'accès"))
    online_url = StringField(_l("Lien de la visioconférence"))
    capacity = StringField(_l("Nombre de places"))
    travel_claims = RadioField(_l("Qui peut déclarer des frais de déplacement ?"), choices=CLAIM_CHOICES,
                               default=CLAIMS_COVERED_COLLEGES, validate_choice=False)
    submit = SubmitField(_l("Enregistrer la réunion"))

    def typed(self):
        values = {name: getattr(self, name).data or "" for name in TEXT_FIELDS}
        return MeetingInput(step_free=bool(self.step_free.data), hearing_loop=bool(self.hearing_loop.data), **values)

    def fill(self, meeting):
        start, end = dates.local(meeting.starts_at), dates.local(meeting.ends_at)
        for name in ("title", "kind", "mode", "description", "place_name", "address", "step_free", "hearing_loop",
                     "transport", "access_notes", "online_url", "travel_claims"):
            getattr(self, name).data = getattr(meeting, name)
        self.day.data, self.start.data, self.end.data = f"{start:%Y-%m-%d}", f"{start:%H:%M}", f"{end:%H:%M}"
        self.end_day.data = f"{end:%Y-%m-%d}" if end.date() != start.date() else ""
        self.capacity.data = str(meeting.capacity) if meeting.capacity is not None else ""
        return self


class RegistrationForm(FlaskForm):
    needs = MultiCheckboxField(_l("J'ai besoin de"), choices=NEED_CHOICES)
    needs_note = TextAreaField(_l("Précisions pour l'organisateur (facultatif)"))
    submit = SubmitField(_l("M'inscrire"))


class CancelForm(FlaskForm):
    reason = TextAreaField(_l("Pourquoi la réunion est-elle annulée ? (dit aux inscrits)"))
    submit = SubmitField(_l("Annuler la réunion"))
