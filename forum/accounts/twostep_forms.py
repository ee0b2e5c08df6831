"""Forms of two-step login: the code at login, turning it on, new recovery codes, turning it off."""
from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, SubmitField


class CodeForm(FlaskForm):
    """The second step of logging in: a code from the app, or a recovery code."""
    code = StringField(lazy_gettext("Code à 6 chiffres, ou code de secours"),
                       render_kw={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"})
    submit = SubmitField(lazy_gettext("Valider"))


class EnableForm(FlaskForm):
    code = StringField(lazy_gettext("Code à 6 chiffres affiché par l'application"),
                       render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"})
    submit = SubmitField(lazy_gettext("Activer la connexion en deux étapes"))


class RecoveryCodesForm(FlaskForm):
    password = PasswordField(lazy_gettext("Mot de passe"))
    submit = SubmitField(lazy_gettext("Créer de nouveaux codes de secours"))


class DisableForm(FlaskForm):
    password = PasswordField(lazy_gettext("Mot de passe"))
    code = StringField(lazy_gettext("Code à 6 chiffres, ou code de secours"))
    submit = SubmitField(lazy_gettext("Désactiver la connexion en deux étapes"))
