"""Forms of the notification pages (CSRF and types; the rules live in the domain modules)."""
from flask import request
from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SubmitField

from .models import LEVELS
from .preferences import MODE_LABELS
from .watching import LABELS


class WatchForm(FlaskForm):
    level = RadioField(lazy_gettext("Niveau de suivi"), validate_choice=False,
                       choices=[(str(level), LABELS[level]) for level in LEVELS])
    submit = SubmitField(lazy_gettext("Enregistrer"))


class MailForm(FlaskForm):
    email_mode = RadioField(lazy_gettext("Courriels de notification"), validate_choice=False,
                            choices=list(MODE_LABELS.items()))
    digest = BooleanField(lazy_gettext("Recevoir chaque semaine « Les nouvelles de vos comités »"))
    college_mentions = BooleanField(lazy_gettext("Les membres peuvent me mentionner avec @college-…"))
    submit = SubmitField(lazy_gettext("Enregistrer mes choix"))

    @classmethod
    def of(cls, current):
        """The form opened on the member's ``current`` preferences."""
        form = cls()
        if request.method == "GET":
            form.email_mode.data, form.digest.data = current.email_mode, current.digest
            form.college_mentions.data = bool(current.college_mentions)
        return form
