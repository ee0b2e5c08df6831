"""Forms of the ways back into an account: asking for a link by email, a new password, a new address."""
from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField, SubmitField


class LinkRequestForm(FlaskForm):
    email = StringField(lazy_gettext("Adresse électronique"))
    submit = SubmitField(lazy_gettext("Recevoir le lien"))


class NewPasswordForm(FlaskForm):
    password = PasswordField(lazy_gettext("Nouveau mot de passe"))
    submit = SubmitField(lazy_gettext("Enregistrer et me connecter"))


class LinkLoginForm(FlaskForm):
    remember = BooleanField(lazy_gettext("Rester connecté sur cet appareil"))
    submit = SubmitField(lazy_gettext("Me connecter"))


class EmailChangeForm(FlaskForm):
    email = StringField(lazy_gettext("Nouvelle adresse électronique"))
    current_password = PasswordField(lazy_gettext("Mot de passe actuel"))
    submit = SubmitField(lazy_gettext("Recevoir le lien de confirmation"))
