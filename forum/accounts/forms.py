"""Forms of the account pages: login, registration, profile, comités (requests), password."""
from flask import request
from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from wtforms import (BooleanField, HiddenField, PasswordField, RadioField, SelectField, StringField,
                     SubmitField, TextAreaField)

from forum.web.forms import MultiCheckboxField, NewPasswordField


class LoginForm(FlaskForm):
    login = StringField(lazy_gettext("Adresse électronique ou pseudonyme"))
    password = PasswordField(lazy_gettext("Mot de passe"))
    remember = BooleanField(lazy_gettext("Rester connecté sur cet appareil"))
    next = HiddenField()
    submit = SubmitField(lazy_gettext("Se connecter"))


class RegisterForm(FlaskForm):
    pseudonym = StringField(lazy_gettext("Pseudonyme"))
    email = StringField(lazy_gettext("Adresse électronique"))
    password = NewPasswordField(lazy_gettext("Mot de passe"))
    college = SelectField(lazy_gettext("Votre collège"), choices=[], validate_choice=False)
    committees = MultiCheckboxField(lazy_gettext("Comités que vous demandez à rejoindre"), choices=[])
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


class JoinForm(FlaskForm):
    """Ask to join a comité: the comité's moderators or the coordination decide."""
    committee = SelectField(lazy_gettext("Comité"), choices=[], validate_choice=False)
    message = TextAreaField(lazy_gettext("Votre message (facultatif, 500 caractères au plus)"))
    submit = SubmitField(lazy_gettext("Demander à rejoindre"))


class DecideForm(FlaskForm):
    note = TextAreaField(lazy_gettext("Note pour le membre (facultatif)"))
    accept = SubmitField(lazy_gettext("Accepter"))
    refuse = SubmitField(lazy_gettext("Refuser"))


class AddMemberForm(FlaskForm):
    pseudonym = StringField(lazy_gettext("Pseudonyme du membre"))
    submit = SubmitField(lazy_gettext("Ajouter au comité"))


class MessagesForm(FlaskForm):
    """Refusing private messages (forum/accounts/blocking.py)."""
    refuses_messages = BooleanField(lazy_gettext(
        "Refuser les messages privés (la modération et la coordination peuvent toujours vous écrire)"))
    submit = SubmitField(lazy_gettext("Enregistrer ce choix"))


class PasswordForm(FlaskForm):
    current_password = PasswordField(lazy_gettext("Mot de passe actuel"))
    new_password = PasswordField(lazy_gettext("Nouveau mot de passe"))
    submit = SubmitField(lazy_gettext("Changer le mot de passe"))


def settings_forms(member, committees, pending=()):
    """The three forms of the settings page, by prefix, opened on ``member``'s current choices.
    The comités one asks to join a comité the member is neither in nor waiting for."""
    forms = {"profil": ProfileForm(prefix="profil"), "comites": JoinForm(prefix="comites"),
             "mdp": PasswordForm(prefix="mdp")}
    waiting = {r.space_id for r in pending}
    forms["comites"].committee.choices = [("", lazy_gettext("— Choisissez —"))] + [
        (str(s.id), s.name) for s in committees if s.id not in member.committee_ids and s.id not in waiting]
    if request.method == "GET":
        forms["profil"].show_college.data, forms["profil"].bio.data = member.show_college, member.bio
        forms["profil"].locale.data = member.locale or "fr"
        forms["comites"].committee.data = request.args.get("comite", "")
    return forms
