"""The form of the account deletion page."""
from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from wtforms import PasswordField, RadioField, SubmitField

from .erasure import MODE_ANONYMISE, MODE_REMOVE


class DeletionForm(FlaskForm):
    mode = RadioField(lazy_gettext("Que deviennent vos messages ?"), validate_choice=False, choices=[
        (MODE_ANONYMISE, lazy_gettext("Les garder, signés « Ancien membre » suivi d'un numéro : les "
                                      "discussions restent entières")),
        (MODE_REMOVE, lazy_gettext("Les retirer : chacun est remplacé par « Message retiré à la demande "
                                   "de son auteur », les réponses des autres restent")),
    ])
    password = PasswordField(lazy_gettext("Votre mot de passe, pour confirmer"))
    submit = SubmitField(lazy_gettext("Programmer la suppression de mon compte"))
