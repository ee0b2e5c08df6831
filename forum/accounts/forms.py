"""Forms of the account pages: login, registration, profile, comités, password."""
from flask import request
from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from wtforms import (BooleanField, HiddenField, PasswordField, RadioField, SelectField, StringField,
                     SubmitField, TextAreaField)

from forum.web.forms import MultiCheckboxField


class LoginForm(FlaskForm):
    login = StringField(lazy_gettext("Adresse électronique ou pseudonyme"))
    password = PasswordField(lazy_gettext("Mot de passe"))
    remember = BooleanField(lazy_gettext("Rester connecté sur cet appareil"))
    next = HiddenField()
    submit = SubmitField(lazy_gettext("Se connecter"))


class RegisterForm(FlaskForm):
    pseudonym = StringField(lazy_gettext("Pseudonyme"))
    email = StringField(lazy_gettext("Adresse électronique"))
    password = PasswordField(lazy_gettext("Mot de passe"))
    college = SelectField(lazy_gettext("Votre collège"), choices=[], validate_choice=False)
    committees = MultiCheckboxField(lazy_gettext("Comités que vous rejoignez"), choices=[])
    show_college = RadioField(lazy_gettext("Affichage de votre collège"), default="default",
                              validate_choice=False, choices=[
        ("default", lazy_gettext("Choix par défaut : affiché, sauf pour les collèges des personnes "
                                 "accompagnées et des partenaires sociaux")),
        ("yes", lazy_gettext("Afficher mon collège à côté de mon pseudonyme")),
        ("no", lazy_gettext("Ne pas afficher mon collège")),
    ])
    adheres_convention = BooleanField(lazy_gettext("J'adhère à la convention des comités locaux"))
    accepts_charter = BooleanField(lazy_gettext("J'ai lu et j'accepte le règlement de fonctionnement"))
    submit = SubmitField(lazy_gettext("Créer mon compte"))

    @classmethod
    def for_choices(cls, colleges, committees):
        form = cls()
        form.college.choices = [("", "— Choisissez —")] + [(str(c.id), c.name) for c in colleges]
        form.committees.choices = [(str(s.id), s.name) for s in committees]
        return form


class ProfileForm(FlaskForm):
    show_college = BooleanField(lazy_gettext("Afficher mon collège à côté de mon pseudonyme"))
    bio = TextAreaField(lazy_gettext("Présentation (facultatif)"))
    locale = SelectField(lazy_gettext("Langue de l'interface"), choices=[("fr", "Français"), ("en", "English")],
                         validate_choice=False)
    submit = SubmitField(lazy_gettext("Enregistrer"))


class CommitteesForm(FlaskForm):
    committees = MultiCheckboxField(lazy_gettext("Mes comités"), choices=[])
    submit = SubmitField(lazy_gettext("Enregistrer mes comités"))


class PasswordForm(FlaskForm):
    current_password = PasswordField(lazy_gettext("Mot de passe actuel"))
    new_password = PasswordField(lazy_gettext("Nouveau mot de passe"))
    submit = SubmitField(lazy_gettext("Changer le mot de passe"))


def settings_forms(member, committees):
    """The three forms of the settings page, by prefix, opened on ``member``'s current choices."""
    forms = {"profil": ProfileForm(prefix="profil"), "comites": CommitteesForm(prefix="comites"),
             "mdp": PasswordForm(prefix="mdp")}
    forms["comites"].committees.choices = [(str(s.id), s.name) for s in committees]
    if request.method == "GET":
        forms["profil"].show_college.data, forms["profil"].bio.data = member.show_college, member.bio
        forms["profil"].locale.data = member.locale or "fr"
        forms["comites"].committees.data = [str(i) for i in member.committee_ids]
    return forms
