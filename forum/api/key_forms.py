"""The form of a new API key: its name and what it permits (checked by ``keys``: a bad value is
422 next to its field, with what was typed kept)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, SubmitField

from .key_models import READ, WRITE

SCOPE_CHOICES = [(READ, _l("Lecture seule : l'outil lit ce que vous pouvez lire")),
                 (WRITE, _l("Lecture et écriture : l'outil peut aussi publier et modifier en votre nom"))]


class KeyForm(FlaskForm):
    label = StringField(_l("Nom de la clé (pour la reconnaître : « tableau de bord », « robot du comité »…)"))
    scope = RadioField(_l("Ce que la clé permet"), choices=SCOPE_CHOICES, default=READ, validate_choice=False)
    submit = SubmitField(_l("Créer la clé"))
