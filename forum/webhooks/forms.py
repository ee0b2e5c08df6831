"""The webhook form (its choices filled by the view: the events, the non-public spaces)."""
from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, SubmitField

from forum.web.forms import MultiCheckboxField

from .models import DECISION_CLOSED, MEMBER_JOINED, POST_CREATED, POST_HIDDEN, SYNTHESIS_PUBLISHED, TOPIC_CREATED

EVENT_LABELS = {
    TOPIC_CREATED: lazy_gettext("Sujet créé"),
    POST_CREATED: lazy_gettext("Message publié"),
    POST_HIDDEN: lazy_gettext("Message masqué par la modération"),
    DECISION_CLOSED: lazy_gettext("Décision close"),
    SYNTHESIS_PUBLISHED: lazy_gettext("Synthèse publiée"),
    MEMBER_JOINED: lazy_gettext("Nouveau membre inscrit"),
}


class WebhookForm(FlaskForm):
    name = StringField(lazy_gettext("Nom (pour vous y retrouver)"))
    url = StringField(lazy_gettext("Adresse de réception (http:// ou https://)"))
    events = MultiCheckboxField(lazy_gettext("Événements envoyés"),
                                choices=[(key, label) for key, label in EVENT_LABELS.items()])
    space_id = SelectField(lazy_gettext("Portée"), validate_choice=False, choices=[])
    renew_secret = BooleanField(lazy_gettext("Générer un nouveau secret (le récepteur devra le connaître)"))
    submit = SubmitField(lazy_gettext("Enregistrer le webhook"))
